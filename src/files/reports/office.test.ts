/**
 * Checked in a real office suite: every kind of generated .xlsx and .docx is converted to PDF by
 * LibreOffice (headless), its text read back with pdftotext, and page 1 rendered to PNG under
 * artifacts/reports/ for people to look at. Skipped, saying so, only when LibreOffice is absent
 * (CI installs it: .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { resolveTarget, targetContext } from '../../domain/targets.ts';
import { docxBuffer } from './docx.ts';
import { xlsxBuffer } from './xlsx.ts';
import { buildMatrixReport } from './builders/matrix.report.ts';
import { buildCommuneDetailReport, buildExaminationReport, buildSelfAssessmentReport } from './builders/commune.report.ts';
import { buildUnitSummaryReport } from './builders/unit-summary.report.ts';
import { writeTemplate } from '../imports/template.ts';
import { buildCommentSummary, buildRevocationDecision, buildRevocationReviewReport, buildSubmissionLetter } from './builders/dossier.report.ts';
import { checkRevocation } from '../../domain/revocation.ts';
import { DEMO_SET, demoValues, provinceSummary, trangAnInput } from '../../test-support/report-fixtures.ts';
import { binhLucAllocation } from '../../test-support/allocation-fixtures.ts';
import { allocationWorkbook } from '../plans/allocation-workbook.ts';
import { allocationNote } from '../plans/allocation-note.ts';

const hasTool = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const available = hasTool('soffice') && hasTool('pdftotext') && hasTool('pdftoppm');
if (!available) console.warn('⚠ LibreOffice (soffice) or poppler-utils not installed: the office-suite conversion tests are skipped (CI installs them).');

const ARTIFACTS = path.resolve('artifacts/reports');

async function templateBuffer(): Promise<Buffer> {
  const set = getCatalog().get(DEMO_SET);
  const targets = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, resolveTarget(i.target, targetContext(set, { code: 'x', name: 'x', region: 'DBSH' }, 2023))] as const));
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => pass.on('end', r));
  const units = ['Tràng An', 'Bình Nghĩa', 'Đồng Du', 'Tiêu Động', 'An Lão'].map((name, i) => ({ id: `1351${i}@2025-03`, code: `1351${i}`, name, fullName: `Xã ${name}`, parentName: 'Huyện Bình Lục', targets }));
  await writeTemplate(
    { set, setHash: getCatalog().hash(DEMO_SET), listId: '2025-03', date: '2023-03-20', layout: 'matrix', scopeName: 'Huyện Bình Lục', units, prefill: (u) => (u.code === '13510' ? demoValues('2023-03-20') : undefined), generatedAt: new Date().toISOString(), demo: true },
    pass,
  );
  await done;
  return Buffer.concat(chunks);
}

/** The allocation note at its longest: many actions, what-if marks, the solver's time-limit note, a long unit name. */
const LONG_FIXED = { '13513@2025-03': ['13.2'] };
const longAllocation = () => binhLucAllocation({ extra: 12, budget: 9_000_000_000, fixed: LONG_FIXED, unproven: true });

const summaryInput = () => ({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null, official: { number: '12/BC-UBND', signerName: 'Trần Thị Bình' } });

