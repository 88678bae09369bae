/**
 * Báo cáo đề xuất phương án phân bổ kinh phí — a budget allocation (issue 15) as a one-page Word
 * note for the steering committee, in the Decree 30/2020 layout of the other documents (the same
 * `Report` model, header block, signature and "Nơi nhận", rendered by src/files/reports/docx.ts):
 * issued by the Ban Chỉ đạo of the unit ("Số:      /BC-BCĐ" left for the clerk), sent to the
 * unit's People's Committee. Body: the situation (from the summary sentence), the chosen actions
 * grouped by commune (at most `NOTE_MAX_ROWS` rows: the rest as "và N hạng mục khác"), the
 * comparison with greedy and the solver's note in one sentence, what was left out in one sentence,
 * and the recommendation ("Kiến nghị"). The details are in the workbook (allocation-workbook.ts).
 *
 * One page by construction: a bounded table (rows, and action texts cut to two lines), sentences
 * whose lists are cut ("và N xã khác"). Checked in LibreOffice (src/files/reports/office.test.ts).
 * Pure: data in, a `Report` (or bytes) out.
 */
import type { UnitAllocation } from '../../domain/planning/unit-allocation.ts';
import { millionText } from '../../domain/planning/priorities.ts';
import type { Block, Column, Report, Row, Table } from '../reports/model.ts';
import { columnWidths, docxBuffer, textWidth } from '../reports/docx.ts';
import { dateVi, numberVi } from '../format.ts';
import { m } from '../reports/builders/labels.ts';
import { committeeInText, officialHeader, signature, unitInText, type OfficialOptions, type UnitNaming } from '../reports/builders/official.ts';
import { issuingLines, parentOf } from '../reports/builders/meeting.report.ts';
import { allocationFileStem, chosenActions, fixedCount, type AllocationFileOptions } from './allocation-workbook.ts';

/** Data rows of the table at most (the last one "và N hạng mục khác" when there are more), plus the total. */
export const NOTE_MAX_ROWS = 5;
/** Font size of the table (pt). */
const TABLE_PT = 12;
/** Names listed in a sentence at most ("Tràng An, Đồng Du… và 3 xã khác"). */
const MAX_NAMES = 5;

export interface AllocationNoteOptions extends AllocationFileOptions {
  /** The unit of the allocation, as written ("Huyện", "Bình Lục"). */
  unit: UnitNaming;
  /** Its steering committee ("Ban Chỉ đạo các chương trình MTQG huyện Bình Lục"); default by the unit's name. */
  committeeName?: string | null;
  official?: OfficialOptions;
}

/** Left and right cell margins of a Word table cell (twips), with a little slack. */
const CELL_MARGINS = 200;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const million = (dong: number) => numberVi(dong / 1_000_000, 3);

/** The text, cut at a word with "…" so that it prints on one line `width` twips wide. */
export function cutToWidth(text: string, width: number, sizePt = TABLE_PT): string {
  const fits = (s: string) => textWidth(s, sizePt) <= width;
  if (fits(text)) return text;
  const words = text.split(/\s+/);
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (!fits(`${next}…`)) break;
    out = next;
  }
  if (!out) {
    // One long word: cut it by characters.
    out = [...text].reduce((s, ch) => (fits(`${s}${ch}…`) ? s + ch : s), '');
  }
  return `${out.replace(/[\s,;:.–-]+$/, '')}…`;
}

