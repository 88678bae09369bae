/**
 * One truth about levels (issue 14): a commune that meets every criterion but lacks the prior
 * recognition says why it is "Chưa đạt"; recognitions of former communes show on their 2025
 * successor (which stays "chưa công nhận"); the advanced set gives no "NTM: 0"; and every headline
 * figure, with its denominator, is the same in the API summary, the Excel export and the Word
 * summary (both parsed back from the generated files). On SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { submittedReview } from '../test-support/committee.ts';
import { insertRecognition } from '../db/recognition.repository.ts';
import { exportReport } from './report.service.ts';
import { getUnitSummary } from './summary.service.ts';
import { getCommunePage } from './commune-page.service.ts';
import type { UnitSummary } from '../files/reports/inputs.ts';
import { numberVi, percentVi } from '../files/format.ts';

const REASON_BLOCKED = 'Đạt đủ 19/19 tiêu chí; chưa đủ điều kiện: chưa được công nhận NTM';

async function sheetRows(buf: Buffer, name: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The text of each paragraph of a .docx, runs joined. */
function docxParagraphs(buf: Buffer): string[] {
  const xml = strFromU8(unzipSync(new Uint8Array(buf))['word/document.xml']!);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((t) => t[1]!)
      .join('')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'"),
  );
}

