/**
 * Buổi làm việc, hội nghị — a steering committee's meeting: date, place, agenda, the communes it
 * reviewed with their status **frozen as of the meeting date** (what was presented stays what was
 * presented, whatever later reviews say), participants, minutes, attachments, and numbered
 * conclusions, each turned into tasks (task.service.ts).
 *
 * Deleting a meeting never deletes tasks: with tasks it is refused unless the caller asks to keep
 * them as orphans (`orphanTasks`); the meeting row is only marked deleted.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ConclusionRow, Database, MeetingParticipantRow, MeetingRow, MeetingUnitRow } from '../db/schema.ts';
import * as repo from '../db/meeting.repository.ts';
import { countEn } from '../domain/text.ts';
import { countOpenTasksOfMeeting, countTasksOfConclusion, orphanTasksOfMeeting } from '../db/task.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import {
  MEETING_KINDS,
  MEETING_KIND_LABELS,
  MEETING_STATUSES,
  MEETING_STATUS_LABELS,
  PARTICIPANT_ROLES,
  PARTICIPANT_ROLE_LABELS,
  type MeetingKind,
  type MeetingStatus,
  type ParticipantRole,
} from '../domain/committee.ts';
import type { CriterionVerdict, UnmetCriterion, VerdictTotals } from '../domain/evaluation.ts';
import type { VerdictStatus } from '../domain/criteria.ts';
import { DomainError, notFound, type BilingualMessage, versionConflict } from '../domain/errors.ts';
import { formatDateVi, isIsoDate } from '../domain/dates.ts';
import { assertNoProblems, problem, type FieldProblem } from '../domain/field-error.ts';
import { authorize, assertCommitteeRead } from './access.service.ts';
import type { Actor } from './actor.ts';
import { getCommunePage } from './commune-page.service.ts';
import { riskWatchOfCommunes, type RiskWatch } from './forecast.service.ts';
import { loadCommittee } from './committee.service.ts';
import { clean, cleanRefs, parseJson, type DocumentRef } from '../domain/input.ts';
import { unitName, unitNames } from '../db/unit.repository.ts';
import { getUnit } from './unit.service.ts';
import { createTaskIn, listTaskViews, type TaskInput, type TaskView } from './task.service.ts';

const MEETING = { vi: 'Cuộc họp', en: 'meeting' };
const CONCLUSION = { vi: 'Kết luận', en: 'conclusion' };

/** Tình hình của xã tại ngày họp — frozen when the commune is added to the meeting. */
export interface MeetingSnapshot {
  /** The meeting date the status is read on. */
  date: string;
  reviewId: number | null;
  reviewVersion: number | null;
  reviewedOn: string | null;
  setId: string | null;
  setName: string | null;
  totals: VerdictTotals | null;
  meetsStandard: boolean | null;
  level: string | null;
  criteria: Array<{ code: string; name: string; status: VerdictStatus; indicatorsMet: number; indicatorsTotal: number; critical: boolean }>;
  unmet: UnmetCriterion[];
  summaryLine: BilingualMessage;
}

export interface ReviewedUnit {
  unitId: string;
  unitName: string;
  position: number;
  frozenAt: string;
  frozenBy: string;
  snapshot: MeetingSnapshot;
}

export interface Participant {
  id: number;
  memberId: number | null;
  personName: string;
  position: string | null;
  agency: string | null;
  role: ParticipantRole;
  roleLabel: BilingualMessage;
}

export interface ConclusionView {
  id: number;
  seq: number;
  unitId: string | null;
  unitName: string | null;
  text: string;
  version: number;
  tasks: TaskView[];
}

export interface MeetingSummary {
  id: number;
  committeeId: number;
  committeeName: string;
  committeeUnitId: string;
  kind: MeetingKind;
  kindLabel: BilingualMessage;
  title: string;
  heldOn: string;
  place: string | null;
  status: MeetingStatus;
  statusLabel: BilingualMessage;
  isDemo: boolean;
  version: number;
  deleted: boolean;
  unitIds: string[];
}

