/**
 * Ban Chỉ đạo — steering committees of a unit for a period, and their members over time.
 * Use cases: list (for a unit: its own and its ancestors' committees), read with membership
 * history, create, edit (optimistic lock), add a member, edit or end a membership. A change of
 * role is recorded as the end of one membership and the start of another, so history stays.
 */
import type { Db } from '../db/database.ts';
import type { CommitteeMemberRow, CommitteeRow } from '../db/schema.ts';
import * as repo from '../db/committee.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import {
  MEMBER_ROLE_LABELS,
  activeOn,
  currentMembers,
  membershipProblems,
  type MemberRole,
  type Membership,
} from '../domain/committee.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import { notFound, versionConflict } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import { assertNoProblems, problem, type FieldProblem } from '../domain/field-error.ts';
import { allowed, authorize, assertCommitteeRead } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf, clean, parseJson } from '../domain/input.ts';
import { unitNames } from '../db/unit.repository.ts';
import { getUnit } from './unit.service.ts';

const COMMITTEE = { vi: 'Ban Chỉ đạo', en: 'steering committee' };
const MEMBERSHIP = { vi: 'Thông tin thành viên', en: 'membership' };

/** Thành viên Ban Chỉ đạo — one membership. */
export interface CommitteeMember {
  id: number;
  committeeId: number;
  personName: string;
  /** Chức vụ: "Bí thư Huyện ủy", "Chủ tịch UBND xã". */
  position: string | null;
  agency: string | null;
  role: MemberRole;
  roleLabel: BilingualMessage;
  /** Criteria the member is responsible for (codes). */
  criteria: string[];
  username: string | null;
  /** Only for those who may edit the committee. */
  email: string | null;
  joinedOn: string;
  leftOn: string | null;
  leftReason: string | null;
  /** Current on the date of the read. */
  active: boolean;
  version: number;
}

export interface CommitteeSummary {
  id: number;
  unitId: string;
  unitName: string;
  name: string;
  decisionNo: string | null;
  periodFrom: string;
  periodTo: string | null;
  note: string | null;
  isDemo: boolean;
  version: number;
  /** Head on the date of the read. */
  head: string | null;
  memberCount: number;
}

export interface CommitteeDetail extends CommitteeSummary {
  date: string;
  /** Members on the date, heads first. */
  members: CommitteeMember[];
  /** Every membership ever, by joining date. */
  history: CommitteeMember[];
}

function toMember(r: CommitteeMemberRow, date: string, showEmail: boolean): CommitteeMember {
  const role = r.role as MemberRole;
  return {
    id: r.id,
    committeeId: r.committee_id,
    personName: r.person_name,
    position: r.position,
    agency: r.agency,
    role,
    roleLabel: MEMBER_ROLE_LABELS[role],
    criteria: parseJson<string[]>(r.criteria_json, []),
    username: r.username,
    email: showEmail ? r.email : null,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    leftReason: r.left_reason,
    active: activeOn({ joinedOn: r.joined_on, leftOn: r.left_on }, date),
    version: r.version,
  };
}

function asMembership(r: CommitteeMemberRow): Membership {
  return { id: r.id, personName: r.person_name, role: r.role as MemberRole, joinedOn: r.joined_on, leftOn: r.left_on };
}

function summary(c: CommitteeRow, unitName: string, members: CommitteeMemberRow[], date: string): CommitteeSummary {
  const current = currentMembers(members.map(asMembership), date);
  return {
    id: c.id,
    unitId: c.unit_id,
    unitName,
    name: c.name,
    decisionNo: c.decision_no,
    periodFrom: c.period_from,
    periodTo: c.period_to,
    note: c.note,
    isDemo: c.is_demo === 1,
    version: c.version,
    head: current.find((m) => m.role === 'head')?.personName ?? null,
    memberCount: current.length,
  };
}

export async function loadCommittee(db: Db['kysely'], id: number): Promise<CommitteeRow> {
  const c = await repo.findCommittee(db, id);
  if (!c) throw notFound('Ban Chỉ đạo', 'Steering committee', id);
  return c;
}

/** Committees of a unit and of the units above it (a commune is steered by its district's), or all. */
export async function listCommittees(db: Db, actor: Actor, q: { unitId?: string; date?: string }): Promise<CommitteeSummary[]> {
  const date = asOf(q.date);
  let unitIds: string[] | null = null;
  if (q.unitId) {
    const unit = await getUnit(db.kysely, q.unitId);
    unitIds = [unit.id, ...unit.parents.map((p) => p.id)];
  }
  if (q.unitId) await authorize(db, actor, 'committee.read', q.unitId);
  const rows = await repo.listCommittees(db.kysely, unitIds);
  const visible: CommitteeRow[] = [];
  // The committees steering a unit the actor reads are visible with it.
  for (const r of rows) if (q.unitId || (await allowed(db, actor, 'committee.read', r.unit_id))) visible.push(r);
  const members = await repo.listMembers(
    db.kysely,
    visible.map((c) => c.id),
  );
  const names = await unitNames(
    db.kysely,
    visible.map((c) => c.unit_id),
  );
  return visible.map((c) =>
    summary(
      c,
      names.get(c.unit_id) ?? c.unit_id,
      members.filter((m) => m.committee_id === c.id),
      date,
    ),
  );
}

