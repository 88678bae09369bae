/**
 * The criteria-set editor (issue 13) in real Chromium against the real server with the demo data:
 * Ninh Bình's province office (`tinh.ninhbinh`) drafts a set based on the 2026–2030 national set,
 * enters an indicator with its cited source (a target the API refuses is shown on its field first),
 * marks the criterion critical and attaches the PDF of the source; it cannot verify its own entry
 * and is told why. A second officer (`tinh.ninhbinh.kiemtra`) verifies it (now "chính thức"),
 * sees the impact and publishes; the re-evaluation runs to "done". A commune review on the new set
 * (through the API) does not meet criterion 2; a second version lowers the threshold, its impact
 * says one result changes, and after publishing the commune's review meets criterion 2.
 * Screenshots in artifacts/e2e/catalog-*.png (1366 px and 360 px).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { demoAppForFile, loginAs, newContext, shot, shows, sidewaysOverflow, watchPageErrors } from '../src/test-support/browser.ts';

const app = demoAppForFile();
const require = createRequire(import.meta.url);
const SET = 'ninh-binh-ntm-2026-2030';
const BINH_LUC = '13504@2025-07';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PHONE = { width: 360, height: 740 };

/** axe-core (WCAG 2.1 A/AA) on the page as it is: the violations, empty when none. */
async function axe(page: Page): Promise<Array<{ id: string; nodes: number; target: string }>> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, target: JSON.stringify(v.nodes[0]?.target ?? []) }));
  });
}


async function signedIn(username: string, viewport?: { width: number; height: number }): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await newContext(app.browser, app.server.url, viewport);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, username);
  return { ctx, page, errors };
}

/** A write through the API with the page's session (cookie + CSRF header). */
async function apiPost(page: Page, url: string, data: unknown): Promise<{ status: number; body: any }> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'datchuan_csrf')?.value ?? '';
  const res = await page.request.post(url, { data: data as object, headers: { 'X-CSRF-Token': decodeURIComponent(csrf) } });
  return { status: res.status(), body: await res.json().catch(() => null) };
}

let reviewId = 0;

