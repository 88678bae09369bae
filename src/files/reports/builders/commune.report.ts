/**
 * Báo cáo của một xã — three reports from one commune's review and its verdict tree:
 * - the detail table (xlsx): every indicator with its value, the target that applied, the result;
 * - the self-assessment report (Word, Decree 30/2020): "Kết quả tự đánh giá mức độ đạt từng tiêu chí";
 * - the per-criterion examination table used in recognition dossiers (Word).
 * Unverified catalogue items are marked (*) with a footnote; demo data says so.
 */
import type { CriteriaSet } from '../../../domain/criteria.ts';
import type { CommuneVerdict, IndicatorVerdict } from '../../../domain/evaluation.ts';
import { levelReasonOfVerdict } from '../../../domain/level-status.ts';
import { LEVEL_NAMES } from '../../../domain/criteria.ts';
import type { Block, Column, Report, Row, Table } from '../model.ts';
import { fileStem, typed } from '../model.ts';
import { dateVi, numberVi, numericValue, targetText, valueText } from '../../format.ts';
import { KIND_VI, m } from './labels.ts';
import { committeeInText, officialHeader, signature, unitInText, type OfficialOptions, type UnitNaming } from './official.ts';

export interface CommuneReportInput {
  unit: UnitNaming & { code: string; fullName: string; path: string };
  /** The commune's parent (district before 7/2025, province after): recipient of the report. */
  parent: UnitNaming | null;
  review: { id: number; reviewedOn: string; status: 'draft' | 'submitted'; isDemo: boolean };
  set: CriteriaSet;
  verdict: CommuneVerdict;
  official?: OfficialOptions;
  generatedAt?: string;
}

const STATUS_VI = { met: 'Đạt', not_met: 'Chưa đạt', not_evaluable: 'Chưa đánh giá được', not_applicable: 'Không áp dụng' } as const;

function star(verified: boolean): string {
  return verified ? '' : ' (*)';
}

function unverifiedCount(v: CommuneVerdict): number {
  return v.criteria.reduce((n, c) => n + c.indicators.filter((i) => !i.verified).length, 0);
}

function meta(input: CommuneReportInput) {
  return {
    date: input.review.reviewedOn,
    unitName: input.unit.fullName,
    setId: input.set.id,
    setName: input.set.name,
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    demo: input.review.isDemo || input.set.demo,
    unverifiedIndicators: unverifiedCount(input.verdict),
  };
}

/** The value cell of an indicator: a number stays a number, a grade or yes/no is text. */
function valueCell(iv: IndicatorVerdict) {
  const v = iv.value;
  if (v === null) return null;
  if (typeof v === 'number') return typed('number', v);
  if (typeof v === 'boolean') return typed('text', v ? 'Đạt' : 'Không đạt');
  if (typeof v === 'string') return typed('text', v);
  return typed('text', `${numberVi(v.numerator)}/${numberVi(v.denominator)}`);
}

