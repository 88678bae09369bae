/**
 * Nhiệm vụ — a task born of a steering committee's conclusion: who does it, what it targets
 * (criteria / indicators of a commune's criteria set), by when. Pure rules, no I/O, no clock: the
 * date ("today") is always passed in.
 *
 * - The stored status is one of `new | in_progress | done | cancelled`. "Quá hạn" (overdue) is not
 *   stored: it is what an open task whose due date has passed *is* on a given day
 *   (`effectiveStatus`). A task due 30/9 is overdue on 1/10, not on 30/9.
 * - Transitions: start (new → in progress), complete (new | in progress → done), cancel (new | in
 *   progress → cancelled), return (done → in progress: the committee did not accept the result),
 *   reopen (cancelled → new). Anything else is refused naming the status.
 * - A task proposes its own completion when every indicator it targets is met (or not applicable)
 *   in the commune's latest submitted review; the assignee confirms.
 */
import type { CriteriaSet } from './criteria.ts';
import type { CommuneVerdict } from './evaluation.ts';
import { DomainError, type BilingualMessage } from './errors.ts';
import { daysUntil, formatDateVi, isIsoDate } from './dates.ts';
import { problem, type FieldProblem } from './field-error.ts';

/** Trạng thái lưu — the stored status of a task. */
export const TASK_STATUSES = ['new', 'in_progress', 'done', 'cancelled'] as const;
export type StoredTaskStatus = (typeof TASK_STATUSES)[number];
/** Trạng thái hiển thị — what a task is on a day: the stored status, or overdue. */
export type TaskStatus = StoredTaskStatus | 'overdue';
export const SHOWN_TASK_STATUSES: readonly TaskStatus[] = ['new', 'in_progress', 'overdue', 'done', 'cancelled'];

