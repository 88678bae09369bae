/** Recognition and revocation dossiers (hồ sơ công nhận): steps, conditions, documents, history, the moves allowed. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, IsoTime, MAX_INT, NotRef, Nullable, OptText, Ref, StringEnum } from './common.schema.ts';
import { DOCUMENT_TYPES, DOSSIER_ACTIONS, PRECONDITION_CODES, PROCEDURE_IDS, type DocumentType } from '../../domain/dossier-workflow.ts';
import { ROLES } from '../../domain/policy.ts';

export const DossierListQuery = Type.Object({
  unitId: Type.Optional(Type.String({ maxLength: 40 })),
  open: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
  kind: Type.Optional(Type.Union([Type.Literal('recognition'), Type.Literal('revocation')])),
});

export const OpenDossierBody = Closed({
  unitId: Ref('unit', Type.String({ maxLength: 40 })),
  level: Type.String({ maxLength: 20 }),
  baseReviewId: Ref('review', Type.Integer({ minimum: 1, maximum: MAX_INT })),
  setId: NotRef(OptText(100), 'id of a criteria set in the public catalogue'),
  openedOn: Type.Optional(Nullable(IsoDate)),
});

export const ActBody = Closed({
  action: Type.String({ maxLength: 40 }),
  version: Type.Integer({ minimum: 1 }),
  comment: OptText(4000),
  returnTo: OptText(60),
  onDate: Type.Optional(Nullable(IsoDate)),
  decision: Type.Optional(Nullable(Closed({ decisionNo: Type.String({ maxLength: 60 }), decidedOn: IsoDate, signer: OptText(120) }))),
});

export const DeclarationsBody = Closed({
  version: Type.Integer({ minimum: 1 }),
  satisfactionRate: Type.Optional(Nullable(Type.Number())),
  noConstructionDebt: Type.Optional(Nullable(Type.Boolean())),
  securityOk: Type.Optional(Nullable(Type.Boolean())),
});

export const DeadlineBody = Closed({
  version: Type.Integer({ minimum: 1 }),
  deadline: Nullable(IsoDate),
  note: OptText(500),
  taskId: Type.Optional(Ref('task', Nullable(Type.Integer({ minimum: 1, maximum: MAX_INT })))),
});

export const DocumentParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_INT }), type: Type.String({ maxLength: 40 }) });
export const UploadQuery = Type.Object({ filename: Type.Optional(Type.String({ maxLength: 300 })), note: Type.Optional(Type.String({ maxLength: 500 })) });

// ── Responses ────────────────────────────────────────────────────────────────────────────────

const RoleSchema = StringEnum(ROLES);
const RiskSchema = StringEnum(['none', 'ok', 'at_risk', 'overdue'], { description: 'none: no limit; ok; at_risk: few working days left; overdue' });
const DocumentTypeSchema = StringEnum(Object.keys(DOCUMENT_TYPES) as readonly DocumentType[]);

const listItemFields = {
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  kind: StringEnum(['recognition', 'revocation']),
  level: Type.String(),
  levelName: Bilingual,
  procedure: StringEnum(PROCEDURE_IDS),
  procedureName: Bilingual,
  state: Type.String(),
  stateName: Bilingual,
  stepRole: Nullable(RoleSchema),
  closed: Type.Boolean(),
  stateSince: IsoDate,
  dueOn: Nullable(IsoDate),
  workingDaysLeft: Nullable(Type.Integer()),
  stepRisk: RiskSchema,
  deadline: Nullable(IsoDate),
  deadlineDaysLeft: Nullable(Type.Integer()),
  deadlineRisk: RiskSchema,
  version: Type.Integer(),
  openedOn: IsoDate,
  closedOn: Nullable(IsoDate),
};

export const DossierListItemSchema = Closed(listItemFields);
export const DossierListSchema = Closed({ items: Type.Array(DossierListItemSchema) });

export const DocumentVersionSchema = Closed({
  id: Type.Integer(),
  version: Type.Integer(),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: IsoTime,
  url: Type.String(),
});

export const DossierDetailSchema = Closed({
  ...listItemFields,
  setId: Type.String(),
  baseReview: Nullable(
    Closed({
      id: Type.Integer(),
      date: IsoDate,
      criteriaMet: Type.Integer(),
      criteriaTotal: Type.Integer(),
      indicatorsMet: Type.Integer(),
      indicatorsTotal: Type.Integer(),
      criteriaNotMet: Type.Array(Type.String()),
    }),
  ),
  steps: Type.Array(
    Closed({
      id: Type.String(),
      name: Bilingual,
      role: Nullable(RoleSchema),
      limitDays: Nullable(Type.Integer()),
      publicConsultation: Type.Boolean(),
      status: StringEnum(['done', 'current', 'pending']),
      enteredOn: Nullable(IsoDate),
      dueOn: Nullable(IsoDate),
    }),
  ),
  preconditions: Type.Array(Closed({ code: StringEnum(PRECONDITION_CODES), met: Type.Boolean(), name: Bilingual, detail: Bilingual })),
  satisfactionRate: Nullable(Type.Number()),
  satisfactionRequired: Type.Number(),
  noConstructionDebt: Nullable(Type.Boolean()),
  securityOk: Nullable(Type.Boolean()),
  documents: Type.Array(
    Closed({ type: DocumentTypeSchema, name: Bilingual, requiredNow: Type.Boolean(), requiredAt: Type.Array(Type.String()), draft: Type.Boolean(), versions: Type.Array(DocumentVersionSchema) }),
  ),
  transitions: Type.Array(
    Closed({
      seq: Type.Integer(),
      action: Type.String(),
      actionName: Bilingual,
      from: Nullable(Type.String()),
      fromName: Nullable(Bilingual),
      to: Type.String(),
      toName: Bilingual,
      onDate: IsoDate,
      actor: Type.String(),
      actorRole: Nullable(Type.String()),
      comment: Nullable(Type.String()),
      at: IsoTime,
    }),
  ),
  actions: Type.Array(
    Closed({
      action: StringEnum(DOSSIER_ACTIONS),
      name: Bilingual,
      to: Type.String(),
      needsComment: Type.Boolean(),
      returnTo: Type.Array(Closed({ id: Type.String(), name: Bilingual })),
      allowed: Type.Boolean(),
      reason: Nullable(Bilingual),
    }),
  ),
  consultationOpen: Type.Boolean(),
  publicUrl: Nullable(Type.String()),
  commentCounts: Closed({ pending: Type.Integer(), published: Type.Integer(), rejected: Type.Integer() }),
  recognition: Nullable(
    Closed({ id: Type.Integer(), level: Type.String(), decisionNo: Type.String(), decidedOn: IsoDate, signer: Nullable(Type.String()), revokedOn: Nullable(IsoDate) }),
  ),
  alertId: Nullable(Type.Integer()),
});

/** A dossier waiting for the reader at its current step (the inbox). */
export const DossierToDoSchema = Closed({
  dossier: DossierListItemSchema,
  returned: Nullable(Closed({ on: IsoDate, by: Type.String(), comment: Nullable(Type.String()) })),
  message: Bilingual,
});
