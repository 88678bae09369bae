/**
 * Ban Chỉ đạo minh họa — the steering-committee story of the demo data: the Bình Lục district
 * steering committee visits Tràng An on 20/3/2023; the commune presents 13/19 criteria and 64/75
 * indicators; the head concludes (tasks for the six unmet criteria, and "complete the recognition
 * dossier by 30/9/2023"); the commune and the district's offices report progress; the 30/9/2023
 * review meets everything, so the targeted tasks still open propose their own completion; two are
 * confirmed, the dossier is filed; the district office's examination task is left late. Plus the
 * commune's action plan with funding by source and two budget requests. Every person named is
 * fictional; every record is marked as demo.
 */
import type { Db } from '../db/database.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { targetText, valueText } from '../files/format.ts';
import type { Actor } from '../services/actor.ts';
import { addMember, createCommittee, getCommittee, updateMember } from '../services/committee.service.ts';
import { addConclusion, createMeeting, getMeeting } from '../services/meeting.service.ts';
import { getTask, reportProgress, transitionTask } from '../services/task.service.ts';
import { addAction, changeBudgetRequestStatus, createBudgetRequest, createPlan, respondBudgetRequest } from '../services/action-plan.service.ts';
import type { FundingInput } from '../services/action-plan.service.ts';

export const DEMO_DISTRICT = '352@2025-03';
export const DEMO_COMMUNE = '13510@2025-03';
export const DEMO_PROVINCE = '35@2025-03';
export const DEMO_MEETING_DATE = '2023-03-20';

/** Criterion → who the committee gave it to (a district agency, or the commune itself). */
const CRITERION_OWNERS: Record<string, { agency: string | null; member: string | null; title: string }> = {
  '5': { agency: 'Phòng Giáo dục và Đào tạo huyện', member: 'Phạm Văn Đức', title: 'Hoàn thành tiêu chí số 5 về Giáo dục: đầu tư phòng học, phòng chức năng trường mầm non' },
  '8': { agency: null, member: null, title: 'Hoàn thành tiêu chí số 8 về Thông tin và Truyền thông: điểm phục vụ bưu chính, dịch vụ công trực tuyến' },
  '13': { agency: 'Phòng Nông nghiệp và PTNT huyện', member: 'Lê Thị Hoa', title: 'Hoàn thành tiêu chí số 13: củng cố hợp tác xã, xây dựng sản phẩm OCOP' },
  '14': { agency: null, member: null, title: 'Hoàn thành tiêu chí số 14 về Y tế: tỷ lệ tham gia bảo hiểm y tế, hồ sơ sức khỏe điện tử' },
  '15': { agency: null, member: null, title: 'Hoàn thành tiêu chí số 15 về Hành chính công: bộ phận một cửa, thủ tục trực tuyến' },
  '17': { agency: null, member: null, title: 'Hoàn thành tiêu chí số 17 về Môi trường: thu gom, xử lý rác thải và nước thải sinh hoạt' },
};

