/**
 * Văn bản của hồ sơ công nhận — drafts generated from the dossier's data (Decree 30/2020 format):
 * - `buildSubmissionLetter`: Tờ trình đề nghị xét, công nhận (commune → district, or → province
 *   after 1/7/2025);
 * - `buildCommentSummary`: Báo cáo tổng hợp ý kiến tham gia của nhân dân (the moderated comments);
 * - `buildRevocationReviewReport`: Báo cáo rà soát mức độ đạt chuẩn (revocation dossier: the
 *   review that crossed the rule, criterion by criterion, against the rule, and the proposal).
 * The self-assessment report is src/files/reports/builders/commune.report.ts. Pure: no I/O.
 */
import { LEVEL_NAMES, type Level, type VerdictStatus } from '../../../domain/criteria.ts';
import type { RevocationCheck } from '../../../domain/revocation.ts';
import type { Block, Report, ReportMeta } from '../model.ts';
import { fileStem } from '../model.ts';
import { dateVi, percentVi } from '../../format.ts';
import { m } from './labels.ts';
import { committeeInText, officialHeader, signature, unitInText, type UnitNaming } from './official.ts';

export interface DossierDocInput {
  unit: UnitNaming & { fullName: string };
  /** Who receives it: the district People's Committee (three-level) or the province's (two-level). */
  recipient: UnitNaming;
  level: Level;
  setName: string;
  decision: { number: string; date: string };
  review: { date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number };
  satisfactionRate: number | null;
  noConstructionDebt: boolean | null;
  securityOk: boolean | null;
  date: string;
  demo: boolean;
  generatedAt?: string;
}

function metaOf(input: { unit: { fullName: string }; date: string; demo: boolean; generatedAt?: string }, setName: string | null): ReportMeta {
  return { date: input.date, unitName: input.unit.fullName, setId: null, setName, generatedAt: input.generatedAt ?? new Date().toISOString(), demo: input.demo, unverifiedIndicators: 0 };
}

