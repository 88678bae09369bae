/**
 * Hộp thư nhắc việc — the in-app inbox of a user, computed from tasks on read (assigned to you,
 * due in 7 days or less, overdue, returned to you, proposed complete for you to confirm) and the
 * recognition dossiers whose current step is theirs. "Today" is always passed in.
 */
import type { Db } from '../db/database.ts';
import { listPredecessorsOfUnits } from '../db/unit.repository.ts';
import * as tasks from '../db/task.repository.ts';
import { grantActiveOn, roleHas } from '../domain/policy.ts';
import { formatDateVi } from '../domain/dates.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf } from '../domain/input.ts';
import { toTaskViews, type TaskView } from './task.service.ts';
import { rolesOf, today, toListItem, type DossierListItem, type Risk } from './dossier.service.ts';
import { listDossiers, lastTransitions } from '../db/dossier.repository.ts';
import { findUnits } from '../db/unit.repository.ts';
import { stepOf, type ProcedureId } from '../domain/dossier-workflow.ts';
import type { DossierRow } from '../db/schema.ts';
import { riskWatchOfCommunes, type RiskWatch } from './forecast.service.ts';
import { listCommunesUnder } from './unit.service.ts';

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
  /**
   * The risk watch (src/services/forecast.service.ts) of each province the user holds the province
   * office role on (and the provinces merged into it, while their lists are in force): recognised
   * communes near revocation and slipped indicators. Only provinces with something to report.
   */
  risks: RiskWatch[];
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
  // Open tasks of communes merged into the owner's land in the owner's inbox too (shown with their origin).
  const merged = (await listPredecessorsOfUnits(db.kysely, owner.unitIds)).map((p) => p.id);
  const rows = await tasks.listTasks(db.kysely, { assigneeUsername: owner.username, assigneeUnitIds: [...owner.unitIds, ...merged], statuses: ['new', 'in_progress'] });
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
  return { ...(await inboxFor(db, { username, unitIds }, on)), dossiers: await dossiersAwaiting(db, actor, on), risks: await provinceRisks(db, actor, on) };
}

/** The risk watch of the provinces where the actor is the province office (their own and the merged ones valid on the date). */
async function provinceRisks(db: Db, actor: Actor, on: string): Promise<RiskWatch[]> {
  const p = actor.access?.principal;
  if (p?.kind !== 'user') return [];
  const granted = [...new Set(p.grants.filter((g) => g.role === 'province_office' && g.unitId !== null && grantActiveOn(g, on)).map((g) => g.unitId!))];
  if (granted.length === 0) return [];
  const merged = (await listPredecessorsOfUnits(db.kysely, granted)).map((x) => x.id);
  const out: RiskWatch[] = [];
  for (const unitId of [...new Set([...granted, ...merged])]) {
    const units = await findUnits(db.kysely, [unitId]);
    const unit = units[0];
    if (!unit || unit.level !== 'province') continue;
    const communes = (await listCommunesUnder(db.kysely, unitId, on)).filter((c) => c.level === 'commune').map((c) => c.id);
    if (communes.length === 0) continue;
    const watch = await riskWatchOfCommunes(db, unitId, unit.fullName, communes, on);
    if (watch.counts.all > 0) out.push(watch);
  }
  return out;
}

// ── Dossiers waiting for the user ─────────────────────────────────────────────────────────

export interface DossierToDo {
  dossier: DossierListItem;
  /** Set when the dossier was sent back to this step, with the reasons given. */
  returned: { on: string; by: string; comment: string | null } | null;
  message: BilingualMessage;
}

function toDoMessage(d: DossierListItem, returned: DossierToDo['returned']): BilingualMessage {
  const what = { vi: `${d.levelName.vi} — ${d.unitName}`, en: `${d.levelName.en} — ${d.unitName}` };
  if (returned) {
    const why = returned.comment ? `: ${returned.comment}` : '';
    return { vi: `Hồ sơ ${what.vi} bị trả lại ngày ${formatDateVi(returned.on)}${why}`, en: `Dossier ${what.en} returned on ${returned.on}${why}` };
  }
  const due = d.dueOn ? { vi: `, hạn ${formatDateVi(d.dueOn)}`, en: `, due ${d.dueOn}` } : { vi: '', en: '' };
  return { vi: `Hồ sơ ${what.vi} chờ bước "${d.stateName.vi}"${due.vi}`, en: `Dossier ${what.en} awaits "${d.stateName.en}"${due.en}` };
}

const RISK_ORDER: Readonly<Record<Risk, number>> = { overdue: 0, at_risk: 1, ok: 2, none: 3 };

/**
 * Open dossiers whose current step the actor acts at — the step's role among the actor's roles on
 * the commune — returned ones and the most urgent first. Only for signed-in users and tokens.
 */
export async function dossiersAwaiting(db: Db, actor: Actor, on: string = today(actor)): Promise<DossierToDo[]> {
  if (!actor.access) return [];
  const open = await listDossiers(db.kysely, { open: true });
  const mine: DossierRow[] = [];
  for (const row of open) {
    const role = stepOf(row.procedure as ProcedureId, row.state)?.role;
    if (!role) continue;
    const roles = await rolesOf(db.kysely, actor, row.unit_id);
    if (roles !== 'trusted' && roles.includes(role)) mine.push(row);
  }
  const names = new Map((await findUnits(db.kysely, [...new Set(mine.map((r) => r.unit_id))])).map((u) => [u.id, u.fullName]));
  const last = await lastTransitions(
    db.kysely,
    mine.map((r) => r.id),
  );
  return mine
    .map((row) => {
      const d = toListItem(row, names.get(row.unit_id) ?? row.unit_id, on);
      const t = last.get(row.id);
      const returned = t && t.action === 'return' && t.to_state === row.state ? { on: t.on_date, by: t.actor, comment: t.comment } : null;
      return { dossier: d, returned, message: toDoMessage(d, returned) };
    })
    .sort((a, b) => Number(!!b.returned) - Number(!!a.returned) || RISK_ORDER[a.dossier.stepRisk] - RISK_ORDER[b.dossier.stepRisk] || (a.dossier.dueOn ?? '9').localeCompare(b.dossier.dueOn ?? '9') || a.dossier.id - b.dossier.id);
}