export async function getCommittee(db: Db, actor: Actor, id: number, date?: string): Promise<CommitteeDetail> {
  const on = asOf(date);
  const c = await loadCommittee(db.kysely, id);
  await assertCommitteeRead(db, actor, c.unit_id);
  const showEmail = await allowed(db, actor, 'committee.write', c.unit_id);
  const members = await repo.listMembers(db.kysely, [c.id]);
  const unit = await getUnit(db.kysely, c.unit_id);
  const all = members.map((m) => toMember(m, on, showEmail));
  return {
    ...summary(c, unit.fullName, members, on),
    date: on,
    members: currentMembers(all, on),
    history: all,
  };
}

export interface CommitteeInput {
  unitId: string;
  name: string;
  decisionNo?: string | null;
  periodFrom: string;
  periodTo?: string | null;
  note?: string | null;
  isDemo?: boolean;
}

function periodProblems(from: string | undefined, to: string | null | undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (from !== undefined && !isIsoDate(from)) out.push(problem('periodFrom', `Ngày bắt đầu nhiệm kỳ "${from}" không hợp lệ (cần YYYY-MM-DD).`, `Period start "${from}" is not a valid YYYY-MM-DD date.`));
  if (to != null && (!isIsoDate(to) || (from !== undefined && to < from))) {
    out.push(problem('periodTo', 'Ngày kết thúc nhiệm kỳ phải là ngày hợp lệ, sau ngày bắt đầu.', 'The period end must be a valid date after its start.'));
  }
  return out;
}

export async function createCommittee(db: Db, actor: Actor, input: CommitteeInput): Promise<CommitteeDetail> {
  const unit = await getUnit(db.kysely, input.unitId);
  await authorize(db, actor, 'committee.write', unit.id);
  const name = clean(input.name);
  assertNoProblems([
    ...(name ? [] : [problem('name', 'Ban Chỉ đạo cần có tên (trường "name").', 'A committee needs a name (field "name").')]),
    ...periodProblems(input.periodFrom, input.periodTo),
  ]);
  const at = new Date().toISOString();
  const row = await db.kysely.transaction().execute(async (trx) => {
    const c = await repo.insertCommittee(trx, {
      unit_id: unit.id,
      name: name!,
      decision_no: clean(input.decisionNo),
      period_from: input.periodFrom,
      period_to: input.periodTo ?? null,
      note: clean(input.note),
      is_demo: input.isDemo ? 1 : 0,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'committee.create', entity: 'committee', entityId: c.id, unitId: c.unit_id, after: c });
    return c;
  });
  return getCommittee(db, actor, row.id, input.periodFrom);
}

export interface CommitteeChanges {
  version: number;
  name?: string;
  decisionNo?: string | null;
  periodFrom?: string;
  periodTo?: string | null;
  note?: string | null;
}

export async function updateCommittee(db: Db, actor: Actor, id: number, input: CommitteeChanges): Promise<CommitteeDetail> {
  const before = await loadCommittee(db.kysely, id);
  await authorize(db, actor, 'committee.write', before.unit_id);
  const from = input.periodFrom ?? before.period_from;
  const to = input.periodTo === undefined ? before.period_to : input.periodTo;
  const name = input.name === undefined ? before.name : clean(input.name);
  assertNoProblems([...(name ? [] : [problem('name', 'Ban Chỉ đạo cần có tên (trường "name").', 'A committee needs a name (field "name").')]), ...periodProblems(from, to)]);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      name: name!,
      decision_no: input.decisionNo === undefined ? before.decision_no : clean(input.decisionNo),
      period_from: from,
      period_to: to,
      note: input.note === undefined ? before.note : clean(input.note),
      updated_at: at,
    };
    if (!(await repo.updateCommittee(trx, id, input.version, changes))) throw versionConflict(COMMITTEE, (await loadCommittee(trx, id)).version, input.version);
    await recordAudit(trx, actor, { action: 'committee.update', entity: 'committee', entityId: id, unitId: before.unit_id, before, after: changes });
  });
  return getCommittee(db, actor, id);
}

export interface MemberInput {
  personName: string;
  position?: string | null;
  agency?: string | null;
  role: MemberRole;
  criteria?: string[];
  username?: string | null;
  email?: string | null;
  joinedOn: string;
  leftOn?: string | null;
}