/** Tờ trình đề nghị xét, công nhận xã đạt chuẩn. */
export function buildSubmissionLetter(input: DossierDocInput): Report {
  const target = LEVEL_NAMES[input.level].vi;
  const year = input.date.slice(0, 4);
  const r = input.review;
  const yesNo = (v: boolean | null, yes: string, no: string) => (v === null ? '(chưa kê khai)' : v ? yes : no);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ ban hành quy định điều kiện, trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định công nhận địa phương đạt chuẩn nông thôn mới, đạt chuẩn nông thôn mới nâng cao, đạt chuẩn nông thôn mới kiểu mẫu;`,
    },
    { type: 'paragraph', text: `Căn cứ ${input.setName} (Quyết định số ${input.decision.number} ngày ${dateVi(input.decision.date)});` },
    {
      type: 'paragraph',
      text: `${committeeInText(input.unit)} kính trình ${committeeInText(input.recipient)} xem xét, thẩm tra, đề nghị công nhận ${unitInText(input.unit)} đạt chuẩn ${target.replace(/^xã /, '')} năm ${year}, với các nội dung sau:`,
    },
    { type: 'heading', level: 1, text: '1. Kết quả thực hiện các tiêu chí' },
    {
      type: 'paragraph',
      text: `Theo kết quả rà soát ngày ${dateVi(r.date)}, ${unitInText(input.unit)} đạt ${r.criteriaMet}/${r.criteriaTotal} tiêu chí, ${r.indicatorsMet}/${r.indicatorsTotal} chỉ tiêu.`,
    },
    { type: 'heading', level: 1, text: '2. Các điều kiện xét công nhận' },
    {
      type: 'bullets',
      items: [
        `Tỷ lệ người dân hài lòng: ${input.satisfactionRate === null ? '(chưa có kết quả khảo sát)' : percentVi(input.satisfactionRate)}.`,
        `Nợ đọng xây dựng cơ bản: ${yesNo(input.noConstructionDebt, 'không có', 'còn nợ đọng')}.`,
        `Tình hình an ninh, trật tự: ${yesNo(input.securityOk, 'không phải xã trọng điểm, phức tạp', 'là xã trọng điểm, phức tạp')}.`,
      ],
    },
    { type: 'heading', level: 1, text: '3. Hồ sơ kèm theo' },
    {
      type: 'bullets',
      items: [
        'Báo cáo kết quả thực hiện xây dựng nông thôn mới của xã;',
        'Báo cáo tổng hợp ý kiến tham gia của các tổ chức, đoàn thể chính trị - xã hội và nhân dân;',
        'Kết quả lấy ý kiến sự hài lòng của người dân;',
        'Biên bản cuộc họp đề nghị xét, công nhận (có biểu quyết);',
      ],
    },
    { type: 'paragraph', text: `Kính trình ${committeeInText(input.recipient)} xem xét, quyết định./.` },
  ];
  return {
    kind: 'submission-letter',
    title: m(`Tờ trình đề nghị công nhận — ${input.unit.fullName}`, `Submission letter — ${input.unit.fullName}`),
    meta: metaOf(input, input.setName),
    header: officialHeader(input.unit, {}, {
      docType: 'TỜ TRÌNH',
      summary: `Đề nghị xét, công nhận ${unitInText(input.unit)} đạt chuẩn ${target.replace(/^xã /, '')} năm ${year}`,
      date: input.date,
      symbol: 'TTr-UBND',
      recipientsTo: [committeeInText(input.recipient)],
    }),
    signature: signature({}, { recipients: ['Như trên', 'Thường trực Đảng ủy, HĐND xã', 'Ban Chỉ đạo xây dựng nông thôn mới xã'] }),
    blocks,
    fileName: fileStem('to-trinh-de-nghi-cong-nhan', input.unit.fullName, input.date),
  };
}

export interface CommentSummaryInput {
  unit: UnitNaming & { fullName: string };
  recipient: UnitNaming;
  level: Level;
  openedOn: string | null;
  closedOn: string | null;
  counts: { pending: number; published: number; rejected: number };
  /** Published comments (no names: the summary is about content). */
  comments: { body: string; createdAt: string }[];
  date: string;
  demo: boolean;
  generatedAt?: string;
}

/** Báo cáo tổng hợp ý kiến tham gia của nhân dân. */
export function buildCommentSummary(input: CommentSummaryInput): Report {
  const total = input.counts.pending + input.counts.published + input.counts.rejected;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Thực hiện công khai kết quả tự đánh giá để lấy ý kiến tham gia của nhân dân về việc đề nghị xét, công nhận ${unitInText(input.unit)} đạt chuẩn ${LEVEL_NAMES[input.level].vi.replace(/^xã /, '')}${input.openedOn ? ` từ ngày ${dateVi(input.openedOn)}` : ''}${input.closedOn ? ` đến ngày ${dateVi(input.closedOn)}` : ''}, ${committeeInText(input.unit)} tổng hợp như sau:`,
    },
    { type: 'heading', level: 1, text: '1. Số lượng ý kiến' },
    {
      type: 'bullets',
      items: [
        `Tổng số ý kiến nhận qua trang công khai: ${total};`,
        `Đã đăng công khai sau kiểm duyệt: ${input.counts.published};`,
        `Không đăng (trùng lặp, không liên quan, vi phạm quy định): ${input.counts.rejected};`,
        `Chưa kiểm duyệt: ${input.counts.pending}.`,
      ],
    },
    { type: 'heading', level: 1, text: '2. Nội dung các ý kiến' },
  ];
  if (input.comments.length === 0) blocks.push({ type: 'paragraph', text: 'Không có ý kiến nào được đăng.' });
  input.comments.forEach((c, i) => blocks.push({ type: 'paragraph', text: `${i + 1}. (${dateVi(c.createdAt.slice(0, 10))}) ${c.body}` }));
  blocks.push({ type: 'heading', level: 1, text: '3. Tiếp thu, giải trình' });
  blocks.push({ type: 'paragraph', text: '(Ủy ban nhân dân xã bổ sung nội dung tiếp thu, giải trình đối với từng ý kiến.)', italic: true });
  return {
    kind: 'comment-summary',
    title: m(`Tổng hợp ý kiến của nhân dân — ${input.unit.fullName}`, `Summary of residents' comments — ${input.unit.fullName}`),
    meta: metaOf(input, null),
    header: officialHeader(input.unit, {}, {
      docType: 'BÁO CÁO',
      summary: `Tổng hợp ý kiến tham gia của nhân dân về kết quả xây dựng nông thôn mới của ${unitInText(input.unit)}`,
      date: input.date,
      recipientsTo: [committeeInText(input.recipient)],
    }),
    signature: signature({}, { recipients: ['Như trên', 'Ban Chỉ đạo xây dựng nông thôn mới xã'] }),
    blocks,
    fileName: fileStem('tong-hop-y-kien-nhan-dan', input.unit.fullName, input.date),
  };
}

