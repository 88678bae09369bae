/** Schemas of the committee, meeting, task, action-plan and inbox routes. */
import { Type } from 'typebox';
import { IsoDate } from './common.schema.ts';

/** A response described loosely (the service types are the contract; see the route summaries). */
export const Loose = Type.Object({}, { additionalProperties: true });
export const LooseList = Type.Object({ items: Type.Array(Loose) }, { additionalProperties: true });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const UnitIdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const DateQuery = Type.Object({ date: Type.Optional(IsoDate) });
const Text = (max: number) => Type.String({ maxLength: max });
const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const OptDate = Type.Optional(Type.Union([IsoDate, Type.Null()]));
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you read (or send If-Match)' }));
const Money = Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000, description: 'whole đồng (VND)' });

export const DocumentRefSchema = Type.Object({ title: Text(300), url: OptText(2000) }, { additionalProperties: false });

// ── Committees ──────────────────────────────────────────────────────────────────────────────

export const CommitteeQuery = Type.Object({ unitId: Type.Optional(Text(40)), date: Type.Optional(IsoDate) });

export const CreateCommitteeBody = Type.Object(
  { unitId: Text(40), name: Text(300), decisionNo: OptText(100), periodFrom: IsoDate, periodTo: OptDate, note: OptText(2000) },
  { additionalProperties: false },
);

export const UpdateCommitteeBody = Type.Object(
  { version: Version, name: Type.Optional(Text(300)), decisionNo: OptText(100), periodFrom: Type.Optional(IsoDate), periodTo: OptDate, note: OptText(2000) },
  { additionalProperties: false },
);

const MemberRole = Type.Union([Type.Literal('head'), Type.Literal('deputy'), Type.Literal('standing'), Type.Literal('member')]);

export const MemberBody = Type.Object(
  {
    personName: Text(200),
    position: OptText(200),
    agency: OptText(200),
    role: MemberRole,
    criteria: Type.Optional(Type.Array(Text(10), { maxItems: 30 })),
    username: OptText(100),
    email: OptText(200),
    joinedOn: IsoDate,
    leftOn: OptDate,
  },
  { additionalProperties: false },
);

export const UpdateMemberBody = Type.Object(
  {
    version: Version,
    personName: Type.Optional(Text(200)),
    position: OptText(200),
    agency: OptText(200),
    role: Type.Optional(MemberRole),
    criteria: Type.Optional(Type.Array(Text(10), { maxItems: 30 })),
    username: OptText(100),
    email: OptText(200),
    joinedOn: Type.Optional(IsoDate),
    leftOn: OptDate,
    leftReason: OptText(500),
  },
  { additionalProperties: false },
);

// ── Meetings ────────────────────────────────────────────────────────────────────────────────

const MeetingKind = Type.Union([Type.Literal('working_session'), Type.Literal('conference'), Type.Literal('inspection')]);
const MeetingStatus = Type.Union([Type.Literal('planned'), Type.Literal('held'), Type.Literal('concluded')]);
const ParticipantSchema = Type.Object(
  {
    memberId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    personName: Text(200),
    position: OptText(200),
    agency: OptText(200),
    role: Type.Union([Type.Literal('chair'), Type.Literal('member'), Type.Literal('commune'), Type.Literal('guest'), Type.Literal('secretary')]),
  },
  { additionalProperties: false },
);

export const MeetingQuery = Type.Object({ committeeId: Type.Optional(Type.Integer({ minimum: 1 })), unitId: Type.Optional(Text(40)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

export const CreateMeetingBody = Type.Object(
  {
    committeeId: Type.Integer({ minimum: 1 }),
    kind: Type.Optional(MeetingKind),
    title: Text(500),
    heldOn: IsoDate,
    place: OptText(300),
    status: Type.Optional(MeetingStatus),
    agenda: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
    minutes: OptText(50_000),
    attachments: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 50 })),
    participants: Type.Optional(Type.Array(ParticipantSchema, { maxItems: 200 })),
    unitIds: Type.Optional(Type.Array(Text(40), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const UpdateMeetingBody = Type.Object(
  {
    version: Version,
    kind: Type.Optional(MeetingKind),
    title: Type.Optional(Text(500)),
    heldOn: Type.Optional(IsoDate),
    place: OptText(300),
    status: Type.Optional(MeetingStatus),
    agenda: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
    minutes: OptText(50_000),
    attachments: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 50 })),
    participants: Type.Optional(Type.Array(ParticipantSchema, { maxItems: 200 })),
    noticeNo: OptText(50),
    noticeOn: OptDate,
  },
  { additionalProperties: false },
);

export const DeleteMeetingQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  reason: Type.Optional(Text(500)),
  orphanTasks: Type.Optional(Type.Boolean({ description: 'keep the tasks, marked orphaned, and delete the meeting anyway' })),
});

export const AddUnitBody = Type.Object({ unitId: Text(40) }, { additionalProperties: false });

// ── Tasks ───────────────────────────────────────────────────────────────────────────────────

const AssigneeSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('unit'), Type.Literal('agency'), Type.Literal('person')]),
    name: OptText(300),
    unitId: OptText(40),
    username: OptText(100),
    memberId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const TargetsSchema = Type.Object(
  { criteria: Type.Optional(Type.Array(Text(10), { maxItems: 50 })), indicators: Type.Optional(Type.Array(Text(20), { maxItems: 200 })) },
  { additionalProperties: false },
);
const Priority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);

/** Assignee and due date are required, but checked by the service so the refusal names them in both languages. */
const taskInputFields = {
    unitId: OptText(40),
    title: Text(1000),
    description: OptText(10_000),
    assignee: Type.Optional(Type.Union([AssigneeSchema, Type.Null()])),
    targets: Type.Optional(Type.Union([TargetsSchema, Type.Null()])),
    dueOn: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
    priority: Type.Optional(Priority),
};
export const TaskInputSchema = Type.Object(taskInputFields, { additionalProperties: false });

export const CreateTaskBody = Type.Object({ conclusionId: Type.Integer({ minimum: 1 }), ...taskInputFields }, { additionalProperties: false });

export const ConclusionBody = Type.Object(
  { text: Text(10_000), unitId: OptText(40), tasks: Type.Optional(Type.Array(TaskInputSchema, { maxItems: 100 })) },
  { additionalProperties: false },
);
export const UpdateConclusionBody = Type.Object({ version: Version, text: Type.Optional(Text(10_000)), unitId: OptText(40) }, { additionalProperties: false });

export const UpdateTaskBody = Type.Object(
  {
    version: Version,
    title: Type.Optional(Text(1000)),
    description: OptText(10_000),
    assignee: Type.Optional(AssigneeSchema),
    targets: Type.Optional(TargetsSchema),
    dueOn: Type.Optional(IsoDate),
    priority: Type.Optional(Priority),
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object(
  {
    version: Version,
    transition: Type.Union([Type.Literal('start'), Type.Literal('complete'), Type.Literal('cancel'), Type.Literal('return'), Type.Literal('reopen')]),
    reason: OptText(2000),
    evidence: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 20 })),
    on: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const ProgressBody = Type.Object(
  {
    version: Version,
    progress: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
    text: OptText(5000),
    evidence: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 20 })),
    on: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const CommentBody = Type.Object({ text: Text(5000) }, { additionalProperties: false });

export const BoardQuery = Type.Object({
  unitId: Type.Optional(Text(40)),
  assignee: Type.Optional(Text(300)),
  committeeId: Type.Optional(Type.Integer({ minimum: 1 })),
  meetingId: Type.Optional(Type.Integer({ minimum: 1 })),
  date: Type.Optional(IsoDate),
});

// ── Action plans and budget requests ────────────────────────────────────────────────────────

const Source = Type.Union(
  ['central_budget', 'province_budget', 'district_budget', 'commune_budget', 'credit', 'enterprise', 'community', 'diaspora', 'other'].map((s) => Type.Literal(s)),
);
const FundingSchema = Type.Object({ source: Source, planned: Money, mobilised: Money, disbursed: Money, note: OptText(500) }, { additionalProperties: false });
const ActionStatus = Type.Union([Type.Literal('planned'), Type.Literal('in_progress'), Type.Literal('done'), Type.Literal('cancelled')]);

export const CreatePlanBody = Type.Object(
  { unitId: Text(40), setId: Type.Optional(Text(100)), title: Text(500), periodTo: OptDate, note: OptText(5000) },
  { additionalProperties: false },
);
export const UpdatePlanBody = Type.Object({ version: Version, title: Type.Optional(Text(500)), periodTo: OptDate, note: OptText(5000) }, { additionalProperties: false });

const actionFields = {
  indicatorCode: OptText(20),
  fromValue: OptText(200),
  toValue: OptText(200),
  estimatedCost: Type.Optional(Type.Union([Money, Type.Null()])),
  targetOn: OptDate,
  owner: OptText(300),
  status: Type.Optional(ActionStatus),
  taskId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  funding: Type.Optional(Type.Array(FundingSchema, { maxItems: 20 })),
};
export const ActionBody = Type.Object({ criterionCode: Text(10), action: Text(2000), ...actionFields }, { additionalProperties: false });
export const UpdateActionBody = Type.Object({ version: Version, criterionCode: Type.Optional(Text(10)), action: Type.Optional(Text(2000)), ...actionFields }, { additionalProperties: false });
export const VersionOnlyBody = Type.Object({ version: Version }, { additionalProperties: false });

export const CreateBudgetRequestBody = Type.Object(
  {
    unitId: Text(40),
    toUnitId: Text(40),
    planId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    title: Text(1000),
    purpose: OptText(5000),
    source: Source,
    amount: Money,
    requestedOn: IsoDate,
    submit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateBudgetRequestBody = Type.Object(
  { version: Version, title: Type.Optional(Text(1000)), purpose: OptText(5000), source: Type.Optional(Source), amount: Type.Optional(Money), requestedOn: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export const RespondBody = Type.Object(
  {
    version: Version,
    decision: Type.Union([Type.Literal('approved'), Type.Literal('partially_approved'), Type.Literal('rejected')]),
    approvedAmount: Type.Optional(Type.Union([Money, Type.Null()])),
    responseText: OptText(5000),
    respondedOn: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