/** "Tràng An, Đồng Du và An Lão"; beyond `max` names: "Tràng An, Đồng Du, An Lão và 3 xã khác". */
export function namesText(names: readonly string[], max = MAX_NAMES): string {
  if (names.length <= 1) return names.join('');
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} và ${names.at(-1)}`;
  return `${names.slice(0, max).join(', ')} và ${names.length - max} xã khác`;
}

function chosenTable(a: UnitAllocation): Block {
  const columns: Column[] = [
    { key: 'n', title: m('TT', 'No.'), type: 'integer', width: 4, align: 'center' },
    { key: 'commune', title: m('Xã', 'Commune'), type: 'text', width: 19 },
    { key: 'codes', title: m('Chỉ tiêu', 'Indicators'), type: 'text', width: 8, align: 'center' },
    { key: 'action', title: m('Hạng mục', 'Action'), type: 'text', width: 50 },
    { key: 'cost', title: m('Kinh phí (triệu đồng)', 'Cost (million VND)'), type: 'text', width: 14, align: 'right' },
  ];
  const chosen = chosenActions(a);
  const shown = chosen.length <= NOTE_MAX_ROWS ? chosen : chosen.slice(0, NOTE_MAX_ROWS - 1);
  const rest = chosen.slice(shown.length);
  const rows: Row[] = shown.map((c, i) => ({
    cells: [i + 1, i > 0 && shown[i - 1]!.commune === c.commune ? '' : c.communeName, c.closes.join(', '), c.name, million(c.cost)],
  }));
  if (rest.length > 0) {
    const communes = new Set(rest.map((c) => c.commune)).size;
    rows.push({ cells: ['', '', '', `và ${rest.length} hạng mục khác tại ${communes} xã`, million(rest.reduce((n, c) => n + c.cost, 0))] });
  }
  rows.push({ kind: 'strong', cells: ['', 'Tổng cộng', '', `${chosen.length} hạng mục`, million(a.result.cost)] });
  const table: Table = { id: 'chosen', sheetName: 'Hạng mục chọn', title: m('Các hạng mục đề xuất bố trí kinh phí', 'Actions proposed for funding'), columns, rows };
  // Each action on one line of its column (the full text is in the workbook).
  const width = columnWidths(table, TABLE_PT)[3]! - CELL_MARGINS;
  for (const row of rows) if (row.kind !== 'strong') row.cells[3] = cutToWidth(String(row.cells[3]), width);
  return { type: 'table', fontSize: TABLE_PT, hideTitle: true, table };
}

/** The comparison with greedy and the solver's note, in one sentence. */
export function comparisonSentence(r: UnitAllocation['result']): string {
  return `${r.comparison.vi.replace(/\.$/, '')}; ${r.note ? lowerFirst(r.note.vi) : 'bộ giải đã chứng minh đây là phương án tối ưu.'}`;
}

/** One sentence on what the allocation could not consider. */
export function leftOutSentence(a: Pick<UnitAllocation, 'leftOut'>): string {
  if (a.leftOut.length === 0) return 'Mọi chỉ tiêu chưa đạt của các xã đều đã được xét trong phương án.';
  const pending = a.leftOut.filter((l) => l.code === null);
  const late = a.leftOut.filter((l) => l.code !== null && /sau thời hạn/.test(l.reason.vi));
  const noCost = a.leftOut.filter((l) => l.code !== null && !late.includes(l));
  const parts: string[] = [];
  if (pending.length) parts.push(`${pending.length} xã không thể đạt chuẩn chỉ bằng kinh phí: còn chỉ tiêu chưa đánh giá được hoặc thiếu công nhận tiên quyết (${namesText(pending.map((l) => l.communeName), 3)})`);
  if (noCost.length) parts.push(`${noCost.length} chỉ tiêu chưa có dự toán hoặc chi phí mặc định của tỉnh`);
  if (late.length) parts.push(`${late.length} giải pháp dự kiến hoàn thành sau thời hạn`);
  return `Chưa đưa vào phương án: ${parts.join('; ')} (chi tiết tại bảng tính kèm theo).`;
}

export function buildAllocationNote(a: UnitAllocation, o: AllocationNoteOptions): Report {
  const r = a.result;
  const inText = unitInText(o.unit);
  const committeeName = o.committeeName ?? `Ban Chỉ đạo các chương trình mục tiêu quốc gia ${inText}`;
  const short = a.communes.length;
  const names = new Map(a.communes.map((c) => [c.id, c.name]));
  const reaching = r.reaching.map((id) => names.get(id) ?? id);
  const fixed = fixedCount(o.fixed);
  const chosenCommunes = new Set(chosenActions(a).map((c) => c.commune)).size;
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text:
        `Căn cứ kết quả rà soát đến ngày ${dateVi(a.date)} và kế hoạch hành động của các xã, ${inText} có ${short} xã chưa đạt mức chuẩn tiếp theo; ` +
        `${a.input.communes.length} xã (${a.candidates.length} hạng mục có dự toán) được đưa vào tính toán. ` +
        `Với tổng kinh phí ${millionText(a.budget, 'vi')}${a.deadline ? `, hoàn thành trước ngày ${dateVi(a.deadline)}` : ''}${fixed ? ` (giả định ${fixed} chỉ tiêu đã được khắc phục)` : ''}, ` +
        `phương án đề xuất: ${lowerFirst(r.summary.vi).replace(/\.$/, '')}${reaching.length ? ` (${namesText(reaching, 3)})` : ''}. Các hạng mục (triệu đồng):`,
    },
    chosenTable(a),
    { type: 'paragraph', text: `${comparisonSentence(r)} ${leftOutSentence(a)}` },
    {
      type: 'paragraph',
      lead: 'Kiến nghị:',
      text: `Đề nghị ${committeeInText(o.unit)} xem xét, phê duyệt phương án phân bổ ${millionText(r.cost, 'vi')} cho ${r.chosen.length} hạng mục tại ${chosenCommunes} xã nêu trên./.`,
    },
  ];
  const header = officialHeader(o.unit, o.official ?? {}, {
    docType: 'BÁO CÁO',
    summary: 'Đề xuất phương án phân bổ kinh phí xây dựng nông thôn mới',
    date: a.date,
    symbol: 'BC-BCĐ',
    recipientsTo: [committeeInText(o.unit)],
  });
  header.parentBody = o.official?.parentBody ?? parentOf(o.unit);
  header.issuingBody = o.official?.issuingBody ?? issuingLines(committeeName);
  const communeNames = [...new Set(chosenActions(a).map((c) => c.communeName))];
  return {
    kind: 'allocation-note',
    title: m(`Đề xuất phương án phân bổ kinh phí — ${a.unit.name}`, `Budget allocation proposal — ${a.unit.name}`),
    meta: { date: a.date, unitName: a.unit.name, setId: null, setName: null, generatedAt: o.generatedAt, demo: o.demo ?? false, unverifiedIndicators: 0 },
    header,
    signature: signature(
      { signerAuthority: 'TM. BAN CHỈ ĐẠO', signerPosition: 'TRƯỞNG BAN', ...o.official },
      { recipients: ['Như trên', 'Các thành viên Ban Chỉ đạo', ...(communeNames.length ? [`UBND các xã: ${namesText(communeNames)}`] : [])] },
    ),
    blocks,
    fileName: allocationFileStem(a),
  };
}

/** The note's .docx bytes. */
export async function allocationNote(a: UnitAllocation, o: AllocationNoteOptions): Promise<Buffer> {
  return docxBuffer(buildAllocationNote(a, o));
}
