/**
 * Văn bản của cuộc họp — the Word documents a meeting produces (Decree 30/2020 format, built by
 * src/files/reports/builders/meeting.report.ts, rendered by src/files/reports/docx.ts):
 * - `progressReport`: the commune's progress report for the meeting (frozen status, unmet list,
 *   tasks as they stood on the meeting day, action plan, funding, budget requests);
 * - `conclusionNotice`: the Thông báo kết luận from the structured conclusions and their tasks.
 */
import type { Db } from '../db/database.ts';
import { docxBuffer } from '../files/reports/docx.ts';
import type { Report } from '../files/reports/model.ts';
import { buildConclusionNotice, buildProgressReport, type PresentedStatus, type TaskLine } from '../files/reports/builders/meeting.report.ts';
import { DomainError } from '../domain/errors.ts';
import { FUNDING_SOURCE_LABELS, fundingTotals } from '../domain/funding.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf } from '../domain/input.ts';
import { getMeeting, type MeetingDetail, type MeetingSnapshot } from './meeting.service.ts';
import { getCommunePlanning } from './action-plan.service.ts';
import { listTaskViews, type TaskView } from './task.service.ts';
import { getUnit } from './unit.service.ts';
import { unitName } from '../db/unit.repository.ts';
import { listTaskUpdates } from '../db/task.repository.ts';
import { unitNameOn } from '../domain/unit-names.ts';
import { effectiveStatus, TASK_STATUS_LABELS, type StoredTaskStatus } from '../domain/task.ts';