export interface MeetingDetail extends MeetingSummary {
  agenda: string[];
  minutes: string | null;
  attachments: DocumentRef[];
  noticeNo: string | null;
  noticeOn: string | null;
  units: ReviewedUnit[];
  participants: Participant[];
  conclusions: ConclusionView[];
  /** The date task statuses (overdue, proposals) are read on. */
  date: string;
  taskCounts: { all: number; open: number };
  deletedAt: string | null;
  deleteReason: string | null;
}

function toParticipant(r: MeetingParticipantRow): Participant {
  const role = r.role as ParticipantRole;
  return { id: r.id, memberId: r.member_id, personName: r.person_name, position: r.position, agency: r.agency, role, roleLabel: PARTICIPANT_ROLE_LABELS[role] };
}

function toReviewedUnit(r: MeetingUnitRow, names: Map<string, string>): ReviewedUnit {
  return { unitId: r.unit_id, unitName: names.get(r.unit_id) ?? r.unit_id, position: r.position, frozenAt: r.frozen_at, frozenBy: r.frozen_by, snapshot: JSON.parse(r.snapshot_json) as MeetingSnapshot };
}

async function loadMeeting(db: Kysely<Database>, id: number, opts: { allowDeleted?: boolean } = {}): Promise<MeetingRow> {
  const m = await repo.findMeeting(db, id);
  if (!m || (m.deleted_at && !opts.allowDeleted)) throw notFound('cuộc họp', 'Meeting', id);
  return m;
}

/** The committee's unit: the scope of every check on a meeting. */
async function meetingScope(db: Kysely<Database>, m: MeetingRow): Promise<{ unitId: string; name: string }> {
  const c = await loadCommittee(db, m.committee_id);
  return { unitId: c.unit_id, name: c.name };
}

function toSummary(m: MeetingRow, committee: { name: string; unitId: string }, unitIds: string[]): MeetingSummary {
  const kind = m.kind as MeetingKind;
  const status = m.status as MeetingStatus;
  return {
    id: m.id,
    committeeId: m.committee_id,
    committeeName: committee.name,
    committeeUnitId: committee.unitId,
    kind,
    kindLabel: MEETING_KIND_LABELS[kind],
    title: m.title,
    heldOn: m.held_on,
    place: m.place,
    status,
    statusLabel: MEETING_STATUS_LABELS[status],
    isDemo: m.is_demo === 1,
    version: m.version,
    deleted: m.deleted_at !== null,
    unitIds,
  };
}

// ── Reading ───────────────────────────────────────────────────────────────────────────────

/**
 * A meeting the actor may read: its committee's unit and the units it reviewed — the cheap check
 * for the use cases that hang off a meeting (its risk watch, its allocation proposals).
 */
export async function readableMeeting(db: Db, actor: Actor, id: number): Promise<{ id: number; heldOn: string; committeeUnitId: string; committeeUnitName: string; unitIds: string[] }> {
  const m = await loadMeeting(db.kysely, id, { allowDeleted: true });
  const scope = await meetingScope(db.kysely, m);
  const unitIds = (await repo.listMeetingUnits(db.kysely, [m.id])).map((u) => u.unit_id);
  await assertCommitteeRead(db, actor, scope.unitId, unitIds);
  return { id: m.id, heldOn: m.held_on, committeeUnitId: scope.unitId, committeeUnitName: scope.name, unitIds };
}

/**
 * The risk watch of a meeting's units as of the day it is held (issue 15): its own request, so that
 * reading or writing the meeting never pays for it (35–80 ms, ≈ 0,4 s on a pre-merger date).
 */
export async function getMeetingRisks(db: Db, actor: Actor, id: number): Promise<RiskWatch> {
  const m = await readableMeeting(db, actor, id);
  return riskWatchOfCommunes(db, m.committeeUnitId, m.committeeUnitName, m.unitIds, m.heldOn);
}

