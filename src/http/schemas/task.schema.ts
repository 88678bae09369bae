/** Tasks (nhiệm vụ) from meeting conclusions: boards, one task with its history, status changes, progress, comments; a committee's open directives. */
import { Type } from 'typebox';
import { Bilingual, Closed, DocumentRefSchema, IsoDate, IsoTime, NotRef, Nullable, OptText, Ref, StringEnum, Text, VersionField } from './common.schema.ts';
import { ASSIGNEE_KINDS, SHOWN_TASK_STATUSES, TASK_PRIORITIES, TASK_STATUSES, TASK_TRANSITIONS } from '../../domain/task.ts';

const AssigneeBody = Closed({
  kind: Type.Union([Type.Literal('unit'), Type.Literal('agency'), Type.Literal('person')]),
  name: OptText(300),
  unitId: Ref('unit', OptText(40)),
  username: Ref('user', OptText(100)),
  memberId: Type.Optional(Ref('member', Nullable(Type.Integer({ minimum: 1 })))),
});
const TargetsBody = Closed({ criteria: Type.Optional(Type.Array(Text(10), { maxItems: 50 })), indicators: Type.Optional(Type.Array(Text(20), { maxItems: 200 })) });
const Priority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);

/** Assignee and due date are required, but checked by the service so the refusal names them in both languages. */
const taskInputFields = {
  unitId: Ref('unit', OptText(40)),
  title: Text(1000),
  description: OptText(10_000),
  assignee: Type.Optional(Nullable(AssigneeBody)),
  targets: Type.Optional(Nullable(TargetsBody)),
  dueOn: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  priority: Type.Optional(Priority),
};
export const TaskInputBody = Closed(taskInputFields);

export const CreateTaskBody = Closed({ conclusionId: Ref('conclusion', Type.Integer({ minimum: 1 })), ...taskInputFields });

export const UpdateTaskBody = Closed({
  version: VersionField,
  title: Type.Optional(Text(1000)),
  description: OptText(10_000),
  assignee: Type.Optional(AssigneeBody),
  targets: Type.Optional(TargetsBody),
  dueOn: Type.Optional(IsoDate),
  priority: Type.Optional(Priority),
});

export const TransitionBody = Closed({
  version: VersionField,
  transition: Type.Union([Type.Literal('start'), Type.Literal('complete'), Type.Literal('cancel'), Type.Literal('return'), Type.Literal('reopen')]),
  reason: OptText(2000),
  evidence: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 20 })),
  on: Type.Optional(IsoDate),
});

export const ProgressBody = Closed({
  version: VersionField,
  progress: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100 }))),
  text: OptText(5000),
  evidence: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 20 })),
  on: Type.Optional(IsoDate),
});

export const CommentBody = Closed({ text: Text(5000) });

