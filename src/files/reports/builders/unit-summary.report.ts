/**
 * Báo cáo tổng hợp của đơn vị — a district's or province's NTM figures on a date, in the shapes
 * provinces report: communes per level (evaluated and recognised), average criteria per commune,
 * communes by bands of criteria met, communes below 15 criteria, communes meeting each criterion,
 * and the list of communes (appendix). The same model renders to xlsx (its tables) and to a Word
 * report in the Decree 30/2020 format.
 */
import type { CommuneStatusRow, SetStats, SummaryFigure, UnitSummary } from '../inputs.ts';
import type { Block, Report, Row, Table } from '../model.ts';
import { fileStem, typed } from '../model.ts';
import { dateVi, numberVi, percentVi } from '../../format.ts';
import { levelShort, m } from './labels.ts';
import { committeeInText, officialHeader, signature, unitInText, type OfficialOptions, type UnitNaming } from './official.ts';

export interface UnitSummaryInput {
  summary: UnitSummary;
  /** Type and name of the unit ("Tỉnh", "Hà Nam"). */
  unit: UnitNaming;
  /** The parent's committee the report is sent to, if any. */
  parent: UnitNaming | null;
  official?: OfficialOptions;
  generatedAt?: string;
  /**
   * The country (unit `VN`): the report is the central office's, about the whole country, and its
   * appendix lists the provinces (the communes stay in the spreadsheet only).
   */
  national?: { provinces: readonly NationalProvinceRow[] };
}

/** One province in the national report: what its own summary says on the date. */
export interface NationalProvinceRow {
  fullName: string;
  denominator: number;
  reviewed: number;
  /** Communes at a level or above by review, and recognised at NTM or above. */
  atNtm: number;
  atAdvanced: number;
  recognisedNtm: number;
}

const CENTRAL_OFFICE = 'Văn phòng Điều phối nông thôn mới Trung ương';

function provincesTable(s: UnitSummary, provinces: readonly NationalProvinceRow[]): Table {
  return {
    id: 'provinces',
    sheetName: 'Theo tỉnh',
    title: m('KẾT QUẢ THEO TỈNH, THÀNH PHỐ', 'BY PROVINCE'),
    subtitle: [`${s.unit.fullName} — số liệu tại ngày ${dateVi(s.date)}; ${provinces.length} tỉnh, thành phố; mẫu số: số xã của tỉnh theo danh mục đơn vị hành chính tại ngày này`],
    columns: [
      { key: 'stt', title: m('STT', 'No.'), type: 'integer', width: 4 },
      { key: 'name', title: m('Tỉnh, thành phố', 'Province'), type: 'text', width: 18 },
      { key: 'communes', title: m('Số xã (mẫu số)', 'Communes (denominator)'), type: 'integer', width: 9 },
      { key: 'reviewed', title: m('Đã rà soát', 'Reviewed'), type: 'integer', width: 9 },
      { key: 'ntm', title: m('Đạt NTM trở lên theo rà soát', 'NTM or above by review'), type: 'integer', width: 10 },
      { key: 'ntmShare', title: m('Tỷ lệ (%)', 'Share (%)'), type: 'percent', width: 8 },
      { key: 'advanced', title: m('Đạt NTM nâng cao trở lên', 'Advanced or above'), type: 'integer', width: 10 },
      { key: 'advancedShare', title: m('Tỷ lệ (%)', 'Share (%)'), type: 'percent', width: 8 },
      { key: 'recognised', title: m('Đã công nhận NTM trở lên', 'Recognised NTM or above'), type: 'integer', width: 10 },
      { key: 'recognisedShare', title: m('Tỷ lệ (%)', 'Share (%)'), type: 'percent', width: 8 },
    ],
    rows: provinces.map((p, i) => ({
      cells: [i + 1, p.fullName, p.denominator, p.reviewed, p.atNtm, typed('percent', pct(p.atNtm, p.denominator)), p.atAdvanced, typed('percent', pct(p.atAdvanced, p.denominator)), p.recognisedNtm, typed('percent', pct(p.recognisedNtm, p.denominator))],
    })),
    freezeColumns: 2,
  };
}

