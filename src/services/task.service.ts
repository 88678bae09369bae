/**
 * Nhiệm vụ — tasks born of a meeting's conclusions. Use cases: create (inside a conclusion),
 * edit, move through the status machine (start, complete, cancel, return, reopen), report
 * progress with evidence, comment, read one with its history, boards per unit and per assignee
 * (columns by status, overdue flagged for the date read), a committee's open directives across
 * communes.
 *
 * On every read, for the date asked (default today in Vietnam): an open task past its due date
 * shows as overdue; a task whose targeted indicators are all met in the commune's latest
 * submitted review shows `proposal.proposed = true` with the reason — the assignee confirms.
 *
 * Who may do what: defining a task (create, edit, cancel, return, reopen) is the committee's
 * (`committee.write` on the committee's unit); reporting progress and completing is the assignee's
 * (`task.write` on the assigned unit — a commune officer on their commune — or the assigned
 * person's own account), and the committee's.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CommitteeRow, ConclusionRow, Database, MeetingRow, TaskRow, TaskUpdateRow } from '../db/schema.ts';
import * as repo from '../db/task.repository.ts';
import { findCommittee, findCommittees, findMember } from '../db/committee.repository.ts';
import { findConclusion, findConclusions, findMeeting, findMeetings, listMeetingUnits } from '../db/meeting.repository.ts';
import { findEvaluation, findReview, latestSubmittedReviews } from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
import {
  ASSIGNEE_KIND_LABELS,
  SHOWN_TASK_STATUSES,
  TASK_PRIORITY_LABELS,
  TASK_STATUS_LABELS,
  allowedTransitions,
  completionProposal,
  daysUntil,
  effectiveStatus,
  isDueSoon,
  isOpenStatus,
  nextStatus,
  normaliseTargets,
  targetProblems,
  targetedIndicators,
  taskFieldProblems,
  transitionNeedsReason,
  type AssigneeKind,
  type CompletionProposal,
  type StoredTaskStatus,
  type TaskPriority,
  type TaskStatus,
  type TaskTargets,
  type TaskTransition,
} from '../domain/task.ts';
import { DomainError, notFound, type BilingualMessage, versionConflict } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import { assertNoProblems, fieldError, problem, type FieldProblem } from '../domain/field-error.ts';
import { allowed, authorize, assertCommitteeRead } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf, clean, cleanRefs, parseJson, type DocumentRef } from '../domain/input.ts';
import { listPredecessorsOfUnits, listSuccessorsOfUnits, unitNames } from '../db/unit.repository.ts';
import { evaluationOf, isFresh, verdictOfCached } from './evaluation.service.ts';
import { getUnit } from './unit.service.ts';

const TASK = { vi: 'Nhiệm vụ', en: 'task' };

// ── Views ─────────────────────────────────────────────────────────────────────────────────

export interface AssigneeView {
  kind: AssigneeKind;
  kindLabel: BilingualMessage;
  name: string;
  unitId: string | null;
  username: string | null;
  memberId: number | null;
}

/** A task as read on a date. */
export interface TaskView {
  id: number;
  meetingId: number | null;
  meetingTitle: string | null;
  meetingOn: string | null;
  conclusionId: number | null;
  conclusionSeq: number | null;
  conclusionText: string | null;
  committeeId: number | null;
  committeeName: string | null;
  /** The unit the task concerns (usually a commune). */
  unitId: string;
  unitName: string;
  /** Taken over after the 2025 merger: the commune the task concerned before (its history stays there too). */
  originUnit: { unitId: string; unitName: string } | null;
  /** The task's commune had been merged into this one by the date read: open work continues there (take it over or close it). */
  mergedInto: { unitId: string; unitName: string; on: string } | null;
  title: string;
  description: string | null;
  assignee: AssigneeView;
  setId: string | null;
  targets: TaskTargets;
  /** Targeted indicators, criteria expanded (codes). */
  targetIndicators: string[];
  dueOn: string;
  priority: TaskPriority;
  priorityLabel: BilingualMessage;
  /** Stored status. */
  status: StoredTaskStatus;
  /** What the task is on `date`: the stored status, or overdue. */
  shownStatus: TaskStatus;
  shownStatusLabel: BilingualMessage;
  overdue: boolean;
  dueSoon: boolean;
  /** Days from `date` to the due date (negative: late). */
  daysLeft: number;
  progress: number;
  completedOn: string | null;
  returnedAt: string | null;
  statusReason: string | null;
  overdueSince: string | null;
  /** Its meeting was deleted; the task stays. */
  orphaned: boolean;
  proposal: CompletionProposal;
  allowedTransitions: TaskTransition[];
  isDemo: boolean;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaskUpdateView {
  id: number;
  kind: 'created' | 'progress' | 'comment' | 'status' | 'edit';
  reportedOn: string;
  at: string;
  actor: string;
  progress: number | null;
  statusFrom: string | null;
  statusTo: string | null;
  text: string | null;
  evidence: DocumentRef[];
}

export interface TaskDetail extends TaskView {
  /** The reader may report progress (and evidence) now. allowedTransitions is also the reader's. */
  mayReport: boolean;
  date: string;
  updates: TaskUpdateView[];
}

function toUpdate(r: TaskUpdateRow): TaskUpdateView {
  return {
    id: r.id,
    kind: r.kind as TaskUpdateView['kind'],
    reportedOn: r.reported_on,
    at: r.at,
    actor: r.actor,
    progress: r.progress,
    statusFrom: r.status_from,
    statusTo: r.status_to,
    text: r.text,
    evidence: parseJson<DocumentRef[]>(r.evidence_json, []),
  };
}

/** The latest submitted review of each commune on `date`, with its verdict (for proposals). */
async function latestVerdicts(db: Kysely<Database>, unitIds: string[], date: string) {
  const out = new Map<string, { id: number; reviewedOn: string; setId: string; verdict: Awaited<ReturnType<typeof evaluationOf>> }>();
  const latest = await latestSubmittedReviews(db, [...new Set(unitIds)], date);
  for (const l of latest) {
    // The latest row says whether its cached evaluation is fresh (the usual case): then the cache
    // row alone gives the verdict, without reading the review again.
    const cached = isFresh({ review_version: l.ev_version, catalog_hash: l.catalog_hash }, l) ? await findEvaluation(db, l.review_id) : undefined;
    if (cached && isFresh(cached, l)) {
      out.set(l.unit_id, { id: l.review_id, reviewedOn: l.reviewed_on, setId: l.set_id, verdict: verdictOfCached(l, cached) });
      continue;
    }
    const row = await findReview(db, l.review_id);
    if (!row) continue;
    out.set(l.unit_id, { id: row.id, reviewedOn: row.reviewed_on, setId: row.set_id, verdict: await evaluationOf(db, row) });
  }
  return out;
}

function setOf(id: string | null): CriteriaSet | null {
  return id && getCatalog().has(id) ? getCatalog().get(id) : null;
}

/** Build the views of task rows as read on `date`. */
export async function toTaskViews(db: Kysely<Database>, rows: readonly TaskRow[], date: string): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const meetings = new Map<number, MeetingRow>((await findMeetings(db, rows.map((r) => r.meeting_id).filter((x): x is number => x !== null))).map((m) => [m.id, m]));
  const conclusions = new Map<number, ConclusionRow>((await findConclusions(db, rows.map((r) => r.conclusion_id).filter((x): x is number => x !== null))).map((c) => [c.id, c]));
  const committees = new Map<number, CommitteeRow>((await findCommittees(db, rows.map((r) => r.committee_id).filter((x): x is number => x !== null))).map((c) => [c.id, c]));
  const names = await unitNames(db, rows.flatMap((r) => [r.unit_id, r.assignee_unit_id, r.origin_unit_id]));
  const successors = new Map<string, { unitId: string; unitName: string; on: string }>();
  for (const l of await listSuccessorsOfUnits(db, rows.map((r) => r.unit_id))) if (l.effectiveOn <= date && !successors.has(l.predecessorId)) successors.set(l.predecessorId, { unitId: l.id, unitName: l.fullName, on: l.effectiveOn });
  const hasTargets = (r: TaskRow) => {
    const t = parseJson<Partial<TaskTargets>>(r.targets_json, {});
    return (t.criteria?.length ?? 0) + (t.indicators?.length ?? 0) > 0;
  };
  const needsProposal = rows.filter((r) => (r.status === 'new' || r.status === 'in_progress') && r.set_id && hasTargets(r));
  const verdicts = await latestVerdicts(
    db,
    needsProposal.map((r) => r.unit_id),
    date,
  );
  return rows.map((r) => {
    const m = r.meeting_id !== null ? meetings.get(r.meeting_id) : undefined;
    const c = r.conclusion_id !== null ? conclusions.get(r.conclusion_id) : undefined;
    const cm = r.committee_id !== null ? committees.get(r.committee_id) : undefined;
    const status = r.status as StoredTaskStatus;
    const targets = normaliseTargets(parseJson<TaskTargets>(r.targets_json, { criteria: [], indicators: [] }));
    const set = setOf(r.set_id);
    const shown = effectiveStatus(status, r.due_on, date);
    const kind = r.assignee_kind as AssigneeKind;
    const priority = r.priority as TaskPriority;
    return {
      id: r.id,
      meetingId: r.meeting_id,
      meetingTitle: m?.title ?? null,
      meetingOn: m?.held_on ?? null,
      conclusionId: r.conclusion_id,
      conclusionSeq: c?.seq ?? null,
      conclusionText: c?.text ?? null,
      committeeId: r.committee_id,
      committeeName: cm?.name ?? null,
      unitId: r.unit_id,
      unitName: names.get(r.unit_id) ?? r.unit_id,
      originUnit: r.origin_unit_id ? { unitId: r.origin_unit_id, unitName: names.get(r.origin_unit_id) ?? r.origin_unit_id } : null,
      mergedInto: successors.get(r.unit_id) ?? null,
      title: r.title,
      description: r.description,
      assignee: { kind, kindLabel: ASSIGNEE_KIND_LABELS[kind], name: r.assignee_name, unitId: r.assignee_unit_id, username: r.assignee_username, memberId: r.assignee_member_id },
      setId: r.set_id,
      targets,
      targetIndicators: set ? targetedIndicators(targets, set) : targets.indicators,
      dueOn: r.due_on,
      priority,
      priorityLabel: TASK_PRIORITY_LABELS[priority],
      status,
      shownStatus: shown,
      shownStatusLabel: TASK_STATUS_LABELS[shown],
      overdue: shown === 'overdue',
      dueSoon: isDueSoon(status, r.due_on, date),
      daysLeft: daysUntil(r.due_on, date),
      progress: r.progress,
      completedOn: r.completed_on,
      returnedAt: r.returned_at,
      statusReason: r.status_reason,
      overdueSince: r.overdue_since,
      orphaned: r.orphaned_at !== null,
      proposal: completionProposal({ status, setId: r.set_id, targets }, set, verdicts.get(r.unit_id) ?? null),
      allowedTransitions: allowedTransitions(status),
      isDemo: r.is_demo === 1,
      version: r.version,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

/** Tasks matching `q` that the actor may read, as read on `date`. */
export async function listTaskViews(db: Db, actor: Actor, q: repo.TaskQuery, date?: string): Promise<{ date: string; items: TaskView[] }> {
  const on = asOf(date);
  const rows = await repo.listTasks(db.kysely, q);
  const visible: TaskRow[] = [];
  for (const r of rows) if (await allowed(db, actor, 'task.read', r.unit_id)) visible.push(r);
  return { date: on, items: await toTaskViews(db.kysely, visible, on) };
}

async function loadTask(db: Kysely<Database>, id: number): Promise<TaskRow> {
  const t = await repo.findTask(db, id);
  if (!t) throw notFound('nhiệm vụ', 'Task', id);
  return t;
}

export async function getTask(db: Db, actor: Actor, id: number, date?: string): Promise<TaskDetail> {
  const t = await loadTask(db.kysely, id);
  await authorize(db, actor, 'task.read', t.unit_id);
  return detailOf(db, actor, t, date);
}

/**
 * A task with its history, as read on `date` (the caller has been authorised). `progress`: whether
 * the actor may report progress, when the caller has already asked (each question is asked once).
 */
async function detailOf(db: Db, actor: Actor, t: TaskRow, date?: string, progress?: boolean): Promise<TaskDetail> {
  const on = asOf(date);
  const [[view], updates] = await Promise.all([toTaskViews(db.kysely, [t], on), repo.listTaskUpdates(db.kysely, [t.id])]);
  // What this reader may do, so the page offers nothing that would answer 403.
  const mayProgressNow = progress ?? (await mayProgress(db, actor, t));
  const mayReport = isOpenStatus(t.status as StoredTaskStatus) && mayProgressNow;
  return { ...view!, allowedTransitions: await transitionsFor(db, actor, t, mayProgressNow), mayReport, date: on, updates: updates.map(toUpdate) };
}

// ── Boards ────────────────────────────────────────────────────────────────────────────────

export interface TaskBoard {
  date: string;
  /** What the board shows: a unit's tasks, an assignee's, a committee's, a meeting's. */
  scope: { unitId?: string; unitName?: string; assignee?: string; committeeId?: number; meetingId?: number };
  columns: Array<{ status: TaskStatus; label: BilingualMessage; tasks: TaskView[] }>;
  counts: Record<TaskStatus, number> & { all: number; proposed: number; dueSoon: number };
}

export interface BoardQuery {
  /** Tasks about this unit or assigned to it. */
  unitId?: string;
  /** Tasks assigned to this account (user name), or to this agency / person name. */
  assignee?: string;
  committeeId?: number;
  meetingId?: number;
  date?: string;
}

export async function getTaskBoard(db: Db, actor: Actor, q: BoardQuery): Promise<TaskBoard> {
  const scope: TaskBoard['scope'] = {};
  const query: repo.TaskQuery = {};
  if (q.unitId) {
    const unit = await getUnit(db.kysely, q.unitId);
    await authorize(db, actor, 'task.read', unit.id);
    query.unitIds = [unit.id];
    scope.unitId = unit.id;
    scope.unitName = unit.fullName;
  }
  if (q.assignee) {
    query.assigneeUsername = q.assignee;
    query.assigneeName = q.assignee;
    scope.assignee = q.assignee;
  }
  if (q.committeeId !== undefined) {
    query.committeeIds = [q.committeeId];
    scope.committeeId = q.committeeId;
  }
  if (q.meetingId !== undefined) {
    query.meetingId = q.meetingId;
    scope.meetingId = q.meetingId;
  }
  const { date, items } = await listTaskViews(db, actor, query, q.date);
  if (q.unitId) {
    // Open work of the communes merged into this one shows here, marked with its origin.
    const predecessors = (await listPredecessorsOfUnits(db.kysely, [q.unitId])).map((p) => p.id);
    if (predecessors.length > 0) {
      const inherited = await listTaskViews(db, actor, { ...query, unitIds: predecessors, statuses: ['new', 'in_progress'] }, date);
      const seen = new Set(items.map((t) => t.id));
      items.push(...inherited.items.filter((t) => !seen.has(t.id)));
    }
  }
  return boardOf(date, scope, items);
}

export function boardOf(date: string, scope: TaskBoard['scope'], items: TaskView[]): TaskBoard {
  const columns = SHOWN_TASK_STATUSES.map((s) => ({ status: s, label: TASK_STATUS_LABELS[s], tasks: items.filter((t) => t.shownStatus === s) }));
  const counts = Object.fromEntries(columns.map((c) => [c.status, c.tasks.length])) as Record<TaskStatus, number>;
  return {
    date,
    scope,
    columns,
    counts: { ...counts, all: items.length, proposed: items.filter((t) => t.proposal.proposed).length, dueSoon: items.filter((t) => t.dueSoon).length },
  };
}

export interface DirectiveGroup {
  unitId: string;
  unitName: string;
  conclusions: Array<{ conclusionId: number | null; seq: number | null; text: string | null; meetingId: number | null; meetingOn: string | null; tasks: TaskView[] }>;
}

/** Chỉ đạo chưa hoàn thành — a committee's open directives across communes, by commune and conclusion. */
export async function listOpenDirectives(db: Db, actor: Actor, committeeId: number, date?: string): Promise<{ date: string; committeeId: number; groups: DirectiveGroup[] }> {
  const c = await findCommittee(db.kysely, committeeId);
  if (!c) throw notFound('Ban Chỉ đạo', 'Steering committee', committeeId);
  await assertCommitteeRead(db, actor, c.unit_id);
  const { date: on, items } = await listTaskViews(db, actor, { committeeIds: [committeeId], statuses: ['new', 'in_progress'] }, date);
  const groups = new Map<string, DirectiveGroup>();
  for (const t of items) {
    let g = groups.get(t.unitId);
    if (!g) groups.set(t.unitId, (g = { unitId: t.unitId, unitName: t.unitName, conclusions: [] }));
    let k = g.conclusions.find((x) => x.conclusionId === t.conclusionId);
    if (!k) g.conclusions.push((k = { conclusionId: t.conclusionId, seq: t.conclusionSeq, text: t.conclusionText, meetingId: t.meetingId, meetingOn: t.meetingOn, tasks: [] }));
    k.tasks.push(t);
  }
  return { date: on, committeeId, groups: [...groups.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi')) };
}

// ── Writing ───────────────────────────────────────────────────────────────────────────────

export interface AssigneeInput {
  kind: AssigneeKind;
  name?: string | null;
  unitId?: string | null;
  username?: string | null;
  memberId?: number | null;
}

export interface TaskInput {
  /** Set by the conclusion it belongs to. */
  conclusionId?: number;
  /** The unit the task concerns; default the conclusion's, else an assigned unit. */
  unitId?: string | null;
  title: string;
  description?: string | null;
  assignee: AssigneeInput;
  targets?: Partial<TaskTargets> | null;
  dueOn: string;
  priority?: TaskPriority;
  isDemo?: boolean;
}

function prefixed(problems: FieldProblem[], prefix: string): FieldProblem[] {
  return prefix ? problems.map((p) => ({ ...p, field: `${prefix}${p.field}` })) : problems;
}

/** Fill an assignee's name and account from its unit or committee membership. */
async function resolveAssignee(db: Kysely<Database>, a: AssigneeInput | null | undefined, committeeId: number | null): Promise<AssigneeInput | null> {
  if (!a) return null;
  const out: AssigneeInput = { ...a, name: clean(a.name), username: clean(a.username) };
  if (a.kind === 'unit' && a.unitId) {
    const u = await getUnit(db, a.unitId);
    out.name ??= `UBND ${u.type.toLowerCase()} ${u.name}`;
  }
  if (a.memberId != null) {
    const m = await findMember(db, a.memberId);
    if (!m || (committeeId !== null && m.committee_id !== committeeId)) {
      throw fieldError([problem('assignee.memberId', `Thành viên ${a.memberId} không thuộc Ban Chỉ đạo này.`, `Member ${a.memberId} is not in this committee.`)]);
    }
    out.name ??= m.person_name;
    out.username ??= m.username;
  }
  return out;
}

/** The criteria set the task's targets refer to: the commune's as presented at the meeting, else its latest review. */
async function setForTask(db: Kysely<Database>, unitId: string, meeting: MeetingRow | null): Promise<string | null> {
  if (meeting) {
    const frozen = (await listMeetingUnits(db, [meeting.id])).find((u) => u.unit_id === unitId);
    if (frozen?.set_id) return frozen.set_id;
  }
  const latest = await latestSubmittedReviews(db, [unitId], meeting?.held_on ?? '9999-12-31');
  return latest[0]?.set_id ?? null;
}

/** Create a task inside the caller's transaction (a conclusion creates its tasks in one). */
export async function createTaskIn(db: Db, trx: Kysely<Database>, actor: Actor, input: TaskInput, fieldPrefix = ''): Promise<TaskRow> {
  if (input.conclusionId === undefined) throw fieldError([problem(`${fieldPrefix}conclusionId`, 'Nhiệm vụ phải thuộc một kết luận (trường "conclusionId").', 'A task belongs to a conclusion (field "conclusionId").')]);
  const conclusion = await findConclusion(trx, input.conclusionId);
  if (!conclusion) throw notFound('kết luận', 'Conclusion', input.conclusionId);
  const meeting = (await findMeeting(trx, conclusion.meeting_id))!;
  if (meeting.deleted_at) throw notFound('cuộc họp', 'Meeting', meeting.id);
  const committee = (await findCommittee(trx, meeting.committee_id))!;
  await authorize(trx, actor, 'committee.write', committee.unit_id);
  const assignee = await resolveAssignee(trx, input.assignee, committee.id);
  const problems = taskFieldProblems({ title: input.title, assignee, dueOn: input.dueOn, priority: input.priority ?? 'normal' }, { meetingOn: meeting.held_on, requireAll: true });
  const unitId = input.unitId ?? conclusion.unit_id ?? (assignee?.kind === 'unit' ? assignee.unitId : null) ?? null;
  if (!unitId) problems.push(problem('unitId', 'Cần cho biết nhiệm vụ thuộc về xã (đơn vị) nào (trường "unitId").', 'Say which commune (unit) the task is about (field "unitId").'));
  assertNoProblems(prefixed(problems, fieldPrefix));
  const unit = await getUnit(trx, unitId!);
  // The task is about this unit and lands in its lists: the committee's right must reach it too.
  await authorize(trx, actor, 'committee.write', unit.id);
  const targets = normaliseTargets(input.targets);
  const setId = await setForTask(trx, unit.id, meeting);
  const hasTargets = targets.criteria.length + targets.indicators.length > 0;
  if (hasTargets) {
    const set = setOf(setId);
    if (!set) {
      throw fieldError(
        prefixed([problem('targets', `${unit.fullName} chưa có bản rà soát đã nộp nên chưa xác định được bộ tiêu chí để gắn chỉ tiêu.`, `${unit.fullName} has no submitted review, so there is no criteria set to target.`)], fieldPrefix),
      );
    }
    assertNoProblems(prefixed(targetProblems(targets, set), fieldPrefix));
  }
  const at = new Date().toISOString();
  const row = await repo.insertTask(trx, {
    meeting_id: meeting.id,
    conclusion_id: conclusion.id,
    committee_id: committee.id,
    unit_id: unit.id,
    title: clean(input.title)!,
    description: clean(input.description),
    assignee_kind: assignee!.kind,
    assignee_name: assignee!.name!,
    assignee_unit_id: assignee!.kind === 'unit' ? (assignee!.unitId ?? null) : null,
    assignee_username: assignee!.username ?? null,
    assignee_member_id: assignee!.memberId ?? null,
    set_id: hasTargets ? setId : (setId ?? null),
    targets_json: JSON.stringify(targets),
    due_on: input.dueOn,
    priority: input.priority ?? 'normal',
    status: 'new',
    progress: 0,
    completed_on: null,
    completed_by: null,
    returned_at: null,
    returned_by: null,
    status_reason: null,
    overdue_since: null,
    orphaned_at: null,
    is_demo: input.isDemo || meeting.is_demo === 1 ? 1 : 0,
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  });
  await repo.insertTaskUpdate(trx, { task_id: row.id, kind: 'created', reported_on: meeting.held_on, at, actor: actor.id, progress: 0, status_from: null, status_to: 'new', text: null, evidence_json: null });
  await recordAudit(trx, actor, { action: 'task.create', entity: 'task', entityId: row.id, unitId: row.unit_id, after: row });
  return row;
}

export async function createTask(db: Db, actor: Actor, input: TaskInput & { conclusionId: number }, date?: string): Promise<TaskDetail> {
  // Every check runs before the insert; the answer shows what was written, read back without
  // asking again (a refusal after the commit would leave a task its author was told failed).
  const row = await db.kysely.transaction().execute((trx) => createTaskIn(db, trx, actor, input));
  return detailOf(db, actor, row, date);
}

async function committeeUnitOf(db: Kysely<Database>, t: TaskRow): Promise<string> {
  if (t.committee_id === null) return t.unit_id;
  return (await findCommittee(db, t.committee_id))?.unit_id ?? t.unit_id;
}

/**
 * May the actor report progress on / complete this task? Its assignee account, whoever may write
 * tasks of the assigned unit (or of the task's commune), or the committee.
 */
async function mayProgress(db: Db, actor: Actor, t: TaskRow): Promise<boolean> {
  if (!actor.access) return true;
  if (t.assignee_username && actor.access.principal.kind === 'user' && actor.access.principal.username === t.assignee_username) return true;
  const unit = t.assignee_kind === 'unit' && t.assignee_unit_id ? t.assignee_unit_id : t.unit_id;
  return (await allowed(db, actor, 'task.write', unit)) || (await allowed(db, actor, 'committee.write', await committeeUnitOf(db.kysely, t)));
}

async function assertMayProgress(db: Db, actor: Actor, t: TaskRow): Promise<void> {
  if (!(await mayProgress(db, actor, t))) await authorize(db, actor, 'committee.write', await committeeUnitOf(db.kysely, t));
}

/** The transitions this actor may make now: the task's rules, then who may make each (as transitionTask checks). */
async function transitionsFor(db: Db, actor: Actor, t: TaskRow, progress: boolean): Promise<TaskTransition[]> {
  const possible = allowedTransitions(t.status as StoredTaskStatus);
  // The committee's right is asked only when a transition needs it (a done task offers none).
  const committee = possible.some((tr) => tr !== 'start' && tr !== 'complete') && (await allowed(db, actor, 'committee.write', await committeeUnitOf(db.kysely, t)));
  return possible.filter((tr) => (tr === 'start' || tr === 'complete' ? progress : committee));
}

export interface TaskChanges {
  version: number;
  title?: string;
  description?: string | null;
  assignee?: AssigneeInput;
  targets?: Partial<TaskTargets>;
  dueOn?: string;
  priority?: TaskPriority;
}

export async function updateTask(db: Db, actor: Actor, id: number, input: TaskChanges, date?: string): Promise<TaskDetail> {
  const before = await loadTask(db.kysely, id);
  await authorize(db, actor, 'committee.write', await committeeUnitOf(db.kysely, before));
  const meeting = before.meeting_id !== null ? ((await findMeeting(db.kysely, before.meeting_id)) ?? null) : null;
  const assignee = input.assignee ? await resolveAssignee(db.kysely, input.assignee, before.committee_id) : undefined;
  const problems = taskFieldProblems({ title: input.title, assignee, dueOn: input.dueOn, priority: input.priority }, { meetingOn: meeting?.held_on ?? null, requireAll: false });
  const targets = input.targets ? normaliseTargets(input.targets) : undefined;
  if (targets && targets.criteria.length + targets.indicators.length > 0) {
    const set = setOf(before.set_id);
    if (!set) problems.push(problem('targets', 'Xã chưa có bản rà soát đã nộp nên chưa xác định được bộ tiêu chí để gắn chỉ tiêu.', 'The commune has no submitted review, so there is no criteria set to target.'));
    else problems.push(...targetProblems(targets, set));
  }
  assertNoProblems(problems);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      title: input.title === undefined ? before.title : clean(input.title)!,
      description: input.description === undefined ? before.description : clean(input.description),
      ...(assignee
        ? {
            assignee_kind: assignee.kind,
            assignee_name: assignee.name!,
            assignee_unit_id: assignee.kind === 'unit' ? (assignee.unitId ?? null) : null,
            assignee_username: assignee.username ?? null,
            assignee_member_id: assignee.memberId ?? null,
          }
        : {}),
      targets_json: targets ? JSON.stringify(targets) : before.targets_json,
      due_on: input.dueOn ?? before.due_on,
      // A new due date clears the overdue record (the daily job sets it again if still late).
      overdue_since: input.dueOn !== undefined && input.dueOn !== before.due_on ? null : before.overdue_since,
      priority: input.priority ?? before.priority,
      updated_at: at,
    };
    if (!(await repo.updateTask(trx, id, input.version, changes))) throw versionConflict(TASK, (await loadTask(trx, id)).version, input.version);
    const text = input.dueOn !== undefined && input.dueOn !== before.due_on ? `Thời hạn: ${before.due_on} → ${input.dueOn}` : null;
    await repo.insertTaskUpdate(trx, { task_id: id, kind: 'edit', reported_on: (date && isIsoDate(date) ? date : at.slice(0, 10)), at, actor: actor.id, progress: null, status_from: null, status_to: null, text, evidence_json: null });
    await recordAudit(trx, actor, { action: 'task.update', entity: 'task', entityId: id, unitId: before.unit_id, before, after: changes });
  });
  return getTask(db, actor, id, date);
}

export interface TransitionInput {
  version: number;
  transition: TaskTransition;
  /** Why (required to cancel or return). */
  reason?: string | null;
  evidence?: DocumentRef[];
  /** The day it happened (default today). */
  on?: string;
}

function reportedOn(on: string | undefined, field = 'on'): string {
  if (on === undefined) return asOf(undefined);
  if (!isIsoDate(on)) throw fieldError([problem(field, `Ngày "${on}" không hợp lệ (cần YYYY-MM-DD).`, `Date "${on}" is not a valid YYYY-MM-DD date.`)]);
  return on;
}

export async function transitionTask(db: Db, actor: Actor, id: number, input: TransitionInput, date?: string): Promise<TaskDetail> {
  const before = await loadTask(db.kysely, id);
  if (input.transition === 'start' || input.transition === 'complete') await assertMayProgress(db, actor, before);
  else await authorize(db, actor, 'committee.write', await committeeUnitOf(db.kysely, before));
  const to = nextStatus(before.status as StoredTaskStatus, input.transition);
  const reason = clean(input.reason);
  if (transitionNeedsReason(input.transition) && !reason) {
    throw fieldError([problem('reason', 'Hủy hoặc trả lại nhiệm vụ cần nêu lý do (trường "reason").', 'Cancelling or returning a task needs a reason (field "reason").')]);
  }
  const on = reportedOn(input.on);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      status: to,
      progress: to === 'done' ? 100 : before.progress,
      completed_on: to === 'done' ? on : to === 'in_progress' || to === 'new' ? null : before.completed_on,
      completed_by: to === 'done' ? actor.id : to === 'in_progress' || to === 'new' ? null : before.completed_by,
      returned_at: input.transition === 'return' ? at : before.returned_at,
      returned_by: input.transition === 'return' ? actor.id : before.returned_by,
      status_reason: reason ?? (input.transition === 'complete' || input.transition === 'start' ? null : before.status_reason),
      updated_at: at,
    };
    if (!(await repo.updateTask(trx, id, input.version, changes))) throw versionConflict(TASK, (await loadTask(trx, id)).version, input.version);
    await repo.insertTaskUpdate(trx, {
      task_id: id,
      kind: 'status',
      reported_on: on,
      at,
      actor: actor.id,
      progress: changes.progress,
      status_from: before.status,
      status_to: to,
      text: reason,
      evidence_json: input.evidence?.length ? JSON.stringify(cleanRefs(input.evidence)) : null,
    });
    await recordAudit(trx, actor, { action: `task.${input.transition}`, entity: 'task', entityId: id, unitId: before.unit_id, before: { status: before.status, version: before.version }, after: { ...changes, version: input.version + 1 } });
  });
  return getTask(db, actor, id, date);
}