export async function getMeeting(db: Db, actor: Actor, id: number, date?: string): Promise<MeetingDetail> {
  const m = await loadMeeting(db.kysely, id, { allowDeleted: true });
  const scope = await meetingScope(db.kysely, m);
  const [units, participants, conclusions] = await Promise.all([repo.listMeetingUnits(db.kysely, [m.id]), repo.listParticipants(db.kysely, m.id), repo.listConclusions(db.kysely, m.id)]);
  await assertCommitteeRead(db, actor, scope.unitId, units.map((u) => u.unit_id));
  const names = await unitNames(db.kysely, [...units.map((u) => u.unit_id), ...conclusions.map((c) => c.unit_id)]);
  const tasks = await listTaskViews(db, actor, { meetingId: m.id }, date);
  const counts = await countOpenTasksOfMeeting(db.kysely, m.id);
  return {
    ...toSummary(m, scope, units.map((u) => u.unit_id)),
    agenda: parseJson<string[]>(m.agenda_json, []),
    minutes: m.minutes,
    attachments: parseJson<DocumentRef[]>(m.attachments_json, []),
    noticeNo: m.notice_no,
    noticeOn: m.notice_on,
    units: units.map((u) => toReviewedUnit(u, names)),
    participants: participants.map(toParticipant),
    conclusions: conclusions.map((c) => ({
      id: c.id,
      seq: c.seq,
      unitId: c.unit_id,
      unitName: c.unit_id ? (names.get(c.unit_id) ?? c.unit_id) : null,
      text: c.text,
      version: c.version,
      tasks: tasks.items.filter((t) => t.conclusionId === c.id),
    })),
    date: tasks.date,
    taskCounts: counts,
    deletedAt: m.deleted_at,
    deleteReason: m.delete_reason,
  };
}

/** Meetings of a committee, or that reviewed a unit (the commune workspace), newest first. */
export async function listMeetings(db: Db, actor: Actor, q: { committeeId?: number; unitId?: string; limit?: number }): Promise<MeetingSummary[]> {
  const rows = await repo.listMeetings(db.kysely, { committeeIds: q.committeeId !== undefined ? [q.committeeId] : undefined, unitId: q.unitId, limit: q.limit });
  const units = await repo.listMeetingUnits(
    db.kysely,
    rows.map((r) => r.id),
  );
  const out: MeetingSummary[] = [];
  const committees = new Map<number, { name: string; unitId: string }>();
  for (const r of rows) {
    let c = committees.get(r.committee_id);
    if (!c) {
      const row = await loadCommittee(db.kysely, r.committee_id);
      c = { name: row.name, unitId: row.unit_id };
      committees.set(r.committee_id, c);
    }
    const about = units.filter((u) => u.meeting_id === r.id).map((u) => u.unit_id);
    try {
      await assertCommitteeRead(db, actor, c.unitId, about);
    } catch {
      continue;
    }
    out.push(
      toSummary(
        r,
        c,
        units.filter((u) => u.meeting_id === r.id).map((u) => u.unit_id),
      ),
    );
  }
  return out;
}

// ── Snapshot ──────────────────────────────────────────────────────────────────────────────

/** The commune's status on the meeting date, as the commune page shows it. */
export async function snapshotOf(db: Db, unitId: string, date: string): Promise<MeetingSnapshot> {
  const page = await getCommunePage(db, unitId, date);
  const ev = page.evaluation;
  if (!ev || !page.review) {
    return {
      date,
      reviewId: null,
      reviewVersion: null,
      reviewedOn: null,
      setId: null,
      setName: null,
      totals: null,
      meetsStandard: null,
      level: null,
      criteria: [],
      unmet: [],
      summaryLine: { vi: `Chưa có bản rà soát đã nộp đến ngày ${formatDateVi(date)}.`, en: `No submitted review up to ${date}.` },
    };
  }
  const setName = getCatalog().has(ev.setId) ? getCatalog().get(ev.setId).name : ev.setId;
  return {
    date,
    reviewId: page.review.id,
    reviewVersion: page.review.version,
    reviewedOn: page.review.reviewedOn,
    setId: ev.setId,
    setName,
    totals: ev.totals,
    meetsStandard: ev.meetsStandard,
    level: ev.level,
    criteria: ev.criteria.map((c: CriterionVerdict) => ({ code: c.code, name: c.name, status: c.status, indicatorsMet: c.indicatorsMet, indicatorsTotal: c.indicatorsTotal, critical: c.critical })),
    unmet: ev.unmet,
    summaryLine: page.summaryLine ?? ev.summary,
  };
}