describeEachDialect('one truth about levels', (ctx) => {
  let province = '';
  let newProvince = '';
  beforeAll(async () => {
    const k = ctx.db.kysely;
    const at = new Date().toISOString();
    const rec = (unitId: string, level: string, decidedOn: string, decisionNo: string) =>
      insertRecognition(k, { unitId, level, setId: null, decisionNo, decidedOn, signer: null, note: null, isDemo: false, at });
    const trangAn = await insertCommune(k, { code: '13510', name: 'Tràng An' });
    province = trangAn.province_id!;
    const binhNghia = await insertCommune(k, { code: '13513', name: 'Bình Nghĩa' });
    const dongDu = await insertCommune(k, { code: '13516', name: 'Đồng Du' });
    const thanhHa = await insertCommune(k, { code: '13600', name: 'Thanh Hà', districtCode: '353', districtName: 'Thanh Liêm' });
    const binhLuc = await insertCommune(k, { code: '13504', name: 'Bình Lục', listId: '2025-07', provinceCode: '37', provinceName: 'Ninh Bình' });
    newProvince = binhLuc.province_id!;
    for (const p of [trangAn, binhNghia, dongDu]) await linkUnits(k, p.id, binhLuc.id);
    await rec(binhNghia.id, 'ntm', '2019-12-20', '11/QĐ-UBND');
    await rec(dongDu.id, 'ntm', '2018-12-20', '12/QĐ-UBND');
    await rec(thanhHa.id, 'ntm', '2017-12-20', '13/QĐ-UBND');
    // Tràng An meets every criterion of the advanced set but was never recognised NTM.
    await submittedReview(ctx.db, trangAn.id, '2023-03-20', []);
    await submittedReview(ctx.db, binhNghia.id, '2023-03-20', []);
    await submittedReview(ctx.db, dongDu.id, '2023-03-20', ['5.1', '8.1', '13.1', '14.1', '15.1', '17.1']);
    await rec(binhNghia.id, 'nang-cao', '2024-06-01', '21/QĐ-UBND');
    await submittedReview(ctx.db, binhLuc.id, '2025-12-15', []);
  });

  it('says why a commune meeting every criterion shows no level', async () => {
    const s = await getUnitSummary(ctx.db, province, '2023-06-30');
    const row = (name: string) => s.communes.find((c) => c.name === name)!;
    expect(row('Tràng An')).toMatchObject({ criteriaMet: 19, criteriaTotal: 19, meetsStandard: true, level: null });
    expect(row('Tràng An').levelReason).toEqual({ vi: REASON_BLOCKED, en: 'Meets all 19/19 criteria; not eligible: not yet recognised NTM' });
    expect(row('Bình Nghĩa').level).toBe('nang-cao');
    expect(row('Bình Nghĩa').levelReason!.vi).toMatch(/^Đạt đủ 19\/19 tiêu chí, \d+\/\d+ chỉ tiêu$/);
    expect(row('Đồng Du').levelReason!.vi).toMatch(/^Đạt \d+\/19 tiêu chí \(\d+\/\d+ chỉ tiêu\); còn \d+ tiêu chí chưa đạt$/);
    expect(row('Thanh Hà').levelReason).toBeNull();
    // The matrix and the Word summary carry the same reason beside the level.
    const matrix = await sheetRows((await exportReport(ctx.db, { kind: 'matrix', unitIds: [province], date: '2023-06-30' }, 'xlsx')).body, 'Ma trận');
    const ta = matrix.find((r) => r.includes('Tràng An'))!;
    expect(ta).toContain('Chưa đạt');
    expect(ta.some((c) => typeof c === 'string' && c.startsWith(REASON_BLOCKED))).toBe(true);
    const word = docxParagraphs((await exportReport(ctx.db, { kind: 'summary', unitIds: [province], date: '2023-06-30' }, 'docx')).body);
    expect(word.some((p) => p.includes(REASON_BLOCKED))).toBe(true);
  });

  it('counts recognised NTM with the levels above it, and gives no NTM figure the advanced set never measured', async () => {
    const s = await getUnitSummary(ctx.db, province, '2024-12-31');
    const f = (key: string) => s.figures.find((x) => x.key === key);
    expect(f('recognised:ntm')).toMatchObject({ value: 3, of: { count: 4 }, share: 75 });
    expect(f('recognised:nang-cao')).toMatchObject({ value: 1, of: { count: 4 } });
    const set = s.sets[0]!.setId;
    expect(f(`meets:${set}`)).toMatchObject({ value: 2, of: { count: 3 } });
    expect(f(`level:${set}`)).toMatchObject({ value: 1, of: { count: 3 } });
    expect(f(`level:${set}`)!.note!.vi).toBe('1 xã đạt đủ 19/19 tiêu chí nhưng chưa đủ điều kiện (chưa được công nhận NTM)');
    expect(s.figures.some((x) => x.key.startsWith('level:') && x.label.vi.includes('chuẩn NTM theo'))).toBe(false);
    // The history never reads "Đạt NTM: 0" where only the advanced set was used.
    const history = await sheetRows((await exportReport(ctx.db, { kind: 'history', unitIds: [province], date: '2024-12-31' }, 'xlsx')).body, 'Diễn biến');
    const header = history.find((r) => r.includes('Ngày'))!;
    expect(header).toContain('Đạt NTM nâng cao (theo rà soát)');
    expect(header.some((c) => c === 'Đạt NTM (theo rà soát)' || c === 'Đạt NTM')).toBe(false);
    // The 2021–2025 set has ended by 2026: results from it say so.
    const later = await getUnitSummary(ctx.db, '13510@2025-03', '2025-06-30');
    expect(later.communes[0]!.setNote).toBeNull();
  });

  it('keeps a recognition with the former commune and shows the successor its coverage', async () => {
    const s = await getUnitSummary(ctx.db, newProvince, '2025-12-31');
    const bl = s.communes.find((c) => c.name === 'Bình Lục')!;
    expect(bl.recognisedLevel).toBeNull();
    expect(bl.predecessorCount).toBe(3);
    expect(bl.predecessorRecognitions.map((r) => `${r.name} ${r.level} ${r.decisionNo}`).sort()).toEqual([
      'Xã Bình Nghĩa nang-cao 21/QĐ-UBND',
      'Xã Bình Nghĩa ntm 11/QĐ-UBND',
      'Xã Đồng Du ntm 12/QĐ-UBND',
    ]);
    expect(bl.coverage!.vi).toBe(
      'Chưa công nhận (xã mới từ 01/07/2025); 2/3 xã cũ đã được công nhận — Xã Bình Nghĩa: NTM nâng cao, QĐ 21/QĐ-UBND ngày 01/06/2024; Xã Đồng Du: NTM, QĐ 12/QĐ-UBND ngày 20/12/2018',
    );
    // Its own review meets every criterion but it holds no NTM recognition itself.
    expect(bl.levelReason!.vi).toBe(REASON_BLOCKED);
    expect(bl.setNote).toBeNull();
    const f = (key: string) => s.figures.find((x) => x.key === key);
    expect(f('recognised:ntm')).toMatchObject({ value: 0, of: { count: 1 } });
    expect(f('predecessorRecognised:ntm')).toMatchObject({ value: 2, of: { count: 3 } });
    expect(f('predecessorRecognised:nang-cao')).toMatchObject({ value: 1, of: { count: 3 } });
    expect(f('coveredCommunes')).toMatchObject({ value: 1, of: { count: 1 } });
    // The commune page states the same reason and coverage.
    const page = await getCommunePage(ctx.db, bl.unitId, '2025-12-31');
    expect(page.levelReason).toEqual(bl.levelReason);
    expect(page.coverage).toEqual(bl.coverage);
    expect((await getCommunePage(ctx.db, bl.unitId, '2026-02-01')).setNote!.vi).toBe('Bộ tiêu chí đã hết hiệu lực 31/12/2025');
    const expired = await getUnitSummary(ctx.db, newProvince, '2026-02-01');
    expect(expired.communes[0]!.setNote).toEqual({ vi: 'Bộ tiêu chí đã hết hiệu lực 31/12/2025', en: 'The criteria set expired on 31/12/2025' });
    expect(expired.figures.find((x) => x.key.startsWith('meets:'))!.note!.vi).toBe('Bộ tiêu chí đã hết hiệu lực 31/12/2025');
  });

  it('gives the same figures, each with its denominator, in the API summary, the Excel export and the Word summary', async () => {
    for (const [unit, date] of [
      [province, '2023-06-30'],
      [province, '2024-12-31'],
      [newProvince, '2025-12-31'],
    ] as const) {
      const s: UnitSummary = await getUnitSummary(ctx.db, unit, date);
      const xlsx = await sheetRows((await exportReport(ctx.db, { kind: 'summary', unitIds: [unit], date }, 'xlsx')).body, 'Chỉ số chung');
      const word = docxParagraphs((await exportReport(ctx.db, { kind: 'summary', unitIds: [unit], date }, 'docx')).body);
      expect(s.figures.length).toBeGreaterThan(5);
      for (const f of s.figures) {
        // Excel: label, value, unit, denominator, what the denominator is, share.
        const row = xlsx.find((r) => r[0] === f.label.vi);
        expect(row, `${f.key} in Excel`).toBeDefined();
        expect(row![1] ?? null).toBe(f.value);
        expect(row![3] ?? null).toBe(f.of?.count ?? null);
        expect(row![4] ?? '').toBe(f.of?.label.vi ?? '');
        expect(row![5] ?? null).toBe(f.share);
        // Word: the same figure in a sentence with its denominator beside it.
        const para = word.find((p) => p.includes(`${f.label.vi}: `));
        expect(para, `${f.key} in Word`).toBeDefined();
        const value = f.value === null ? 'chưa có số liệu' : `${numberVi(f.value, f.decimals, f.decimals > 0)} ${f.unit.vi}`;
        expect(para).toContain(`${f.label.vi}: ${value}`);
        if (f.of) expect(para).toContain(`trên ${numberVi(f.of.count)} ${f.of.label.vi}${f.share !== null ? ` (${percentVi(f.share)})` : ''}`);
      }
      // Word never contradicts its own figures: no "chưa có xã nào" beside a commune meeting 19 criteria.
      expect(word.some((p) => p.includes('chưa có xã nào'))).toBe(false);
    }
  });
});