export interface RevocationReviewInput {
  unit: UnitNaming & { fullName: string };
  /** The province whose committee recognised the commune and would revoke the recognition. */
  province: UnitNaming;
  level: Level;
  recognition: { decisionNo: string; decidedOn: string } | null;
  setName: string;
  review: {
    date: string;
    criteriaMet: number;
    criteriaTotal: number;
    indicatorsMet: number;
    indicatorsTotal: number;
    criteria: Array<{ code: string; name: string; critical: boolean; status: VerdictStatus; indicatorsMet: number; indicatorsTotal: number }>;
  };
  check: RevocationCheck;
  /** The dossier's date: the day it was opened (its own data, not the day the draft is printed). */
  date: string;
  demo: boolean;
  generatedAt?: string;
}

const STATUS_VI: Readonly<Record<VerdictStatus, string>> = { met: 'Đạt', not_met: 'Không đạt', not_evaluable: 'Chưa đánh giá được', not_applicable: 'Không áp dụng' };

/** Báo cáo rà soát mức độ đạt chuẩn — the province's review of a recognised commune that fell below (revocation dossier). */
export function buildRevocationReviewReport(input: RevocationReviewInput): Report {
  const target = LEVEL_NAMES[input.level].vi.replace(/^xã /, '');
  const commune = unitInText(input.unit);
  const province = committeeInText(input.province);
  const r = input.review;
  const c = input.check;
  const failing = r.criteria.filter((x) => x.status === 'not_met');
  const label = (x: { code: string; name: string }) => `${x.code}. ${x.name}`;
  const office = `Văn phòng Điều phối nông thôn mới ${unitInText(input.province)}`;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: 'Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ ban hành quy định điều kiện, trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định công nhận địa phương đạt chuẩn nông thôn mới, đạt chuẩn nông thôn mới nâng cao, đạt chuẩn nông thôn mới kiểu mẫu;',
    },
    input.recognition
      ? { type: 'paragraph', text: `Căn cứ Quyết định số ${input.recognition.decisionNo} ngày ${dateVi(input.recognition.decidedOn)} của ${province} về việc công nhận ${commune} đạt chuẩn ${target};` }
      : { type: 'paragraph', text: `Căn cứ quyết định công nhận ${commune} đạt chuẩn ${target};` },
    { type: 'paragraph', text: `${office} báo cáo kết quả rà soát mức độ đạt chuẩn ${target} của ${commune} như sau:` },
    { type: 'heading', level: 1, text: 'I. Kết quả rà soát' },
    {
      type: 'paragraph',
      text: `Theo kết quả rà soát ngày ${dateVi(r.date)} (${input.setName}), ${commune} đạt ${r.criteriaMet}/${r.criteriaTotal} tiêu chí, ${r.indicatorsMet}/${r.indicatorsTotal} chỉ tiêu; ${failing.length}/${c.criteriaCounted} tiêu chí không đạt (${percentVi(c.failingShare * 100)})${c.criticalFailing.length ? `, trong đó có tiêu chí bắt buộc: ${failing.filter((x) => x.critical).map(label).join('; ')}` : ''}.`,
    },
    {
      type: 'table',
      fontSize: 12,
      table: {
        id: 'criteria',
        sheetName: 'Kết quả rà soát',
        title: m(`Kết quả rà soát từng tiêu chí ngày ${dateVi(r.date)}`, `Result by criterion on ${r.date}`),
        columns: [
          { key: 'code', title: m('TT', 'No.'), type: 'text', width: 5, align: 'center' },
          { key: 'name', title: m('Tiêu chí', 'Criterion'), type: 'text', width: 40 },
          { key: 'critical', title: m('Bắt buộc', 'Critical'), type: 'text', width: 9, align: 'center' },
          { key: 'ind', title: m('Chỉ tiêu đạt', 'Indicators met'), type: 'text', width: 10, align: 'center' },
          { key: 'status', title: m('Kết quả', 'Result'), type: 'text', width: 13, align: 'center' },
        ],
        rows: r.criteria.map((x) => ({ kind: x.status === 'not_met' ? ('strong' as const) : ('data' as const), cells: [x.code, x.name, x.critical ? 'x' : '', `${x.indicatorsMet}/${x.indicatorsTotal}`, STATUS_VI[x.status]] })),
      },
    },
    { type: 'heading', level: 1, text: 'II. Đối chiếu với quy định thu hồi quyết định công nhận' },
    {
      type: 'paragraph',
      text: 'Quyết định công nhận bị thu hồi khi có từ 30% đến dưới 50% số tiêu chí không đạt chuẩn, trong đó có ít nhất một tiêu chí bắt buộc (Thu nhập; Môi trường; Chất lượng môi trường sống; Quốc phòng và An ninh), hoặc có từ 50% số tiêu chí trở lên không đạt chuẩn.',
    },
    { type: 'paragraph', text: `Đối chiếu: ${c.reason.vi}` },
    { type: 'heading', level: 1, text: 'III. Đề xuất' },
    c.triggered
      ? {
          type: 'paragraph',
          text: `Đề nghị ${province} yêu cầu Ủy ban nhân dân ${commune} báo cáo giải trình về các tiêu chí không đạt (${failing.map((x) => x.code).join(', ')}), nguyên nhân và giải pháp khắc phục, làm căn cứ xem xét thu hồi quyết định công nhận ${commune} đạt chuẩn ${target}.`,
        }
      : { type: 'paragraph', text: `Kết quả rà soát chưa đến mức phải thu hồi; đề nghị ${province} giữ quyết định công nhận và chỉ đạo ${commune} khắc phục các tiêu chí không đạt.` },
    { type: 'paragraph', text: `${office} kính báo cáo ${province} xem xét, chỉ đạo./.` },
  ];
  // Phrases held together by no-break spaces: "VĂN PHÒNG ĐIỀU PHỐI / NÔNG THÔN MỚI TỈNH HÀ NAM".
  const nb = (x: string) => x.toUpperCase().replace(/ /g, '\u00a0');
  const issuingBody = [nb('Văn phòng Điều phối'), nb('nông thôn mới'), nb(unitInText(input.province))].join(' ');
  const header = officialHeader(input.province, { parentBody: `UBND ${input.province.type} ${input.province.name}`.toUpperCase(), issuingBody }, {
    docType: 'BÁO CÁO',
    summary: `Kết quả rà soát mức độ đạt chuẩn ${target} của ${commune}`,
    date: input.date,
    symbol: 'BC-VPĐP',
    recipientsTo: [province],
  });
  return {
    kind: 'revocation-review-report',
    title: m(`Báo cáo rà soát — ${input.unit.fullName}`, `Review report (revocation) — ${input.unit.fullName}`),
    meta: metaOf(input, input.setName),
    header,
    signature: signature({ signerAuthority: null, signerPosition: 'CHÁNH VĂN PHÒNG' }, { recipients: ['Như trên', `Ủy ban nhân dân ${commune}`, `Ban Chỉ đạo các chương trình mục tiêu quốc gia ${unitInText(input.province)}`] }),
    blocks,
    fileName: fileStem('bao-cao-ra-soat', input.unit.fullName, input.date),
  };
}

