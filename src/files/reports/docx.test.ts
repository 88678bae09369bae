/**
 * Decree 30/2020/NĐ-CP format of the generated Word reports (checklist DOC-01…DOC-17 of the shared
 * reference §4), read back from the .docx XML: page size and margins, fonts and sizes, bold,
 * italic and underline, alignment and indents, the two-column header block, the page number in
 * the top margin from page 2 only, the signature block and "Nơi nhận:".
 */
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { docxBuffer, FIRST_LINE, issuingBodyLines, MOTTO, NATIONAL_TITLE, textWidth } from './docx.ts';
import { buildConclusionNotice, type NoticeInput } from './builders/meeting.report.ts';
import { buildAppraisalReport, buildExaminationNarrative, buildMeetingMinutes, buildPublicNotice, buildRecognitionDecision, buildRevocationDecision, type DossierFacts } from './builders/dossier.report.ts';
import { buildExaminationReport, buildSelfAssessmentReport } from './builders/commune.report.ts';
import { buildUnitSummaryReport } from './builders/unit-summary.report.ts';
import { placeDateLine } from '../format.ts';
import { provinceSummary, trangAnInput } from '../../test-support/report-fixtures.ts';
import type { Report } from './model.ts';

interface Docx {
  document: string;
  styles: string;
  headers: Record<string, string>;
  rels: string;
}

async function open(report: Report): Promise<Docx> {
  const files = unzipSync(new Uint8Array(await docxBuffer(report)));
  const text = (name: string) => (files[name] ? strFromU8(files[name]!) : '');
  const headers: Record<string, string> = {};
  for (const name of Object.keys(files)) if (/^word\/header\d+\.xml$/.test(name)) headers[name.slice(5)] = text(name);
  return { document: text('word/document.xml'), styles: text('word/styles.xml'), headers, rels: text('word/_rels/document.xml.rels') };
}

const MM = 1440 / 25.4;
const twipsToMm = (t: number) => t / MM;

function attr(xml: string, tag: string, name: string): number {
  const m = new RegExp(`<${tag}\\b[^>]*\\b${name}="(-?\\d+)"`).exec(xml);
  if (!m) throw new Error(`no ${tag}@${name}`);
  return Number(m[1]);
}

/** Every <w:p> of the body. */
function paragraphs(xml: string): string[] {
  return xml.match(/<w:p\b[\s\S]*?<\/w:p>/g) ?? [];
}

/** The paragraph whose text (all its w:t joined) equals or starts with `text`. */
function para(xml: string, text: string): string {
  const p = paragraphs(xml).find((x) => textOf(x).startsWith(text));
  if (!p) throw new Error(`no paragraph "${text}"`);
  return p;
}

