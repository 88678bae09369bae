/**
 * Công khai, lấy ý kiến nhân dân — the public portal (no sign-in, action `public`) and the
 * moderation of residents' comments (docs/dossier-api.md):
 *   GET  /public/consultations                 dossiers open for comments now
 *   GET  /public/dossiers/:id                  a dossier in (or after) consultation, with the form token
 *   POST /public/dossiers/:id/comments         send a comment (202, pending until moderated)
 *   GET  /public/recognitions?provinceId=&q=   recognised communes and their current level
 *   GET  /dossiers/:id/comments                every comment, for readers of the dossier
 *   POST /public-comments/:id/moderation       publish or reject a pending comment
 * Everything a resident typed leaves only inside JSON strings, never as HTML.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate, MAX_INT, UnitId } from '../schemas/common.schema.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { listComments, moderateComment, publicDossier, submitComment, withdrawConsent } from '../../services/consultation.service.ts';
import { listOpenConsultations, publicRecognitions } from '../../services/transparency.service.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_INT }) });
const Bilingual = Type.Object({ vi: Type.String(), en: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union([Type.Literal('met'), Type.Literal('not_met'), Type.Literal('not_applicable'), Type.Literal('not_evaluable')]);

const OpenConsultationSchema = Type.Object({
  dossierId: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  provinceName: Type.String(),
  level: Type.String(),
  levelName: Bilingual,
  stage: Type.String(),
  stageName: Bilingual,
  openedOn: Type.String(),
  closesOn: Nullable(Type.String()),
});

const PublicCommentSchema = Type.Object({ id: Type.Integer(), body: Type.String(), authorName: Nullable(Type.String()), createdAt: Type.String() });

const PublicDossierSchema = Type.Object({
  dossierId: Type.Integer(),
  unit: Type.Object({ id: Type.String(), name: Type.String(), parentName: Nullable(Type.String()) }),
  level: Type.String(),
  levelName: Bilingual,
  stage: Type.String(),
  stageName: Bilingual,
  open: Type.Boolean(),
  openedOn: Type.String(),
  closesOn: Nullable(Type.String()),
  review: Nullable(Type.Object({ date: Type.String(), criteriaMet: Type.Integer(), criteriaTotal: Type.Integer(), indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer() })),
  criteria: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), status: Status, indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer() })),
  comments: Type.Array(PublicCommentSchema),
  form: Type.Object({
    token: Type.String(),
    minSeconds: Type.Integer(),
    maxLength: Type.Integer(),
    notice: Type.Object({
      version: Type.String(),
      controller: Type.String(),
      purposes: Type.Array(Type.Object({ purpose: Type.Union([Type.Literal('publish_name'), Type.Literal('contact_reply')]), text: Bilingual })),
      retentionDays: Type.Integer(),
    }),
  }),
});

const CommentBody = Type.Object(
  {
    // Lengths are checked by the service after NFC and trimming, with a message naming the field;
    // these bounds only stop absurd payloads.
    body: Type.String({ maxLength: 20_000 }),
    name: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    contact: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    consents: Type.Object({ publish_name: Type.Boolean(), contact_reply: Type.Boolean() }, { additionalProperties: false }),
    token: Type.String({ maxLength: 200 }),
    website: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

const ReceiptSchema = Type.Object({ id: Type.Integer(), status: Type.Literal('pending'), message: Bilingual, withdrawCode: Type.String({ description: 'shown once: withdraws the consents and erases name and contact' }) });

const RecognitionRowSchema = Type.Object({
  unitId: Type.String(),
  name: Type.String(),
  provinceId: Type.String(),
  provinceName: Type.String(),
  currentLevel: Nullable(Type.String()),
  currentLevelName: Nullable(Bilingual),
  recognitions: Type.Array(Type.Object({ level: Type.String(), levelName: Bilingual, decisionNo: Type.String(), decidedOn: Type.String(), revokedOn: Nullable(Type.String()) })),
});

const ModeratedCommentSchema = Type.Object({
  id: Type.Integer(),
  dossierId: Type.Integer(),
  stage: Type.String(),
  stageName: Bilingual,
  body: Type.String(),
  authorName: Nullable(Type.String()),
  contact: Nullable(Type.String()),
  consents: Type.Array(Type.Object({ purpose: Type.String(), granted: Type.Boolean(), at: Type.String() })),
  status: Type.Union([Type.Literal('pending'), Type.Literal('published'), Type.Literal('rejected')]),
  createdAt: Type.String(),
  moderatedBy: Nullable(Type.String()),
  moderatedAt: Nullable(Type.String()),
  moderationNote: Nullable(Type.String()),
  deleteAfter: IsoDate,
  personalDataErased: Type.Boolean(),
});

export function publicRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const now = () => ctx.auth.clock();

    app.get(
      '/public/consultations',
      {
        config: { action: 'public' },
        schema: { tags: ['public'], summary: 'Hồ sơ đang lấy ý kiến nhân dân / dossiers open for public comments', security: [], response: { 200: Type.Object({ items: Type.Array(OpenConsultationSchema) }), ...errorResponses } },
      },
      async () => ({ items: await listOpenConsultations(ctx.db, todayInVietnam(now())) }),
    );

    app.get(
      '/public/dossiers/:id',
      {
        config: { action: 'public' },
        schema: { tags: ['public'], summary: 'Hồ sơ công khai lấy ý kiến / a dossier in public consultation', security: [], params: IdParams, response: { 200: PublicDossierSchema, ...errorResponses } },
      },
      async (req, reply) => {
        // The answer carries a fresh form token: never cached.
        reply.header('Cache-Control', 'no-store');
        return publicDossier(ctx.db, req.params.id, now());
      },
    );

    app.post(
      '/public/dossiers/:id/comments',
      {
        config: { action: 'public' },
        schema: {
          tags: ['public'],
          summary: 'Gửi ý kiến về hồ sơ / send a comment on a dossier',
          security: [],
          params: IdParams,
          body: CommentBody,
          response: { 202: ReceiptSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        const receipt = await submitComment(ctx.db, { dossierId: req.params.id, ...req.body }, req.ip, now());
        return reply.status(202).send(receipt);
      },
    );

    app.post(
      '/public/comments/withdraw',
      {
        config: { action: 'public' },
        schema: {
          tags: ['public'],
          summary: 'Rút lại sự đồng ý, xóa họ tên và liên hệ (bằng mã đã nhận khi gửi) / withdraw consent with the code given on sending',
          security: [],
          body: Type.Object({ code: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ id: Type.Integer(), message: Bilingual }), ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return withdrawConsent(ctx.db, req.body.code, now());
      },
    );

    app.get(
      '/public/recognitions',
      {
        config: { action: 'public' },
        schema: {
          tags: ['public'],
          summary: 'Danh sách xã được công nhận / recognised communes',
          security: [],
          querystring: Type.Object({ provinceId: Type.Optional(UnitId), q: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 200: Type.Object({ items: Type.Array(RecognitionRowSchema) }), ...errorResponses },
        },
      },
      async (req) => ({ items: await publicRecognitions(ctx.db, { provinceId: req.query.provinceId ?? null, q: req.query.q ?? null }) }),
    );

    app.get(
      '/dossiers/:id/comments',
      {
        config: { action: 'dossier.read' },
        schema: { tags: ['dossiers'], summary: 'Ý kiến của người dân về hồ sơ (kể cả chờ duyệt) / all comments on a dossier', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ModeratedCommentSchema) }), ...errorResponses } },
      },
      async (req) => ({ items: await listComments(ctx.db, actorOf(req), req.params.id) }),
    );

    app.post(
      '/public-comments/:id/moderation',
      {
        config: { action: 'dossier.moderate' },
        schema: {
          tags: ['dossiers'],
          summary: 'Kiểm duyệt ý kiến: công khai hoặc từ chối / publish or reject a comment',
          params: IdParams,
          body: Type.Object({ status: Type.Union([Type.Literal('published'), Type.Literal('rejected')]), note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) }, { additionalProperties: false }),
          response: { 200: ModeratedCommentSchema, ...errorResponses },
        },
      },
      async (req) => moderateComment(ctx.db, actorOf(req), req.params.id, req.body, now()),
    );
  };
}