// ── The other documents of a recognition dossier (issue 14.6) ─────────────────────────────────

/** What the dossier's own data says, for the minutes, notice, examination, appraisal and decision. */
export interface DossierFacts {
  unit: UnitNaming & { fullName: string };
  /** The district (three-level procedure, before 1/7/2025), or null (two-level). */
  district: UnitNaming | null;
  province: UnitNaming;
  level: Level;
  setName: string;
  review: { date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number; unmet: string[] };
  satisfactionRate: number | null;
  noConstructionDebt: boolean | null;
  securityOk: boolean | null;
  /** The public consultation: from, to (null when not held yet). */
  consultation: { from: string | null; to: string | null };
  /** Documents in the dossier (their names), for the examination and appraisal. */
  documents: string[];
  /** The recognition decision, once recorded. */
  decision: { number: string; date: string; signer: string | null } | null;
  /** The document's own date (from the dossier's moves). */
  date: string;
  demo: boolean;
  generatedAt?: string;
}

const targetOf = (l: Level) => LEVEL_NAMES[l].vi.replace(/^xã /, '');

function conditions(f: DossierFacts): string[] {
  const yesNo = (v: boolean | null, yes: string, no: string) => (v === null ? '(chưa kê khai)' : v ? yes : no);
  return [
    `Kết quả rà soát ngày ${dateVi(f.review.date)}: đạt ${f.review.criteriaMet}/${f.review.criteriaTotal} tiêu chí, ${f.review.indicatorsMet}/${f.review.indicatorsTotal} chỉ tiêu${f.review.unmet.length ? `; tiêu chí chưa đạt: ${f.review.unmet.join(', ')}` : ''};`,
    `Tỷ lệ người dân hài lòng: ${f.satisfactionRate === null ? '(chưa có kết quả khảo sát)' : percentVi(f.satisfactionRate)};`,
    `Nợ đọng xây dựng cơ bản: ${yesNo(f.noConstructionDebt, 'không có', 'còn nợ đọng')};`,
    `Tình hình an ninh, trật tự: ${yesNo(f.securityOk, 'ổn định, không phải xã trọng điểm, phức tạp', 'là xã trọng điểm, phức tạp')}.`,
  ];
}