export interface GeneratedDocument {
  fileName: string;
  contentType: string;
  buffer: Buffer;
  report: Report;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function presented(s: MeetingSnapshot): PresentedStatus {
  return {
    date: s.date,
    reviewedOn: s.reviewedOn,
    setName: s.setName,
    totals: s.totals,
    criteria: s.criteria,
    unmet: s.unmet.map((c) => ({ code: c.code, name: c.name, indicators: c.indicators.map((i) => ({ code: i.code, name: i.name, reason: i.reason })) })),
    summaryLine: s.summaryLine,
  };
}

function taskLine(t: TaskView): TaskLine {
  return {
    title: t.title,
    assignee: t.assignee.name,
    dueOn: t.dueOn,
    status: t.shownStatusLabel.vi,
    progress: t.progress,
    priority: t.priorityLabel.vi,
    targets: [...t.targets.criteria.map((c) => `tiêu chí ${c}`), ...t.targets.indicators.map((i) => `chỉ tiêu ${i}`)],
    conclusionSeq: t.conclusionSeq,
  };
}

async function meetingInfo(db: Db, m: MeetingDetail) {
  const unit = await getUnit(db.kysely, m.committeeUnitId);
  // The committee's unit as it was named on the meeting day.
  return { title: m.title, heldOn: m.heldOn, place: m.place, kind: m.kindLabel.vi, committeeName: m.committeeName, committeeUnit: unitNameOn(unit, m.heldOn) };
}

/**
 * The tasks as they stood on `on`: those given by then, each with the status and progress its
 * updates had reported by then (a task done in September was still new on the meeting day in
 * March), overdue when open past its due date on that day.
 */
async function tasksAsOf(db: Db, views: readonly TaskView[], on: string): Promise<TaskLine[]> {
  const updates = await listTaskUpdates(db.kysely, views.map((t) => t.id));
  const lines: TaskLine[] = [];
  for (const t of views) {
    const own = updates.filter((u) => u.task_id === t.id).sort((a, b) => a.reported_on.localeCompare(b.reported_on) || a.at.localeCompare(b.at) || a.id - b.id);
    const given = own.find((u) => u.kind === 'created')?.reported_on ?? t.createdAt.slice(0, 10);
    if (given > on) continue;
    let status: StoredTaskStatus = 'new';
    let progress = 0;
    for (const u of own) {
      if (u.reported_on > on) break;
      if (u.status_to) status = u.status_to as StoredTaskStatus;
      if (u.progress !== null) progress = u.progress;
    }
    if (status === 'cancelled') continue;
    const shown = effectiveStatus(status, t.dueOn, on);
    lines.push({ ...taskLine(t), status: TASK_STATUS_LABELS[shown].vi, progress });
  }
  return lines;
}

/**
 * The commune's progress report for the meeting; tasks, action plan and funding as of `date`
 * (default: the meeting day — the report is the one presented there, not today's state).
 */
export async function progressReport(db: Db, actor: Actor, meetingId: number, unitId: string, date?: string): Promise<GeneratedDocument> {
  const first = await getMeeting(db, actor, meetingId, date === undefined ? undefined : asOf(date));
  const on = date === undefined ? first.heldOn : asOf(date);
  const m = date === undefined ? await getMeeting(db, actor, meetingId, on) : first;
  const reviewed = m.units.find((u) => u.unitId === unitId);
  if (!reviewed) {
    const name = await unitName(db.kysely, unitId);
    throw new DomainError('not_found', { vi: `${name} không có trong chương trình cuộc họp "${m.title}".`, en: `${name} is not on the agenda of the meeting "${m.title}".` }, { fields: [{ field: 'unitId' }] });
  }
  await authorize(db, actor, 'report.export', unitId);
  const unit = await getUnit(db.kysely, unitId);
  const tasks = await tasksAsOf(db, (await listTaskViews(db, actor, { unitIds: [unitId] }, on)).items, on);
  const planning = await getCommunePlanning(db, actor, unitId, on);
  const actions = planning.plans.flatMap((p) => p.actions);
  const funding = fundingTotals(actions.flatMap((a) => a.funding)).bySource.map((f) => ({ source: FUNDING_SOURCE_LABELS[f.source].vi, planned: f.planned, mobilised: f.mobilised, disbursed: f.disbursed }));
  const commune = m.participants.find((p) => p.role === 'commune' && /chủ tịch/i.test(p.position ?? ''));
  const report = buildProgressReport({
    commune: { type: unit.type, name: unit.name, fullName: unit.fullName },
    meeting: await meetingInfo(db, m),
    status: presented(reviewed.snapshot),
    tasks,
    actions: actions.map((a) => ({
      criterion: a.criterionCode,
      indicator: a.indicatorCode,
      action: a.action,
      fromValue: a.fromValue,
      toValue: a.toValue,
      estimatedCost: a.estimatedCost,
      targetOn: a.targetOn,
      owner: a.owner,
      status: a.statusLabel.vi,
    })),
    funding,
    requests: planning.budgetRequests
      .filter((r) => r.status !== 'withdrawn')
      .map((r) => ({ to: r.toUnitName.replace(/^(Huyện|Tỉnh|Thành phố|Thị xã|Quận)\s/, (x) => `UBND ${x.toLowerCase()}`), title: r.title, source: r.sourceLabel.vi, amount: r.amount, requestedOn: r.requestedOn, status: r.statusLabel.vi, approvedAmount: r.approvedAmount, responseText: r.responseText })),
    date: on,
    demo: m.isDemo || reviewed.snapshot.setId?.includes('minh-hoa') === true,
    signerName: commune?.personName ?? null,
  });
  return { fileName: `${report.fileName}.docx`, contentType: DOCX, buffer: await docxBuffer(report), report };
}

/** Thông báo kết luận — from the meeting's conclusions and the tasks they became. */
export async function conclusionNotice(db: Db, actor: Actor, meetingId: number): Promise<GeneratedDocument> {
  const m = await getMeeting(db, actor, meetingId);
  if (m.conclusions.length === 0) {
    throw new DomainError('conflict', { vi: 'Cuộc họp chưa có kết luận nào: chưa lập được thông báo kết luận.', en: 'The meeting has no conclusions yet: there is no notice to draw up.' });
  }
  const chair = m.participants.find((p) => p.role === 'chair') ?? null;
  const communes = [];
  for (const u of m.units) {
    const unit = await getUnit(db.kysely, u.unitId);
    communes.push({ naming: { type: unit.type, name: unit.name, fullName: unit.fullName }, status: presented(u.snapshot) });
  }
  const assignees = [...new Set(m.conclusions.flatMap((c) => c.tasks.filter((t) => t.assignee.kind !== 'person').map((t) => t.assignee.name)))];
  const report = buildConclusionNotice({
    meeting: await meetingInfo(db, m),
    chair: chair ? { name: chair.personName, position: chair.position } : null,
    participants: m.participants.filter((p) => p.role !== 'chair').map((p) => ({ name: p.personName, position: p.position })),
    communes,
    conclusions: m.conclusions.map((c) => ({ seq: c.seq, text: c.text, tasks: c.tasks.filter((t) => t.status !== 'cancelled').map(taskLine) })),
    noticeNo: m.noticeNo,
    noticeOn: m.noticeOn,
    assignees,
    demo: m.isDemo,
  });
  return { fileName: `${report.fileName}.docx`, contentType: DOCX, buffer: await docxBuffer(report), report };
}