export interface ProgressInput {
  version: number;
  /** 0–100. */
  progress?: number | null;
  text?: string | null;
  evidence?: DocumentRef[];
  on?: string;
}

/** Report progress (with evidence). A new task moves to "in progress". */
export async function reportProgress(db: Db, actor: Actor, id: number, input: ProgressInput, date?: string): Promise<TaskDetail> {
  const before = await loadTask(db.kysely, id);
  await assertMayProgress(db, actor, before);
  const status = before.status as StoredTaskStatus;
  if (status !== 'new' && status !== 'in_progress') {
    throw new DomainError('conflict', {
      vi: `Nhiệm vụ đang ở trạng thái "${TASK_STATUS_LABELS[status].vi}": không cập nhật tiến độ được nữa.`,
      en: `The task is "${TASK_STATUS_LABELS[status].en}": progress can no longer be reported.`,
    });
  }
  const text = clean(input.text);
  const problems = taskFieldProblems({ progress: input.progress ?? null }, { meetingOn: null, requireAll: false });
  if (input.progress == null && !text) problems.push(problem('text', 'Cập nhật tiến độ cần có tỷ lệ hoàn thành hoặc nội dung.', 'A progress update needs a percentage or a note.'));
  assertNoProblems(problems);
  const on = reportedOn(input.on);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = { status: status === 'new' ? 'in_progress' : status, progress: input.progress ?? before.progress, updated_at: at };
    if (!(await repo.updateTask(trx, id, input.version, changes))) throw versionConflict(TASK, (await loadTask(trx, id)).version, input.version);
    await repo.insertTaskUpdate(trx, {
      task_id: id,
      kind: 'progress',
      reported_on: on,
      at,
      actor: actor.id,
      progress: changes.progress,
      status_from: status,
      status_to: changes.status,
      text,
      evidence_json: input.evidence?.length ? JSON.stringify(cleanRefs(input.evidence)) : null,
    });
    await recordAudit(trx, actor, { action: 'task.progress', entity: 'task', entityId: id, unitId: before.unit_id, before: { progress: before.progress, status }, after: { ...changes, text } });
  });
  return getTask(db, actor, id, date);
}