const meetsAll = (f: DossierFacts) => f.review.criteriaMet === f.review.criteriaTotal && f.noConstructionDebt === true && f.securityOk === true;

function factsMeta(f: DossierFacts): ReportMeta {
  return metaOf(f, f.setName);
}

/** Biên bản cuộc họp đề nghị xét, công nhận — the commune's meeting, with the vote (blanks to fill in). */
export function buildMeetingMinutes(f: DossierFacts): Report {
  const year = f.date.slice(0, 4);
  const commune = unitInText(f.unit);
  const blocks: Block[] = [
    { type: 'paragraph', text: `Thời gian: ….. giờ ….. ngày ${dateVi(f.date)}.` },
    { type: 'paragraph', text: `Địa điểm: Hội trường Ủy ban nhân dân ${commune}.` },
    { type: 'heading', level: 1, text: 'I. Thành phần tham dự' },
    {
      type: 'bullets',
      items: [
        'Chủ trì: đồng chí ……………………, Chủ tịch Ủy ban nhân dân xã;',
        'Thư ký: đồng chí ……………………;',
        'Đại diện Thường trực Đảng ủy, Hội đồng nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội xã; Ban Chỉ đạo, Ban Quản lý xây dựng nông thôn mới xã; trưởng các thôn;',
        'Tổng số đại biểu được triệu tập: …… người; có mặt: …… người.',
      ],
    },
    { type: 'heading', level: 1, text: 'II. Nội dung cuộc họp' },
    {
      type: 'paragraph',
      text: `Cuộc họp nghe báo cáo kết quả xây dựng ${targetOf(f.level)} của ${commune}, kết quả tự đánh giá theo ${f.setName} và tổng hợp ý kiến tham gia của nhân dân${f.consultation.from && f.consultation.to ? ` (công khai từ ngày ${dateVi(f.consultation.from)} đến ngày ${dateVi(f.consultation.to)})` : ''}:`,
    },
    { type: 'bullets', items: conditions(f) },
    { type: 'paragraph', text: 'Ý kiến thảo luận của các đại biểu: (thư ký ghi tóm tắt từng ý kiến và phần tiếp thu, giải trình).', italic: true },
    { type: 'heading', level: 1, text: 'III. Kết quả biểu quyết' },
    {
      type: 'paragraph',
      text: `Đề nghị Ủy ban nhân dân ${f.district ? unitInText(f.district) : unitInText(f.province)} xem xét, ${f.district ? 'thẩm tra, đề nghị' : ''} công nhận ${commune} đạt chuẩn ${targetOf(f.level)} năm ${year}:`.replace(', ,', ','),
    },
    {
      type: 'bullets',
      items: ['Số đại biểu đồng ý: …… /…… người, đạt ……%;', 'Số đại biểu không đồng ý: …… /…… người, chiếm ……%;', 'Số đại biểu không biểu quyết: …… người.'],
    },
    { type: 'paragraph', text: 'Cuộc họp kết thúc lúc ….. giờ ….. cùng ngày. Biên bản đã được thông qua trước các đại biểu dự họp và nhất trí 100%./.' },
  ];
  return {
    kind: 'meeting-minutes',
    title: m(`Biên bản cuộc họp đề nghị công nhận — ${f.unit.fullName}`, `Minutes of the recognition meeting — ${f.unit.fullName}`),
    meta: factsMeta(f),
    header: officialHeader(f.unit, {}, { docType: 'BIÊN BẢN', summary: `Cuộc họp đề nghị xét, công nhận ${commune} đạt chuẩn ${targetOf(f.level)} năm ${year}`, date: f.date, symbol: 'BB-UBND' }),
    // Signed by the secretary (left) and the chair (right); minutes carry no "Nơi nhận".
    signature: { ...signature({ signerAuthority: null, signerPosition: 'CHỦ TRÌ' }, { recipients: [] }), coSigner: { position: 'THƯ KÝ', name: null } },
    blocks,
    fileName: fileStem('bien-ban-hop-de-nghi-cong-nhan', f.unit.fullName, f.date),
  };
}