function detailTable(input: CommuneReportInput): Table {
  const v = input.verdict;
  const columns: Column[] = [
    { key: 'code', title: m('Mã', 'Code'), type: 'text', width: 7 },
    { key: 'name', title: m('Tiêu chí / chỉ tiêu', 'Criterion / indicator'), type: 'text', width: 48 },
    { key: 'kind', title: m('Loại', 'Kind'), type: 'text', width: 13 },
    { key: 'unit', title: m('Đơn vị tính', 'Unit'), type: 'text', width: 12 },
    { key: 'target', title: m('Ngưỡng áp dụng', 'Target'), type: 'text', width: 18 },
    { key: 'targetValue', title: m('Ngưỡng (số)', 'Target (number)'), type: 'number', width: 10 },
    { key: 'value', title: m('Giá trị báo cáo', 'Value reported'), type: 'text', width: 14 },
    { key: 'measured', title: m('Giá trị so sánh', 'Compared value'), type: 'number', width: 11 },
    { key: 'status', title: m('Kết quả', 'Result'), type: 'status', width: 9 },
    { key: 'statusText', title: m('Kết quả (chữ)', 'Result (text)'), type: 'text', width: 14 },
    { key: 'basis', title: m('Căn cứ ngưỡng', 'Why this target'), type: 'text', width: 40 },
    { key: 'verified', title: m('Đã kiểm chứng', 'Verified'), type: 'text', width: 10, align: 'center' },
  ];
  const rows: Row[] = [];
  for (const c of v.criteria) {
    rows.push({
      kind: 'strong',
      cells: [c.code, `Tiêu chí ${c.code}. ${c.name}${c.critical ? ' (bắt buộc)' : ''}`, null, null, typed('text', `${c.indicatorsMet}/${c.indicatorsTotal} chỉ tiêu đạt`), null, null, null, typed('status', c.status), STATUS_VI[c.status], c.reason.vi, null],
    });
    for (const i of c.indicators) {
      rows.push({
        cells: [
          i.code,
          `${i.name}${star(i.verified)}`,
          KIND_VI[i.kind] ?? i.kind,
          i.unit ?? (i.kind === 'percent' || i.kind === 'ratio' ? '%' : ''),
          targetText(i, i.target.op, i.target.value),
          typeof i.target.value === 'number' ? i.target.value : null,
          valueCell(i),
          i.kind === 'grade' ? null : numericValue(i.value),
          typed('status', i.status),
          STATUS_VI[i.status],
          i.target.basis.text.vi,
          i.verified ? 'Có' : 'Chưa',
        ],
      });
    }
  }
  return {
    id: 'detail',
    sheetName: 'Chi tiết',
    title: m(`KẾT QUẢ ĐÁNH GIÁ TỪNG CHỈ TIÊU — ${input.unit.fullName.toUpperCase()}`, `RESULT BY INDICATOR — ${input.unit.fullName}`),
    subtitle: [
      input.unit.path,
      `Bản rà soát ngày ${dateVi(input.review.reviewedOn)} (${input.review.status === 'submitted' ? 'đã nộp' : 'bản nháp'}) — ${input.set.name} (${input.set.id})`,
      `Tổng hợp: ${v.summary.vi}`,
    ],
    columns,
    rows,
    freezeColumns: 2,
    legend: true,
    landscape: true,
  };
}

export function buildCommuneDetailReport(input: CommuneReportInput): Report {
  return {
    kind: 'commune-detail',
    title: m(`Chi tiết đánh giá — ${input.unit.fullName} — ${dateVi(input.review.reviewedOn)}`, `Evaluation detail — ${input.unit.fullName} — ${input.review.reviewedOn}`),
    meta: meta(input),
    blocks: [{ type: 'table', table: detailTable(input) }],
    fileName: fileStem('chi-tiet', input.unit.fullName, input.review.reviewedOn),
  };
}

function levelSentence(input: CommuneReportInput): string {
  const v = input.verdict;
  const target = LEVEL_NAMES[input.set.level].vi;
  if (v.level) return `Theo kết quả tự đánh giá, ${unitInText(input.unit)} đáp ứng đủ điều kiện, tiêu chuẩn ${target}.`;
  if (v.meetsStandard && !v.prerequisites.satisfied) {
    return `Xã đạt đủ các tiêu chí nhưng chưa có quyết định công nhận mức ${v.prerequisites.missing.map((l) => LEVEL_NAMES[l].vi).join(', ')} (điều kiện tiên quyết), nên chưa đủ điều kiện đề nghị công nhận ${target} (${levelReasonOfVerdict(v).vi}).`;
  }
  return `Theo kết quả tự đánh giá, ${unitInText(input.unit)} chưa đủ điều kiện đề nghị công nhận ${target}.`;
}