/** Read what will be frozen (outside the write transaction: SQLite has one connection). */
async function prepareSnapshot(db: Db, actor: Actor, unitId: string, date: string): Promise<{ unitId: string; snap: MeetingSnapshot }> {
  const unit = await getUnit(db.kysely, unitId);
  // Presenting a commune's data needs the right to read it.
  await authorize(db, actor, 'review.read', unit.id);
  return { unitId: unit.id, snap: await snapshotOf(db, unit.id, date) };
}

async function freezeUnit(trx: Kysely<Database>, actor: Actor, m: MeetingRow, prepared: { unitId: string; snap: MeetingSnapshot }, position: number, scopeUnit: string): Promise<void> {
  const { snap } = prepared;
  const unit = { id: prepared.unitId };
  const at = new Date().toISOString();
  await repo.insertMeetingUnit(trx, {
    meeting_id: m.id,
    unit_id: unit.id,
    position,
    snapshot_on: m.held_on,
    review_id: snap.reviewId,
    review_version: snap.reviewVersion,
    set_id: snap.setId,
    criteria_met: snap.totals?.criteriaMet ?? null,
    criteria_total: snap.totals?.criteriaTotal ?? null,
    indicators_met: snap.totals?.indicatorsMet ?? null,
    indicators_total: snap.totals?.indicatorsTotal ?? null,
    summary_vi: snap.summaryLine.vi,
    summary_en: snap.summaryLine.en,
    snapshot_json: JSON.stringify(snap),
    frozen_at: at,
    frozen_by: actor.id,
  });
  await recordAudit(trx, actor, {
    action: 'meeting.unit.add',
    entity: 'meeting',
    entityId: m.id,
    unitId: scopeUnit,
    after: { unitId: unit.id, reviewId: snap.reviewId, reviewVersion: snap.reviewVersion, summary: snap.summaryLine.vi },
  });
}

// ── Writing ───────────────────────────────────────────────────────────────────────────────

export interface ParticipantInput {
  memberId?: number | null;
  personName: string;
  position?: string | null;
  agency?: string | null;
  role: ParticipantRole;
}

export interface MeetingInput {
  committeeId: number;
  kind?: MeetingKind;
  title: string;
  heldOn: string;
  place?: string | null;
  status?: MeetingStatus;
  agenda?: string[];
  minutes?: string | null;
  attachments?: DocumentRef[];
  participants?: ParticipantInput[];
  /** Communes reviewed: their status is frozen as of `heldOn`. */
  unitIds?: string[];
  isDemo?: boolean;
}

function meetingProblems(i: { title?: string | null; heldOn?: string; kind?: string; status?: string }): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (i.title !== undefined && !clean(i.title)) out.push(problem('title', 'Cuộc họp cần có tên (trường "title").', 'A meeting needs a title (field "title").'));
  if (i.heldOn !== undefined && !isIsoDate(i.heldOn)) out.push(problem('heldOn', `Ngày họp "${i.heldOn}" không hợp lệ (cần YYYY-MM-DD).`, `Meeting date "${i.heldOn}" is not a valid YYYY-MM-DD date.`));
  if (i.kind !== undefined && !(MEETING_KINDS as readonly string[]).includes(i.kind)) out.push(problem('kind', `Loại cuộc họp "${i.kind}" không hợp lệ.`, `Meeting kind "${i.kind}" is invalid.`));
  if (i.status !== undefined && !(MEETING_STATUSES as readonly string[]).includes(i.status)) out.push(problem('status', `Trạng thái "${i.status}" không hợp lệ.`, `Status "${i.status}" is invalid.`));
  return out;
}