it('drafts a set, enters an indicator with its source and attaches the PDF; the author cannot verify it', async () => {
  const { ctx, page, errors } = await signedIn('tinh.ninhbinh');
  await page.goto('/');
  await page.getByRole('link', { name: 'Bộ tiêu chí' }).first().click();
  await page.getByTestId('criteria-sets-page').waitFor();
  const shipped = page.getByTestId('shipped-sets');
  await shows(shipped.locator('li[data-set-id="xa-ntm-2021-2025"]'), /\d+ chỉ tiêu, \d+ chính thức, \d+ thứ cấp/);
  await shows(shipped, 'Bộ tiêu chí quốc gia');
  await shot(page, 'catalog-list', true);
  expect(await axe(page)).toEqual([]);

  await page.getByTestId('create-draft').click();
  const form = page.getByTestId('create-draft-form');
  await form.getByLabel('Dựa trên bộ tiêu chí').selectOption('xa-ntm-2026-2030');
  await form.getByLabel('Mã bộ tiêu chí mới').fill(SET);
  const province = form.getByLabel('Tỉnh ban hành');
  if ((await province.evaluate((el) => el.tagName)) === 'SELECT') await province.selectOption('37@2025-07');
  else await province.fill('37@2025-07');
  await form.getByRole('button', { name: 'Tạo dự thảo' }).click();
  await page.waitForURL(`**/bo-tieu-chi/${SET}/1`);
  const vp = page.getByTestId('set-version-page');
  await vp.waitFor();
  await shows(vp, 'Dự thảo');
  await shows(vp, '0 chỉ tiêu, 0 chính thức');

  // Enter indicator 2.1 with a cited source. A percent target of 120 is refused by the API: said on the field.
  await page.getByTestId('add-indicator-2').click();
  const f = page.getByTestId('indicator-form');
  await f.getByLabel('Mã chỉ tiêu').fill('2.1');
  await f.getByLabel('Tên chỉ tiêu').fill('Tỷ lệ km đường xã được nhựa hóa hoặc bê tông hóa');
  await f.getByLabel('Loại chỉ tiêu').selectOption('percent');
  await f.getByLabel('Đơn vị tính').fill('%');
  await f.getByLabel('So sánh').selectOption('>=');
  await f.getByLabel('Giá trị ngưỡng').fill('120');
  await f.getByLabel('Số văn bản').fill('51/2025/QĐ-TTg');
  await f.getByLabel('Ngày ban hành (dd/mm/yyyy)').fill('29/12/2025');
  await f.getByLabel('Cơ quan ban hành').fill('Thủ tướng Chính phủ');
  await f.getByLabel('Vị trí trong văn bản (điều, phụ lục, trang)').fill('Phụ lục I');
  await f.getByLabel('Địa chỉ (URL)').fill('https://example.gov.vn/51-2025-qd-ttg');
  await f.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
  await f.getByTestId('field-error-target').waitFor({ timeout: 15_000 });
  await shows(f.getByTestId('indicator-form-errors'), 'Chưa lưu được');
  expect(await f.getByLabel('Giá trị ngưỡng').getAttribute('aria-invalid')).toBe('true');
  await f.getByLabel('Giá trị ngưỡng').scrollIntoViewIfNeeded();
  await shot(page, 'catalog-field-error');
  await f.getByLabel('Giá trị ngưỡng').fill('92,5');
  await f.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
  const ind = page.getByTestId('indicator-2.1');
  await ind.waitFor({ timeout: 15_000 });
  await shows(ind.getByTestId('target'), '≥ 92,5 %');
  await shows(ind.getByTestId('provenance-badge'), 'thứ cấp');
  await shows(ind, '51/2025/QĐ-TTg, 29/12/2025, Thủ tướng Chính phủ, Phụ lục I');
  await shows(ind, 'Người nhập: tinh.ninhbinh');
  await shows(vp, '1 chỉ tiêu, 0 chính thức, 1 thứ cấp, 0 tái dựng');
  await shows(page.getByTestId('diff-base-added'), '2.1');

  // Criterion 2 critical; the copy of the source attached.
  await page.getByTestId('critical-2').click();
  await shows(page.locator('section[data-criterion="2"]'), 'Tiêu chí bắt buộc');
  await page.getByTestId('attach-2.1').setInputFiles({ name: 'QD51-phu-luc-I.pdf', mimeType: 'application/pdf', buffer: PDF });
  await shows(ind.getByTestId('source-copy-link'), 'QD51-phu-luc-I.pdf');
  const queue = page.getByTestId('verification-queue');
  await shows(queue, 'Chờ xác minh (hai người) (1)');
  // The author is not offered the verify button, and is told why.
  await shows(queue.getByTestId('verify-own'), 'không tự xác minh được');
  expect(await page.getByTestId('verify-2.1').count()).toBe(0);
  await shot(page, 'catalog-draft', true);
  expect(await axe(page)).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

it('a second officer verifies it (now official), sees the impact and publishes; the re-evaluation ends', async () => {
  const { ctx, page, errors } = await signedIn('tinh.ninhbinh.kiemtra');
  await page.goto(`/bo-tieu-chi/${SET}/1`);
  const vp = page.getByTestId('set-version-page');
  await vp.waitFor();
  await page.getByTestId('verify-2.1').click();
  await shows(page.getByTestId('verified-notice'), 'Đã xác minh chỉ tiêu 2.1');
  const ind = page.getByTestId('indicator-2.1');
  await shows(ind.getByTestId('provenance-badge'), 'chính thức');
  await shows(ind.getByTestId('verified-by'), 'Người xác minh: tinh.ninhbinh.kiemtra');
  await shows(vp, '1 chỉ tiêu, 1 chính thức, 0 thứ cấp, 0 tái dựng');
  await shows(page.getByTestId('verification-queue'), 'Không có chỉ tiêu nào chờ xác minh');

  await page.getByTestId('impact-button').click();
  await shows(page.getByTestId('impact-line'), 'Ban hành sẽ thay đổi 0 kết quả');
  await page.getByTestId('publish-confirm').click();
  await page.locator('[data-testid="reevaluation"][data-state="done"]').waitFor({ timeout: 30_000 });
  await shows(vp, 'Đã ban hành');
  await shows(vp, 'Phiên bản đã ban hành không sửa được nữa');
  expect(await page.getByTestId('add-indicator-2').count()).toBe(0);
  await shot(page, 'catalog-published', true);
  expect(await axe(page)).toEqual([]);

  // Bình Lục's review on the new set: 85 % is below 92,5 % — criterion 2 is not met.
  const review = await apiPost(page, '/api/v1/reviews', { unitId: BINH_LUC, setId: SET, reviewedOn: '2026-09-30', values: { '2.1': { value: 85 } } });
  expect(review.status, JSON.stringify(review.body)).toBe(201);
  reviewId = review.body.id;
  expect(review.body.evaluation.criteria.find((c: { code: string }) => c.code === '2').status).toBe('not_met');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

it('a second version lowers the threshold: the impact names one changed result; after publishing the commune meets criterion 2', async () => {
  expect(reviewId).toBeGreaterThan(0);
  const { ctx, page, errors } = await signedIn('tinh.ninhbinh');
  await page.goto('/bo-tieu-chi');
  const authored = page.getByTestId('authored-sets');
  await shows(authored.locator(`li[data-set-id="${SET}"]`), '1 chỉ tiêu, 1 chính thức');
  await shot(page, 'catalog-list-authored');
  await authored.locator(`li[data-set-id="${SET}"]`).getByRole('link', { name: 'Phiên bản 1' }).click();
  const nv = page.getByTestId('new-version-form');
  await nv.getByLabel('Phiên bản mới có hiệu lực từ (dd/mm/yyyy)').fill('01/07/2026');
  await nv.getByRole('button', { name: 'Tạo phiên bản mới' }).click();
  await page.waitForURL(`**/bo-tieu-chi/${SET}/2`);
  const vp = page.getByTestId('set-version-page');
  await shows(vp, 'Phiên bản 2');
  await shows(vp, '01/07/2026 – 31/12/2030');
  const ind = page.getByTestId('indicator-2.1');
  await ind.getByRole('button', { name: /Sửa/ }).click();
  const f = page.getByTestId('indicator-form');
  expect(await f.getByLabel('Giá trị ngưỡng').inputValue()).toBe('92,5');
  expect(await f.getByLabel('Số văn bản').inputValue()).toBe('51/2025/QĐ-TTg');
  await f.getByLabel('Giá trị ngưỡng').fill('80');
  await f.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
  await shows(ind.getByTestId('target'), '≥ 80 %');
  await shows(page.getByTestId('diff-previous-thresholds'), '≥ 92,5 → ≥ 80');

  await page.getByTestId('impact-button').click();
  await shows(page.getByTestId('impact-line'), 'Ban hành sẽ thay đổi 1 kết quả (trong 1 bản rà soát theo bộ này)');
  await shot(page, 'catalog-impact', true);
  await page.getByTestId('publish-confirm').click();
  await page.locator('[data-testid="reevaluation"][data-state="done"]').waitFor({ timeout: 30_000 });
  await shows(page.getByTestId('reevaluation-result'), 'Đã đánh giá lại 1 bản rà soát');
  await shows(page.getByTestId('reevaluation-result'), '1 kết quả thay đổi');
  await shot(page, 'catalog-republished', true);

  // The commune's review now meets criterion 2 (the version in force on 30/9/2026).
  await page.goto(`/reviews/${reviewId}`);
  await page.getByTestId('review-page').waitFor();
  await page.locator('[data-criterion="2"][data-status="met"]').first().waitFor({ timeout: 15_000 });
  await shot(page, 'catalog-review-after', true);
  const res = await page.request.get(`/api/v1/reviews/${reviewId}`);
  const after = (await res.json()) as { evaluation: { criteria: Array<{ code: string; status: string }> } };
  expect(after.evaluation.criteria.find((c) => c.code === '2')!.status).toBe('met');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

it('reads on a 360 px phone: the list and a version, nothing wider than the screen', async () => {
  const { ctx, page, errors } = await signedIn('tinh.ninhbinh.kiemtra', PHONE);
  await page.goto('/bo-tieu-chi');
  await page.getByTestId('authored-sets').waitFor();
  expect((await sidewaysOverflow(page)).culprits).toEqual([]);
  await shot(page, 'catalog-phone-list');
  await page.goto(`/bo-tieu-chi/${SET}/2`);
  await page.getByTestId('indicator-2.1').waitFor();
  expect((await sidewaysOverflow(page)).culprits).toEqual([]);
  await shot(page, 'catalog-phone-version');
  await page.getByTestId('indicator-2.1').scrollIntoViewIfNeeded();
  await shot(page, 'catalog-phone-indicator');
  await page.getByTestId('diff-previous').scrollIntoViewIfNeeded();
  await shot(page, 'catalog-phone-diff');
  await page.goto(`/bo-tieu-chi/${SET}/1`);
  await page.getByTestId('indicator-2.1').waitFor();
  expect((await sidewaysOverflow(page)).culprits).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);