export const TASK_STATUS_LABELS: Readonly<Record<TaskStatus, BilingualMessage>> = {
  new: { vi: 'Mới', en: 'New' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  done: { vi: 'Hoàn thành', en: 'Done' },
  cancelled: { vi: 'Hủy', en: 'Cancelled' },
};

/** Mức độ ưu tiên. */
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export const TASK_PRIORITY_LABELS: Readonly<Record<TaskPriority, BilingualMessage>> = {
  low: { vi: 'Thấp', en: 'Low' },
  normal: { vi: 'Bình thường', en: 'Normal' },
  high: { vi: 'Cao', en: 'High' },
  urgent: { vi: 'Khẩn', en: 'Urgent' },
};

/** Đơn vị/người thực hiện — a unit (UBND xã), an agency (Phòng Nông nghiệp), or a person. */
export const ASSIGNEE_KINDS = ['unit', 'agency', 'person'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];
export const ASSIGNEE_KIND_LABELS: Readonly<Record<AssigneeKind, BilingualMessage>> = {
  unit: { vi: 'Đơn vị hành chính', en: 'Administrative unit' },
  agency: { vi: 'Cơ quan, phòng ban', en: 'Agency' },
  person: { vi: 'Cá nhân', en: 'Person' },
};

export interface Assignee {
  kind: AssigneeKind;
  /** Display name: "UBND xã Tràng An", "Phòng Nông nghiệp và PTNT", "Đ/c Nguyễn Văn A". */
  name: string;
  /** For `unit`: the unit id. */
  unitId?: string | null;
  /** The account that gets the task in its inbox, when known. */
  username?: string | null;
  /** For a committee member: the membership id. */
  memberId?: number | null;
}

/** Mục tiêu — criteria (all their indicators) and single indicators a task is meant to fix. */
export interface TaskTargets {
  criteria: string[];
  indicators: string[];
}

export const NO_TARGETS: TaskTargets = Object.freeze({ criteria: [], indicators: [] }) as TaskTargets;

export function isOpenStatus(s: StoredTaskStatus): boolean {
  return s === 'new' || s === 'in_progress';
}

/** What the task is on `today`: an open task past its due date is overdue. */
export function effectiveStatus(stored: StoredTaskStatus, dueOn: string, today: string): TaskStatus {
  return isOpenStatus(stored) && dueOn < today ? 'overdue' : stored;
}

/** Re-exported: callers of the task rules count days with it. */
export { daysUntil };

/** Open, not overdue, and due within `days` days (today included). */
export function isDueSoon(stored: StoredTaskStatus, dueOn: string, today: string, days = 7): boolean {
  if (!isOpenStatus(stored)) return false;
  const d = daysUntil(dueOn, today);
  return d >= 0 && d <= days;
}

// ── Transitions ──────────────────────────────────────────────────────────────────────────

export const TASK_TRANSITIONS = ['start', 'complete', 'cancel', 'return', 'reopen'] as const;
export type TaskTransition = (typeof TASK_TRANSITIONS)[number];

const TRANSITIONS: Readonly<Record<TaskTransition, { from: readonly StoredTaskStatus[]; to: StoredTaskStatus; label: BilingualMessage }>> = {
  start: { from: ['new'], to: 'in_progress', label: { vi: 'bắt đầu thực hiện', en: 'start' } },
  complete: { from: ['new', 'in_progress'], to: 'done', label: { vi: 'xác nhận hoàn thành', en: 'complete' } },
  cancel: { from: ['new', 'in_progress'], to: 'cancelled', label: { vi: 'hủy', en: 'cancel' } },
  return: { from: ['done'], to: 'in_progress', label: { vi: 'trả lại', en: 'return' } },
  reopen: { from: ['cancelled'], to: 'new', label: { vi: 'mở lại', en: 'reopen' } },
};

/** The status after `transition`, or a `conflict` naming the current status. */
export function nextStatus(from: StoredTaskStatus, transition: TaskTransition): StoredTaskStatus {
  const t = TRANSITIONS[transition];
  if (!t.from.includes(from)) {
    throw new DomainError(
      'conflict',
      {
        vi: `Không thể ${t.label.vi} nhiệm vụ đang ở trạng thái "${TASK_STATUS_LABELS[from].vi}".`,
        en: `Cannot ${t.label.en} a task whose status is "${TASK_STATUS_LABELS[from].en}".`,
      },
      { status: from, transition },
    );
  }
  return t.to;
}

/** Transitions allowed from a stored status (what the UI offers). */
export function allowedTransitions(from: StoredTaskStatus): TaskTransition[] {
  return TASK_TRANSITIONS.filter((t) => TRANSITIONS[t].from.includes(from));
}

/** Transitions that need a reason (cancel, return). */
export function transitionNeedsReason(t: TaskTransition): boolean {
  return t === 'cancel' || t === 'return';
}

// ── Validation ───────────────────────────────────────────────────────────────────────────

export interface TaskFields {
  title?: string | null;
  assignee?: { kind?: string | null; name?: string | null; unitId?: string | null } | null;
  dueOn?: string | null;
  priority?: string | null;
  progress?: number | null;
}

/**
 * Problems of a task's fields: a title, an assignee with a kind and a name (a unit for `unit`),
 * a real due date not before the meeting that decided the task.
 */
export function taskFieldProblems(t: TaskFields, ctx: { meetingOn: string | null; requireAll: boolean }): FieldProblem[] {
  const out: FieldProblem[] = [];
  const has = (k: keyof TaskFields) => t[k] !== undefined;
  if (ctx.requireAll || has('title')) {
    if (!t.title || !t.title.trim()) out.push(problem('title', 'Nhiệm vụ cần có nội dung (trường "title").', 'A task needs a title (field "title").'));
  }
  if (ctx.requireAll || has('assignee')) {
    const a = t.assignee;
    if (!a || !a.kind || !a.name || !a.name.trim()) {
      out.push(problem('assignee', 'Nhiệm vụ cần có đơn vị hoặc người thực hiện (trường "assignee": loại và tên).', 'A task needs an assignee (field "assignee": kind and name).'));
    } else if (!(ASSIGNEE_KINDS as readonly string[]).includes(a.kind)) {
      out.push(problem('assignee.kind', `Loại người thực hiện "${a.kind}" không hợp lệ (unit, agency, person).`, `Assignee kind "${a.kind}" is invalid (unit, agency, person).`));
    } else if (a.kind === 'unit' && !a.unitId) {
      out.push(problem('assignee.unitId', 'Giao cho đơn vị hành chính thì cần mã đơn vị (trường "assignee.unitId").', 'An administrative-unit assignee needs its unit id (field "assignee.unitId").'));
    }
  }
  if (ctx.requireAll || has('dueOn')) {
    if (!t.dueOn) {
      out.push(problem('dueOn', 'Nhiệm vụ cần có thời hạn hoàn thành (trường "dueOn").', 'A task needs a due date (field "dueOn").'));
    } else if (!isIsoDate(t.dueOn)) {
      out.push(problem('dueOn', `Thời hạn "${t.dueOn}" không hợp lệ (cần YYYY-MM-DD).`, `Due date "${t.dueOn}" is not a valid YYYY-MM-DD date.`));
    } else if (ctx.meetingOn && t.dueOn < ctx.meetingOn) {
      out.push(
        problem(
          'dueOn',
          `Thời hạn ${formatDateVi(t.dueOn)} trước ngày họp ${formatDateVi(ctx.meetingOn)}: thời hạn phải từ ngày họp trở đi.`,
          `Due date ${t.dueOn} is before the meeting on ${ctx.meetingOn}: it must be on or after the meeting date.`,
        ),
      );
    }
  }
  if (has('priority') && t.priority != null && !(TASK_PRIORITIES as readonly string[]).includes(t.priority)) {
    out.push(problem('priority', `Mức ưu tiên "${t.priority}" không hợp lệ (low, normal, high, urgent).`, `Priority "${t.priority}" is invalid (low, normal, high, urgent).`));
  }
  if (has('progress') && t.progress != null && (!Number.isInteger(t.progress) || t.progress < 0 || t.progress > 100)) {
    out.push(problem('progress', `Tiến độ ${t.progress}% không hợp lệ (số nguyên 0–100).`, `Progress ${t.progress}% is invalid (an integer 0–100).`));
  }
  return out;
}

/** Targets that are not codes of the set. */
export function targetProblems(targets: TaskTargets, set: CriteriaSet): FieldProblem[] {
  const out: FieldProblem[] = [];
  const criteria = new Set(set.criteria.map((c) => c.code));
  const indicators = new Set(set.criteria.flatMap((c) => c.indicators.map((i) => i.code)));
  for (const c of targets.criteria) {
    if (!criteria.has(c)) out.push(problem('targets.criteria', `Tiêu chí "${c}" không có trong bộ tiêu chí "${set.name}".`, `Criterion "${c}" is not in criteria set "${set.id}".`));
  }
  for (const i of targets.indicators) {
    if (!indicators.has(i)) out.push(problem('targets.indicators', `Chỉ tiêu "${i}" không có trong bộ tiêu chí "${set.name}".`, `Indicator "${i}" is not in criteria set "${set.id}".`));
  }
  return out;
}

/** Distinct, ordered target codes. */
export function normaliseTargets(t: Partial<TaskTargets> | null | undefined): TaskTargets {
  const uniq = (xs: readonly string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))];
  return { criteria: uniq(t?.criteria), indicators: uniq(t?.indicators) };
}

