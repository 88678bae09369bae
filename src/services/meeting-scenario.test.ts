/**
 * The whole story on both databases: the Bình Lục district steering committee visits Tràng An on
 * 20/3/2023; the commune presents "13/19 criteria, 64/75 indicators" (six criteria unmet); the
 * head concludes; each conclusion becomes tasks with a 30/9/2023 deadline; the commune reports
 * progress; the 30/9/2023 review meets every indicator, so the targeted tasks propose their own
 * completion; on 1/10/2023 whatever is still open is flagged overdue (and recorded by the daily
 * job); the frozen status of the meeting never moves.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { DomainError } from '../domain/errors.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { addMember, createCommittee, getCommittee, listCommittees, updateMember } from './committee.service.ts';
import { addConclusion, addReviewedUnit, createMeeting, deleteConclusion, deleteMeeting, getMeeting, listMeetings, updateMeeting } from './meeting.service.ts';
import { addComment, createTask, getTask, getTaskBoard, listOpenDirectives, reportProgress, transitionTask, updateTask } from './task.service.ts';
import { runReminders } from './reminder.service.ts';
import { inboxFor } from './inbox.service.ts';
import { spreadIndicators, submittedReview, TEST_SET_ID } from '../test-support/committee.ts';

const UNMET = ['5', '8', '13', '14', '15', '17'];

async function refused(p: Promise<unknown>, code: string, field?: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    expect(d.code).toBe(code);
    if (field) expect((d.details?.fields as Array<{ field: string }>).map((f) => f.field)).toContain(field);
    expect(d.messageVi.length).toBeGreaterThan(10);
    expect(d.message.length).toBeGreaterThan(10);
    expect(d.message).not.toBe(d.messageVi);
    return d;
  }
  throw new Error('expected a refusal');
}

describeEachDialect('a steering committee meeting, from agenda to overdue flags', (ctx) => {
  const actor = SYSTEM_ACTOR;
  let trangAn = '';
  let district = '';
  let committeeId = 0;
  let meetingId = 0;
  const taskIds: number[] = [];
  let directiveTaskId = 0;

  beforeAll(async () => {
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = u.id;
    district = u.parent_id!;
    await submittedReview(ctx.db, trangAn, '2023-03-20', spreadIndicators(UNMET, 11));
  });

  it('sets up the committee with members, roles and owned criteria; one head at a time', async () => {
    const c = await createCommittee(ctx.db, actor, { unitId: district, name: 'Ban Chỉ đạo các chương trình MTQG huyện Bình Lục', decisionNo: '125/QĐ-HU', periodFrom: '2020-10-01', periodTo: '2025-06-30' });
    committeeId = c.id;
    await addMember(ctx.db, actor, c.id, { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy', role: 'head', joinedOn: '2020-10-01', username: 'bithu' });
    await addMember(ctx.db, actor, c.id, { personName: 'Trần Văn Nam', position: 'Chủ tịch UBND huyện', role: 'deputy', joinedOn: '2020-10-01' });
    const d = await addMember(ctx.db, actor, c.id, { personName: 'Lê Thị Hoa', position: 'Trưởng phòng Nông nghiệp và PTNT', agency: 'Phòng Nông nghiệp và PTNT', role: 'standing', criteria: ['13', '17'], joinedOn: '2020-10-01', email: 'hoa@example.invalid' });
    expect(d.members.map((m) => m.roleLabel.vi)).toEqual(['Trưởng ban', 'Phó Trưởng ban', 'Ủy viên thường trực']);
    expect(d.head).toBe('Đinh Văn Hà');
    await refused(addMember(ctx.db, actor, c.id, { personName: 'Người thứ hai', role: 'head', joinedOn: '2022-01-01' }), 'validation_failed', 'role');
    // Membership history: a member leaves, the successor joins; both stay in the history.
    const nam = d.members.find((m) => m.personName === 'Trần Văn Nam')!;
    await updateMember(ctx.db, actor, nam.id, { version: nam.version, leftOn: '2024-05-01', leftReason: 'Chuyển công tác' });
    await addMember(ctx.db, actor, c.id, { personName: 'Phạm Quốc Khánh', position: 'Chủ tịch UBND huyện', role: 'deputy', joinedOn: '2024-05-01' });
    const later = await getCommittee(ctx.db, actor, c.id, '2024-06-01');
    expect(later.members.find((m) => m.role === 'deputy')!.personName).toBe('Phạm Quốc Khánh');
    expect(later.history.map((m) => m.personName)).toContain('Trần Văn Nam');
    expect(later.history.find((m) => m.personName === 'Trần Văn Nam')!.active).toBe(false);
    const forCommune = await listCommittees(ctx.db, actor, { unitId: trangAn, date: '2023-03-20' });
    expect(forCommune.map((x) => x.id)).toEqual([c.id]);
  });

  it('holds the meeting: Tràng An presents 13/19 criteria, 64/75 indicators, frozen as of 20/3/2023', async () => {
    const m = await createMeeting(ctx.db, actor, {
      committeeId,
      kind: 'working_session',
      title: 'Làm việc với xã Tràng An về xây dựng xã NTM nâng cao',
      heldOn: '2023-03-20',
      place: 'Hội trường UBND xã Tràng An',
      agenda: ['Xã báo cáo kết quả, giải pháp, kiến nghị', 'Thành viên Ban Chỉ đạo phát biểu', 'Trưởng ban kết luận'],
      participants: [
        { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy, Trưởng ban', role: 'chair' },
        { personName: 'Lê Thị Hoa', position: 'Trưởng phòng Nông nghiệp và PTNT', role: 'member' },
        { personName: 'Nguyễn Văn Bình', position: 'Chủ tịch UBND xã Tràng An', role: 'commune' },
      ],
      unitIds: [trangAn],
      minutes: 'Xã báo cáo đạt 13/19 tiêu chí; kiến nghị hỗ trợ kinh phí trường học và môi trường.',
    });
    meetingId = m.id;
    expect(m.units).toHaveLength(1);
    const s = m.units[0]!.snapshot;
    expect([s.totals!.criteriaMet, s.totals!.criteriaTotal, s.totals!.indicatorsMet, s.totals!.indicatorsTotal]).toEqual([13, 19, 64, 75]);
    expect(s.unmet.map((c) => c.code)).toEqual(UNMET);
    expect(s.summaryLine.vi).toMatch(/^Đạt 13\/19 tiêu chí, 64\/75 chỉ tiêu; còn 6 tiêu chí, 11 chỉ tiêu chưa đạt: Giáo dục/);
    expect(s.date).toBe('2023-03-20');
    expect(s.setId).toBe(TEST_SET_ID);
    expect(m.participants.map((p) => p.roleLabel.vi)).toEqual(['Chủ trì', 'Thành viên Ban Chỉ đạo', 'Đại diện xã']);
    const twice = await refused(addReviewedUnit(ctx.db, actor, m.id, trangAn), 'conflict');
    // The commune by its name, not its id (issue 14.5).
    expect(twice.messageVi).toContain('Xã Tràng An');
    expect(twice.messageVi).not.toContain(trangAn);
    expect((await listMeetings(ctx.db, actor, { unitId: trangAn })).map((x) => x.id)).toEqual([m.id]);
  });

  it('turns conclusions into tasks: one per unmet criterion plus the dossier directive, due 30/9/2023', async () => {
    const c1 = await addConclusion(ctx.db, actor, meetingId, {
      unitId: trangAn,
      text: 'Tập trung chỉ đạo hoàn thành 06 tiêu chí chưa đạt: Giáo dục, Thông tin và Truyền thông, Tổ chức sản xuất, Y tế, Hành chính công, Môi trường.',
      tasks: UNMET.map((code, i) => ({
        title: `Hoàn thành tiêu chí số ${code}`,
        assignee: i === 2 ? { kind: 'agency' as const, name: 'Phòng Nông nghiệp và PTNT' } : { kind: 'unit' as const, unitId: trangAn },
        targets: { criteria: [code] },
        dueOn: '2023-09-30',
        priority: i === 5 ? ('high' as const) : ('normal' as const),
      })),
    });
    expect(c1.seq).toBe(1);
    expect(c1.tasks).toHaveLength(6);
    expect(c1.tasks[0]!.assignee.name).toBe('UBND xã Tràng An');
    expect(c1.tasks[0]!.targetIndicators.length).toBeGreaterThan(0);
    taskIds.push(...c1.tasks.map((t) => t.id));
    const c2 = await addConclusion(ctx.db, actor, meetingId, {
      unitId: trangAn,
      text: 'UBND xã hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn NTM nâng cao trước ngày 30/9/2023.',
      tasks: [{ title: 'Hoàn thiện hồ sơ đề nghị công nhận trước 30/9/2023', assignee: { kind: 'person', name: 'Nguyễn Văn Bình', username: 'chutich.tranganh' }, dueOn: '2023-09-30', priority: 'urgent' }],
    });
    expect(c2.seq).toBe(2);
    directiveTaskId = c2.tasks[0]!.id;
    const m = await getMeeting(ctx.db, actor, meetingId, '2023-03-21');
    expect(m.conclusions.map((c) => c.tasks.length)).toEqual([6, 1]);
    expect(m.taskCounts).toEqual({ all: 7, open: 7 });
  });

  it('refuses bad input with a clear message naming the field', async () => {
    const m = await getMeeting(ctx.db, actor, meetingId);
    const conclusionId = m.conclusions[0]!.id;
    await refused(createTask(ctx.db, actor, { conclusionId, title: 'Thiếu người', assignee: null as never, dueOn: '2023-09-30' }), 'validation_failed', 'assignee');
    await refused(createTask(ctx.db, actor, { conclusionId, title: 'Thiếu hạn', assignee: { kind: 'agency', name: 'Phòng Văn hóa' }, dueOn: '' }), 'validation_failed', 'dueOn');
    const early = await refused(createTask(ctx.db, actor, { conclusionId, title: 'Hạn trước ngày họp', assignee: { kind: 'agency', name: 'Phòng Văn hóa' }, dueOn: '2023-03-01' }), 'validation_failed', 'dueOn');
    expect(early.messageVi).toContain('trước ngày họp 20/03/2023');
    await refused(createTask(ctx.db, actor, { conclusionId, title: 'Chỉ tiêu lạ', assignee: { kind: 'agency', name: 'Phòng Văn hóa' }, dueOn: '2023-09-30', targets: { indicators: ['99.9'] } }), 'validation_failed', 'targets.indicators');
    await refused(deleteConclusion(ctx.db, actor, conclusionId), 'conflict');
    await refused(updateMeeting(ctx.db, actor, meetingId, { version: m.version, heldOn: '2023-03-21' }), 'conflict', 'heldOn');
    await refused(updateTask(ctx.db, actor, taskIds[0]!, { version: 99, priority: 'high' }), 'version_conflict');
  });

  it('tracks progress with evidence and comments; boards by unit and by assignee', async () => {
    const t = await getTask(ctx.db, actor, taskIds[0]!, '2023-05-01');
    const p = await reportProgress(ctx.db, actor, t.id, { version: t.version, progress: 60, text: 'Đã khởi công nhà lớp học 2 tầng', evidence: [{ title: 'Biên bản khởi công', url: 'https://example.invalid/bb.pdf' }], on: '2023-05-01' }, '2023-05-01');
    expect(p.status).toBe('in_progress');
    expect(p.progress).toBe(60);
    const c = await addComment(ctx.db, actor, t.id, { text: 'Đề nghị đẩy nhanh tiến độ.' }, '2023-05-01');
    expect(c.updates.map((u) => u.kind)).toEqual(['created', 'progress', 'comment']);
    expect(c.updates[1]!.evidence[0]!.title).toBe('Biên bản khởi công');
    await refused(reportProgress(ctx.db, actor, t.id, { version: c.version, progress: 120 }), 'validation_failed', 'progress');
    const board = await getTaskBoard(ctx.db, actor, { unitId: trangAn, date: '2023-05-01' });
    expect(board.counts).toMatchObject({ all: 7, new: 6, in_progress: 1, overdue: 0 });
    const agency = await getTaskBoard(ctx.db, actor, { assignee: 'Phòng Nông nghiệp và PTNT', date: '2023-05-01' });
    expect(agency.counts.all).toBe(1);
    const mine = await getTaskBoard(ctx.db, actor, { assignee: 'chutich.tranganh', date: '2023-05-01' });
    expect(mine.columns.find((x) => x.status === 'new')!.tasks.map((x) => x.id)).toEqual([directiveTaskId]);
    const directives = await listOpenDirectives(ctx.db, actor, committeeId, '2023-05-01');
    expect(directives.groups).toHaveLength(1);
    expect(directives.groups[0]!.conclusions.map((k) => [k.seq, k.tasks.length])).toEqual([
      [1, 6],
      [2, 1],
    ]);
  });

  it('after the 30/9/2023 review meets everything, the targeted tasks propose completion; the frozen status does not move', async () => {
    await submittedReview(ctx.db, trangAn, '2023-09-30', []);
    const board = await getTaskBoard(ctx.db, actor, { unitId: trangAn, date: '2023-09-30' });
    const proposed = board.columns.flatMap((c) => c.tasks).filter((t) => t.proposal.proposed);
    expect(proposed.map((t) => t.id).sort((a, b) => a - b)).toEqual([...taskIds].sort((a, b) => a - b));
    expect(proposed[0]!.proposal.reason!.vi).toMatch(/^Bản rà soát ngày 30\/09\/2023: cả \d+ chỉ tiêu nhiệm vụ hướng tới đã đạt/);
    const directive = board.columns.flatMap((c) => c.tasks).find((t) => t.id === directiveTaskId)!;
    expect(directive.proposal.proposed).toBe(false);
    expect(board.counts.overdue).toBe(0);
    // Before the new review, nothing was proposed.
    expect((await getTask(ctx.db, actor, taskIds[1]!, '2023-09-29')).proposal.proposed).toBe(false);
    const m = await getMeeting(ctx.db, actor, meetingId, '2023-09-30');
    expect(m.units[0]!.snapshot.totals!.criteriaMet).toBe(13);
    expect(m.units[0]!.snapshot.summaryLine.vi).toMatch(/^Đạt 13\/19/);
  });

  it('the assignee confirms; on 1/10/2023 what is still open is overdue, and the daily job records it', async () => {
    for (const id of taskIds.slice(0, 4)) {
      const t = await getTask(ctx.db, actor, id, '2023-09-30');
      const done = await transitionTask(ctx.db, actor, id, { version: t.version, transition: 'complete', on: '2023-09-30' }, '2023-09-30');
      expect(done.status).toBe('done');
      expect(done.completedOn).toBe('2023-09-30');
      expect(done.progress).toBe(100);
    }
    const board = await getTaskBoard(ctx.db, actor, { unitId: trangAn, date: '2023-10-01' });
    expect(board.counts).toMatchObject({ done: 4, overdue: 3, new: 0, in_progress: 0 });
    const overdue = board.columns.find((c) => c.status === 'overdue')!.tasks;
    expect(overdue.map((t) => t.shownStatusLabel.vi)).toEqual(['Quá hạn', 'Quá hạn', 'Quá hạn']);
    expect(overdue.every((t) => t.daysLeft === -1)).toBe(true);
    // On 30/9 nothing was overdue yet.
    expect((await getTaskBoard(ctx.db, actor, { unitId: trangAn, date: '2023-09-30' })).counts.overdue).toBe(0);

    const run = await runReminders(ctx.db, { date: '2023-10-01' });
    expect(run.overdueMarked.sort((a, b) => a - b)).toEqual([...taskIds.slice(4), directiveTaskId].sort((a, b) => a - b));
    expect(run.digests).toHaveLength(1);
    expect(run.digests[0]!.text).toContain('quá hạn: 3');
    const again = await runReminders(ctx.db, { date: '2023-10-01' });
    expect(again.overdueMarked).toEqual([]);
    expect(again.recorded).toBe(0);
    expect((await getTask(ctx.db, actor, directiveTaskId, '2023-10-02')).overdueSince).toBe('2023-10-01');

    const inbox = await inboxFor(ctx.db, { username: 'chutich.tranganh', unitIds: [] }, '2023-10-01');
    expect(inbox.items.map((i) => i.kind)).toEqual(['overdue']);
    expect(inbox.items[0]!.message.vi).toBe('Quá hạn 1 ngày (hạn 30/09/2023): Hoàn thiện hồ sơ đề nghị công nhận trước 30/9/2023');
    const communeInbox = await inboxFor(ctx.db, { username: 'xa.tranganh', unitIds: [trangAn] }, '2023-10-01');
    expect(communeInbox.counts.overdue).toBe(2);
    expect(communeInbox.counts.proposed).toBe(2);
  });

  it('returning a completed task puts it back in the assignee inbox; cancelling needs a reason', async () => {
    const t = await getTask(ctx.db, actor, taskIds[0]!, '2023-10-01');
    await refused(transitionTask(ctx.db, actor, t.id, { version: t.version, transition: 'return' }), 'validation_failed', 'reason');
    const r = await transitionTask(ctx.db, actor, t.id, { version: t.version, transition: 'return', reason: 'Thiếu biên bản nghiệm thu' }, '2023-10-01');
    expect(r.status).toBe('in_progress');
    expect(r.returnedAt).not.toBeNull();
    const inbox = await inboxFor(ctx.db, { username: 'xa.tranganh', unitIds: [trangAn] }, '2023-10-02');
    expect(inbox.items.some((i) => i.kind === 'returned' && i.task.id === t.id)).toBe(true);
    await refused(transitionTask(ctx.db, actor, t.id, { version: r.version, transition: 'reopen' }), 'conflict');
  });

  it('never deletes tasks with a meeting: refused, or the tasks stay marked orphaned', async () => {
    const m = await getMeeting(ctx.db, actor, meetingId);
    const d = await refused(deleteMeeting(ctx.db, actor, meetingId, { version: m.version }), 'conflict');
    expect(d.messageVi).toContain('7 nhiệm vụ');
    const r = await deleteMeeting(ctx.db, actor, meetingId, { version: m.version, reason: 'Nhập trùng', orphanTasks: true });
    expect(r.orphanedTaskIds).toHaveLength(7);
    const t = await getTask(ctx.db, actor, directiveTaskId, '2023-10-02');
    expect(t.orphaned).toBe(true);
    expect(t.conclusionText).toContain('hồ sơ đề nghị công nhận');
    expect(await listMeetings(ctx.db, actor, { committeeId })).toEqual([]);
    const deleted = await getMeeting(ctx.db, actor, meetingId);
    expect(deleted.deleted).toBe(true);
    expect(deleted.conclusions).toHaveLength(2);
  });
});
