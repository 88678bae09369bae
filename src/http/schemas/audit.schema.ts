/** The audit trail (read-only) and its hash-chain check. */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, MAX_INT, Nullable } from './common.schema.ts';

export const AuditQuery = Type.Object({
  unitId: Type.Optional(Type.String({ maxLength: 40 })),
  actor: Type.Optional(Type.String({ maxLength: 120 })),
  entity: Type.Optional(Type.String({ maxLength: 60 })),
  entityId: Type.Optional(Type.String({ maxLength: 120 })),
  action: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

/** The record as it was before or after the change: its own shape, whatever the entity is (any JSON). */
const Snapshot = Type.Unknown({ description: 'the entity as it was (JSON, its own shape), or null' });

export const AuditRecordSchema = Closed({
  id: Type.Integer(),
  seq: Nullable(Type.Integer()),
  at: IsoTime,
  actor: Type.String(),
  source: Type.String(),
  ip: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  unitId: Nullable(Type.String()),
  before: Snapshot,
  after: Snapshot,
  hash: Nullable(Type.String()),
});

export const AuditPageSchema = Closed({ items: Type.Array(AuditRecordSchema), nextBeforeSeq: Nullable(Type.Integer()) });

export const ChainReportSchema = Closed({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  firstSeq: Nullable(Type.Integer()),
  lastSeq: Nullable(Type.Integer()),
  anchor: Nullable(Closed({ seq: Type.Integer(), prevHash: Type.String(), purgedAt: IsoTime, purgedThroughAt: IsoTime })),
  keyedFrom: Nullable(Type.Integer()),
  publishedAnchor: Nullable(Closed({ seq: Type.Integer(), hash: Type.String(), at: IsoTime })),
  problems: Type.Array(Closed({ id: Nullable(Type.Integer()), seq: Nullable(Type.Integer()), problem: Type.String() })),
});