function participantProblems(ps: readonly ParticipantInput[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  ps.forEach((p, i) => {
    if (!clean(p.personName)) out.push(problem(`participants.${i}.personName`, 'Người tham dự cần có họ tên.', 'A participant needs a name.'));
    if (!(PARTICIPANT_ROLES as readonly string[]).includes(p.role)) out.push(problem(`participants.${i}.role`, `Vai trò "${p.role}" không hợp lệ.`, `Role "${p.role}" is invalid.`));
  });
  return out;
}

function participantRows(ps: readonly ParticipantInput[]) {
  return ps.map((p, i) => ({ member_id: p.memberId ?? null, person_name: clean(p.personName)!, position: clean(p.position), agency: clean(p.agency), role: p.role, sort_order: i + 1 }));
}

function cleanList(xs: readonly string[] | undefined): string[] {
  return (xs ?? []).map((x) => clean(x)).filter((x): x is string => x !== null);
}

export async function createMeeting(db: Db, actor: Actor, input: MeetingInput): Promise<MeetingDetail> {
  const committee = await loadCommittee(db.kysely, input.committeeId);
  await authorize(db, actor, 'committee.write', committee.unit_id);
  const participants = input.participants ?? [];
  assertNoProblems([...meetingProblems({ title: input.title, heldOn: input.heldOn, kind: input.kind, status: input.status }), ...participantProblems(participants)]);
  const unitIds = [...new Set(input.unitIds ?? [])];
  const prepared: Array<{ unitId: string; snap: MeetingSnapshot }> = [];
  for (const u of unitIds) prepared.push(await prepareSnapshot(db, actor, u, input.heldOn));
  const at = new Date().toISOString();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const m = await repo.insertMeeting(trx, {
      committee_id: committee.id,
      kind: input.kind ?? 'working_session',
      title: clean(input.title)!,
      held_on: input.heldOn,
      place: clean(input.place),
      status: input.status ?? 'planned',
      agenda_json: JSON.stringify(cleanList(input.agenda)),
      minutes: clean(input.minutes),
      attachments_json: JSON.stringify(cleanRefs(input.attachments, 'attachments')),
      notice_no: null,
      notice_on: null,
      is_demo: input.isDemo ? 1 : 0,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
      deleted_at: null,
      deleted_by: null,
      delete_reason: null,
    });
    await repo.replaceParticipants(trx, m.id, participantRows(participants));
    await recordAudit(trx, actor, { action: 'meeting.create', entity: 'meeting', entityId: m.id, unitId: committee.unit_id, after: { ...m, participants, unitIds } });
    for (let i = 0; i < prepared.length; i++) await freezeUnit(trx, actor, m, prepared[i]!, i + 1, committee.unit_id);
    return m.id;
  });
  return getMeeting(db, actor, id, input.heldOn);
}

export interface MeetingChanges {
  version: number;
  kind?: MeetingKind;
  title?: string;
  heldOn?: string;
  place?: string | null;
  status?: MeetingStatus;
  agenda?: string[];
  minutes?: string | null;
  attachments?: DocumentRef[];
  participants?: ParticipantInput[];
  /** Số, ký hiệu of the conclusion notice ("05/TB-BCĐ") and its date. */
  noticeNo?: string | null;
  noticeOn?: string | null;
}

