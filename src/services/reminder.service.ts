/**
 * Nhắc việc — the daily reminder job (the inbox itself is inbox.service.ts): it records the
 * first day each open task was found overdue, logs reminders (one per task, recipient and day),
 * sends e-mail when SMTP is configured (on the milestones 7, 3, 1, 0 days
 * before the due date and weekly once overdue, so nobody is flooded), and a digest per committee
 * to its current members. "Today" is always passed in.
 */
import type { Db } from '../db/database.ts';
import type { TaskRow } from '../db/schema.ts';
import * as tasks from '../db/task.repository.ts';
import { listCommittees, listMembers } from '../db/committee.repository.ts';
import { emailsOfUsers, insertReminderOnce, setReminderStatus } from '../db/reminder.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { claimLease } from '../db/meta.repository.ts';
import { randomUUID } from 'node:crypto';
import { currentMembers } from '../domain/committee.ts';
import { formatDateVi } from '../domain/dates.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { asOf } from '../domain/input.ts';
import type { Mailer } from '../platform/mailer.ts';
import { toTaskViews, type TaskView } from './task.service.ts';
import { inboxMessage } from './inbox.service.ts';

// ── The daily job ─────────────────────────────────────────────────────────────────────────

export interface DigestResult {
  committeeId: number;
  committeeName: string;
  recipients: string[];
  subject: string;
  text: string;
}

export interface ReminderRunResult {
  date: string;
  /** Tasks found overdue for the first time today. */
  overdueMarked: number[];
  /** Reminder rows recorded today (inbox + e-mail), not counting repeats of an earlier run. */
  recorded: number;
  emailsSent: number;
  emailsFailed: number;
  digests: DigestResult[];
}

/** Days before the due date on which an e-mail reminder goes out; weekly once overdue. */
const EMAIL_DAYS_LEFT = new Set([7, 3, 1, 0]);

function emailDue(t: TaskView): boolean {
  if (t.overdue) return (-t.daysLeft - 1) % 7 === 0;
  return t.dueSoon && EMAIL_DAYS_LEFT.has(t.daysLeft);
}

function reminderText(t: TaskView, kind: 'overdue' | 'due_soon'): { subject: string; text: string } {
  const m = inboxMessage(kind, t);
  return {
    subject: `[Đạt Chuẩn] ${kind === 'overdue' ? 'Nhiệm vụ quá hạn' : 'Nhiệm vụ sắp đến hạn'}: ${t.title}`.slice(0, 200),
    text: [
      m.vi,
      '',
      `Xã/đơn vị: ${t.unitName}`,
      `Người/đơn vị thực hiện: ${t.assignee.name}`,
      `Thời hạn: ${formatDateVi(t.dueOn)} — tiến độ ${t.progress}%`,
      t.conclusionText ? `Kết luận số ${t.conclusionSeq}: ${t.conclusionText}` : '',
      t.meetingTitle ? `Cuộc họp: ${t.meetingTitle} (${formatDateVi(t.meetingOn!)})` : '',
      '',
      `(${m.en})`,
    ]
      .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
      .join('\n'),
  };
}

function digestText(name: string, date: string, views: TaskView[]): { subject: string; text: string } {
  const overdue = views.filter((t) => t.overdue);
  const soon = views.filter((t) => t.dueSoon);
  const proposed = views.filter((t) => t.proposal.proposed);
  const line = (t: TaskView) => `- ${t.unitName}: ${t.title} — ${t.assignee.name}, hạn ${formatDateVi(t.dueOn)}, ${t.progress}%`;
  const text = [
    `${name} — tình hình thực hiện kết luận, chỉ đạo ngày ${formatDateVi(date)}`,
    `Nhiệm vụ đang mở: ${views.length}; quá hạn: ${overdue.length}; sắp đến hạn (≤ 7 ngày): ${soon.length}; đề nghị xác nhận hoàn thành: ${proposed.length}.`,
    ...(overdue.length ? ['', 'QUÁ HẠN:', ...overdue.map(line)] : []),
    ...(soon.length ? ['', 'SẮP ĐẾN HẠN:', ...soon.map(line)] : []),
    ...(proposed.length ? ['', 'ĐỀ NGHỊ XÁC NHẬN HOÀN THÀNH:', ...proposed.map(line)] : []),
    '',
    `(Daily digest of ${views.length} open task(s): ${overdue.length} overdue, ${soon.length} due within 7 days, ${proposed.length} proposed complete.)`,
  ].join('\n');
  return { subject: `[Đạt Chuẩn] ${name}: ${overdue.length} quá hạn, ${soon.length} sắp đến hạn (${formatDateVi(date)})`.slice(0, 200), text };
}

async function deliver(
  db: Db,
  mailer: Mailer | null,
  row: { key: string; date: string; kind: string; recipient: string; email: string | null; taskId: number | null; committeeId: number | null; subject: string; text: string },
  result: ReminderRunResult,
): Promise<void> {
  const channel = row.email && mailer ? 'email' : 'inbox';
  const inserted = await insertReminderOnce(db.kysely, {
    dedupe_key: `${row.key}|${channel}`,
    run_on: row.date,
    kind: row.kind,
    channel,
    recipient: row.email && mailer ? row.email : row.recipient,
    task_id: row.taskId,
    committee_id: row.committeeId,
    status: channel === 'email' ? 'pending' : 'recorded',
    detail: row.subject,
    created_at: new Date().toISOString(),
  });
  if (!inserted) return;
  result.recorded++;
  if (channel !== 'email') return;
  try {
    await mailer!.send({ to: row.email!, subject: row.subject, text: row.text });
    await setReminderStatus(db.kysely, `${row.key}|${channel}`, 'sent', row.subject);
    result.emailsSent++;
  } catch (e) {
    await setReminderStatus(db.kysely, `${row.key}|${channel}`, 'failed', e instanceof Error ? e.message.slice(0, 500) : String(e));
    result.emailsFailed++;
  }
}