/** name → [bytes, texts that must be in the PDF]. */
async function documents(): Promise<Record<string, [Buffer, string[]]>> {
  return {
    'matrix.xlsx': [await xlsxBuffer(buildMatrixReport({ scopeName: 'Tỉnh Hà Nam', date: '2023-03-20', summaries: [provinceSummary()] })), ['KẾT QUẢ ĐẠT CHUẨN TỪNG TIÊU CHÍ', 'Tràng An', 'Đồng Du', 'Chưa đánh giá được', '20/03/2023']],
    'commune-detail.xlsx': [await xlsxBuffer(buildCommuneDetailReport(trangAnInput())), ['KẾT QUẢ ĐÁNH GIÁ TỪNG CHỈ TIÊU', 'Tiêu chí 1. Quy hoạch', 'Chưa đạt']],
    'summary.xlsx': [await xlsxBuffer(buildUnitSummaryReport(summaryInput())), ['CÁC CHỈ SỐ CHUNG', 'Số xã đạt chuẩn NTM nâng cao theo kết quả rà soát']],
    'template.xlsx': [await templateBuffer(), ['HƯỚNG DẪN NHẬP SỐ LIỆU RÀ SOÁT', 'Tỷ lệ %: số từ 0 đến 100']],
    'self-assessment.docx': [await docxBuffer(buildSelfAssessmentReport(trangAnInput())), ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'BÁO CÁO', 'Tràng An, ngày 20 tháng 3 năm 2023', 'Số: 05/BC-UBND', 'Nơi nhận:', 'Nguyễn Văn An']],
    'examination.docx': [await docxBuffer(buildExaminationReport(trangAnInput())), ['BIỂU TỔNG HỢP', 'Kết quả thẩm tra mức độ đạt từng tiêu chí', 'Tiêu chí số 1: Quy hoạch', ' 17.10 ', 'đồng/người/năm']],
    'summary.docx': [await docxBuffer(buildUnitSummaryReport(summaryInput())), ['BÁO CÁO', 'Kết quả thực hiện Bộ tiêu chí xã nông thôn mới', 'PHÂN LOẠI XÃ THEO SỐ TIÊU CHÍ ĐẠT', 'Phụ lục', 'Trần Thị Bình']],
    'submission-letter.docx': [await docxBuffer(buildSubmissionLetter(dossierDocInput())), ['TỜ TRÌNH', 'Đề nghị xét, công nhận xã Tràng An', 'Kính gửi', 'Ủy ban nhân dân huyện Bình Lục', '96,5%', '19/19 tiêu chí']],
    'comment-summary.docx': [
      await docxBuffer(
        buildCommentSummary({
          unit: { type: 'Xã', name: 'Tràng An', fullName: 'Xã Tràng An' },
          recipient: { type: 'Huyện', name: 'Bình Lục' },
          level: 'nang-cao',
          openedOn: '2023-10-03',
          closedOn: '2023-10-18',
          counts: { pending: 1, published: 2, rejected: 1 },
          comments: [{ body: 'Đề nghị xã công khai kinh phí làm đường trục thôn <b>Đồng Quan</b>.', createdAt: '2023-10-05T02:00:00Z' }, { body: 'Nhà văn hóa thôn đã sửa xong, đồng ý.', createdAt: '2023-10-09T02:00:00Z' }],
          date: '2023-10-20',
          demo: true,
        }),
      ),
      ['BÁO CÁO', 'Tổng số ý kiến nhận qua trang công khai: 4', '<b>Đồng Quan</b>', 'từ ngày 03/10/2023 đến ngày 18/10/2023'],
    ],
    'revocation-review.docx': [
      await docxBuffer(buildRevocationReviewReport(revocationInput())),
      ['VĂN PHÒNG ĐIỀU PHỐI', 'Kết quả rà soát mức độ đạt chuẩn nông thôn mới nâng cao của xã Tràng An', 'Hà Nam, ngày 07 tháng 10 năm 2024', 'Quyết định số 99/QĐ-UBND ngày 01/12/2023', '6/19 tiêu chí không đạt (31,6%)', 'CHÁNH VĂN PHÒNG'],
    ],
    'allocation.xlsx': [
      await allocationWorkbook(longAllocation(), { generatedAt: '2026-12-03T10:00:00Z', fixed: LONG_FIXED, demo: true }),
      ['PHƯƠNG ÁN PHÂN BỔ KINH PHÍ', 'Huyện Bình Lục', '20/03/2023', 'CÁC HẠNG MỤC ĐƯỢC CHỌN', 'Xây dựng 04 phòng học', 'NHỮNG GÌ PHƯƠNG ÁN CHƯA XÉT ĐƯỢC', 'Bối Cầu', 'DỮ LIỆU MINH HỌA'],
    ],
    'allocation-note.docx': [
      await allocationNote(binhLucAllocation(), { unit: { type: 'Huyện', name: 'Bình Lục' }, generatedAt: '2026-12-03T10:00:00Z', demo: true }),
      ['BAN CHỈ ĐẠO', 'Số: /BC-BCĐ', 'Bình Lục, ngày 20 tháng 3 năm 2023', 'Đề xuất phương án phân bổ kinh phí xây dựng nông thôn mới', 'Kính gửi: Ủy ban nhân dân huyện Bình Lục', 'Tổng cộng', 'Kiến nghị:', 'Nơi nhận:', 'TM. BAN CHỈ ĐẠO', 'DỮ LIỆU MINH HỌA'],
    ],
    'allocation-note-long.docx': [
      await allocationNote(longAllocation(), { unit: { type: 'Thành phố', name: 'Hồ Chí Minh' }, generatedAt: '2026-12-03T10:00:00Z', fixed: LONG_FIXED, demo: true }),
      ['THÀNH PHỐ HỒ CHÍ MINH', 'hạng mục khác tại', 'hết thời gian giới hạn', 'Nơi nhận:', 'Lưu: VT.'],
    ],
    'revocation-decision.docx': [
      await docxBuffer(buildRevocationDecision({ unit: { type: 'Xã', name: 'Tràng An', fullName: 'Xã Tràng An' }, district: null, province: { type: 'Tỉnh', name: 'Hà Nam' }, level: 'nang-cao', recognition: { decisionNo: '99/QĐ-UBND', decidedOn: '2023-12-01' }, date: '2024-11-20', demo: true })),
      ['QUYẾT ĐỊNH', 'Về việc thu hồi quyết định công nhận xã Tràng An', 'Điều 1. Thu hồi Quyết định số 99/QĐ-UBND', 'Hà Nam, ngày 20 tháng 11 năm 2024'],
    ],
  };
}