export async function updateMeeting(db: Db, actor: Actor, id: number, input: MeetingChanges): Promise<MeetingDetail> {
  const before = await loadMeeting(db.kysely, id);
  const scope = await meetingScope(db.kysely, before);
  await authorize(db, actor, 'committee.write', scope.unitId);
  assertNoProblems([
    ...meetingProblems({ title: input.title, heldOn: input.heldOn, kind: input.kind, status: input.status }),
    ...participantProblems(input.participants ?? []),
    ...(input.noticeOn != null && !isIsoDate(input.noticeOn) ? [problem('noticeOn', `Ngày thông báo "${input.noticeOn}" không hợp lệ.`, `Notice date "${input.noticeOn}" is invalid.`)] : []),
  ]);
  if (input.heldOn !== undefined && input.heldOn !== before.held_on) {
    const units = await repo.listMeetingUnits(db.kysely, [id]);
    if (units.length > 0) {
      throw new DomainError(
        'conflict',
        {
          vi: `Không đổi được ngày họp: tình hình của ${units.length} xã đã được chốt theo ngày ${formatDateVi(before.held_on)}. Hãy bỏ các xã khỏi cuộc họp rồi đổi ngày.`,
          en: `Cannot change the meeting date: the status of ${countEn(units.length, 'commune')} was frozen as of ${before.held_on}. Remove them from the meeting first.`,
        },
        { fields: [{ field: 'heldOn' }] },
      );
    }
  }
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      kind: input.kind ?? before.kind,
      title: input.title === undefined ? before.title : clean(input.title)!,
      held_on: input.heldOn ?? before.held_on,
      place: input.place === undefined ? before.place : clean(input.place),
      status: input.status ?? before.status,
      agenda_json: input.agenda === undefined ? before.agenda_json : JSON.stringify(cleanList(input.agenda)),
      minutes: input.minutes === undefined ? before.minutes : clean(input.minutes),
      attachments_json: input.attachments === undefined ? before.attachments_json : JSON.stringify(cleanRefs(input.attachments, 'attachments')),
      notice_no: input.noticeNo === undefined ? before.notice_no : clean(input.noticeNo),
      notice_on: input.noticeOn === undefined ? before.notice_on : input.noticeOn,
      updated_at: at,
    };
    if (!(await repo.updateMeeting(trx, id, input.version, changes))) throw versionConflict(MEETING, (await loadMeeting(trx, id)).version, input.version);
    if (input.participants) await repo.replaceParticipants(trx, id, participantRows(input.participants));
    await recordAudit(trx, actor, { action: 'meeting.update', entity: 'meeting', entityId: id, unitId: scope.unitId, before, after: { ...changes, participants: input.participants } });
  });
  return getMeeting(db, actor, id);
}

/** Add a commune to the meeting's agenda: its status is frozen now, as of the meeting date. */
export async function addReviewedUnit(db: Db, actor: Actor, id: number, unitId: string): Promise<MeetingDetail> {
  const m = await loadMeeting(db.kysely, id);
  const scope = await meetingScope(db.kysely, m);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const existing = await repo.listMeetingUnits(db.kysely, [id]);
  if (existing.some((u) => u.unit_id === unitId)) {
    throw new DomainError(
      'conflict',
      { vi: `${await unitName(db.kysely, unitId)} đã có trong cuộc họp; tình hình đã chốt không được tính lại.`, en: `${await unitName(db.kysely, unitId)} is already on the meeting's agenda; its frozen status is never recomputed.` },
      { fields: [{ field: 'unitId' }] },
    );
  }
  const prepared = await prepareSnapshot(db, actor, unitId, m.held_on);
  await db.kysely.transaction().execute(async (trx) => freezeUnit(trx, actor, m, prepared, existing.length + 1, scope.unitId));
  return getMeeting(db, actor, id);
}