/** Bands of criteria met as provinces report them: all, 15–(N−1), 10–14, 5–9, below 5 (19-criterion sets). */
export function criteriaBands(n: number): Array<{ label: string; from: number; to: number }> {
  if (n === 19) {
    return [
      { label: 'Đạt 19 tiêu chí', from: 19, to: 19 },
      { label: 'Từ 15 đến 18 tiêu chí', from: 15, to: 18 },
      { label: 'Từ 10 đến 14 tiêu chí', from: 10, to: 14 },
      { label: 'Từ 5 đến 9 tiêu chí', from: 5, to: 9 },
      { label: 'Dưới 5 tiêu chí', from: 0, to: 4 },
    ];
  }
  const a = Math.ceil(n * 0.8);
  const b = Math.ceil(n * 0.5);
  return [
    { label: `Đạt ${n} tiêu chí`, from: n, to: n },
    { label: `Từ ${a} đến ${n - 1} tiêu chí`, from: a, to: n - 1 },
    { label: `Từ ${b} đến ${a - 1} tiêu chí`, from: b, to: a - 1 },
    { label: `Dưới ${b} tiêu chí`, from: 0, to: b - 1 },
  ].filter((x) => x.from <= x.to);
}

const pct = (n: number, d: number): number | null => (d > 0 ? Math.round((n * 1000) / d) / 10 : null);

/**
 * One headline figure as a sentence, its denominator beside it: "Số xã đạt đủ 19/19 tiêu chí: 1 xã
 * trên 17 xã đã rà soát theo … (5,9%)". The Word report says it so; the table holds the same numbers.
 */
