/** Steering committees (Ban Chỉ đạo) and their members over time. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable, OptDate, OptText, Ref, StringEnum, Text, VersionField } from './common.schema.ts';
import { MEMBER_ROLES } from '../../domain/committee.ts';

export const CommitteeQuery = Type.Object({ unitId: Type.Optional(Text(40)), date: Type.Optional(IsoDate) });

export const CreateCommitteeBody = Closed({ unitId: Ref('unit', Text(40)), name: Text(300), decisionNo: OptText(100), periodFrom: IsoDate, periodTo: OptDate, note: OptText(2000) });

export const UpdateCommitteeBody = Closed({
  version: VersionField,
  name: Type.Optional(Text(300)),
  decisionNo: OptText(100),
  periodFrom: Type.Optional(IsoDate),
  periodTo: OptDate,
  note: OptText(2000),
});

const MemberRole = Type.Union([Type.Literal('head'), Type.Literal('deputy'), Type.Literal('standing'), Type.Literal('member')]);

export const MemberBody = Closed({
  personName: Text(200),
  position: OptText(200),
  agency: OptText(200),
  role: MemberRole,
  criteria: Type.Optional(Type.Array(Text(10), { maxItems: 30 })),
  username: Ref('user', OptText(100)),
  email: OptText(200),
  joinedOn: IsoDate,
  leftOn: OptDate,
});

export const UpdateMemberBody = Closed({
  version: VersionField,
  personName: Type.Optional(Text(200)),
  position: OptText(200),
  agency: OptText(200),
  role: Type.Optional(MemberRole),
  criteria: Type.Optional(Type.Array(Text(10), { maxItems: 30 })),
  username: Ref('user', OptText(100)),
  email: OptText(200),
  joinedOn: Type.Optional(IsoDate),
  leftOn: OptDate,
  leftReason: OptText(500),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const CommitteeMemberSchema = Closed({
  id: Type.Integer(),
  committeeId: Type.Integer(),
  personName: Type.String(),
  position: Nullable(Type.String()),
  agency: Nullable(Type.String()),
  role: StringEnum(MEMBER_ROLES),
  roleLabel: Bilingual,
  criteria: Type.Array(Type.String()),
  username: Nullable(Type.String()),
  email: Nullable(Type.String({ description: 'only for those who may edit the committee' })),
  joinedOn: IsoDate,
  leftOn: Nullable(IsoDate),
  leftReason: Nullable(Type.String()),
  active: Type.Boolean({ description: 'a member on the date of the read' }),
  version: Type.Integer(),
});

const committeeSummaryFields = {
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  name: Type.String(),
  decisionNo: Nullable(Type.String()),
  periodFrom: IsoDate,
  periodTo: Nullable(IsoDate),
  note: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  head: Nullable(Type.String({ description: 'the head on the date of the read' })),
  memberCount: Type.Integer(),
};

export const CommitteeSummarySchema = Closed(committeeSummaryFields);
export const CommitteeListSchema = Closed({ items: Type.Array(CommitteeSummarySchema) });

/** A committee with its members on the date (heads first) and every membership ever. */
export const CommitteeDetailSchema = Closed({
  ...committeeSummaryFields,
  date: IsoDate,
  members: Type.Array(CommitteeMemberSchema),
  history: Type.Array(CommitteeMemberSchema),
});