function textOf(p: string): string {
  return [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/** Run properties of the run holding `text` inside a paragraph. */
function runProps(p: string, text: string): string {
  const r = (p.match(/<w:r>[\s\S]*?<\/w:r>|<w:r\s[\s\S]*?<\/w:r>/g) ?? []).find((x) => textOf(x).includes(text));
  if (!r) throw new Error(`no run "${text}"`);
  return /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(r)?.[1] ?? '';
}

const size = (rPr: string) => Number(/<w:sz w:val="(\d+)"/.exec(rPr)?.[1] ?? NaN) / 2;
const bold = (rPr: string) => /<w:b\/>|<w:b w:val="(true|1)"\/>/.test(rPr);
const italic = (rPr: string) => /<w:i\/>|<w:i w:val="(true|1)"\/>/.test(rPr);
const underlined = (rPr: string) => /<w:u w:val="single"/.test(rPr);
const align = (p: string) => /<w:jc w:val="(\w+)"/.exec(p)?.[1] ?? 'left';

const facts = (over: Partial<DossierFacts> = {}): DossierFacts => ({
  unit: { type: 'Xã', name: 'Tràng An', fullName: 'Xã Tràng An' },
  district: { type: 'Huyện', name: 'Bình Lục' },
  province: { type: 'Tỉnh', name: 'Hà Nam' },
  level: 'nang-cao',
  setName: 'Bộ tiêu chí xã nông thôn mới nâng cao tỉnh Hà Nam (minh họa)',
  review: { date: '2023-09-30', criteriaMet: 19, criteriaTotal: 19, indicatorsMet: 75, indicatorsTotal: 75, unmet: [] },
  satisfactionRate: 96.5,
  noConstructionDebt: true,
  securityOk: true,
  consultation: { from: '2023-10-03', to: '2023-10-18' },
  documents: ['Báo cáo kết quả tự đánh giá', 'Tờ trình đề nghị xét công nhận'],
  decision: { number: '3456/QĐ-UBND', date: '2023-12-14', signer: 'Trần Thị Bình' },
  date: '2023-12-14',
  demo: true,
  ...over,
});

const reports: Array<[string, () => Report]> = [
  ['meeting minutes', () => buildMeetingMinutes(facts({ date: '2023-10-18' }))],
  ['public notice', () => buildPublicNotice(facts({ date: '2023-10-03' }))],
  ['examination narrative', () => buildExaminationNarrative(facts({ date: '2023-11-08' }))],
  ['appraisal report', () => buildAppraisalReport(facts({ date: '2023-12-01' }))],
  ['recognition decision', () => buildRecognitionDecision(facts())],
  ['revocation decision', () => buildRevocationDecision({ unit: facts().unit, district: null, province: facts().province, level: 'nang-cao', recognition: { decisionNo: '99/QĐ-UBND', decidedOn: '2023-12-01' }, date: '2024-11-20', demo: true })],
  ['self-assessment', () => buildSelfAssessmentReport(trangAnInput())],
  ['examination', () => buildExaminationReport(trangAnInput())],
  ['unit summary', () => buildUnitSummaryReport({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null, official: { number: '12/BC-UBND', signerName: 'Trần Thị Bình' } })],
];

describe.each(reports)('Decree 30/2020 format: %s report', (_name, build) => {
  it('DOC-01/02: A4 portrait, margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm', async () => {
    const d = await open(build());
    const sect = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(d.document)![0];
    expect(attr(sect, 'w:pgSz', 'w:w')).toBe(11906);
    expect(attr(sect, 'w:pgSz', 'w:h')).toBe(16838);
    expect(sect).not.toMatch(/w:orient="landscape"/);
    const mm = (n: string) => twipsToMm(attr(sect, 'w:pgMar', n));
    expect(mm('w:top')).toBeGreaterThanOrEqual(19.9);
    expect(mm('w:top')).toBeLessThanOrEqual(25.1);
    expect(mm('w:bottom')).toBeGreaterThanOrEqual(19.9);
    expect(mm('w:bottom')).toBeLessThanOrEqual(25.1);
    expect(mm('w:left')).toBeGreaterThanOrEqual(29.9);
    expect(mm('w:left')).toBeLessThanOrEqual(35.1);
    expect(mm('w:right')).toBeGreaterThanOrEqual(14.9);
    expect(mm('w:right')).toBeLessThanOrEqual(20.1);
  });

  it('DOC-03: Times New Roman, black, everywhere', async () => {
    const d = await open(build());
    expect(d.styles).toMatch(/<w:rFonts w:ascii="Times New Roman"[^>]*w:hAnsi="Times New Roman"/);
    const fonts = [...d.document.matchAll(/<w:rFonts ([^>]*)\/>/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(10);
    for (const f of fonts) expect(f).toMatch(/w:ascii="Times New Roman"/);
    const colours = new Set([...d.document.matchAll(/<w:color w:val="([0-9A-Fa-f]{6}|auto)"/g)].map((m) => m[1]!.toUpperCase()));
    expect([...colours].every((c) => c === '000000' || c === 'AUTO')).toBe(true);
  });

  it('DOC-04: page numbers centred in the top margin, none on page 1', async () => {
    const d = await open(build());
    const sect = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(d.document)![0];
    expect(sect).toMatch(/<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/);
    const ref = (type: string) => new RegExp(`<w:headerReference w:type="${type}" r:id="(\\w+)"`).exec(sect)?.[1];
    const target = (id: string) => new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(d.rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(d.rels)?.[1];
    const first = d.headers[target(ref('first')!)!]!;
    const others = d.headers[target(ref('default')!)!]!;
    expect(first).toBeDefined();
    expect(first).not.toMatch(/PAGE/);
    expect(others).toMatch(/PAGE/);
    expect(align(others)).toBe('center');
    const pageSize = size(/<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(others)![1]!);
    expect(pageSize).toBeGreaterThanOrEqual(13);
    expect(pageSize).toBeLessThanOrEqual(14);
    // The header sits in the top margin.
    expect(attr(sect, 'w:pgMar', 'w:header')).toBeLessThan(attr(sect, 'w:pgMar', 'w:top'));
  });

  it('DOC-05…09: the header block — issuing body, number, national title, motto, place and date', async () => {
    const r = build();
    const d = await open(r);
    const firstTable = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(d.document)![0];
    expect(d.document.indexOf(firstTable)).toBeLessThan(d.document.indexOf(`>${r.header!.docType}<`));
    expect((firstTable.match(/<w:gridCol /g) ?? []).length).toBe(2);
    expect(firstTable).toMatch(/<w:tblBorders>[\s\S]*w:val="none"/);
    // National title: upper case, bold, 12–13, centred in the right column.
    const title = para(firstTable, NATIONAL_TITLE);
    expect(bold(runProps(title, NATIONAL_TITLE))).toBe(true);
    expect(size(runProps(title, NATIONAL_TITLE))).toBeGreaterThanOrEqual(12);
    expect(size(runProps(title, NATIONAL_TITLE))).toBeLessThanOrEqual(13);
    expect(align(title)).toBe('center');
    // Motto: bold 13–14, underlined, one size above the title (sizes move together).
    const motto = para(firstTable, MOTTO);
    expect(MOTTO).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(bold(runProps(motto, MOTTO))).toBe(true);
    expect(underlined(runProps(motto, MOTTO))).toBe(true);
    expect(size(runProps(motto, MOTTO))).toBe(size(runProps(title, NATIONAL_TITLE)) + 1);
    // Issuing body: upper case, bold, with a short rule under it.
    const body = r.header!.issuingBody.split('\n');
    for (const line of body) {
      const p = para(firstTable, line);
      expect(line).toBe(line.toUpperCase());
      expect(bold(runProps(p, line))).toBe(true);
      expect(size(runProps(p, line))).toBeGreaterThanOrEqual(12);
      expect(size(runProps(p, line))).toBeLessThanOrEqual(13);
    }
    expect(firstTable).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    // Number and symbol, and the italic place-date line on the same row.
    const number = para(firstTable, 'Số: ');
    expect(textOf(number)).toMatch(/^Số: (\d{2,}|\s*)\/[A-ZĐ]+-[A-ZĐ]+$/);
    expect(size(runProps(number, 'Số'))).toBe(13);
    const dateLine = placeDateLine(r.header!.place, r.header!.date);
    const dp = para(firstTable, dateLine);
    expect(italic(runProps(dp, dateLine))).toBe(true);
    expect(size(runProps(dp, dateLine))).toBeGreaterThanOrEqual(13);
    expect(dateLine).toMatch(/^[^,]+, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$/);
  });

  it('DOC-10/12: type and summary bold and centred; body justified, first-line indent 1.27 cm, ≥ 6 pt after, 13–14 pt', async () => {
    const r = build();
    const d = await open(r);
    const type = para(d.document, r.header!.docType);
    expect(bold(runProps(type, r.header!.docType))).toBe(true);
    expect(align(type)).toBe('center');
    expect(size(runProps(type, r.header!.docType))).toBeGreaterThanOrEqual(13);
    // The summary's lines may be re-balanced to the page width: its first words start a paragraph.
    const firstSummaryLine = r.header!.summary.split('\n')[0]!.split(' ').slice(0, 3).join(' ');
    const summary = para(d.document, firstSummaryLine);
    expect(bold(runProps(summary, firstSummaryLine))).toBe(true);
    expect(align(summary)).toBe('center');
    const body = paragraphs(d.document).filter((p) => align(p) === 'both' && p.includes(`w:firstLine="${FIRST_LINE}"`));
    expect(body.length).toBeGreaterThan(2);
    for (const p of body.slice(0, 20)) {
      expect(Number(/w:after="(\d+)"/.exec(p)?.[1] ?? 0)).toBeGreaterThanOrEqual(120);
      const rPr = /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(p.replace(/<w:pPr>[\s\S]*?<\/w:pPr>/, ''))?.[1] ?? '';
      expect(size(rPr)).toBeGreaterThanOrEqual(12);
      expect(size(rPr)).toBeLessThanOrEqual(14);
    }
    // 1.27 cm = 720 twips.
    expect(Math.abs(FIRST_LINE / (MM * 10) - 1.27)).toBeLessThan(0.01);
  });

  it('DOC-15/17: signature block and recipients ("Nơi nhận:" 12 bold italic, entries 11, last "- Lưu: …")', async () => {
    const r = build();
    const d = await open(r);
    if (r.signature?.coSigner) {
      // Minutes: two signers, no "Nơi nhận".
      expect(d.document).not.toContain('Nơi nhận:');
      for (const who of [r.signature.position, r.signature.coSigner.position]) expect(bold(runProps(para(d.document, who), who))).toBe(true);
      return;
    }
    const label = para(d.document, 'Nơi nhận:');
    const lp = runProps(label, 'Nơi nhận:');
    expect(bold(lp) && italic(lp)).toBe(true);
    expect(size(lp)).toBe(12);
    const entries = paragraphs(d.document).filter((p) => textOf(p).startsWith('- ') && size(runProps(p, '- ')) === 11);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(textOf(entries.at(-1)!)).toMatch(/^- Lưu: .*\.$/);
    for (const e of entries.slice(0, -1)) expect(textOf(e)).toMatch(/;$/);
    const pos = para(d.document, r.signature!.position);
    expect(bold(runProps(pos, r.signature!.position))).toBe(true);
    if (r.signature!.name) expect(bold(runProps(para(d.document, r.signature!.name), r.signature!.name))).toBe(true);
  });

  it('marks unverified indicators and demo data', async () => {
    const r = build();
    const d = await open(r);
    expect(d.document).toContain('DỮ LIỆU MINH HỌA');
    if (r.meta.unverifiedIndicators > 0) expect(d.document).toContain('chưa được kiểm chứng với văn bản gốc');
  });
});

describe('administrative date line (DOC-09)', () => {
  it('puts a zero before days below 10 and months 1–2 only', () => {
    expect(placeDateLine('Hà Nội', '2026-01-05')).toBe('Hà Nội, ngày 05 tháng 01 năm 2026');
    expect(placeDateLine('Bình Lục', '2023-03-20')).toBe('Bình Lục, ngày 20 tháng 3 năm 2023');
    expect(placeDateLine('Tràng An', '2023-12-09')).toBe('Tràng An, ngày 09 tháng 12 năm 2023');
  });
});

// ── Issue 14.6: documents that pass a clerk's eye ─────────────────────────────────────────────

/** The <w:tbl> elements of the body, outermost first. */
function tables(xml: string): string[] {
  return xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
}
const gridCols = (tbl: string) => [...tbl.matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) => Number(m[1]));

function notice(over: Partial<NoticeInput> = {}): Report {
  const status = { date: '2026-01-15', reviewedOn: '2025-12-15', setName: 'Bộ tiêu chí', totals: null, criteria: [], unmet: [], summaryLine: { vi: 'Đạt 19/19 tiêu chí.', en: '19/19 criteria met.' } };
  return buildConclusionNotice({
    meeting: { title: 'Làm việc với xã Bình Lục', heldOn: '2026-01-15', place: 'Trụ sở UBND xã Bình Lục', kind: 'Buổi làm việc', committeeName: 'Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh Ninh Bình', committeeUnit: { type: 'Tỉnh', name: 'Ninh Bình' } },
    chair: { name: 'Trịnh Minh Quang', position: 'Chủ tịch UBND tỉnh' },
    participants: [],
    communes: [{ naming: { type: 'Xã', name: 'Bình Lục', fullName: 'Xã Bình Lục' }, status }],
    conclusions: [{ seq: 1, text: 'UBND xã Bình Lục rà soát lại toàn bộ các tiêu chí.', tasks: [] }],
    noticeNo: null,
    noticeOn: null,
    assignees: [],
    demo: true,
    ...over,
  });
}

describe('signature block, "Nơi nhận" and appendices (DOC-15/17/18)', () => {
  const summary = () => buildUnitSummaryReport({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null, official: { number: '12/BC-UBND', signerName: 'Trần Thị Bình' } });

  it('puts the signature and "Nơi nhận" after the body and before the first appendix', async () => {
    const d = await open(summary());
    const signature = d.document.indexOf('>Nơi nhận:<');
    const appendix = d.document.indexOf('>Phụ lục<');
    expect(signature).toBeGreaterThan(0);
    expect(appendix).toBeGreaterThan(0);
    expect(signature).toBeLessThan(appendix);
    // The appendix's table comes after the signature too.
    expect(d.document.indexOf('DANH SÁCH XÃ')).toBeGreaterThan(signature);
  });

  it.each([
    ['self-assessment', () => buildSelfAssessmentReport(trangAnInput())],
    ['examination', () => buildExaminationReport(trangAnInput())],
    ['unit summary', summary],
    ['conclusion notice', () => notice()],
  ] as Array<[string, () => Report]>)('%s: the last paragraph before the signature is kept with it (keepNext, keepLines)', async (_n, build) => {
    const d = await open(build());
    const sigStart = d.document.lastIndexOf('<w:tbl>', d.document.indexOf('>Nơi nhận:<'));
    const before = paragraphs(d.document.slice(0, sigStart)).filter((p) => textOf(p).trim() !== '');
    const last = before.at(-1)!;
    expect(last).toMatch(/<w:keepNext\/>/);
    expect(last).toMatch(/<w:keepLines\/>/);
    // Every paragraph between it and the signature (notes, spacing) is kept with the next as well.
    const tail = d.document.slice(d.document.lastIndexOf(last), sigStart);
    for (const p of paragraphs(tail)) expect(p).toMatch(/<w:keepNext\/>/);
  });
});

describe('issuing-body header (DOC-07)', () => {
  it('splits a long issuing body into lines that fit the column, under a rule of 1/3–1/2 of the longest line', async () => {
    const r = notice();
    const d = await open(r);
    const header = tables(d.document)[0]!;
    const leftCol = gridCols(header)[0]!;
    const { parent, body } = issuingBodyLines(r.header!);
    expect(parent).toEqual(['UBND TỈNH NINH BÌNH']);
    expect(body.join(' ')).toBe('BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA TỈNH NINH BÌNH');
    // Broken between phrases only.
    for (const line of body) expect(['BAN CHỈ ĐẠO', 'CÁC CHƯƠNG TRÌNH', 'MỤC TIÊU QUỐC GIA', 'TỈNH NINH BÌNH'].some((p) => line.startsWith(p))).toBe(true);
    for (const line of body) {
      expect(textWidth(line, 13, true)).toBeLessThanOrEqual(leftCol - 120);
      expect(bold(runProps(para(header, line), line))).toBe(true);
    }
    for (const line of parent) expect(textWidth(line, 13, false)).toBeLessThanOrEqual(leftCol - 120);
    // The rule: a bottom border on an empty paragraph indented equally from both sides.
    const rule = paragraphs(header).find((p) => /<w:pBdr><w:bottom w:val="single"/.test(p))!;
    const indent = Number(/<w:ind w:left="(\d+)"/.exec(rule)![1]);
    const ruleLength = leftCol - 120 - 2 * indent;
    const longest = Math.max(...body.map((l) => textWidth(l, 13, true)));
    expect(ruleLength / longest).toBeGreaterThanOrEqual(1 / 3);
    expect(ruleLength / longest).toBeLessThanOrEqual(1 / 2);
  });
});

describe('Word table columns (issue 14.6)', () => {
  it('are at least as wide as their longest word: "17.10", "30/06/2026" and "đồng/người/năm" never wrap', async () => {
    const r = buildExaminationReport(trangAnInput());
    const d = await open(r);
    const table = tables(d.document).find((t) => t.includes('Tên tiêu chí, chỉ tiêu'))!;
    const widths = gridCols(table);
    const block = r.blocks.find((b) => b.type === 'table')!;
    if (block.type !== 'table') throw new Error('no table');
    expect(widths).toHaveLength(block.table.columns.length);
    const words = new Set<string>();
    for (const row of block.table.rows) {
      if (row.kind === 'group') continue;
      row.cells.forEach((c, i) => {
        for (const w of String(c ?? '').split(/\s+/).filter(Boolean)) {
          words.add(w);
          expect(textWidth(w, 11, row.kind === 'strong'), `"${w}" in column ${i + 1}`).toBeLessThanOrEqual(widths[i]! - 120);
        }
      });
    }
    expect(words).toContain('17.10');
    expect([...words].some((w) => w.includes('đồng/người/năm'))).toBe(true);
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(11906 - 1701 - 850);
  });
});

describe('the recognition decision (issue 14.6)', () => {
  it('opens each article with a bold "Điều N." (DOC-13)', async () => {
    const d = await open(buildRecognitionDecision(facts()));
    for (const n of [1, 2, 3]) {
      const p = para(d.document, `Điều ${n}.`);
      expect(bold(runProps(p, `Điều ${n}.`))).toBe(true);
    }
    // The article's text itself is upright, not bold.
    expect(bold(runProps(para(d.document, 'Điều 1.'), 'Công nhận xã Tràng An'))).toBe(false);
  });

  it('puts a recorded name on the name line, and never a position there', () => {
    expect(buildRecognitionDecision(facts()).signature).toMatchObject({ authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: 'Trần Thị Bình' });
    expect(buildRecognitionDecision(facts({ decision: { number: '3456/QĐ-UBND', date: '2023-12-14', signer: 'Chủ tịch UBND tỉnh Hà Nam (minh họa)' } })).signature!.name).toBeNull();
    expect(buildRecognitionDecision(facts({ decision: { number: '3456/QĐ-UBND', date: '2023-12-14', signer: 'Phó Chủ tịch UBND tỉnh' } })).signature).toMatchObject({ authority: 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH', position: 'PHÓ CHỦ TỊCH', name: null });
  });
});

describe('counts in documents (issue 14.6)', () => {
  it('a count is a whole number: "kết quả 2 sản phẩm", never "1,2 sản phẩm OCOP"', () => {
    for (const date of ['2023-03-20', '2023-09-30', '2024-12-31']) {
      const r = buildSelfAssessmentReport(trangAnInput(date));
      const text = r.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : [])).join('\n');
      const ocop = /Chỉ tiêu 13\.2[^\n]*kết quả ([^;.]*?) sản phẩm/.exec(text);
      expect(ocop, date).not.toBeNull();
      expect(ocop![1]).toMatch(/^\d+$/);
    }
  });
});
