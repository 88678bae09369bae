/**
 * The commune officer's Excel loop in real Chromium against the real server with the demo data:
 * signed in as Tràng An's officer, download the template from the commune page, fill it (one
 * value wrong), upload it — the problem is listed with its sheet and cell, highlighted — fix it,
 * check again, write it, and see the new draft; the province overview offers the matrix and the
 * Word summary. Screenshots in artifacts/e2e/ (import-*.png).
 */
import { expect, it } from 'vitest';

import { ExcelJS } from '../src/files/xlsx-style.ts';
import { MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, MATRIX_SHEET } from '../src/files/imports/template.ts';
import { DEMO_SET, demoValues } from '../src/test-support/report-fixtures.ts';
import { demoAppForFile, loginAs, newContext, shot, watchPageErrors } from '../src/test-support/browser.ts';

const TRANG_AN = '13510@2025-03';
const DATE = '2023-06-30';
const app = demoAppForFile();


/** Fill the matrix row of Tràng An; `wrong` puts a text into indicator 2.4. */
async function filled(template: Buffer, wrong: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(MATRIX_SHEET)!;
  const header = ws.getRow(MATRIX_HEADER_ROW).values as unknown[];
  const row = ws.getRow(MATRIX_FIRST_ROW);
  for (const [code, v] of Object.entries(demoValues(DATE, ['5.1'], 'e2e'))) {
    const col = header.indexOf(code);
    if (col > 0 && (typeof v === 'number' || typeof v === 'string')) row.getCell(col).value = v;
    if (col > 0 && typeof v === 'boolean') row.getCell(col).value = v ? 'Đạt' : 'Không đạt';
  }
  if (wrong) row.getCell(header.indexOf('2.4')).value = 'chín mươi lăm';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

it('lets a commune officer download the template, see precise errors, fix them and commit', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'xa.tranganh');
  await page.goto(`/units/${TRANG_AN}?date=${DATE}`);
  await page.getByTestId('download-reports').waitFor();
  expect(await page.getByTestId('dl-self-assessment').getAttribute('href')).toContain('/api/v1/reports/self-assessment');
  await page.getByTestId('dl-import').click();
  await page.getByTestId('import-page').waitFor();
  const href = await page.getByTestId('download-template').getAttribute('href');
  expect(href).toContain(`setId=${DEMO_SET}`);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const template = Buffer.from(await res.body());

  await page.getByTestId('import-file').setInputFiles({ name: 'trang-an.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await filled(template, true) });
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-errors').waitFor({ timeout: 30_000 });
  const problem = page.getByTestId('import-problems').locator('tr.import-row-error').first();
  await problem.waitFor();
  expect(await problem.innerText()).toMatch(/Nhập liệu[\s\S]*[A-Z]+8[\s\S]*chín mươi lăm[\s\S]*cần một số/);
  expect(await page.getByTestId('import-commit').count()).toBe(0);
  await shot(page, 'import-errors', true);

  await page.getByTestId('import-file').setInputFiles({ name: 'trang-an.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await filled(template, false) });
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-commit').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('import-counts').innerText()).toMatch(/1 tạo mới/);
  await page.getByTestId('import-commit').click();
  await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('import-done').innerText()).toMatch(/1 bản rà soát mới/);
  await shot(page, 'import-done', true);

  await page.goto(`/units/${TRANG_AN}?date=${DATE}`);
  await page.getByTestId('commune-page').waitFor();
  expect(errors, errors.join("\n")).toEqual([]);
  await ctx.close();
}, 120_000);

it('offers the province office the matrix, the summary and the Word report from the overview', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  await loginAs(page, 'tinh.ninhbinh');
  await page.goto('/units/35@2025-03?date=2023-03-20');
  await page.getByTestId('download-reports').waitFor();
  for (const [id, type] of [
    ['dl-matrix', 'spreadsheetml'],
    ['dl-summary-docx', 'wordprocessingml'],
  ] as const) {
    const r = await page.request.get((await page.getByTestId(id).getAttribute('href'))!);
    expect(r.status(), id).toBe(200);
    expect(r.headers()['content-type']).toContain(type);
  }
  await shot(page, 'import-overview-downloads');
  await ctx.close();
}, 120_000);