/**
 * The daily reminder run for `date`. Idempotent: running it twice on a day sends nothing twice.
 * `mailer` null: in-app only (the inbox is computed from tasks anyway; the log says what was due).
 */
export async function runReminders(db: Db, input: { date?: string; mailer?: Mailer | null }): Promise<ReminderRunResult> {
  const date = asOf(input.date);
  const mailer = input.mailer ?? null;
  const result: ReminderRunResult = { date, overdueMarked: [], recorded: 0, emailsSent: 0, emailsFailed: 0, digests: [] };
  const open: TaskRow[] = await tasks.listTasks(db.kysely, { statuses: ['new', 'in_progress'], limit: 100_000 });
  const views = await toTaskViews(db.kysely, open, date);
  const newlyOverdue = open.filter((r) => r.due_on < date && r.overdue_since === null).map((r) => r.id);
  if (newlyOverdue.length) {
    await db.kysely.transaction().execute(async (trx) => {
      await tasks.markOverdueSince(trx, newlyOverdue, date);
      await recordAudit(trx, SYSTEM_ACTOR, { action: 'task.overdue.record', entity: 'task', entityId: newlyOverdue.join(','), after: { date, taskIds: newlyOverdue } });
    });
    result.overdueMarked = newlyOverdue;
  }

  // Per task: the assignee's account (and the member's e-mail when the task names a member).
  const memberEmails = new Map<number, string>();
  const committees = await listCommittees(db.kysely, null);
  const members = await listMembers(
    db.kysely,
    committees.map((c) => c.id),
  );
  for (const m of members) if (m.email) memberEmails.set(m.id, m.email);
  const userEmails = await emailsOfUsers(db.kysely, [...views.map((t) => t.assignee.username).filter((u): u is string => !!u), ...members.map((m) => m.username).filter((u): u is string => !!u)]);
  for (const t of views) {
    if (!t.overdue && !t.dueSoon) continue;
    const kind = t.overdue ? 'overdue' : 'due_soon';
    // A commune merged away: its open work is reminded to the commune it became part of.
    const assigneeUnit = t.assignee.unitId !== null && t.assignee.unitId === t.unitId && t.mergedInto ? t.mergedInto.unitId : t.assignee.unitId;
    const recipient = t.assignee.username ?? (assigneeUnit ? `unit:${assigneeUnit}` : `name:${t.assignee.name}`);
    const email = (t.assignee.username ? userEmails.get(t.assignee.username) : undefined) ?? (t.assignee.memberId !== null ? memberEmails.get(t.assignee.memberId) : undefined) ?? null;
    const { subject, text } = reminderText(t, kind);
    await deliver(db, emailDue(t) ? mailer : null, { key: `${date}|${kind}|task:${t.id}|${recipient}`, date, kind, recipient, email, taskId: t.id, committeeId: t.committeeId, subject, text }, result);
  }

  // Daily digest per committee with open tasks, to its members on the day.
  for (const c of committees) {
    const mine = views.filter((t) => t.committeeId === c.id);
    if (mine.length === 0) continue;
    const { subject, text } = digestText(c.name, date, mine);
    const current = currentMembers(
      members.filter((m) => m.committee_id === c.id).map((m) => ({ ...m, role: m.role as 'head', joinedOn: m.joined_on, leftOn: m.left_on })),
      date,
    );
    const recipients: string[] = [];
    for (const m of current) {
      const email = m.email ?? (m.username ? (userEmails.get(m.username) ?? null) : null);
      const who = m.username ?? `member:${m.id}`;
      recipients.push(email ?? who);
      await deliver(db, mailer, { key: `${date}|digest|committee:${c.id}|${who}`, date, kind: 'digest', recipient: who, email, taskId: null, committeeId: c.id, subject, text }, result);
    }
    result.digests.push({ committeeId: c.id, committeeName: c.name, recipients, subject, text });
  }
  return result;
}

/**
 * Run the daily reminders once per Vietnamese calendar day while the server runs (checked every
 * `checkMinutes`): at start, then after midnight. Returns a stop function; errors are reported.
 */
export function startReminderScheduler(db: Db, mailer: Mailer | null, report: (msg: string, err?: unknown) => void, checkMinutes = 30, today: () => string = () => asOf(undefined)): () => void {
  let lastDay: string | null = null;
  let running = false;
  const holder = randomUUID();
  const tick = async () => {
    const day = today();
    if (running || day === lastDay) return;
    running = true;
    try {
      // One server of several sends a day's reminders (the lease outlives the day).
      if (!(await claimLease(db.kysely, `reminders:${day}`, holder, new Date(), 36 * 3600_000))) {
        lastDay = day;
        return;
      }
      const r = await runReminders(db, { date: day, mailer });
      lastDay = day;
      report(`reminders ${day}: ${r.overdueMarked.length} newly overdue, ${r.recorded} logged, ${r.emailsSent} e-mail(s) sent, ${r.digests.length} digest(s)`);
    } catch (e) {
      report('reminders failed', e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), checkMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
