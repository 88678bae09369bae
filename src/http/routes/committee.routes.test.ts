/**
 * The committee, meeting, task, action-plan and inbox API over HTTP (app.inject), signed in as the
 * people who use it: the district office runs the meeting, the commune officer reports progress
 * and edits the commune's plan, a viewer reads, anonymous callers may not write.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';
import { spreadIndicators, submittedReview } from '../../test-support/committee.ts';

type Json = Record<string, any>;

describeEachDialect('committee, meeting and task API', (ctx) => {
  let app: App;
  let trangAn = '';
  let district = '';
  let province = '';
  let office: SignedIn;
  let commune: SignedIn;
  let viewer: SignedIn;
  let meetingId = 0;
  let taskId = 0;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = u.id;
    district = u.parent_id!;
    province = u.province_id!;
    await submittedReview(ctx.db, trangAn, '2023-03-20', spreadIndicators(['5', '8', '13', '14', '15', '17'], 11));
    office = await signIn(app, { role: 'district_office', unitId: district });
    commune = await signIn(app, { role: 'commune_officer', unitId: trangAn, username: `xa${ctx.dialect}` });
    viewer = await signIn(app, { role: 'viewer', unitId: province });
  }, 120_000);
  afterAll(async () => app.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as Json } : {}) });

  it('documents every route in OpenAPI and declares an action on each', async () => {
    const doc = (await inject('GET', '/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/committees', '/api/v1/meetings/{id}/conclusions', '/api/v1/tasks/{id}/progress', '/api/v1/units/{id}/action-plans', '/api/v1/budget-requests/{id}/response', '/api/v1/inbox', '/api/v1/meetings/{id}/documents/conclusion-notice.docx']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const mine = app.datchuan.routes.filter((r) => /committee|meeting|conclusion|task|action-plan|budget|inbox/.test(r.url));
    expect(mine.length).toBeGreaterThan(25);
    expect(mine.filter((r) => !r.action)).toEqual([]);
  });

  it('only the committee side creates committees and meetings; anonymous callers are refused', async () => {
    const body = { unitId: district, name: 'Ban Chỉ đạo các chương trình MTQG huyện Bình Lục', periodFrom: '2020-10-01' };
    expect((await inject('POST', '/committees', {}, body)).statusCode).toBe(401);
    expect((await inject('POST', '/committees', commune, body)).statusCode).toBe(403);
    const created = await inject('POST', '/committees', office, body);
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const c = created.json() as Json;
    const withHead = await inject('POST', `/committees/${c.id}/members`, office, { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy', role: 'head', joinedOn: '2020-10-01' });
    expect(withHead.statusCode).toBe(201);
    const m = await inject('POST', '/meetings', office, {
      committeeId: c.id,
      title: 'Làm việc với xã Tràng An',
      heldOn: '2023-03-20',
      unitIds: [trangAn],
      participants: [{ personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy', role: 'chair' }],
    });
    expect(m.statusCode).toBe(201);
    const meeting = m.json() as Json;
    meetingId = meeting.id;
    expect(meeting.units[0].snapshot.summaryLine.vi).toMatch(/^Đạt 13\/19 tiêu chí, 64\/75 chỉ tiêu/);
    const read = await inject('GET', `/meetings/${meetingId}`, viewer);
    expect(read.statusCode).toBe(200);
    expect((await inject('GET', `/committees?unitId=${trangAn}`, viewer)).json().items).toHaveLength(1);
  });

  it('conclusions become tasks; a task without assignee or with a due date before the meeting is refused naming the field', async () => {
    const bad = await inject('POST', `/meetings/${meetingId}/conclusions`, office, {
      text: 'Hoàn thành tiêu chí Giáo dục',
      unitId: trangAn,
      tasks: [{ title: 'Xây phòng học', dueOn: '2023-09-30' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('tasks.0.assignee');
    expect(bad.json().error.message_vi).toContain('người thực hiện');
    const early = await inject('POST', `/meetings/${meetingId}/conclusions`, office, {
      text: 'Hoàn thành tiêu chí Giáo dục',
      tasks: [{ title: 'Xây phòng học', assignee: { kind: 'unit', unitId: trangAn }, dueOn: '2023-01-01' }],
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.fields[0].field).toBe('tasks.0.dueOn');
    const ok = await inject('POST', `/meetings/${meetingId}/conclusions`, office, {
      text: 'Hoàn thành tiêu chí Giáo dục',
      unitId: trangAn,
      tasks: [{ title: 'Xây phòng học', assignee: { kind: 'unit', unitId: trangAn }, targets: { criteria: ['5'] }, dueOn: '2023-09-30', priority: 'high' }],
    });
    expect(ok.statusCode).toBe(201);
    taskId = ok.json().tasks[0].id;
    const board = (await inject('GET', `/tasks?unitId=${trangAn}&date=2023-10-01`, viewer)).json() as Json;
    expect(board.counts.overdue).toBe(1);
    expect(board.columns.find((c: Json) => c.status === 'overdue').label.vi).toBe('Quá hạn');
  });

  it('the commune officer reports progress with If-Match; stale versions get 409; cancelling is the committee’s', async () => {
    const t = await inject('GET', `/tasks/${taskId}?date=2023-05-01`, commune);
    expect(t.headers.etag).toBe('"1"');
    const p = await inject('POST', `/tasks/${taskId}/progress?date=2023-05-01`, { ...commune, 'if-match': '"1"' }, { progress: 40, text: 'Đang thi công', on: '2023-05-01' });
    expect(p.statusCode).toBe(200);
    expect(p.json().shownStatus).toBe('in_progress');
    const stale = await inject('POST', `/tasks/${taskId}/progress`, { ...commune, 'if-match': '"1"' }, { progress: 50 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const cancel = await inject('POST', `/tasks/${taskId}/transitions`, { ...commune, 'if-match': '"2"' }, { transition: 'cancel', reason: 'x' });
    expect(cancel.statusCode).toBe(403);
    expect((await inject('POST', `/tasks/${taskId}/comments`, viewer, { text: 'xem' })).statusCode).toBe(403);
    // A comment answers with the task exactly as a read of it gives, for the same reader and date
    // (the answer is built from the row the comment loaded, not read again): the commune may
    // complete but not cancel; the committee's office may do both.
    for (const [who, headers] of [['commune', commune], ['office', office]] as const) {
      const c = await inject('POST', `/tasks/${taskId}/comments?date=2023-05-01`, headers, { text: `Ý kiến của ${who}` });
      expect(c.statusCode).toBe(200);
      expect(c.json()).toEqual((await inject('GET', `/tasks/${taskId}?date=2023-05-01`, headers)).json());
      expect(c.json().updates.at(-1)).toMatchObject({ kind: 'comment', text: `Ý kiến của ${who}` });
      expect(c.json().allowedTransitions.includes('cancel')).toBe(who === 'office');
      expect(c.json().allowedTransitions).toContain('complete');
    }
    const inbox = await inject('GET', '/inbox?date=2023-09-25', commune);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().items.map((i: Json) => i.kind)).toEqual(['due_soon']);
    expect((await inject('GET', '/inbox')).statusCode).toBe(401);
  });

  it('downloads the two meeting documents as .docx', async () => {
    const notice = await inject('GET', `/meetings/${meetingId}/documents/conclusion-notice.docx`, viewer);
    expect(notice.statusCode).toBe(200);
    expect(notice.headers['content-type']).toContain('wordprocessingml');
    expect(notice.headers['content-disposition']).toMatch(/attachment; filename="thong-bao-ket-luan-2023-03-20-trang-an\.docx"/);
    expect(notice.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const report = await inject('GET', `/meetings/${meetingId}/documents/progress-report.docx?unitId=${trangAn}`, commune);
    expect(report.statusCode).toBe(200);
  });

  it('the commune edits its action plan; a funding line whose disbursed exceeds mobilised is refused; the district answers its budget request', async () => {
    const plan = await inject('POST', '/action-plans', commune, { unitId: trangAn, title: 'Kế hoạch 2023' });
    expect(plan.statusCode).toBe(201);
    const planId = plan.json().id;
    const bad = await inject('POST', `/action-plans/${planId}/actions`, commune, {
      criterionCode: '5',
      action: 'Xây phòng học',
      funding: [{ source: 'province_budget', planned: 1_000_000_000, mobilised: 500_000_000, disbursed: 600_000_000 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('funding.0.disbursed');
    expect(bad.json().error.message_vi).toContain('vượt số đã huy động');
    const ok = await inject('POST', `/action-plans/${planId}/actions`, commune, {
      criterionCode: '5',
      indicatorCode: null,
      action: 'Xây phòng học',
      estimatedCost: 1_000_000_000,
      funding: [{ source: 'community', planned: 100_000_000, mobilised: 80_000_000, disbursed: 50_000_000 }],
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().totals.funding).toMatchObject({ planned: 100_000_000, mobilised: 80_000_000, disbursed: 50_000_000 });
    expect((await inject('POST', '/action-plans', office, { unitId: trangAn, title: 'x' })).statusCode).toBe(201);
    const req = await inject('POST', '/budget-requests', commune, { unitId: trangAn, toUnitId: district, title: 'Hỗ trợ phòng học', source: 'district_budget', amount: 700_000_000, requestedOn: '2023-03-15', submit: true });
    expect(req.statusCode).toBe(201);
    const id = req.json().id;
    expect((await inject('POST', `/budget-requests/${id}/response`, { ...commune, 'if-match': '"1"' }, { decision: 'approved' })).statusCode).toBe(403);
    const answer = await inject('POST', `/budget-requests/${id}/response`, { ...office, 'if-match': '"1"' }, { decision: 'partially_approved', approvedAmount: 500_000_000, responseText: 'Hỗ trợ 500 triệu', respondedOn: '2023-04-10' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ status: 'partially_approved', approvedAmount: 500_000_000 });
    const planning = (await inject('GET', `/units/${trangAn}/action-plans?date=2023-04-10`, viewer)).json() as Json;
    expect(planning.unmet.map((c: Json) => c.code)).toEqual(['5', '8', '13', '14', '15', '17']);
    expect(planning.budgetRequests[0].statusLabel.vi).toBe('Đồng ý một phần');
  });

  it('deleting a meeting with tasks is refused unless the tasks are kept as orphans', async () => {
    const m = await inject('GET', `/meetings/${meetingId}`, office);
    const v = m.headers.etag as string;
    const refused = await inject('DELETE', `/meetings/${meetingId}`, { ...office, 'if-match': v });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message_vi).toContain('Nhiệm vụ không bao giờ bị xóa theo');
    const ok = await inject('DELETE', `/meetings/${meetingId}?orphanTasks=true&reason=Nhap%20trung`, { ...office, 'if-match': v });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().orphanedTaskIds).toEqual([taskId]);
    expect((await inject('GET', `/tasks/${taskId}`, viewer)).json().orphaned).toBe(true);
  });
});