/** A comment (ý kiến): append-only, does not change the task or its version. */
export async function addComment(db: Db, actor: Actor, id: number, input: { text: string }, date?: string): Promise<TaskDetail> {
  const t = await loadTask(db.kysely, id);
  await authorize(db, actor, 'task.read', t.unit_id);
  // Who may report progress may comment; so may the committee and whoever may write the task's unit.
  const progress = await mayProgress(db, actor, t);
  if (!progress && !(await allowed(db, actor, 'committee.write', await committeeUnitOf(db.kysely, t)))) await authorize(db, actor, 'task.write', t.unit_id);
  const text = clean(input.text);
  assertNoProblems(text ? [] : [problem('text', 'Ý kiến cần có nội dung (trường "text").', 'A comment needs its text (field "text").')]);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const u = await repo.insertTaskUpdate(trx, { task_id: id, kind: 'comment', reported_on: at.slice(0, 10), at, actor: actor.id, progress: null, status_from: null, status_to: null, text, evidence_json: null });
    await recordAudit(trx, actor, { action: 'task.comment', entity: 'task', entityId: id, unitId: t.unit_id, after: { updateId: u.id, text } });
  });
  // A comment leaves the task row as it was: answer from the row read above (authorised already),
  // with the new comment among the updates, without reading and authorising it again.
  return detailOf(db, actor, t, date, progress);
}