export const BoardQuery = Type.Object({
  unitId: Type.Optional(Text(40)),
  assignee: Type.Optional(Text(300)),
  committeeId: Type.Optional(Type.Integer({ minimum: 1 })),
  meetingId: Type.Optional(Type.Integer({ minimum: 1 })),
  date: Type.Optional(IsoDate),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

const ShownStatus = StringEnum(SHOWN_TASK_STATUSES);

export const TaskViewSchema = Closed({
  id: Type.Integer(),
  meetingId: Nullable(Type.Integer()),
  meetingTitle: Nullable(Type.String()),
  meetingOn: Nullable(IsoDate),
  conclusionId: Nullable(Type.Integer()),
  conclusionSeq: Nullable(Type.Integer()),
  conclusionText: Nullable(Type.String()),
  committeeId: Nullable(Type.Integer()),
  committeeName: Nullable(Type.String()),
  unitId: Type.String(),
  unitName: Type.String(),
  originUnit: Nullable(Closed({ unitId: Type.String(), unitName: Type.String() }, { description: 'taken over after the 2025 merger from this commune' })),
  mergedInto: Nullable(Closed({ unitId: Type.String(), unitName: Type.String(), on: IsoDate }, { description: 'the commune was merged into this one: open work continues there' })),
  title: Type.String(),
  description: Nullable(Type.String()),
  assignee: Closed({
    kind: StringEnum(ASSIGNEE_KINDS),
    kindLabel: Bilingual,
    name: Type.String(),
    unitId: Nullable(Type.String()),
    username: Nullable(Type.String()),
    memberId: Nullable(Type.Integer()),
  }),
  setId: Nullable(Type.String()),
  targets: Closed({ criteria: Type.Array(Type.String()), indicators: Type.Array(Type.String()) }),
  targetIndicators: Type.Array(Type.String(), { description: 'targeted indicators, criteria expanded' }),
  dueOn: IsoDate,
  priority: StringEnum(TASK_PRIORITIES),
  priorityLabel: Bilingual,
  status: StringEnum(TASK_STATUSES, { description: 'the stored status' }),
  shownStatus: ShownStatus,
  shownStatusLabel: Bilingual,
  overdue: Type.Boolean(),
  dueSoon: Type.Boolean(),
  daysLeft: Type.Integer({ description: 'days from the date read to the due date (negative: late)' }),
  progress: Type.Integer(),
  completedOn: Nullable(IsoDate),
  returnedAt: Nullable(IsoTime),
  statusReason: Nullable(Type.String()),
  overdueSince: Nullable(IsoDate),
  orphaned: Type.Boolean({ description: 'its meeting was deleted; the task stays' }),
  proposal: Closed({
    proposed: Type.Boolean(),
    reason: Nullable(Bilingual),
    reviewId: Nullable(Type.Integer()),
    reviewedOn: Nullable(IsoDate),
    met: Type.Array(Type.String()),
    remaining: Type.Array(Type.String()),
  }),
  allowedTransitions: Type.Array(StringEnum(TASK_TRANSITIONS)),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const TaskUpdateSchema = Closed({
  id: Type.Integer(),
  kind: StringEnum(['created', 'progress', 'comment', 'status', 'edit']),
  reportedOn: IsoDate,
  at: IsoTime,
  actor: Type.String(),
  progress: Nullable(Type.Integer()),
  statusFrom: Nullable(Type.String()),
  statusTo: Nullable(Type.String()),
  text: Nullable(Type.String()),
  evidence: Type.Array(DocumentRefSchema),
});

/** A task on the date, with every update. */
export const TaskDetailSchema = Closed({
  ...TaskViewSchema.properties,
  allowedTransitions: Type.Array(StringEnum(TASK_TRANSITIONS), { description: 'the transitions the reader may make now' }),
  mayReport: Type.Boolean({ description: 'the reader may report progress now' }),
  date: IsoDate,
  updates: Type.Array(TaskUpdateSchema),
});

export const TaskBoardSchema = Closed({
  date: IsoDate,
  scope: Closed({
    unitId: Type.Optional(Type.String()),
    unitName: Type.Optional(Type.String()),
    assignee: Type.Optional(Type.String()),
    committeeId: Type.Optional(Type.Integer()),
    meetingId: Type.Optional(Type.Integer()),
  }),
  columns: Type.Array(Closed({ status: ShownStatus, label: Bilingual, tasks: Type.Array(TaskViewSchema) })),
  counts: Closed({
    new: Type.Integer(),
    in_progress: Type.Integer(),
    overdue: Type.Integer(),
    done: Type.Integer(),
    cancelled: Type.Integer(),
    all: Type.Integer(),
    proposed: Type.Integer(),
    dueSoon: Type.Integer(),
  }),
});

export const DirectiveGroupSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  conclusions: Type.Array(
    Closed({
      conclusionId: Nullable(Type.Integer()),
      seq: Nullable(Type.Integer()),
      text: Nullable(Type.String()),
      meetingId: Nullable(Type.Integer()),
      meetingOn: Nullable(IsoDate),
      tasks: Type.Array(TaskViewSchema),
    }),
  ),
});

/** A committee's open directives, by commune. */
export const DirectivesSchema = Closed({ date: IsoDate, committeeId: Type.Integer(), groups: Type.Array(DirectiveGroupSchema) });

/** Settle the open work of communes merged into the unit: take it over or close it as no longer relevant, in bulk. */
export const MergedWorkBody = Closed({
  action: StringEnum(['take_over', 'close_obsolete']),
  tasks: Type.Array(
    Closed({
      id: NotRef(Type.Integer({ minimum: 1 }), "a task of a commune merged into the path's unit: the use case checks it against the lineage (the successor's officers may not write the old commune's tasks otherwise)"),
      version: Type.Integer({ minimum: 1 }),
    }),
    { minItems: 1, maxItems: 500 },
  ),
  reason: Text(2000),
});