/** Báo cáo kết quả tự đánh giá mức độ đạt từng tiêu chí — the commune's self-assessment (Word). */
export function buildSelfAssessmentReport(input: CommuneReportInput): Report {
  const v = input.verdict;
  const o = input.official ?? {};
  const year = input.review.reviewedOn.slice(0, 4);
  const header = officialHeader(input.unit, o, {
    docType: 'BÁO CÁO',
    summary: `Kết quả tự đánh giá mức độ đạt từng tiêu chí\n${LEVEL_NAMES[input.set.level].vi} năm ${year} của ${unitInText(input.unit)}`,
    date: input.review.reviewedOn,
    recipientsTo: input.parent ? [committeeInText(input.parent)] : [],
  });
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Căn cứ ${input.set.name} (ban hành kèm theo Quyết định số ${input.set.decision.number} ngày ${dateVi(input.set.decision.date)}${input.set.decision.issuer ? ` của ${input.set.decision.issuer}` : ''}), ${committeeInText(input.unit)} báo cáo kết quả tự đánh giá mức độ đạt từng tiêu chí tính đến ngày ${dateVi(input.review.reviewedOn)} như sau:`,
    },
    { type: 'heading', level: 1, text: 'I. Kết quả tự đánh giá chung' },
    { type: 'paragraph', text: `Tổng hợp: ${v.summary.vi}` },
    {
      type: 'paragraph',
      text: `Số tiêu chí đạt: ${v.totals.criteriaMet}/${v.totals.criteriaTotal} tiêu chí; số chỉ tiêu đạt: ${v.totals.indicatorsMet}/${v.totals.indicatorsTotal} chỉ tiêu${v.totals.notEvaluable ? `; ${v.totals.notEvaluable} chỉ tiêu chưa đánh giá được (thiếu số liệu hoặc chưa có ngưỡng)` : ''}${v.totals.notApplicable ? `; ${v.totals.notApplicable} chỉ tiêu không áp dụng` : ''}.`,
    },
    { type: 'paragraph', text: levelSentence(input) },
    { type: 'heading', level: 1, text: 'II. Kết quả cụ thể từng tiêu chí' },
  ];
  v.criteria.forEach((c, k) => {
    blocks.push({ type: 'heading', level: 2, text: `${k + 1}. Tiêu chí số ${c.code} về ${c.name}${c.critical ? ' (tiêu chí bắt buộc)' : ''}: ${STATUS_VI[c.status]}` });
    c.indicators.forEach((i, j) => {
      const letter = String.fromCharCode(97 + (j % 26));
      const value = valueText(i, i.value) || 'chưa có số liệu';
      blocks.push({
        type: 'paragraph',
        text: `${letter}) Chỉ tiêu ${i.code}${star(i.verified)} — ${i.name}: yêu cầu ${targetText(i, i.target.op, i.target.value)}; kết quả ${value}. Đánh giá: ${STATUS_VI[i.status].toLowerCase()}.`,
      });
    });
    if (c.indicators.length === 0) blocks.push({ type: 'paragraph', text: c.reason.vi });
  });
  blocks.push({ type: 'heading', level: 1, text: 'III. Các tiêu chí, chỉ tiêu chưa đạt' });
  if (v.unmet.length === 0) blocks.push({ type: 'paragraph', text: 'Không có.' });
  for (const u of v.unmet) {
    const list = u.indicators.map((i) => `${i.code} (${STATUS_VI[i.status].toLowerCase()})`).join(', ');
    blocks.push({ type: 'paragraph', text: `- Tiêu chí số ${u.code} về ${u.name}: ${list || STATUS_VI[u.status].toLowerCase()}.` });
  }
  blocks.push({ type: 'heading', level: 1, text: 'IV. Nhiệm vụ, giải pháp trong thời gian tới' });
  blocks.push({ type: 'paragraph', text: '(Ủy ban nhân dân xã bổ sung nhiệm vụ, giải pháp và nhu cầu kinh phí để hoàn thành các tiêu chí, chỉ tiêu chưa đạt.)', italic: true });
  blocks.push({
    type: 'paragraph',
    text: `Trên đây là báo cáo kết quả tự đánh giá mức độ đạt từng tiêu chí của ${unitInText(input.unit)}${input.parent ? `, kính báo cáo ${committeeInText(input.parent)} xem xét` : ''}./.`,
  });
  return {
    kind: 'self-assessment',
    title: m(`Báo cáo tự đánh giá — ${input.unit.fullName} — ${dateVi(input.review.reviewedOn)}`, `Self-assessment report — ${input.unit.fullName} — ${input.review.reviewedOn}`),
    meta: meta(input),
    header,
    signature: signature(o, { recipients: ['Như trên', 'Thường trực Đảng ủy, HĐND xã', 'Ban Chỉ đạo xây dựng nông thôn mới xã'] }),
    blocks,
    fileName: fileStem('bao-cao-tu-danh-gia', input.unit.fullName, input.review.reviewedOn),
  };
}

/** Biểu tổng hợp kết quả thẩm tra mức độ đạt từng tiêu chí — the examination table of a dossier (Word). */
export function buildExaminationReport(input: CommuneReportInput): Report {
  const v = input.verdict;
  const o = input.official ?? {};
  const examiner = input.parent ?? input.unit;
  const header = officialHeader(examiner, o, {
    docType: 'BIỂU TỔNG HỢP',
    summary: `Kết quả thẩm tra mức độ đạt từng tiêu chí\n${LEVEL_NAMES[input.set.level].vi} của ${unitInText(input.unit)}`,
    date: input.review.reviewedOn,
    symbol: 'BC-UBND',
  });
  const rows: Row[] = [];
  v.criteria.forEach((c, k) => {
    rows.push({
      kind: 'strong',
      cells: [String(k + 1), `Tiêu chí số ${c.code}: ${c.name}${c.critical ? ' (bắt buộc)' : ''}`, '', `${c.indicatorsMet}/${c.indicatorsTotal} chỉ tiêu đạt`, STATUS_VI[c.status], ''],
    });
    for (const i of c.indicators) {
      rows.push({
        cells: [i.code, `${i.name}${star(i.verified)}`, targetText(i, i.target.op, i.target.value), valueText(i, i.value) || 'Chưa có số liệu', STATUS_VI[i.status], i.status === 'not_evaluable' ? 'Thiếu số liệu/ngưỡng' : ''],
      });
    }
  });
  const table: Table = {
    id: 'examination',
    sheetName: 'Thẩm tra',
    title: m('', ''),
    columns: [
      { key: 'tt', title: m('TT', 'No.'), type: 'text', width: 6, align: 'center' },
      { key: 'name', title: m('Tên tiêu chí, chỉ tiêu', 'Criterion, indicator'), type: 'text', width: 38 },
      { key: 'target', title: m('Yêu cầu (chỉ tiêu theo quy định)', 'Requirement'), type: 'text', width: 16, align: 'center' },
      { key: 'value', title: m('Kết quả tự đánh giá của xã', "Commune's result"), type: 'text', width: 16, align: 'center' },
      { key: 'verdict', title: m('Kết quả thẩm tra', 'Examination'), type: 'text', width: 12, align: 'center' },
      { key: 'note', title: m('Ghi chú', 'Note'), type: 'text', width: 12 },
    ],
    rows,
    notes: [],
  };
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `Căn cứ ${input.set.name}; căn cứ hồ sơ đề nghị và kết quả tự đánh giá của ${unitInText(input.unit)} ngày ${dateVi(input.review.reviewedOn)}, kết quả thẩm tra mức độ đạt từng tiêu chí như sau:`,
    },
    { type: 'table', table, fontSize: 11, hideTitle: true },
    {
      type: 'paragraph',
      text: `Tổng hợp: ${v.totals.criteriaMet}/${v.totals.criteriaTotal} tiêu chí đạt, ${v.totals.indicatorsMet}/${v.totals.indicatorsTotal} chỉ tiêu đạt. ${levelSentence(input)}`,
    },
  ];
  return {
    kind: 'examination',
    title: m(`Biểu thẩm tra — ${input.unit.fullName} — ${dateVi(input.review.reviewedOn)}`, `Examination table — ${input.unit.fullName} — ${input.review.reviewedOn}`),
    meta: meta(input),
    header,
    signature: signature(o, { recipients: [committeeInText(input.unit), 'Hồ sơ đề nghị công nhận'] }),
    blocks,
    fileName: fileStem('bieu-tham-tra', input.unit.fullName, input.review.reviewedOn),
  };
}