/** The indicator codes a task targets: its indicators plus every indicator of its criteria, in set order. */
export function targetedIndicators(targets: TaskTargets, set: CriteriaSet): string[] {
  const criteria = new Set(targets.criteria);
  const explicit = new Set(targets.indicators);
  return set.criteria.flatMap((c) => c.indicators.filter((i) => criteria.has(c.code) || explicit.has(i.code)).map((i) => i.code));
}

// ── Completion proposal ─────────────────────────────────────────────────────────────────

/** Đề xuất hoàn thành — whether the latest review shows the targets met. */
export interface CompletionProposal {
  proposed: boolean;
  reason: BilingualMessage | null;
  /** The review the proposal reads, if any. */
  reviewId: number | null;
  reviewedOn: string | null;
  /** Targeted indicators met (or not applicable) / still not met in that review. */
  met: string[];
  remaining: string[];
}

export interface ReviewVerdictRef {
  id: number;
  reviewedOn: string;
  setId: string;
  verdict: CommuneVerdict;
}

const NOT_PROPOSED = (review: ReviewVerdictRef | null, met: string[] = [], remaining: string[] = []): CompletionProposal => ({
  proposed: false,
  reason: null,
  reviewId: review?.id ?? null,
  reviewedOn: review?.reviewedOn ?? null,
  met,
  remaining,
});

/**
 * Does the task propose its completion? Only an open task with targets, read against the commune's
 * latest submitted review in the same criteria set: proposed when every targeted indicator is met
 * (not-applicable ones do not block, but at least one must be met).
 */
export function completionProposal(
  task: { status: StoredTaskStatus; setId: string | null; targets: TaskTargets },
  set: CriteriaSet | null,
  review: ReviewVerdictRef | null,
): CompletionProposal {
  if (!isOpenStatus(task.status) || !set || !task.setId) return NOT_PROPOSED(review);
  const codes = targetedIndicators(task.targets, set);
  if (codes.length === 0 || !review || review.setId !== task.setId) return NOT_PROPOSED(review, [], codes);
  const status = new Map(review.verdict.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i.status] as const)));
  const met = codes.filter((c) => status.get(c) === 'met' || status.get(c) === 'not_applicable');
  const remaining = codes.filter((c) => !met.includes(c));
  const anyMet = codes.some((c) => status.get(c) === 'met');
  if (remaining.length > 0 || !anyMet) return NOT_PROPOSED(review, met, remaining);
  const list = codes.length <= 6 ? ` (${codes.join(', ')})` : '';
  return {
    proposed: true,
    reason: {
      vi: `Bản rà soát ngày ${formatDateVi(review.reviewedOn)}: cả ${codes.length} chỉ tiêu nhiệm vụ hướng tới đã đạt${list}. Đề nghị xác nhận hoàn thành.`,
      en: `Review of ${review.reviewedOn}: all ${codes.length} targeted indicators are met${list}. Please confirm completion.`,
    },
    reviewId: review.id,
    reviewedOn: review.reviewedOn,
    met,
    remaining: [],
  };
}