function revocationInput() {
  const failing = new Set(['5', '8', '13', '14', '15', '17']);
  const criteria = trangAnInput('2024-09-30').verdict.criteria.map((c) => ({ code: c.code, name: c.name, critical: c.critical, status: failing.has(c.code) ? ('not_met' as const) : ('met' as const), indicatorsMet: failing.has(c.code) ? c.indicatorsTotal - 1 : c.indicatorsTotal, indicatorsTotal: c.indicatorsTotal }));
  return {
    unit: { type: 'Xã', name: 'Tràng An', fullName: 'Xã Tràng An' },
    province: { type: 'Tỉnh', name: 'Hà Nam' },
    level: 'nang-cao' as const,
    recognition: { decisionNo: '99/QĐ-UBND', decidedOn: '2023-12-01' },
    setName: 'Bộ tiêu chí xã nông thôn mới nâng cao tỉnh Hà Nam (minh họa)',
    review: { date: '2024-09-30', criteriaMet: 13, criteriaTotal: 19, indicatorsMet: 69, indicatorsTotal: 75, criteria },
    check: checkRevocation({ criteria }),
    date: '2024-10-07',
    demo: true,
  };
}

function dossierDocInput() {
  return {
    unit: { type: 'Xã', name: 'Tràng An', fullName: 'Xã Tràng An' },
    recipient: { type: 'Huyện', name: 'Bình Lục' },
    level: 'nang-cao' as const,
    setName: 'Bộ tiêu chí xã nông thôn mới nâng cao tỉnh Hà Nam (minh họa)',
    decision: { number: '18/2022/QĐ-UBND', date: '2022-06-01' },
    review: { date: '2023-09-30', criteriaMet: 19, criteriaTotal: 19, indicatorsMet: 75, indicatorsTotal: 75 },
    satisfactionRate: 96.5,
    noConstructionDebt: true,
    securityOk: true,
    date: '2023-10-20',
    demo: true,
  };
}

describe.skipIf(!available)('generated files in LibreOffice', () => {
  let dir = '';
  let docs: Record<string, [Buffer, string[]]> = {};
  const pdfOf = (name: string) => path.join(dir, `${name.replace('.', '-')}.pdf`);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-office-'));
    docs = await documents();
    // Distinct stems so that a .xlsx and a .docx of the same report do not overwrite one PDF.
    for (const [name, [buf]] of Object.entries(docs)) writeFileSync(path.join(dir, name.replace('.', '-') + path.extname(name)), buf);
    const files = Object.keys(docs).map((n) => path.join(dir, n.replace('.', '-') + path.extname(n)));
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    const r = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, ...files], { encoding: 'utf8', timeout: 240_000 });
    if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['matrix.xlsx', 'commune-detail.xlsx', 'summary.xlsx', 'template.xlsx', 'self-assessment.docx', 'examination.docx', 'summary.docx', 'submission-letter.docx', 'comment-summary.docx', 'revocation-review.docx', 'revocation-decision.docx', 'allocation.xlsx', 'allocation-note.docx', 'allocation-note-long.docx'])('%s converts to PDF with its text and renders page 1 to PNG', (name) => {
    const pdf = pdfOf(name);
    expect(existsSync(pdf), `${pdf} was not produced`).toBe(true);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC');
    for (const t of docs[name]![1]) expect(text.replace(/\s+/g, ' ')).toContain(t);
    const png = path.join(ARTIFACTS, name.replace('.', '-'));
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, png]);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(5000);
  });

  it('keeps the signature and "Nơi nhận" on the page of the last paragraph, before the appendices', () => {
    const pages = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC').split('\f');
    for (const [name, last] of [
      ['self-assessment.docx', 'Trên đây là báo cáo'],
      ['examination.docx', 'Tổng hợp:'],
      ['summary.docx', 'Cơ quan soạn thảo bổ sung'],
    ] as const) {
      const all = pages(pdfOf(name));
      const signed = all.findIndex((p) => p.includes('Nơi nhận:'));
      expect(signed, `${name}: no "Nơi nhận"`).toBeGreaterThanOrEqual(0);
      expect(all[signed]!.replace(/\s+/g, ' '), `${name}: the signature stands alone on its page`).toContain(last);
      const appendix = all.findIndex((p) => /^\s*Phụ lục\s*$/m.test(p));
      if (appendix >= 0) expect(appendix, `${name}: the appendix comes before the signature`).toBeGreaterThan(signed);
    }
  });

  it('prints the allocation note on exactly one page, the signature and "Nơi nhận" included, even at its longest', () => {
    for (const name of ['allocation-note.docx', 'allocation-note-long.docx']) {
      const pdf = pdfOf(name);
      expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]), name).toBe(1);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC');
      for (const t of ['Kiến nghị:', 'Nơi nhận:', 'TRƯỞNG BAN', 'Lưu: VT.']) expect(text, `${name}: ${t}`).toContain(t);
    }
  });

  it('numbers the pages of Word reports from page 2, centred at the top', () => {
    const pdf = pdfOf('summary.docx');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const page = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
    const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '')!.trim();
    expect(firstLine(page(1))).not.toMatch(/^\d+$/);
    expect(firstLine(page(2))).toBe('2');
  });
});
