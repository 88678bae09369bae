import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';
import { databaseIsEmpty, seedDemoData, TRANG_AN, TRANG_AN_REVIEW_DATE, TRANG_AN_UNMET_CRITERIA, DEMO_PROVINCE_BEFORE, DEMO_PROVINCE_AFTER } from './demo.ts';
import { getCommunePage } from '../services/commune-page.service.ts';
import { getUnitSummary } from '../services/summary.service.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { listMeetings, getMeeting } from '../services/meeting.service.ts';
import { getCommittee, listCommittees } from '../services/committee.service.ts';
import { getTaskBoard } from '../services/task.service.ts';
import { getCommunePlanning } from '../services/action-plan.service.ts';
import { getDossier, listDossiers } from '../services/dossier.service.ts';
import { listAlerts } from '../services/revocation-alert.service.ts';
import { publicDossier } from '../services/consultation.service.ts';
import { publicRecognitions } from '../services/transparency.service.ts';
import { getAuthoredVersion } from '../services/criteria-authoring.service.ts';
import { DEMO_SET_2026_ID } from './demo-criteria-set.ts';
import { listCommunesUnder } from '../services/unit.service.ts';
import { listReviewsOfUnits } from '../db/review.repository.ts';

describeEachDialect('demo data', (ctx) => {
  let progressCalls = 0;
  beforeAll(async () => {
    expect(await databaseIsEmpty(ctx.db)).toBe(true);
    await seedDemoData(ctx.db, SYSTEM_ACTOR, () => progressCalls++);
  }, 180_000);

  it('tells the Tràng An story: 13/19 criteria and 64/75 indicators on 20/3/2023', async () => {
    expect(await isDemoDatabase(ctx.db.kysely)).toBe(true);
    expect(await databaseIsEmpty(ctx.db)).toBe(false);
    expect(progressCalls).toBeGreaterThan(100);
    const page = await getCommunePage(ctx.db, TRANG_AN, TRANG_AN_REVIEW_DATE);
    expect(page.unit.fullName).toBe('Xã Tràng An');
    expect(page.review!.reviewedOn).toBe(TRANG_AN_REVIEW_DATE);
    expect(page.review!.isDemo).toBe(true);
    // The page names the set the review was evaluated by, never by its id.
    expect(page.reviewSetName).toMatch(/^Bộ tiêu chí/);
    expect(page.reviewSetName).not.toBe(page.review!.setId);
    const t = page.evaluation!.totals;
    expect([t.criteriaMet, t.criteriaTotal, t.indicatorsMet, t.indicatorsTotal]).toEqual([13, 19, 64, 75]);
    expect(page.evaluation!.criteria.filter((c) => c.status !== 'met').map((c) => c.code)).toEqual(TRANG_AN_UNMET_CRITERIA);
    expect(page.summaryLine!.vi).toBe(
      'Đạt 13/19 tiêu chí, 64/75 chỉ tiêu; còn 6 tiêu chí, 11 chỉ tiêu chưa đạt: Giáo dục, Thông tin và Truyền thông, Tổ chức sản xuất và phát triển kinh tế nông thôn, Y tế, Hành chính công, Môi trường.',
    );
    const later = await getCommunePage(ctx.db, TRANG_AN, '2025-06-30');
    expect(later.recognitions.map((r) => r.level)).toContain('nang-cao');
  });

  it('shows the same communes after July 2025 inside Ninh Bình, with their history', async () => {
    const page = await getCommunePage(ctx.db, '13504@2025-07', '2025-12-31');
    expect(page.unit.parents.map((p) => p.fullName)).toContain('Tỉnh Ninh Bình');
    expect(page.unit.predecessors.map((p) => p.name).sort()).toEqual(['Bình Nghĩa', 'Tràng An', 'Đồng Du']);
    expect(page.review).not.toBeNull();
    expect(page.history.some((h) => h.relation === 'predecessor' && h.unitId === TRANG_AN && h.reviewedOn === TRANG_AN_REVIEW_DATE)).toBe(true);
    const before = await getUnitSummary(ctx.db, DEMO_PROVINCE_BEFORE, '2025-06-30');
    expect(before.denominator.communes).toBe(65);
    expect(before.reviewed).toBe(65);
    const after = await getUnitSummary(ctx.db, DEMO_PROVINCE_AFTER, '2025-12-31');
    expect(after.reviewed).toBeGreaterThan(10);
    expect(after.isDemo).toBe(true);
  });

  it('shows the current period working: Ninh Bình 2026–2030 set (demo) published, 2026 reviews evaluated by it, a verification waiting', async () => {
    const v1 = await getAuthoredVersion(ctx.db, SYSTEM_ACTOR, DEMO_SET_2026_ID, 1);
    expect(v1).toMatchObject({ status: 'published', demo: true, validFrom: '2026-02-15', validTo: '2030-12-31' });
    expect(v1.counts!.provenance).toEqual({ official: 0, secondary: 0, reconstructed: 5 });
    expect(v1.counts!.pendingCriteria.length).toBe(7);
    const v2 = await getAuthoredVersion(ctx.db, SYSTEM_ACTOR, DEMO_SET_2026_ID, 2);
    expect(v2).toMatchObject({ status: 'draft', awaitingVerification: 1 });
    expect(v2.indicators['6.1']).toMatchObject({ editedBy: 'tinh.ninhbinh', verifiedBy: null });
    expect(v2.indicators['6.1']!.sourceCopy!.contentType).toBe('application/pdf');
    const communes = (await listCommunesUnder(ctx.db.kysely, DEMO_PROVINCE_AFTER, '2026-09-30')).map((c) => c.id);
    const reviews2026 = (await listReviewsOfUnits(ctx.db.kysely, communes)).filter((r) => r.set_id === DEMO_SET_2026_ID);
    expect(reviews2026.length).toBeGreaterThan(20);
    expect(reviews2026.some((r) => r.unit_id === '13504@2025-07')).toBe(false); // Bình Lục keeps its dossier story on the 2021–2025 set
    const page = await getCommunePage(ctx.db, reviews2026[0]!.unit_id, '2026-09-30');
    expect(page.review!.setId).toBe(DEMO_SET_2026_ID);
    expect(page.reviewSetName).toMatch(/Ninh Bình giai đoạn 2026–2030 \(minh họa/);
    expect(page.evaluation!.totals.indicatorsTotal).toBe(5);
    expect(page.evaluation!.totals.indicatorsMet + page.evaluation!.totals.notEvaluable).toBeLessThanOrEqual(5);
  });

  it('replays the steering committee story: meeting of 20/3/2023, conclusions, tasks proposed complete after 30/9/2023, plan and budget', async () => {
    const [m] = await listMeetings(ctx.db, SYSTEM_ACTOR, { unitId: TRANG_AN });
    expect(m!.heldOn).toBe(TRANG_AN_REVIEW_DATE);
    expect(m!.isDemo).toBe(true);
    const meeting = await getMeeting(ctx.db, SYSTEM_ACTOR, m!.id, '2023-09-30');
    const t = meeting.units[0]!.snapshot.totals!;
    expect([t.criteriaMet, t.criteriaTotal, t.indicatorsMet, t.indicatorsTotal]).toEqual([13, 19, 64, 75]);
    expect(meeting.conclusions.map((c) => c.tasks.length)).toEqual([6, 1, 1]);
    expect(meeting.conclusions[1]!.text).toContain('trước ngày 30/9/2023');
    const board = await getTaskBoard(ctx.db, SYSTEM_ACTOR, { unitId: TRANG_AN, date: '2023-09-30' });
    const tasks = board.columns.flatMap((c) => c.tasks);
    expect(tasks.filter((x) => x.proposal.proposed).map((x) => x.targets.criteria[0])).toEqual(['5', '13', '14', '17']);
    expect(board.counts.done).toBe(3);
    expect(tasks.every((x) => x.isDemo)).toBe(true);
    const late = await getTaskBoard(ctx.db, SYSTEM_ACTOR, { unitId: TRANG_AN, date: '2023-11-01' });
    expect(late.counts.overdue).toBe(5);
    const planning = await getCommunePlanning(ctx.db, SYSTEM_ACTOR, TRANG_AN, '2023-05-01');
    expect(planning.plans[0]!.actions).toHaveLength(6);
    expect(planning.plans[0]!.totals.funding.bySource.map((f) => f.source)).toContain('diaspora');
    expect(planning.budgetRequests.map((r) => r.status).sort()).toEqual(['partially_approved', 'submitted']);
  });

  it('gives the demo committee member a committee that exists after the 2025 reform: the province’s, with a 2026 meeting', async () => {
    const committees = await listCommittees(ctx.db, SYSTEM_ACTOR, { unitId: '13504@2025-07', date: '2026-01-15' });
    const province = committees.find((c) => c.unitId === '37@2025-07')!;
    expect(province).toBeDefined();
    const detail = await getCommittee(ctx.db, SYSTEM_ACTOR, province.id, '2026-01-15');
    expect(detail.members.map((m) => m.username)).toContain('hoidong.ninhbinh');
    const [m] = await listMeetings(ctx.db, SYSTEM_ACTOR, { committeeId: province.id });
    const meeting = await getMeeting(ctx.db, SYSTEM_ACTOR, m!.id);
    expect(meeting.agenda.length).toBeGreaterThan(0);
    expect(meeting.participants.map((p) => p.role)).toContain('chair');
    expect(meeting.minutes).toContain('2026–2030');
    expect(meeting.conclusions[0]!.tasks[0]!.dueOn).toBe('2026-06-30');
  });

  it("carries Tràng An's dossier along the three-level procedure to its 2023 decision, and Bình Lục's 2026 dossier into public consultation", async () => {
    const all = await listDossiers(ctx.db, SYSTEM_ACTOR, {});
    const trangAn = all.find((d) => d.unitId === TRANG_AN)!;
    const d = await getDossier(ctx.db, SYSTEM_ACTOR, trangAn.id);
    expect(d).toMatchObject({ procedure: 'three-level', state: 'recognised', deadline: '2023-09-30', recognition: { level: 'nang-cao', decisionNo: '3456/QĐ-UBND', decidedOn: '2023-12-14' } });
    expect(d.transitions.filter((t) => t.action === 'return').map((t) => t.actor)).toEqual(['huyen.binhluc']);
    expect(d.documents.filter((x) => x.versions.length > 0).length).toBeGreaterThanOrEqual(10);
    const binhLuc = all.find((x) => x.unitId === '13504@2025-07')!;
    expect(binhLuc).toMatchObject({ procedure: 'two-level', state: 'commune_consultation', closed: false });
    const pub = await publicDossier(ctx.db, binhLuc.id, new Date());
    expect(pub.open).toBe(true);
    expect(pub.criteria).toHaveLength(19);
    // It meets every criterion at its base review: only the declarations and documents stand between it and submission.
    expect((await getDossier(ctx.db, SYSTEM_ACTOR, binhLuc.id)).preconditions.find((p) => p.code === 'set_met')!.met).toBe(true);
    const portal = await publicRecognitions(ctx.db, { q: 'trang an' });
    expect(portal.find((r) => r.unitId === TRANG_AN)!.recognitions.map((r) => r.decisionNo)).toContain('3456/QĐ-UBND');
  });

  it("raises one revocation alert from a recognised commune's declining review", async () => {
    const alerts = await listAlerts(ctx.db, SYSTEM_ACTOR, { status: 'open' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'nang-cao', rule: 'share_50', reviewDate: '2025-06-20' });
    expect(alerts[0]!.failingCriteria.length).toBeGreaterThanOrEqual(10);
  });
});
