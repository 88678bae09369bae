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