export async function removeReviewedUnit(db: Db, actor: Actor, id: number, unitId: string): Promise<MeetingDetail> {
  const m = await loadMeeting(db.kysely, id);
  const scope = await meetingScope(db.kysely, m);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const conclusions = (await repo.listConclusions(db.kysely, id)).filter((c) => c.unit_id === unitId);
  if (conclusions.length > 0) {
    throw new DomainError('conflict', {
      vi: `Không bỏ được ${await unitName(db.kysely, unitId)} khỏi cuộc họp: đã có ${conclusions.length} kết luận về xã này.`,
      en: `Cannot remove ${await unitName(db.kysely, unitId)} from the meeting: ${conclusions.length} conclusion(s) concern it.`,
    });
  }
  await db.kysely.transaction().execute(async (trx) => {
    if ((await repo.deleteMeetingUnit(trx, id, unitId)) === 0) throw notFound('xã trong cuộc họp', 'Unit on the meeting', unitId);
    await recordAudit(trx, actor, { action: 'meeting.unit.remove', entity: 'meeting', entityId: id, unitId: scope.unitId, before: { unitId } });
  });
  return getMeeting(db, actor, id);
}

export interface ConclusionInput {
  text: string;
  /** The commune the conclusion is about (one of the units reviewed, usually). */
  unitId?: string | null;
  /** Tasks the conclusion becomes (more can be added later). */
  tasks?: TaskInput[];
}

/** Add a numbered conclusion and the tasks it becomes, in one transaction. */
export async function addConclusion(db: Db, actor: Actor, meetingId: number, input: ConclusionInput): Promise<ConclusionView> {
  const m = await loadMeeting(db.kysely, meetingId);
  const scope = await meetingScope(db.kysely, m);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const text = clean(input.text);
  assertNoProblems(text ? [] : [problem('text', 'Kết luận cần có nội dung (trường "text").', 'A conclusion needs its text (field "text").')]);
  if (input.unitId) await getUnit(db.kysely, input.unitId);
  const at = new Date().toISOString();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const c = await repo.insertConclusion(trx, {
      meeting_id: m.id,
      seq: await repo.nextConclusionSeq(trx, m.id),
      unit_id: input.unitId ?? null,
      text: text!,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'conclusion.create', entity: 'conclusion', entityId: c.id, unitId: scope.unitId, after: c });
    for (const [i, t] of (input.tasks ?? []).entries()) await createTaskIn(db, trx, actor, { ...t, conclusionId: c.id }, `tasks.${i}.`);
    return c.id;
  });
  return getConclusion(db, actor, id);
}

export async function getConclusion(db: Db, actor: Actor, id: number, date?: string): Promise<ConclusionView> {
  const c = await repo.findConclusion(db.kysely, id);
  if (!c) throw notFound('kết luận', 'Conclusion', id);
  const m = await loadMeeting(db.kysely, c.meeting_id, { allowDeleted: true });
  await assertCommitteeRead(db, actor, (await meetingScope(db.kysely, m)).unitId, c.unit_id ? [c.unit_id] : []);
  const names = await unitNames(db.kysely, [c.unit_id]);
  const tasks = await listTaskViews(db, actor, { conclusionIds: [c.id] }, date);
  return toConclusionView(c, names, tasks.items);
}

function toConclusionView(c: ConclusionRow, names: Map<string, string>, tasks: TaskView[]): ConclusionView {
  return { id: c.id, seq: c.seq, unitId: c.unit_id, unitName: c.unit_id ? (names.get(c.unit_id) ?? c.unit_id) : null, text: c.text, version: c.version, tasks };
}

export async function updateConclusion(db: Db, actor: Actor, id: number, input: { version: number; text?: string; unitId?: string | null }): Promise<ConclusionView> {
  const before = await repo.findConclusion(db.kysely, id);
  if (!before) throw notFound('kết luận', 'Conclusion', id);
  const m = await loadMeeting(db.kysely, before.meeting_id);
  const scope = await meetingScope(db.kysely, m);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const text = input.text === undefined ? before.text : clean(input.text);
  assertNoProblems(text ? [] : [problem('text', 'Kết luận cần có nội dung (trường "text").', 'A conclusion needs its text (field "text").')]);
  if (input.unitId) await getUnit(db.kysely, input.unitId);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = { text: text!, unit_id: input.unitId === undefined ? before.unit_id : input.unitId, updated_at: at };
    if (!(await repo.updateConclusion(trx, id, input.version, changes))) throw versionConflict(CONCLUSION, (await repo.findConclusion(trx, id))!.version, input.version);
    await recordAudit(trx, actor, { action: 'conclusion.update', entity: 'conclusion', entityId: id, unitId: scope.unitId, before, after: changes });
  });
  return getConclusion(db, actor, id);
}

