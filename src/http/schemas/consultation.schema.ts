/**
 * Lấy ý kiến nhân dân: a dossier in public consultation with its comment form, a resident's
 * comment and its receipt, withdrawing consent, and the moderation of comments.
 */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, IsoTime, Nullable, StringEnum } from './common.schema.ts';
import { VerdictStatusSchema } from './evaluation.schema.ts';

export const CommentBody = Closed({
  // Lengths are checked by the service after NFC and trimming, with a message naming the field;
  // these bounds only stop absurd payloads.
  body: Type.String({ maxLength: 20_000 }),
  name: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  contact: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  consents: Closed({ publish_name: Type.Boolean(), contact_reply: Type.Boolean() }),
  token: Type.String({ maxLength: 200 }),
  website: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
});

export const WithdrawBody = Closed({ code: Type.String({ maxLength: 100 }) });
export const ModerationBody = Closed({ status: Type.Union([Type.Literal('published'), Type.Literal('rejected')]), note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) });

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const ConsentPurposeSchema = StringEnum(['publish_name', 'contact_reply']);

export const PublicCommentSchema = Closed({ id: Type.Integer(), body: Type.String(), authorName: Nullable(Type.String()), createdAt: IsoTime });

export const PublicDossierSchema = Closed({
  dossierId: Type.Integer(),
  unit: Closed({ id: Type.String(), name: Type.String(), parentName: Nullable(Type.String()) }),
  level: Type.String(),
  levelName: Bilingual,
  stage: Type.String(),
  stageName: Bilingual,
  open: Type.Boolean(),
  openedOn: IsoDate,
  closesOn: Nullable(IsoDate),
  review: Nullable(Closed({ date: IsoDate, criteriaMet: Type.Integer(), criteriaTotal: Type.Integer(), indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer() })),
  criteria: Type.Array(Closed({ code: Type.String(), name: Type.String(), status: VerdictStatusSchema, indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer() })),
  comments: Type.Array(PublicCommentSchema),
  form: Closed({
    token: Type.String(),
    minSeconds: Type.Integer(),
    maxLength: Type.Integer(),
    notice: Closed({
      version: Type.String(),
      controller: Type.String(),
      purposes: Type.Array(Closed({ purpose: ConsentPurposeSchema, text: Bilingual })),
      retentionDays: Type.Integer(),
    }),
  }),
});

export const CommentReceiptSchema = Closed({
  id: Type.Integer(),
  status: StringEnum(['pending']),
  message: Bilingual,
  withdrawCode: Type.String({ description: 'shown once: withdraws the consents and erases name and contact' }),
});

export const WithdrawResultSchema = Closed({ id: Type.Integer(), message: Bilingual });

export const ModeratedCommentSchema = Closed({
  id: Type.Integer(),
  dossierId: Type.Integer(),
  stage: Type.String(),
  stageName: Bilingual,
  body: Type.String(),
  authorName: Nullable(Type.String()),
  contact: Nullable(Type.String()),
  consents: Type.Array(Closed({ purpose: Type.String(), granted: Type.Boolean(), at: IsoTime })),
  status: StringEnum(['pending', 'published', 'rejected']),
  createdAt: IsoTime,
  moderatedBy: Nullable(Type.String()),
  moderatedAt: Nullable(IsoTime),
  moderationNote: Nullable(Type.String()),
  deleteAfter: IsoDate,
  personalDataErased: Type.Boolean(),
});

export const ModeratedCommentListSchema = Closed({ items: Type.Array(ModeratedCommentSchema) });
