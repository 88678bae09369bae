/** Meetings: the communes reviewed (status frozen on the meeting date), participants, conclusions and their tasks. */
import { Type } from 'typebox';
import { Bilingual, Closed, DocumentRefSchema, IsoDate, IsoTime, MAX_INT, Nullable, OptDate, OptText, Ref, StringEnum, Text, VersionField } from './common.schema.ts';
import { TaskInputBody, TaskViewSchema } from './task.schema.ts';
import { UnmetCriterionSchema, VerdictStatusSchema, VerdictTotalsSchema } from './evaluation.schema.ts';
import { MEETING_KINDS, MEETING_STATUSES, PARTICIPANT_ROLES } from '../../domain/committee.ts';

const MeetingKind = Type.Union([Type.Literal('working_session'), Type.Literal('conference'), Type.Literal('inspection')]);
const MeetingStatus = Type.Union([Type.Literal('planned'), Type.Literal('held'), Type.Literal('concluded')]);
const ParticipantBody = Closed({
  memberId: Type.Optional(Ref('member', Nullable(Type.Integer({ minimum: 1 })))),
  personName: Text(200),
  position: OptText(200),
  agency: OptText(200),
  role: Type.Union([Type.Literal('chair'), Type.Literal('member'), Type.Literal('commune'), Type.Literal('guest'), Type.Literal('secretary')]),
});

export const MeetingQuery = Type.Object({ committeeId: Type.Optional(Type.Integer({ minimum: 1 })), unitId: Type.Optional(Text(40)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

export const CreateMeetingBody = Closed({
  committeeId: Ref('committee', Type.Integer({ minimum: 1 })),
  kind: Type.Optional(MeetingKind),
  title: Text(500),
  heldOn: IsoDate,
  place: OptText(300),
  status: Type.Optional(MeetingStatus),
  agenda: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
  minutes: OptText(50_000),
  attachments: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 50 })),
  participants: Type.Optional(Type.Array(ParticipantBody, { maxItems: 200 })),
  unitIds: Type.Optional(Type.Array(Ref('unit', Text(40)), { maxItems: 100 })),
});

export const UpdateMeetingBody = Closed({
  version: VersionField,
  kind: Type.Optional(MeetingKind),
  title: Type.Optional(Text(500)),
  heldOn: Type.Optional(IsoDate),
  place: OptText(300),
  status: Type.Optional(MeetingStatus),
  agenda: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
  minutes: OptText(50_000),
  attachments: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 50 })),
  participants: Type.Optional(Type.Array(ParticipantBody, { maxItems: 200 })),
  noticeNo: OptText(50),
  noticeOn: OptDate,
});

export const DeleteMeetingQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  reason: Type.Optional(Text(500)),
  orphanTasks: Type.Optional(Type.Boolean({ description: 'keep the tasks, marked orphaned, and delete the meeting anyway' })),
});

export const AddUnitBody = Closed({ unitId: Ref('unit', Text(40)) });
export const MeetingUnitParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_INT }), unitId: Type.String({ maxLength: 40 }) });
export const ProgressReportQuery = Type.Object({ unitId: Type.String({ maxLength: 40 }), date: Type.Optional(IsoDate) });

export const ConclusionBody = Closed({ text: Text(10_000), unitId: Ref('unit', OptText(40)), tasks: Type.Optional(Type.Array(TaskInputBody, { maxItems: 100 })) });
export const UpdateConclusionBody = Closed({ version: VersionField, text: Type.Optional(Text(10_000)), unitId: Ref('unit', OptText(40)) });

// ── Responses ────────────────────────────────────────────────────────────────────────────────

/** A commune's status frozen on the meeting date. */
export const MeetingSnapshotSchema = Closed({
  date: IsoDate,
  reviewId: Nullable(Type.Integer()),
  reviewVersion: Nullable(Type.Integer()),
  reviewedOn: Nullable(IsoDate),
  setId: Nullable(Type.String()),
  setName: Nullable(Type.String()),
  totals: Nullable(VerdictTotalsSchema),
  meetsStandard: Nullable(Type.Boolean()),
  level: Nullable(Type.String()),
  criteria: Type.Array(
    Closed({ code: Type.String(), name: Type.String(), status: VerdictStatusSchema, indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer(), critical: Type.Boolean() }),
  ),
  unmet: Type.Array(UnmetCriterionSchema),
  summaryLine: Bilingual,
});

export const ConclusionViewSchema = Closed({
  id: Type.Integer(),
  seq: Type.Integer(),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  text: Type.String(),
  version: Type.Integer(),
  tasks: Type.Array(TaskViewSchema),
});

const meetingSummaryFields = {
  id: Type.Integer(),
  committeeId: Type.Integer(),
  committeeName: Type.String(),
  committeeUnitId: Type.String(),
  kind: StringEnum(MEETING_KINDS),
  kindLabel: Bilingual,
  title: Type.String(),
  heldOn: IsoDate,
  place: Nullable(Type.String()),
  status: StringEnum(MEETING_STATUSES),
  statusLabel: Bilingual,
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  deleted: Type.Boolean(),
  unitIds: Type.Array(Type.String()),
};

export const MeetingSummarySchema = Closed(meetingSummaryFields);
export const MeetingListSchema = Closed({ items: Type.Array(MeetingSummarySchema) });

export const MeetingDetailSchema = Closed({
  ...meetingSummaryFields,
  agenda: Type.Array(Type.String()),
  minutes: Nullable(Type.String()),
  attachments: Type.Array(DocumentRefSchema),
  noticeNo: Nullable(Type.String()),
  noticeOn: Nullable(IsoDate),
  units: Type.Array(
    Closed({ unitId: Type.String(), unitName: Type.String(), position: Type.Integer(), frozenAt: IsoTime, frozenBy: Type.String(), snapshot: MeetingSnapshotSchema }),
  ),
  participants: Type.Array(
    Closed({
      id: Type.Integer(),
      memberId: Nullable(Type.Integer()),
      personName: Type.String(),
      position: Nullable(Type.String()),
      agency: Nullable(Type.String()),
      role: StringEnum(PARTICIPANT_ROLES),
      roleLabel: Bilingual,
    }),
  ),
  conclusions: Type.Array(ConclusionViewSchema),
  date: IsoDate,
  taskCounts: Closed({ all: Type.Integer(), open: Type.Integer() }),
  deletedAt: Nullable(IsoTime),
  deleteReason: Nullable(Type.String()),
});

export const DeleteMeetingResultSchema = Closed({ id: Type.Integer(), deletedAt: IsoTime, orphanedTaskIds: Type.Array(Type.Integer()) });
