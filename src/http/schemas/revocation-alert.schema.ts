/** Revocation alerts: a recognised commune whose latest review no longer meets the rule. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, IsoTime, Nullable, StringEnum } from './common.schema.ts';

const ALERT_STATUSES = ['open', 'dossier_opened', 'dismissed'] as const;

export const AlertQuery = Type.Object({
  status: Type.Optional(Type.Union(ALERT_STATUSES.map((s) => Type.Literal(s)))),
  unitId: Type.Optional(Type.String({ maxLength: 40 })),
});
/** Opening a dossier from an alert takes no input (an empty body, or none). */
export const OpenDossierFromAlertBody = Type.Optional(Type.Object({}, { additionalProperties: false }));
export const DismissBody = Type.Object({ note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

export const RevocationAlertSchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  reviewId: Type.Integer(),
  reviewDate: IsoDate,
  recognitionId: Type.Integer(),
  level: Type.String(),
  levelName: Bilingual,
  decisionNo: Type.String(),
  rule: Type.String(),
  failingCriteria: Type.Array(Type.String()),
  reason: Bilingual,
  status: StringEnum(ALERT_STATUSES),
  dossierId: Nullable(Type.Integer()),
  createdAt: IsoTime,
});

export const RevocationAlertListSchema = Closed({ items: Type.Array(RevocationAlertSchema) });