/** Thông báo công khai — the commune's notice opening the public consultation on its results. */
export function buildPublicNotice(f: DossierFacts): Report {
  const commune = unitInText(f.unit);
  const from = f.consultation.from ?? f.date;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Thực hiện Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ, ${committeeInText(f.unit)} thông báo công khai kết quả thực hiện các tiêu chí ${targetOf(f.level)} của ${commune} để lấy ý kiến tham gia của các tổ chức, đoàn thể chính trị - xã hội và nhân dân trên địa bàn xã, như sau:`,
    },
    { type: 'heading', level: 1, text: '1. Nội dung công khai' },
    { type: 'bullets', items: [`Báo cáo kết quả tự đánh giá mức độ đạt từng tiêu chí theo ${f.setName};`, conditions(f)[0]!.replace(/;$/, '.')] },
    { type: 'heading', level: 1, text: '2. Hình thức và thời gian công khai' },
    {
      type: 'paragraph',
      text: `Niêm yết tại trụ sở Ủy ban nhân dân xã, nhà văn hóa các thôn, thông báo trên hệ thống truyền thanh và trang công khai của hệ thống Đạt Chuẩn; thời gian lấy ý kiến từ ngày ${dateVi(from)}${f.consultation.to ? ` đến ngày ${dateVi(f.consultation.to)}` : ' trong thời hạn 15 ngày'}.`,
    },
    { type: 'heading', level: 1, text: '3. Tiếp nhận ý kiến' },
    { type: 'paragraph', text: 'Ý kiến gửi trực tiếp tại bộ phận một cửa Ủy ban nhân dân xã, qua các thôn, các tổ chức đoàn thể, hoặc trên trang công khai của hồ sơ.' },
    { type: 'paragraph', text: `${committeeInText(f.unit)} thông báo để các tổ chức, cá nhân biết, tham gia ý kiến./.` },
  ];
  return {
    kind: 'public-notice',
    title: m(`Thông báo công khai — ${f.unit.fullName}`, `Public notice — ${f.unit.fullName}`),
    meta: factsMeta(f),
    header: officialHeader(f.unit, {}, { docType: 'THÔNG BÁO', summary: `Công khai kết quả thực hiện các tiêu chí ${targetOf(f.level)} của ${commune} để lấy ý kiến nhân dân`, date: from, symbol: 'TB-UBND' }),
    signature: signature({}, { recipients: ['Thường trực Đảng ủy, HĐND xã', 'Ủy ban MTTQ Việt Nam xã và các đoàn thể', 'Các thôn (niêm yết)'] }),
    blocks,
    fileName: fileStem('thong-bao-cong-khai', f.unit.fullName, from),
  };
}

/** Báo cáo thẩm tra (district, before 7/2025) or thẩm định (province) — the narrative beside the per-criterion table. */
function buildReviewOfDossier(f: DossierFacts, kind: 'examination' | 'appraisal'): Report {
  const examiner = kind === 'examination' && f.district ? f.district : f.province;
  const commune = unitInText(f.unit);
  const year = f.date.slice(0, 4);
  const verb = kind === 'examination' ? 'thẩm tra' : 'thẩm định';
  const ok = meetsAll(f);
  const next = kind === 'examination' ? `Ủy ban nhân dân ${unitInText(f.province)} thẩm định, xét công nhận` : `Chủ tịch Ủy ban nhân dân ${unitInText(f.province)} quyết định công nhận`;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ; căn cứ ${f.setName}; căn cứ hồ sơ đề nghị của ${committeeInText(f.unit)}, ${committeeInText(examiner)} báo cáo kết quả ${verb} như sau:`,
    },
    { type: 'heading', level: 1, text: `I. Kết quả ${verb} hồ sơ` },
    { type: 'paragraph', text: `Hồ sơ gồm: ${f.documents.length ? f.documents.join('; ') : '(chưa có tài liệu)'}.` },
    { type: 'paragraph', text: `Hồ sơ ${f.documents.length ? 'đầy đủ theo quy định, nộp đúng thời hạn' : 'chưa đầy đủ'}; quy trình công khai, lấy ý kiến nhân dân${f.consultation.from && f.consultation.to ? ` thực hiện từ ngày ${dateVi(f.consultation.from)} đến ngày ${dateVi(f.consultation.to)}` : ''}.` },
    { type: 'heading', level: 1, text: `II. Kết quả ${verb} mức độ đạt chuẩn` },
    { type: 'bullets', items: conditions(f) },
    { type: 'paragraph', text: `(Kết quả ${verb} từng tiêu chí, chỉ tiêu tại Biểu tổng hợp kèm theo.)`, italic: true },
    { type: 'heading', level: 1, text: 'III. Kết luận và kiến nghị' },
    {
      type: 'paragraph',
      text: ok
        ? `${commune.charAt(0).toUpperCase()}${commune.slice(1)} đủ điều kiện, tiêu chuẩn đạt chuẩn ${targetOf(f.level)} năm ${year}. Đề nghị ${next} ${commune} đạt chuẩn ${targetOf(f.level)} năm ${year}.`
        : `${commune.charAt(0).toUpperCase()}${commune.slice(1)} chưa đủ điều kiện đạt chuẩn ${targetOf(f.level)}; đề nghị xã tiếp tục hoàn thiện các tiêu chí, điều kiện còn thiếu.`,
    },
    { type: 'paragraph', text: `${committeeInText(examiner)} kính báo cáo./.` },
  ];
  const to = kind === 'examination' ? committeeInText(f.province) : `Chủ tịch Ủy ban nhân dân ${unitInText(f.province)}`;
  return {
    kind: kind === 'examination' ? 'examination-report' : 'appraisal-report',
    title: m(`Báo cáo ${verb} — ${f.unit.fullName}`, `${kind === 'examination' ? 'Examination' : 'Appraisal'} report — ${f.unit.fullName}`),
    meta: factsMeta(f),
    header: officialHeader(examiner, {}, { docType: 'BÁO CÁO', summary: `Kết quả ${verb} hồ sơ và mức độ đạt chuẩn ${targetOf(f.level)} năm ${year} của ${commune}`, date: f.date, recipientsTo: [to] }),
    signature: signature({}, { recipients: ['Như trên', committeeInText(f.unit)] }),
    blocks,
    fileName: fileStem(kind === 'examination' ? 'bao-cao-tham-tra' : 'bao-cao-tham-dinh', f.unit.fullName, f.date),
  };
}