export function figureSentence(f: SummaryFigure): string {
  const value = f.value === null ? 'chưa có số liệu' : `${numberVi(f.value, f.decimals, f.decimals > 0)} ${f.unit.vi}`;
  const of = f.of ? ` trên ${numberVi(f.of.count)} ${f.of.label.vi}${f.share !== null ? ` (${percentVi(f.share)})` : ''}` : '';
  return `${f.label.vi}: ${value}${of}${f.note ? `; ${lowerFirst(f.note.vi)}` : ''}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The headline figures, each with its denominator: the same list the screen shows. */
function keyFigures(s: UnitSummary): Table {
  const rows: Row[] = s.figures.map((f) => ({
    cells: [
      f.label.vi,
      f.decimals > 0 ? typed('number', f.value, f.decimals) : f.value,
      f.unit.vi,
      f.of ? f.of.count : null,
      f.of ? f.of.label.vi : '',
      typed('percent', f.share),
      f.note?.vi ?? '',
    ],
  }));
  return {
    id: 'key-figures',
    sheetName: 'Chỉ số chung',
    title: m('CÁC CHỈ SỐ CHUNG', 'KEY FIGURES'),
    subtitle: [`${s.unit.fullName} — số liệu tại ngày ${dateVi(s.date)}. Mỗi tỷ lệ tính trên mẫu số ghi ở cùng dòng.`],
    columns: [
      { key: 'label', title: m('Chỉ số', 'Figure'), type: 'text', width: 40 },
      { key: 'value', title: m('Giá trị', 'Value'), type: 'integer', width: 10 },
      { key: 'unit', title: m('Đơn vị', 'Unit'), type: 'text', width: 10 },
      { key: 'of', title: m('Mẫu số', 'Denominator'), type: 'integer', width: 10 },
      { key: 'ofLabel', title: m('Mẫu số là', 'Denominator is'), type: 'text', width: 36 },
      { key: 'share', title: m('Tỷ lệ (%)', 'Share (%)'), type: 'percent', width: 10 },
      { key: 'note', title: m('Ghi chú', 'Note'), type: 'text', width: 40 },
    ],
    rows,
    autoFilter: false,
  };
}

/** Xã đạt dưới 15 tiêu chí — the communes the programme wants none of (19-criterion sets). */
function below15Table(s: UnitSummary): Table {
  const rows: Row[] = s.communes
    .filter((c) => c.criteriaTotal === 19 && (c.criteriaMet ?? 0) < 15)
    .map((c, i) => ({ cells: [i + 1, c.name, c.parentName ?? '', c.reviewedOn, c.criteriaMet] }));
  return {
    id: 'below-15',
    sheetName: 'Dưới 15 tiêu chí',
    title: m('CÁC XÃ ĐẠT DƯỚI 15 TIÊU CHÍ', 'COMMUNES BELOW 15 CRITERIA'),
    subtitle: [`${s.unit.fullName} — số liệu tại ngày ${dateVi(s.date)}; ${rows.length} xã`],
    columns: [
      { key: 'stt', title: m('STT', 'No.'), type: 'integer', width: 5 },
      { key: 'name', title: m('Tên xã', 'Commune'), type: 'text', width: 22 },
      { key: 'parent', title: m('Trực thuộc', 'Under'), type: 'text', width: 20 },
      { key: 'reviewedOn', title: m('Ngày rà soát', 'Review date'), type: 'date', width: 12 },
      { key: 'criteria', title: m('Số tiêu chí đạt', 'Criteria met'), type: 'integer', width: 10 },
    ],
    rows,
  };
}

function communesOfSet(s: UnitSummary, set: SetStats) {
  return s.communes.filter((c) => c.setId === set.setId);
}

function bandsTable(s: UnitSummary, set: SetStats, suffix: string): Table {
  const communes = communesOfSet(s, set);
  const n = set.criteria.length;
  const rows: Row[] = criteriaBands(n).map((b) => {
    const k = communes.filter((c) => (c.criteriaMet ?? 0) >= b.from && (c.criteriaMet ?? 0) <= b.to).length;
    return { cells: [b.label, k, typed('percent', pct(k, communes.length))] };
  });
  rows.push({ kind: 'strong', cells: ['Cộng', communes.length, typed('percent', communes.length ? 100 : null)] });
  return {
    id: `bands${suffix}`,
    sheetName: `Theo số tiêu chí${suffix}`,
    title: m('PHÂN LOẠI XÃ THEO SỐ TIÊU CHÍ ĐẠT', 'COMMUNES BY CRITERIA MET'),
    subtitle: [`${set.setName} (${n} tiêu chí) — ${communes.length} xã đã rà soát`],
    columns: [
      { key: 'band', title: m('Nhóm', 'Band'), type: 'text', width: 28 },
      { key: 'communes', title: m('Số xã', 'Communes'), type: 'integer', width: 12 },
      { key: 'share', title: m('Tỷ lệ (% số xã đã rà soát)', 'Share (% of communes reviewed)'), type: 'percent', width: 12 },
    ],
    rows,
    autoFilter: false,
  };
}

function perCriterionTable(s: UnitSummary, set: SetStats, suffix: string): Table {
  const communes = communesOfSet(s, set);
  const rows: Row[] = set.criteria.map((c, k) => {
    const met = communes.filter((r) => (r.criteriaStatus ?? '')[k] === 'M').length;
    const notMet = communes.filter((r) => (r.criteriaStatus ?? '')[k] === 'N').length;
    const notEval = communes.filter((r) => (r.criteriaStatus ?? '')[k] === 'E').length;
    return { cells: [c.code, `${c.name}${c.critical ? ' (bắt buộc)' : ''}`, met, typed('percent', pct(met, communes.length)), notMet, notEval] };
  });
  return {
    id: `per-criterion${suffix}`,
    sheetName: `Theo tiêu chí${suffix}`,
    title: m('KẾT QUẢ THEO TỪNG TIÊU CHÍ', 'RESULT BY CRITERION'),
    subtitle: [`${set.setName} — ${communes.length} xã đã rà soát`],
    columns: [
      { key: 'code', title: m('TC', 'C'), type: 'text', width: 5, align: 'center' },
      { key: 'name', title: m('Tên tiêu chí', 'Criterion'), type: 'text', width: 40 },
      { key: 'met', title: m('Số xã đạt', 'Communes meeting'), type: 'integer', width: 10 },
      { key: 'share', title: m('Tỷ lệ đạt (% số xã đã rà soát)', 'Share (% of communes reviewed)'), type: 'percent', width: 10 },
      { key: 'notMet', title: m('Chưa đạt', 'Not met'), type: 'integer', width: 10 },
      { key: 'notEvaluable', title: m('Chưa đánh giá được', 'Not evaluable'), type: 'integer', width: 12 },
    ],
    rows,
    autoFilter: false,
  };
}

/** The reason for the level, the expired-set label and the merger coverage, in one cell. */
export function communeNotes(c: CommuneStatusRow): string {
  return [c.levelReason?.vi, c.setNote?.vi, c.coverage?.vi].filter((x): x is string => !!x).join('. ');
}

function communeListTable(s: UnitSummary): Table {
  return {
    id: 'communes',
    sheetName: 'Danh sách xã',
    title: m('DANH SÁCH XÃ VÀ SỐ TIÊU CHÍ ĐẠT', 'COMMUNES AND CRITERIA MET'),
    subtitle: [`${s.unit.fullName} — số liệu tại ngày ${dateVi(s.date)}`],
    columns: [
      { key: 'stt', title: m('STT', 'No.'), type: 'integer', width: 4 },
      { key: 'name', title: m('Tên xã', 'Commune'), type: 'text', width: 13 },
      { key: 'parent', title: m('Trực thuộc', 'Under'), type: 'text', width: 11 },
      { key: 'reviewedOn', title: m('Ngày rà soát', 'Review date'), type: 'date', width: 15 },
      // Word: "13/19"; Excel: met and total as two numbers (they sort, filter and sum).
      { key: 'criteria', title: m('Số tiêu chí đạt', 'Criteria met'), type: 'text', width: 7, align: 'center', only: 'docx' },
      { key: 'criteriaMet', title: m('Số tiêu chí đạt', 'Criteria met'), type: 'integer', width: 9, only: 'xlsx' },
      { key: 'criteriaTotal', title: m('Tổng số tiêu chí', 'Criteria'), type: 'integer', width: 9, only: 'xlsx' },
      { key: 'indicators', title: m('Số chỉ tiêu đạt', 'Indicators met'), type: 'text', width: 7, align: 'center', only: 'docx' },
      { key: 'indicatorsMet', title: m('Số chỉ tiêu đạt', 'Indicators met'), type: 'integer', width: 9, only: 'xlsx' },
      { key: 'indicatorsTotal', title: m('Tổng số chỉ tiêu', 'Indicators'), type: 'integer', width: 9, only: 'xlsx' },
      { key: 'level', title: m('Mức đạt', 'Level'), type: 'text', width: 9 },
      { key: 'recognised', title: m('Đã công nhận', 'Recognised'), type: 'text', width: 10 },
      { key: 'reason', title: m('Lý do, ghi chú', 'Reason, notes'), type: 'text', width: 26 },
    ],
    rows: s.communes.map((c, i) => ({
      cells: [
        i + 1,
        c.name,
        c.parentName ?? '',
        c.reviewedOn,
        c.criteriaMet === null ? null : `${c.criteriaMet}/${c.criteriaTotal}`,
        c.criteriaMet,
        c.criteriaTotal,
        c.indicatorsMet === null ? null : `${c.indicatorsMet}/${c.indicatorsTotal}`,
        c.indicatorsMet,
        c.indicatorsTotal,
        c.reviewId === null ? 'Chưa rà soát' : levelShort(c.level) || 'Chưa đạt',
        levelShort(c.recognisedLevel) || (c.predecessorCount > 0 ? 'Chưa công nhận' : ''),
        communeNotes(c),
      ],
    })),
    freezeColumns: 2,
  };
}

export function buildUnitSummaryReport(input: UnitSummaryInput): Report {
  const s = input.summary;
  const o = input.official ?? {};
  const national = input.national;
  const where = national ? 'cả nước' : unitInText(input.unit);
  const issuer = national ? CENTRAL_OFFICE : committeeInText(input.unit);
  const header = officialHeader(
    input.unit,
    national ? { parentBody: 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG', issuingBody: CENTRAL_OFFICE.toUpperCase(), place: 'Hà Nội', ...o } : o,
    {
      docType: 'BÁO CÁO',
      summary: `Kết quả thực hiện Bộ tiêu chí xã nông thôn mới\ntrên địa bàn ${where} tính đến ngày ${dateVi(s.date)}`,
      date: s.date,
      ...(national ? { symbol: 'BC-VPĐPNTMTW' } : {}),
      recipientsTo: national ? ['Ban Chỉ đạo Trung ương các chương trình mục tiêu quốc gia'] : input.parent ? [committeeInText(input.parent)] : [],
    },
  );
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: `${issuer} báo cáo kết quả thực hiện Bộ tiêu chí xã nông thôn mới trên địa bàn ${where} tính đến ngày ${dateVi(s.date)}, tổng hợp từ các bản rà soát của các xã đã được nộp trên hệ thống, như sau:`,
    },
    { type: 'heading', level: 1, text: 'I. Kết quả chung' },
    ...s.figures.map((f, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${figureSentence(f)}.` })),
    { type: 'table', table: keyFigures(s), xlsxOnly: true },
    { type: 'table', table: below15Table(s), xlsxOnly: true },
  ];
  const multiSet = s.sets.length > 1;
  s.sets.forEach((set, i) => {
    const suffix = multiSet ? ` ${i + 1}` : '';
    blocks.push({ type: 'heading', level: 1, text: `${i === 0 ? 'II' : `II.${i + 1}`}. Phân loại xã theo số tiêu chí đạt${multiSet ? ` (${set.setName})` : ''}` });
    blocks.push({ type: 'table', table: bandsTable(s, set, suffix), hideTitle: true });
    blocks.push({ type: 'heading', level: 1, text: `${i === 0 ? 'III' : `III.${i + 1}`}. Kết quả theo từng tiêu chí${multiSet ? ` (${set.setName})` : ''}` });
    blocks.push({ type: 'table', table: perCriterionTable(s, set, suffix), fontSize: 12, hideTitle: true });
  });
  blocks.push({ type: 'heading', level: 1, text: 'IV. Đánh giá chung và kiến nghị' });
  blocks.push({ type: 'paragraph', text: '(Cơ quan soạn thảo bổ sung nhận xét, khó khăn, vướng mắc và kiến nghị.)', italic: true });
  const reference = `(Kèm theo Báo cáo số ${header.number.trim().startsWith('/') ? '……' + header.number.trim() : header.number} ngày ${dateVi(header.date)} của ${issuer})`;
  if (national) {
    blocks.push({ type: 'appendix', label: 'Phụ lục', title: 'Kết quả theo tỉnh, thành phố', reference });
    blocks.push({ type: 'table', table: provincesTable(s, national.provinces), fontSize: 11, hideTitle: true });
    // Thousands of communes: in the spreadsheet only.
    blocks.push({ type: 'table', table: communeListTable(s), xlsxOnly: true });
  } else {
    blocks.push({ type: 'appendix', label: 'Phụ lục', title: 'Danh sách xã và số tiêu chí đạt', reference });
    // The appendix heading already names the list: the Word table goes without its own title.
    blocks.push({ type: 'table', table: communeListTable(s), fontSize: 11, hideTitle: true });
  }
  return {
    kind: 'unit-summary',
    title: m(`Báo cáo tổng hợp — ${s.unit.fullName} — ${dateVi(s.date)}`, `Summary — ${s.unit.fullName} — ${s.date}`),
    meta: {
      date: s.date,
      unitName: s.unit.fullName,
      setId: s.sets[0]?.setId ?? null,
      setName: s.sets[0]?.setName ?? null,
      generatedAt: input.generatedAt ?? new Date().toISOString(),
      demo: s.isDemo,
      unverifiedIndicators: 0,
    },
    header,
    signature: signature(o, { recipients: national ? ['Như trên', 'Văn phòng Điều phối nông thôn mới các tỉnh, thành phố', 'Lưu: VT'] : ['Như trên', ...(input.parent ? [] : [CENTRAL_OFFICE]), `Các xã trên địa bàn ${where}`] }),
    blocks,
    fileName: fileStem('bao-cao-tong-hop', s.unit.fullName, s.date),
  };
}

