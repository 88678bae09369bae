/**
 * Hộp thư nhắc việc — the in-app inbox of a user, computed from tasks on read (assigned to you,
 * due in 7 days or less, overdue, returned to you, proposed complete for you to confirm) and the
 * recognition dossiers whose current step is theirs. "Today" is always passed in.
 */
import type { Db } from '../db/database.ts';
import * as tasks from '../db/task.repository.ts';
import { grantActiveOn, roleHas } from '../domain/policy.ts';
import { formatDateVi } from '../domain/dates.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf } from '../domain/input.ts';
import { toTaskViews, type TaskView } from './task.service.ts';
import { dossiersAwaiting, type DossierToDo } from './dossier.service.ts';

export type InboxKind = 'overdue' | 'due_soon' | 'returned' | 'proposed' | 'assigned';

const KIND_ORDER: readonly InboxKind[] = ['overdue', 'due_soon', 'returned', 'proposed', 'assigned'];

export const INBOX_KIND_LABELS: Readonly<Record<InboxKind, BilingualMessage>> = {
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  returned: { vi: 'Bị trả lại', en: 'Returned to you' },
  proposed: { vi: 'Đề nghị xác nhận hoàn thành', en: 'Proposed complete' },
  assigned: { vi: 'Mới được giao', en: 'Assigned to you' },
};

export interface InboxItem {
  key: string;
  kind: InboxKind;
  label: BilingualMessage;
  message: BilingualMessage;
  task: TaskView;
}

export interface Inbox {
  date: string;
  username: string;
  unitIds: string[];
  items: InboxItem[];
  counts: Record<InboxKind, number> & { all: number };
}

/** The signed-in user's inbox: their tasks, and the recognition dossiers waiting for them. */
export interface UserInbox extends Inbox {
  dossiers: DossierToDo[];
}

/** Who the inbox is for: an account, and the units whose tasks land with it. */
export interface InboxOwner {
  username: string;
  unitIds: readonly string[];
}

/** What an inbox item (and a reminder e-mail) says about a task. */
export function inboxMessage(kind: InboxKind, t: TaskView): BilingualMessage {
  switch (kind) {
    case 'overdue':
      return { vi: `Quá hạn ${-t.daysLeft} ngày (hạn ${formatDateVi(t.dueOn)}): ${t.title}`, en: `${-t.daysLeft} day(s) overdue (due ${t.dueOn}): ${t.title}` };
    case 'due_soon':
      return t.daysLeft === 0
        ? { vi: `Đến hạn hôm nay: ${t.title}`, en: `Due today: ${t.title}` }
        : { vi: `Còn ${t.daysLeft} ngày (hạn ${formatDateVi(t.dueOn)}): ${t.title}`, en: `${t.daysLeft} day(s) left (due ${t.dueOn}): ${t.title}` };
    case 'returned':
      return { vi: `Bị trả lại${t.statusReason ? ` (${t.statusReason})` : ''}: ${t.title}`, en: `Returned${t.statusReason ? ` (${t.statusReason})` : ''}: ${t.title}` };
    case 'proposed':
      return t.proposal.reason ?? { vi: t.title, en: t.title };
    case 'assigned':
      return { vi: `Nhiệm vụ mới, hạn ${formatDateVi(t.dueOn)}: ${t.title}`, en: `New task, due ${t.dueOn}: ${t.title}` };
  }
}

/** Inbox items of task views, most urgent first. */
export function inboxItems(views: readonly TaskView[]): InboxItem[] {
  const out: InboxItem[] = [];
  for (const t of views) {
    if (t.status !== 'new' && t.status !== 'in_progress') continue;
    const kinds: InboxKind[] = [];
    if (t.overdue) kinds.push('overdue');
    else if (t.dueSoon) kinds.push('due_soon');
    if (t.returnedAt && t.status === 'in_progress') kinds.push('returned');
    if (t.proposal.proposed) kinds.push('proposed');
    if (t.status === 'new' && kinds.length === 0) kinds.push('assigned');
    for (const k of kinds) out.push({ key: `${k}:${t.id}`, kind: k, label: INBOX_KIND_LABELS[k], message: inboxMessage(k, t), task: t });
  }
  return out.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.task.dueOn.localeCompare(b.task.dueOn) || a.task.id - b.task.id);
}

export async function inboxFor(db: Db, owner: InboxOwner, date?: string): Promise<Inbox> {
  const on = asOf(date);
  const rows = await tasks.listTasks(db.kysely, { assigneeUsername: owner.username, assigneeUnitIds: owner.unitIds, statuses: ['new', 'in_progress'] });
  const items = inboxItems(await toTaskViews(db.kysely, rows, on));
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, items.filter((i) => i.kind === k).length])) as Record<InboxKind, number>;
  return { date: on, username: owner.username, unitIds: [...owner.unitIds], items, counts: { ...counts, all: items.length } };
}

/**
 * The signed-in user's inbox: tasks assigned to their account and to the units they may report
 * progress for, and the dossiers whose current step is theirs (returned ones first).
 */
export async function getInbox(db: Db, actor: Actor, date?: string): Promise<UserInbox> {
  await authorize(db, actor, 'inbox.read', 'anywhere');
  const on = asOf(date);
  const p = actor.access?.principal;
  const username = p?.kind === 'user' ? p.username : actor.id;
  const unitIds = p?.kind === 'user' ? [...new Set(p.grants.filter((g) => g.unitId !== null && grantActiveOn(g, on) && roleHas(g.role, 'task.write')).map((g) => g.unitId!))] : [];
  return { ...(await inboxFor(db, { username, unitIds }, on)), dossiers: await dossiersAwaiting(db, actor, on) };
}