export function buildExaminationNarrative(f: DossierFacts): Report {
  return buildReviewOfDossier(f, 'examination');
}

export function buildAppraisalReport(f: DossierFacts): Report {
  return buildReviewOfDossier(f, 'appraisal');
}

/**
 * The signature of a decision from what was recorded as its signer: a name goes on the name line
 * (DOC-15: no title before it); a position ("Phó Chủ tịch UBND tỉnh") sets the authority line
 * ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") and leaves the name for the signer.
 */
function decisionSigner(recorded: string | null): { signerAuthority?: string | null; signerPosition?: string; signerName: string | null } {
  if (!recorded) return { signerName: null };
  if (/phó chủ tịch/i.test(recorded)) return { signerAuthority: 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH', signerPosition: 'PHÓ CHỦ TỊCH', signerName: null };
  if (/chủ tịch|giám đốc|trưởng|ủy ban|ubnd/i.test(recorded)) return { signerName: null };
  return { signerName: recorded };
}

/** Quyết định công nhận — the province chairman's decision recognising the commune (Decree 30: Điều 1, 2, 3). */
export function buildRecognitionDecision(f: DossierFacts): Report {
  const commune = unitInText(f.unit);
  const year = f.date.slice(0, 4);
  const blocks: Block[] = [
    { type: 'paragraph', text: `CHỦ TỊCH ỦY BAN NHÂN DÂN ${unitInText(f.province).toUpperCase()}`, bold: true, indent: false, center: true },
    { type: 'paragraph', text: 'Căn cứ Luật Tổ chức chính quyền địa phương;', italic: true },
    { type: 'paragraph', text: 'Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ ban hành quy định điều kiện, trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định công nhận địa phương đạt chuẩn nông thôn mới, đạt chuẩn nông thôn mới nâng cao, đạt chuẩn nông thôn mới kiểu mẫu;', italic: true },
    { type: 'paragraph', text: `Căn cứ ${f.setName};`, italic: true },
    { type: 'paragraph', text: `Theo đề nghị của Văn phòng Điều phối nông thôn mới ${unitInText(f.province)} tại Báo cáo kết quả thẩm định hồ sơ và mức độ đạt chuẩn ${targetOf(f.level)} của ${commune}.`, italic: true },
    { type: 'paragraph', text: 'QUYẾT ĐỊNH:', bold: true, indent: false, center: true },
    { type: 'paragraph', lead: 'Điều 1.', text: `Công nhận ${commune}${f.district ? `, ${unitInText(f.district)}` : ''} đạt chuẩn ${targetOf(f.level)} năm ${year}.` },
    { type: 'paragraph', lead: 'Điều 2.', text: `${committeeInText(f.unit)} có trách nhiệm tiếp tục duy trì, nâng cao chất lượng các tiêu chí đã đạt.` },
    {
      type: 'paragraph',
      lead: 'Điều 3.',
      text: `Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Chánh Văn phòng Điều phối nông thôn mới tỉnh, ${f.district ? `Chủ tịch Ủy ban nhân dân ${unitInText(f.district)}, ` : ''}Chủ tịch Ủy ban nhân dân ${commune} và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.`,
    },
  ];
  const header = officialHeader(f.province, {}, { docType: 'QUYẾT ĐỊNH', summary: `Về việc công nhận ${commune} đạt chuẩn ${targetOf(f.level)} năm ${year}`, date: f.date, symbol: 'QĐ-UBND' });
  if (f.decision) header.number = f.decision.number;
  return {
    kind: 'recognition-decision',
    title: m(`Quyết định công nhận — ${f.unit.fullName}`, `Recognition decision — ${f.unit.fullName}`),
    meta: factsMeta(f),
    header,
    signature: signature(decisionSigner(f.decision?.signer ?? null), { recipients: ['Như Điều 3', 'Văn phòng Điều phối nông thôn mới Trung ương', 'Chủ tịch, các Phó Chủ tịch UBND tỉnh'] }),
    blocks,
    fileName: fileStem('quyet-dinh-cong-nhan', f.unit.fullName, f.date),
  };
}

export interface RevocationDecisionInput {
  unit: UnitNaming & { fullName: string };
  district: UnitNaming | null;
  province: UnitNaming;
  level: Level;
  /** The recognition withdrawn. */
  recognition: { decisionNo: string; decidedOn: string } | null;
  date: string;
  demo: boolean;
  generatedAt?: string;
}

/** Quyết định thu hồi — the province chairman's decision withdrawing a recognition. */
export function buildRevocationDecision(input: RevocationDecisionInput): Report {
  const commune = unitInText(input.unit);
  const rec = input.recognition;
  const what = rec
    ? `Quyết định số ${rec.decisionNo} ngày ${dateVi(rec.decidedOn)} của ${committeeInText(input.province)} về việc công nhận ${commune} đạt chuẩn ${targetOf(input.level)}`
    : `quyết định công nhận ${commune} đạt chuẩn ${targetOf(input.level)}`;
  const blocks: Block[] = [
    { type: 'paragraph', text: `CHỦ TỊCH ỦY BAN NHÂN DÂN ${unitInText(input.province).toUpperCase()}`, bold: true, indent: false, center: true },
    { type: 'paragraph', text: 'Căn cứ Luật Tổ chức chính quyền địa phương;', italic: true },
    {
      type: 'paragraph',
      text: 'Căn cứ Quyết định số 18/2022/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ ban hành quy định điều kiện, trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định công nhận địa phương đạt chuẩn nông thôn mới, đạt chuẩn nông thôn mới nâng cao, đạt chuẩn nông thôn mới kiểu mẫu;',
      italic: true,
    },
    { type: 'paragraph', text: `Theo đề nghị của Văn phòng Điều phối nông thôn mới ${unitInText(input.province)} tại Báo cáo kết quả rà soát, thẩm định mức độ đạt chuẩn của ${commune}.`, italic: true },
    { type: 'paragraph', text: 'QUYẾT ĐỊNH:', bold: true, indent: false, center: true },
    { type: 'paragraph', lead: 'Điều 1.', text: `Thu hồi ${what}.` },
    { type: 'paragraph', lead: 'Điều 2.', text: `${committeeInText(input.unit)} có trách nhiệm xây dựng kế hoạch khắc phục các tiêu chí không đạt, báo cáo ${committeeInText(input.province)}.` },
    {
      type: 'paragraph',
      lead: 'Điều 3.',
      text: `Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Chánh Văn phòng Điều phối nông thôn mới tỉnh, Chủ tịch Ủy ban nhân dân ${commune} và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.`,
    },
  ];
  return {
    kind: 'revocation-decision',
    title: m(`Quyết định thu hồi — ${input.unit.fullName}`, `Revocation decision — ${input.unit.fullName}`),
    meta: metaOf(input, null),
    header: officialHeader(input.province, {}, { docType: 'QUYẾT ĐỊNH', summary: `Về việc thu hồi quyết định công nhận ${commune} đạt chuẩn ${targetOf(input.level)}`, date: input.date, symbol: 'QĐ-UBND' }),
    signature: signature({}, { recipients: ['Như Điều 3', 'Văn phòng Điều phối nông thôn mới Trung ương', 'Chủ tịch, các Phó Chủ tịch UBND tỉnh'] }),
    blocks,
    fileName: fileStem('quyet-dinh-thu-hoi', input.unit.fullName, input.date),
  };
}