/** Criteria codes a member may own: those of any set in the catalogue ("5", "17"). */
function criteriaProblems(codes: readonly string[]): FieldProblem[] {
  const known = new Set(getCatalog().list().flatMap((s) => getCatalog().get(s.id).criteria.map((c) => c.code)));
  return codes.filter((c) => !known.has(c)).map((c) => problem('criteria', `Tiêu chí "${c}" không có trong bộ tiêu chí nào.`, `Criterion "${c}" is in no criteria set.`));
}

function emailProblems(email: string | null | undefined): FieldProblem[] {
  if (email == null || email === '') return [];
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? [] : [problem('email', `Địa chỉ thư "${email}" không hợp lệ.`, `E-mail address "${email}" is invalid.`)];
}

export async function addMember(db: Db, actor: Actor, committeeId: number, input: MemberInput): Promise<CommitteeDetail> {
  const c = await loadCommittee(db.kysely, committeeId);
  await authorize(db, actor, 'committee.write', c.unit_id);
  const criteria = [...new Set((input.criteria ?? []).map((x) => x.trim()).filter(Boolean))];
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const others = (await repo.listMembers(trx, [c.id])).map(asMembership);
    assertNoProblems([
      ...membershipProblems(input, others, { periodFrom: c.period_from, periodTo: c.period_to }),
      ...criteriaProblems(criteria),
      ...emailProblems(input.email),
    ]);
    const m = await repo.insertMember(trx, {
      committee_id: c.id,
      person_name: clean(input.personName)!,
      position: clean(input.position),
      agency: clean(input.agency),
      role: input.role,
      criteria_json: JSON.stringify(criteria),
      username: clean(input.username),
      email: clean(input.email),
      joined_on: input.joinedOn,
      left_on: input.leftOn ?? null,
      left_reason: null,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'committee.member.add', entity: 'committee_member', entityId: m.id, unitId: c.unit_id, after: { ...m, email: m.email ? '***' : null } });
  });
  return getCommittee(db, actor, committeeId, input.joinedOn);
}

export interface MemberChanges {
  version: number;
  personName?: string;
  position?: string | null;
  agency?: string | null;
  role?: MemberRole;
  criteria?: string[];
  username?: string | null;
  email?: string | null;
  joinedOn?: string;
  /** End the membership (thôi tham gia) on this date. */
  leftOn?: string | null;
  leftReason?: string | null;
}

export async function updateMember(db: Db, actor: Actor, memberId: number, input: MemberChanges): Promise<CommitteeDetail> {
  const before = await repo.findMember(db.kysely, memberId);
  if (!before) throw notFound('thành viên Ban Chỉ đạo', 'Committee member', memberId);
  const c = await loadCommittee(db.kysely, before.committee_id);
  await authorize(db, actor, 'committee.write', c.unit_id);
  const next = {
    personName: input.personName ?? before.person_name,
    role: input.role ?? before.role,
    joinedOn: input.joinedOn ?? before.joined_on,
    leftOn: input.leftOn === undefined ? before.left_on : input.leftOn,
  };
  const criteria = input.criteria ? [...new Set(input.criteria.map((x) => x.trim()).filter(Boolean))] : parseJson<string[]>(before.criteria_json, []);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const others = (await repo.listMembers(trx, [c.id])).filter((m) => m.id !== memberId).map(asMembership);
    assertNoProblems([
      ...membershipProblems(next, others, { periodFrom: c.period_from, periodTo: c.period_to }),
      ...criteriaProblems(criteria),
      ...emailProblems(input.email),
    ]);
    const changes = {
      person_name: clean(next.personName)!,
      position: input.position === undefined ? before.position : clean(input.position),
      agency: input.agency === undefined ? before.agency : clean(input.agency),
      role: next.role,
      criteria_json: JSON.stringify(criteria),
      username: input.username === undefined ? before.username : clean(input.username),
      email: input.email === undefined ? before.email : clean(input.email),
      joined_on: next.joinedOn,
      left_on: next.leftOn,
      left_reason: input.leftReason === undefined ? before.left_reason : clean(input.leftReason),
      updated_at: at,
    };
    if (!(await repo.updateMember(trx, memberId, input.version, changes))) throw versionConflict(MEMBERSHIP, (await repo.findMember(trx, memberId))!.version, input.version);
    await recordAudit(trx, actor, {
      action: next.leftOn && !before.left_on ? 'committee.member.leave' : 'committee.member.update',
      entity: 'committee_member',
      entityId: memberId,
      unitId: c.unit_id,
      before: { ...before, email: before.email ? '***' : null },
      after: { ...changes, email: changes.email ? '***' : null },
    });
  });
  return getCommittee(db, actor, c.id);
}