/** A conclusion with tasks is never deleted (its tasks would lose their origin). */
export async function deleteConclusion(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findConclusion(db.kysely, id);
  if (!before) throw notFound('kết luận', 'Conclusion', id);
  const m = await loadMeeting(db.kysely, before.meeting_id);
  const scope = await meetingScope(db.kysely, m);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const n = await countTasksOfConclusion(db.kysely, id);
  if (n > 0) {
    throw new DomainError('conflict', {
      vi: `Không xóa được kết luận số ${before.seq}: đã giao ${n} nhiệm vụ từ kết luận này. Hãy hủy các nhiệm vụ (chúng vẫn được lưu) thay vì xóa kết luận.`,
      en: `Cannot delete conclusion ${before.seq}: ${n} task(s) were assigned from it. Cancel the tasks (they are kept) instead of deleting the conclusion.`,
    });
  }
  await db.kysely.transaction().execute(async (trx) => {
    await repo.deleteConclusion(trx, id);
    await recordAudit(trx, actor, { action: 'conclusion.delete', entity: 'conclusion', entityId: id, unitId: scope.unitId, before });
  });
}

export interface DeleteMeetingResult {
  id: number;
  deletedAt: string;
  /** Tasks kept and marked orphaned. */
  orphanedTaskIds: number[];
}

/**
 * Delete a meeting: refused while it has tasks, unless `orphanTasks` — then the tasks stay (with
 * their conclusions, updates and history), marked orphaned. The meeting row is kept, marked deleted.
 */
export async function deleteMeeting(db: Db, actor: Actor, id: number, input: { version: number; reason?: string | null; orphanTasks?: boolean }): Promise<DeleteMeetingResult> {
  const before = await loadMeeting(db.kysely, id);
  const scope = await meetingScope(db.kysely, before);
  await authorize(db, actor, 'committee.write', scope.unitId);
  const counts = await countOpenTasksOfMeeting(db.kysely, id);
  if (counts.all > 0 && !input.orphanTasks) {
    throw new DomainError(
      'conflict',
      {
        vi: `Không xóa cuộc họp: đã có ${counts.all} nhiệm vụ (${counts.open} đang mở) được giao từ cuộc họp này. Nhiệm vụ không bao giờ bị xóa theo; nếu vẫn muốn xóa, hãy chọn giữ lại các nhiệm vụ (chúng sẽ được đánh dấu "không còn cuộc họp gốc").`,
        en: `The meeting was not deleted: ${counts.all} task(s) (${counts.open} open) were assigned from it. Tasks are never deleted with it; to delete it anyway, choose to keep the tasks (they will be marked orphaned).`,
      },
      { tasks: counts.all, openTasks: counts.open },
    );
  }
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateMeeting(trx, id, input.version, { deleted_at: at, deleted_by: actor.id, delete_reason: clean(input.reason), updated_at: at }))) {
      throw versionConflict(MEETING, (await loadMeeting(trx, id, { allowDeleted: true })).version, input.version);
    }
    const orphaned = counts.all > 0 ? await orphanTasksOfMeeting(trx, id, at) : [];
    await recordAudit(trx, actor, { action: 'meeting.delete', entity: 'meeting', entityId: id, unitId: scope.unitId, before, after: { deletedAt: at, reason: input.reason ?? null, orphanedTaskIds: orphaned } });
    return { id, deletedAt: at, orphanedTaskIds: orphaned };
  });
}