const MEMBERS = [
  { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy', role: 'head' as const, criteria: [] },
  { personName: 'Trần Quốc Nam', position: 'Chủ tịch UBND huyện', role: 'deputy' as const, criteria: [] },
  { personName: 'Lê Thị Hoa', position: 'Trưởng phòng Nông nghiệp và PTNT', agency: 'Phòng Nông nghiệp và PTNT huyện', role: 'standing' as const, criteria: ['13'], username: 'huyen.binhluc' },
  { personName: 'Phạm Văn Đức', position: 'Trưởng phòng Giáo dục và Đào tạo', agency: 'Phòng Giáo dục và Đào tạo huyện', role: 'member' as const, criteria: ['5'] },
  { personName: 'Nguyễn Thị Lan', position: 'Giám đốc Trung tâm Y tế huyện', agency: 'Trung tâm Y tế huyện', role: 'member' as const, criteria: ['14'] },
  { personName: 'Vũ Minh Tuấn', position: 'Trưởng phòng Văn hóa và Thông tin', agency: 'Phòng Văn hóa và Thông tin huyện', role: 'member' as const, criteria: ['8', '16'] },
  { personName: 'Hoàng Văn Long', position: 'Chánh Văn phòng HĐND và UBND huyện', agency: 'Văn phòng HĐND và UBND huyện', role: 'member' as const, criteria: ['15'] },
  { personName: 'Đỗ Thị Mai', position: 'Trưởng phòng Tài nguyên và Môi trường', agency: 'Phòng Tài nguyên và Môi trường huyện', role: 'member' as const, criteria: ['17', '18'] },
];

export interface DemoCommitteeResult {
  committeeId: number;
  meetingId: number;
  taskIds: number[];
  planId: number;
}

async function progress(db: Db, actor: Actor, id: number, on: string, pct: number, text: string, evidence?: string): Promise<void> {
  const t = await getTask(db, actor, id, on);
  await reportProgress(db, actor, id, { version: t.version, progress: pct, text, on, evidence: evidence ? [{ title: evidence }] : [] }, on);
}

async function complete(db: Db, actor: Actor, id: number, on: string, note: string): Promise<void> {
  const t = await getTask(db, actor, id, on);
  await transitionTask(db, actor, id, { version: t.version, transition: 'complete', reason: note, on }, on);
}

export async function seedDemoCommittee(db: Db, actor: Actor): Promise<DemoCommitteeResult> {
  const committee = await createCommittee(db, actor, {
    unitId: DEMO_DISTRICT,
    name: 'Ban Chỉ đạo các chương trình mục tiêu quốc gia huyện Bình Lục',
    decisionNo: '125/QĐ-HU (minh họa)',
    periodFrom: '2020-10-01',
    periodTo: '2025-06-30',
    note: 'Dữ liệu minh họa: tên người là hư cấu.',
    isDemo: true,
  });
  const memberIds = new Map<string, number>();
  for (const m of MEMBERS) {
    const c = await addMember(db, actor, committee.id, { ...m, joinedOn: '2020-10-01' });
    memberIds.set(m.personName, c.history.find((x) => x.personName === m.personName)!.id);
  }
  // Membership history: the district chairman changed in 2024.
  const before = await getCommittee(db, actor, committee.id, '2024-01-01');
  const chairman = before.members.find((m) => m.personName === 'Trần Quốc Nam')!;
  await updateMember(db, actor, chairman.id, { version: chairman.version, leftOn: '2024-05-01', leftReason: 'Chuyển công tác (minh họa)' });
  await addMember(db, actor, committee.id, { personName: 'Bùi Đức Thắng', position: 'Chủ tịch UBND huyện', role: 'deputy', joinedOn: '2024-05-01' });

  const meeting = await createMeeting(db, actor, {
    committeeId: committee.id,
    kind: 'working_session',
    title: 'Làm việc với xã Tràng An về tiến độ xây dựng xã nông thôn mới nâng cao',
    heldOn: DEMO_MEETING_DATE,
    place: 'Hội trường UBND xã Tràng An',
    status: 'concluded',
    agenda: [
      'UBND xã Tràng An báo cáo kết quả xây dựng NTM nâng cao, giải pháp và kiến nghị',
      'Thành viên Ban Chỉ đạo phụ trách các tiêu chí phát biểu ý kiến',
      'Đồng chí Trưởng Ban Chỉ đạo kết luận',
    ],
    minutes:
      'Xã báo cáo: đạt 13/19 tiêu chí, 64/75 chỉ tiêu; 6 tiêu chí chưa đạt (Giáo dục, Thông tin và Truyền thông, Tổ chức sản xuất, Y tế, Hành chính công, Môi trường). Xã kiến nghị huyện hỗ trợ kinh phí xây dựng phòng học mầm non và hệ thống xử lý nước thải. Các thành viên thống nhất lộ trình hoàn thành trước 30/9/2023.',
    attachments: [{ title: 'Báo cáo số 15/BC-UBND ngày 15/3/2023 của UBND xã Tràng An (minh họa)' }, { title: 'Biên bản buổi làm việc (minh họa)' }],
    participants: [
      { personName: 'Đinh Văn Hà', position: 'Bí thư Huyện ủy, Trưởng Ban Chỉ đạo', role: 'chair', memberId: memberIds.get('Đinh Văn Hà')! },
      { personName: 'Trần Quốc Nam', position: 'Chủ tịch UBND huyện, Phó Trưởng ban', role: 'member', memberId: memberIds.get('Trần Quốc Nam')! },
      ...MEMBERS.slice(2).map((m) => ({ personName: m.personName, position: m.position, role: 'member' as const, memberId: memberIds.get(m.personName)! })),
      { personName: 'Nguyễn Văn Bình', position: 'Chủ tịch UBND xã Tràng An', role: 'commune' as const },
      { personName: 'Trương Thị Hằng', position: 'Bí thư Đảng ủy xã Tràng An', role: 'commune' as const },
      { personName: 'Phan Văn Khoa', position: 'Chuyên viên Văn phòng Điều phối NTM huyện', role: 'secretary' as const },
    ],
    unitIds: [DEMO_COMMUNE],
    isDemo: true,
  });

  const criteriaConclusion = await addConclusion(db, actor, meeting.id, {
    unitId: DEMO_COMMUNE,
    text: 'Ghi nhận sự cố gắng của Đảng bộ, chính quyền và Nhân dân xã Tràng An. Yêu cầu xã tập trung chỉ đạo hoàn thành 06 tiêu chí chưa đạt; các phòng, ban phụ trách tiêu chí phối hợp, hướng dẫn xã.',
    tasks: Object.entries(CRITERION_OWNERS).map(([code, o]) => ({
      title: o.title,
      assignee: o.agency ? { kind: 'agency' as const, name: o.agency, memberId: o.member ? memberIds.get(o.member)! : null } : { kind: 'unit' as const, unitId: DEMO_COMMUNE },
      targets: { criteria: [code] },
      dueOn: '2023-09-30',
      priority: code === '17' ? ('high' as const) : ('normal' as const),
      isDemo: true,
    })),
  });
  const dossier = await addConclusion(db, actor, meeting.id, {
    unitId: DEMO_COMMUNE,
    text: 'UBND xã Tràng An hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới nâng cao trước ngày 30/9/2023.',
    tasks: [{ title: 'Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn NTM nâng cao trước 30/9/2023', assignee: { kind: 'unit', unitId: DEMO_COMMUNE }, dueOn: '2023-09-30', priority: 'urgent', isDemo: true }],
  });
  const examine = await addConclusion(db, actor, meeting.id, {
    unitId: DEMO_COMMUNE,
    text: 'Văn phòng Điều phối NTM huyện chủ trì thẩm tra hồ sơ, báo cáo Ban Chỉ đạo trước ngày 31/10/2023.',
    tasks: [{ title: 'Thẩm tra hồ sơ đề nghị công nhận xã Tràng An', assignee: { kind: 'agency', name: 'Văn phòng Điều phối NTM huyện', username: 'huyen.binhluc' }, dueOn: '2023-10-31', priority: 'high', isDemo: true }],
  });
  const byCode = new Map(Object.keys(CRITERION_OWNERS).map((code, i) => [code, criteriaConclusion.tasks[i]!.id]));
  const dossierTask = dossier.tasks[0]!.id;
  const examineTask = examine.tasks[0]!.id;

  await progress(db, actor, byCode.get('5')!, '2023-05-15', 40, 'Khởi công 06 phòng học trường mầm non', 'Biên bản bàn giao mặt bằng (minh họa)');
  await progress(db, actor, byCode.get('8')!, '2023-05-20', 60, 'Đã lắp đặt điểm phục vụ bưu chính; đang hướng dẫn người dân dùng dịch vụ công trực tuyến');
  await progress(db, actor, byCode.get('13')!, '2023-07-20', 80, 'Hợp tác xã được củng cố; 01 sản phẩm đề nghị đánh giá OCOP 3 sao', 'Hồ sơ OCOP (minh họa)');
  await progress(db, actor, byCode.get('14')!, '2023-07-25', 70, 'Tỷ lệ tham gia BHYT đạt 93%');
  await progress(db, actor, byCode.get('15')!, '2023-06-30', 90, 'Bộ phận một cửa được nâng cấp');
  await progress(db, actor, byCode.get('17')!, '2023-08-10', 50, 'Đang lắp đặt hệ thống xử lý nước thải khu dân cư', 'Ảnh hiện trường (minh họa)');
  await progress(db, actor, dossierTask, '2023-09-15', 90, 'Đã lấy ý kiến Nhân dân; tỷ lệ hài lòng 98,6%');
  await complete(db, actor, dossierTask, '2023-09-29', 'Tờ trình số 62/TTr-UBND ngày 29/9/2023 (minh họa)');
  // The 30/9/2023 review meets every indicator: the targeted tasks now propose completion; two are confirmed.
  await complete(db, actor, byCode.get('8')!, '2023-09-30', 'Rà soát 30/9/2023: đạt');
  await complete(db, actor, byCode.get('15')!, '2023-09-30', 'Rà soát 30/9/2023: đạt');
  await progress(db, actor, examineTask, '2023-10-20', 50, 'Đã kiểm tra thực tế 4/6 tiêu chí');

  // Kế hoạch hành động with funding by source.
  const set = getCatalog().get((await getMeeting(db, actor, meeting.id)).units[0]!.snapshot.setId!);
  const unmet = (await getMeeting(db, actor, meeting.id)).units[0]!.snapshot.unmet;
  const plan = await createPlan(db, actor, { unitId: DEMO_COMMUNE, setId: set.id, title: 'Kế hoạch hoàn thành các tiêu chí xã NTM nâng cao năm 2023', periodTo: '2023-09-30', note: 'Theo kết luận của Ban Chỉ đạo huyện ngày 20/3/2023 (minh họa)', isDemo: true });
  const M = 1_000_000;
  const ACTIONS: Record<string, { action: string; cost: number; owner: string; due: string; funding: FundingInput[] }> = {
    '5': {
      action: 'Xây dựng 06 phòng học, phòng chức năng trường mầm non',
      cost: 2_500 * M,
      owner: 'UBND xã, Phòng GD&ĐT huyện',
      due: '2023-08-31',
      funding: [
        { source: 'province_budget', planned: 1_200 * M, mobilised: 1_200 * M, disbursed: 1_000 * M },
        { source: 'district_budget', planned: 800 * M, mobilised: 800 * M, disbursed: 600 * M },
        { source: 'commune_budget', planned: 300 * M, mobilised: 300 * M, disbursed: 300 * M },
        { source: 'diaspora', planned: 200 * M, mobilised: 260 * M, disbursed: 260 * M, note: 'Con em quê hương ở Hà Nội, TP. Hồ Chí Minh ủng hộ' },
      ],
    },
    '8': { action: 'Lắp đặt điểm phục vụ bưu chính, tập huấn dịch vụ công trực tuyến', cost: 150 * M, owner: 'UBND xã', due: '2023-06-30', funding: [{ source: 'commune_budget', planned: 100 * M, mobilised: 100 * M, disbursed: 100 * M }, { source: 'enterprise', planned: 50 * M, mobilised: 50 * M, disbursed: 50 * M }] },
    '13': { action: 'Củng cố hợp tác xã nông nghiệp, xây dựng sản phẩm OCOP', cost: 400 * M, owner: 'HTX Tràng An, Phòng NN&PTNT', due: '2023-08-31', funding: [{ source: 'central_budget', planned: 250 * M, mobilised: 250 * M, disbursed: 180 * M }, { source: 'credit', planned: 150 * M, mobilised: 100 * M, disbursed: 100 * M }] },
    '14': { action: 'Vận động người dân tham gia bảo hiểm y tế, lập hồ sơ sức khỏe điện tử', cost: 60 * M, owner: 'Trạm Y tế xã', due: '2023-09-15', funding: [{ source: 'commune_budget', planned: 60 * M, mobilised: 60 * M, disbursed: 45 * M }] },
    '15': { action: 'Nâng cấp bộ phận tiếp nhận và trả kết quả một cửa', cost: 120 * M, owner: 'Văn phòng UBND xã', due: '2023-06-30', funding: [{ source: 'district_budget', planned: 120 * M, mobilised: 120 * M, disbursed: 120 * M }] },
    '17': {
      action: 'Xây dựng hệ thống thu gom, xử lý nước thải sinh hoạt khu dân cư tập trung',
      cost: 3_200 * M,
      owner: 'UBND xã, Phòng TN&MT huyện',
      due: '2023-09-30',
      funding: [
        { source: 'province_budget', planned: 2_000 * M, mobilised: 1_500 * M, disbursed: 1_100 * M },
        { source: 'commune_budget', planned: 500 * M, mobilised: 500 * M, disbursed: 400 * M },
        { source: 'community', planned: 700 * M, mobilised: 640 * M, disbursed: 640 * M, note: 'Nhân dân đóng góp tiền, ngày công' },
      ],
    },
  };
  for (const c of unmet) {
    const a = ACTIONS[c.code];
    if (!a) continue;
    const first = c.indicators[0];
    const ind = first ? set.criteria.find((x) => x.code === c.code)?.indicators.find((i) => i.code === first.code) : undefined;
    await addAction(db, actor, plan.id, {
      criterionCode: c.code,
      indicatorCode: first?.code ?? null,
      action: a.action,
      fromValue: ind && first ? valueText(ind, first.value) || 'chưa có' : null,
      toValue: ind && first ? targetText(ind, first.target.op, first.target.value) : null,
      estimatedCost: a.cost,
      targetOn: a.due,
      owner: a.owner,
      status: c.code === '8' || c.code === '15' ? 'done' : 'in_progress',
      taskId: byCode.get(c.code) ?? null,
      funding: a.funding,
    });
  }

  // Đề xuất kinh phí: one answered in part by the district, one still with the province.
  const r1 = await createBudgetRequest(db, actor, { unitId: DEMO_COMMUNE, toUnitId: DEMO_DISTRICT, planId: plan.id, title: 'Hỗ trợ kinh phí xây dựng phòng học trường mầm non', purpose: 'Hoàn thành tiêu chí số 5 về Giáo dục', source: 'district_budget', amount: 1_200 * M, requestedOn: '2023-03-15', submit: true, isDemo: true });
  await respondBudgetRequest(db, actor, r1.id, { version: r1.version, decision: 'partially_approved', approvedAmount: 800 * M, responseText: 'Huyện hỗ trợ 800 triệu đồng trong năm 2023 (minh họa)', respondedOn: '2023-04-10' });
  const r2 = await createBudgetRequest(db, actor, { unitId: DEMO_COMMUNE, toUnitId: DEMO_PROVINCE, planId: plan.id, title: 'Hỗ trợ xây dựng hệ thống xử lý nước thải sinh hoạt', purpose: 'Hoàn thành tiêu chí số 17 về Môi trường', source: 'province_budget', amount: 2_000 * M, requestedOn: '2023-03-25', isDemo: true });
  await changeBudgetRequestStatus(db, actor, r2.id, { version: r2.version, action: 'submit' });

  return { committeeId: committee.id, meetingId: meeting.id, taskIds: [...byCode.values(), dossierTask, examineTask], planId: plan.id };
}

/** The province and the new commune of the demo after the 2025 reform (no districts). */
export const DEMO_PROVINCE_AFTER_MERGE = '37@2025-07';
export const DEMO_COMMUNE_AFTER_MERGE = '13504@2025-07';

/**
 * The Ninh Bình province steering committee of 2025–2030 (after 1/7/2025 a province's committee
 * steers its communes directly): its members — the demo committee member `hoidong.ninhbinh`
 * among them — and one working session with the new Bình Lục commune on 15/1/2026 with agenda,
 * participants, minutes and a conclusion with a task.
 */
export async function seedDemoProvinceCommittee(db: Db, actor: Actor): Promise<{ committeeId: number; meetingId: number }> {
  const committee = await createCommittee(db, actor, {
    unitId: DEMO_PROVINCE_AFTER_MERGE,
    name: 'Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh Ninh Bình',
    decisionNo: '1024/QĐ-UBND (minh họa)',
    periodFrom: '2025-07-01',
    periodTo: '2030-12-31',
    note: 'Dữ liệu minh họa: tên người là hư cấu.',
    isDemo: true,
  });
  const members = [
    { personName: 'Trịnh Minh Quang', position: 'Chủ tịch UBND tỉnh', role: 'head' as const, criteria: [] },
    { personName: 'Ngô Thị Thu', position: 'Giám đốc Sở Nông nghiệp và Môi trường', agency: 'Sở Nông nghiệp và Môi trường', role: 'deputy' as const, criteria: ['13', '17'] },
    { personName: 'Lại Văn Phúc', position: 'Chánh Văn phòng Điều phối NTM tỉnh', agency: 'Văn phòng Điều phối NTM tỉnh', role: 'standing' as const, criteria: [], username: 'tinh.ninhbinh' },
    { personName: 'Đặng Thị Ngọc', position: 'Phó Giám đốc Sở Giáo dục và Đào tạo', agency: 'Sở Giáo dục và Đào tạo', role: 'member' as const, criteria: ['5'], username: 'hoidong.ninhbinh' },
  ];
  const ids = new Map<string, number>();
  for (const m of members) {
    const c = await addMember(db, actor, committee.id, { ...m, joinedOn: '2025-07-01' });
    ids.set(m.personName, c.history.find((x) => x.personName === m.personName)!.id);
  }
  const meeting = await createMeeting(db, actor, {
    committeeId: committee.id,
    kind: 'working_session',
    title: 'Làm việc với xã Bình Lục về xây dựng nông thôn mới giai đoạn 2026–2030',
    heldOn: '2026-01-15',
    place: 'Trụ sở UBND xã Bình Lục',
    status: 'concluded',
    agenda: ['UBND xã Bình Lục báo cáo kết quả rà soát sau sắp xếp đơn vị hành chính', 'Các sở, ngành phụ trách tiêu chí góp ý', 'Trưởng Ban Chỉ đạo kết luận'],
    minutes: 'Xã báo cáo kết quả rà soát ngày 15/12/2025 theo bộ tiêu chí giai đoạn 2021–2025; thống nhất rà soát lại theo bộ tiêu chí 2026–2030 khi tỉnh ban hành.',
    participants: [
      ...members.map((m, i) => ({ personName: m.personName, position: m.position, role: i === 0 ? ('chair' as const) : ('member' as const), memberId: ids.get(m.personName)! })),
      { personName: 'Mai Văn Hùng', position: 'Chủ tịch UBND xã Bình Lục', role: 'commune' as const },
      { personName: 'Tạ Thị Yến', position: 'Chuyên viên Văn phòng Điều phối NTM tỉnh', role: 'secretary' as const },
    ],
    unitIds: [DEMO_COMMUNE_AFTER_MERGE],
    isDemo: true,
  });
  await addConclusion(db, actor, meeting.id, {
    unitId: DEMO_COMMUNE_AFTER_MERGE,
    text: 'UBND xã Bình Lục rà soát lại toàn bộ các tiêu chí theo Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026–2030, báo cáo Ban Chỉ đạo tỉnh trước ngày 30/6/2026.',
    tasks: [{ title: 'Rà soát các tiêu chí theo bộ tiêu chí 2026–2030', assignee: { kind: 'unit', unitId: DEMO_COMMUNE_AFTER_MERGE }, dueOn: '2026-06-30', priority: 'high', isDemo: true }],
  });
  return { committeeId: committee.id, meetingId: meeting.id };
}
