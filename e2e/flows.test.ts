/**
 * The web app end to end in real headless Chromium (Debian `chromium`, playwright-core) against
 * the real server on a fresh SQLite database with the demo data. Read-only flows first, then the
 * write flow signed in as Tràng An's commune officer; every step leaves a screenshot in
 * artifacts/e2e/ (desktop 1366×900, then a 360×740 phone).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { demoAppForFile, loginAs, newContext, shot, watchPageErrors } from '../src/test-support/browser.ts';

const require = createRequire(import.meta.url);
const TRANG_AN = '13510@2025-03';
const LINE_2023 = 'Đạt 13/19 tiêu chí, 64/75 chỉ tiêu';

const app = demoAppForFile();


async function setDate(page: Page, ddmmyyyy: string): Promise<void> {
  const input = page.getByLabel('Ngày số liệu').or(page.getByLabel('Data date')).first();
  await input.click();
  await input.press('Control+a');
  await input.pressSequentially(ddmmyyyy);
  await input.press('Enter');
  // The calendar can stay open after Enter while the page navigates (antd): close it as a user
  // would, so that layout checks measure the page, not the popup.
  const popup = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
  if (await popup.isVisible().catch(() => false)) await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

async function search(page: Page, text: string, option: RegExp): Promise<void> {
  const box = page.getByRole('combobox', { name: /Tìm đơn vị hành chính|Search administrative units/ });
  await box.click();
  await box.pressSequentially(text, { delay: 30 });
  const opt = page.getByRole('option', { name: option }).first();
  await opt.waitFor({ timeout: 10_000 });
  await opt.click();
}

async function axe(page: Page): Promise<Array<{ id: string; impact: string | null; nodes: number; target: string }>> {
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') does not apply.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: JSON.stringify(v.nodes[0]?.target ?? []) }));
  });
}

/** A value that meets an indicator's target, as the officer would type it in Vietnamese. */
function meetingValue(ind: { kind: string; target: { op: string; value: unknown } }): { kind: 'text'; text: string } | { kind: 'yes' } | { kind: 'ratio'; n: string; d: string } {
  const v = ind.target.value;
  if (ind.kind === 'boolean') return { kind: 'yes' };
  if (ind.kind === 'ratio') return ind.target.op === '<=' ? { kind: 'ratio', n: '0', d: '100' } : { kind: 'ratio', n: '100', d: '100' };
  if (ind.kind === 'none_count') return { kind: 'text', text: '0' };
  const n = typeof v === 'number' ? (ind.target.op === '<=' ? v : v) : 0;
  return { kind: 'text', text: String(n).replace('.', ',') };
}

it('keeps the JavaScript of the first view within 250 KB gzip (charts, map, forms on demand)', () => {
  // web/dist was built by startDemoServer; the script exits 1 over the budget.
  const out = execFileSync(process.execPath, ['web/scripts/bundle-size.mjs', '--budget', '250'], { encoding: 'utf8' });
  const kb = Number(/overview \(first view\): JS ([\d.]+) KB/.exec(out)?.[1]);
  console.log(`first view: ${kb} KB gzip`);
  expect(kb).toBeLessThanOrEqual(250);
});

describe('desktop 1366×900', () => {
  let ctx: BrowserContext;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ctx = await newContext(app.browser, app.server.url);
    page = await ctx.newPage();
    errors = watchPageErrors(page, /status of 40[0349]/);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('lands on the overview of the demo province, with matrix, map, charts', async () => {
    const t0 = Date.now();
    await page.goto('/');
    await page.getByTestId('overview-page').waitFor();
    expect(page.url()).toMatch(/\/units\/37@2025-07$/);
    await expect.poll(() => page.getByTestId('card-reviewed').innerText()).toMatch(/\d+\/\d+/);
    // Charts and the map load when scrolled near (the matrix is usable first).
    await page.locator('#map-h').scrollIntoViewIfNeeded();
    await page.getByTestId('unit-map').locator('svg').first().waitFor({ timeout: 15_000 });
    await page.locator('#trend-h').scrollIntoViewIfNeeded();
    await page.getByTestId('trend-chart').locator('svg').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('map-legend').innerText()).toContain('Không thuộc diện');
    console.log(`overview ready in ${Date.now() - t0} ms`);
    await shot(page, '01-overview', true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('finds Tràng An by typing "trang an" and shows its 13/19 line on 20/3/2023', async () => {
    await search(page, 'trang an', /Xã Tràng An.*Bình Lục/);
    await page.getByTestId('commune-page').waitFor();
    expect(page.url()).toContain(`/units/${TRANG_AN}`);
    await shot(page, '02-search-tranganh');
    await setDate(page, '20/03/2023');
    await expect.poll(() => page.url()).toContain('date=2023-03-20');
    await expect.poll(() => page.getByTestId('summary-line').innerText(), { timeout: 10_000 }).toContain(LINE_2023);
    expect(await page.getByTestId('summary-line').innerText()).toContain('còn 6 tiêu chí, 11 chỉ tiêu chưa đạt');
    await shot(page, '03-tranganh-2023-03-20', true);
  }, 60_000);

  it('a deep link opens the same view and date; a matrix cell opens its indicators, by mouse and keyboard', async () => {
    await page.goto('/units/35@2025-03?date=2023-03-20');
    await page.getByTestId('overview-page').waitFor();
    expect(await page.getByTestId('card-denominator').innerText()).toContain('20/03/2023');
    const row = page.getByRole('row', { name: /Tràng An/ });
    await row.getByRole('button', { name: /Tiêu chí 5: .*: Chưa đạt/ }).click();
    await page.getByTestId('cell-detail').waitFor();
    expect(decodeURIComponent(page.url())).toContain(`cell=${TRANG_AN}~5`);
    await expect.poll(() => page.getByTestId('cell-detail').innerText()).toContain('Chưa đạt');
    expect(await page.getByTestId('indicators-5').locator('tr[data-indicator]').count()).toBeGreaterThan(0);
    await shot(page, '04-matrix-cell');
    // The link with the cell reopens it.
    const link = page.url();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).not.toContain('cell=');
    // Keyboard: the cells are one tab stop moved by arrows; Enter opens.
    // Focus is back on the cell that opened it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell') ?? null)).toBeTruthy();
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-cell'));
    await page.keyboard.press('ArrowRight');
    const next = await page.evaluate(() => document.activeElement?.getAttribute('data-cell'));
    expect(next).not.toBe(focused);
    await page.keyboard.press('Enter');
    await page.getByTestId('cell-detail').waitFor();
    await page.keyboard.press('Escape');
    await page.goto(link);
    await page.getByTestId('cell-detail').waitFor();
    await page.keyboard.press('Escape');
  }, 60_000);

  it('the nationwide map and the unit tree', async () => {
    await page.goto('/units/35@2025-03?date=2023-03-20');
    await page.getByTestId('overview-page').waitFor();
    // Hà Nam before the merger has no commune boundaries: the list, never a broken map.
    await page.locator('#map-h').scrollIntoViewIfNeeded();
    await page.getByTestId('map-fallback').waitFor();
    expect(await page.getByTestId('map-table').locator('tbody tr').count()).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'Toàn quốc' }).click();
    await page.locator('[data-testid="unit-map"][data-mode="provinces"] svg').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('unit-map').scrollIntoViewIfNeeded();
    await shot(page, '05-map-provinces-2023');
    await page.getByTestId('tree-button').click();
    const tree = page.getByTestId('unit-tree');
    await tree.waitFor();
    // Hà Nam (the page's unit) is open; open Bình Lục district with its toggle.
    await tree.getByRole('button', { name: /Mở Huyện Bình Lục/ }).click();
    await expect.poll(() => tree.getByRole('link', { name: /Tràng An/ }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await shot(page, '06-unit-tree');
    await tree.getByRole('link', { name: /Xã Tràng An/ }).first().click();
    await page.getByTestId('commune-page').waitFor();
    expect(page.url()).toContain('date=2023-03-20');
  }, 60_000);

  it('passes axe (WCAG 2.1 A/AA) on the overview and the commune page', async () => {
    for (const url of ['/units/37@2025-07', `/units/${TRANG_AN}?date=2023-03-20`]) {
      await page.goto(url);
      await page.locator('[data-testid="overview-page"], [data-testid="commune-page"]').first().waitFor();
      await page.waitForTimeout(1500);
      const v = await axe(page);
      expect(v, `${url}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
    }
  }, 60_000);

  it('enters a review as the commune officer: instant evaluation, autosave, field errors, evidence, submit', async () => {
    await loginAs(page, 'xa.tranganh');
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20`);
    await page.getByTestId('new-review').click();
    await page.getByTestId('create-review').click();
    await page.getByTestId('review-page').waitFor();
    const live = page.getByTestId('live-summary');
    await expect.poll(() => live.innerText()).toContain(LINE_2023);
    await shot(page, '07-review-draft');
    const reviewId = await page.getByTestId('review-page').getAttribute('data-review-id');

    // The unmet indicator of criterion 17, from the server's evaluation of this draft.
    const review = (await (await page.request.get(`/api/v1/reviews/${reviewId}`)).json()) as {
      evaluation: { criteria: Array<{ code: string; indicators: Array<{ code: string; kind: string; status: string; target: { op: string; value: unknown } }> }> };
    };
    const c17 = review.evaluation.criteria.find((c) => c.code === '17')!;
    const unmet = c17.indicators.filter((i) => i.status === 'not_met');
    expect(unmet).toHaveLength(1);
    const ind = unmet[0]!;
    const field = page.locator(`.ind-field[data-indicator="${ind.code}"]`);
    const v = meetingValue(ind);
    if (v.kind === 'text') await field.getByRole('textbox').first().fill(v.text);
    else if (v.kind === 'yes') await field.getByLabel('Có').check();
    else {
      await field.getByLabel('Tử số').fill(v.n);
      await field.getByLabel('Mẫu số').fill(v.d);
    }
    // Instant: the engine in the browser.
    await expect.poll(() => live.innerText(), { timeout: 5000 }).toContain('Đạt 14/19 tiêu chí, 65/75 chỉ tiêu');
    await shot(page, '08-review-instant');
    // After save: the server's evaluation.
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/Đã lưu lúc \d\d:\d\d/);
    await expect.poll(() => page.getByTestId('saved-summary').innerText()).toContain('Đạt 14/19 tiêu chí, 65/75 chỉ tiêu');
    expect(await field.getAttribute('data-status')).toBe('met');

    // A value the server refuses comes back on its field, in Vietnamese.
    const ratio = review.evaluation.criteria.flatMap((c) => c.indicators).find((i) => i.kind === 'ratio' && i.code !== ind.code)!;
    const rField = page.locator(`.ind-field[data-indicator="${ratio.code}"]`);
    await rField.evaluate((el) => el.closest('details')?.setAttribute('open', ''));
    await rField.getByLabel('Tử số').fill('500');
    await rField.getByLabel('Mẫu số').fill('100');
    await page.getByTestId(`field-error-${ratio.code}`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`field-error-${ratio.code}`).innerText()).toContain('tử số không được lớn hơn mẫu số');
    await rField.scrollIntoViewIfNeeded();
    await shot(page, '09-review-field-error');
    await rField.getByLabel('Tử số').fill('100');
    await expect.poll(() => page.getByTestId(`field-error-${ratio.code}`).count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/Đã lưu lúc/);

    // Evidence: a PDF attached to the indicator, listed as a link.
    await field.locator('input[type=file]').setInputFiles({ name: 'Biên bản kiểm tra.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await field.getByRole('link', { name: 'Biên bản kiểm tra.pdf' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/Đã lưu lúc/);
    const saved = (await (await page.request.get(`/api/v1/reviews/${reviewId}`)).json()) as { values: Array<{ code: string; evidence: Array<{ title: string; url: string }> }> };
    expect(saved.values.find((x) => x.code === ind.code)!.evidence[0]!.title).toBe('Biên bản kiểm tra.pdf');
    const v2 = await axe(page);
    expect(v2, JSON.stringify(v2, null, 1)).toEqual([]);

    await page.getByRole('button', { name: 'Nộp bản rà soát' }).click();
    // It asks first, with what it will submit.
    const confirm = page.getByRole('alertdialog');
    await expect.poll(() => confirm.getByTestId('confirm-totals').innerText(), { timeout: 10_000 }).toBe('Tiêu chí đạt 14/19 · chỉ tiêu đạt 65/75');
    await confirm.getByRole('button', { name: 'Xác nhận nộp' }).click();
    await page.getByTestId('submitted-notice').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('summary-line').innerText()).toContain('Đạt 14/19 tiêu chí, 65/75 chỉ tiêu');
    await shot(page, '10-review-submitted', true);
    // Sign out: the officer's grants cover Tràng An only; the next flows read as the public does.
    await ctx.clearCookies();
  }, 120_000);

  it('switches to English, and the choice survives a reload', async () => {
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20`);
    await openMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('summary-line').innerText()).toMatch(/Meets 14\/19 criteria/);
    await page.reload();
    await page.getByTestId('commune-page').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.getByTestId('summary-line').innerText()).toMatch(/Meets 14\/19 criteria/);
    await page.goto('/units/35@2025-03?date=2023-03-20');
    await page.getByTestId('overview-page').waitFor();
    await expect.poll(() => page.getByTestId('card-average').innerText()).toMatch(/Average criteria met\s+\d+\.\d/);
    await shot(page, '11-english-overview');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  }, 60_000);

  it('prints a commune and an overview on A4 with date, source and the demo mark', async () => {
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20`);
    await page.getByTestId('print-link').click();
    await page.getByTestId('print-bar').waitFor();
    expect(page.url()).toContain('print=1');
    expect(await page.getByTestId('print-source').innerText()).toContain('20/03/2023');
    expect(await page.getByTestId('print-demo').innerText()).toContain('MINH HỌA');
    await shot(page, '12-print-commune', true);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: 'artifacts/e2e/print-commune.pdf', format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    await page.goto('/units/35@2025-03?date=2023-03-20&print=1');
    await page.getByTestId('overview-page').waitFor();
    await page.getByTestId('distribution-chart').locator('svg').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('criteria-matrix').locator('tbody tr[data-unit-id]').count()).toBeGreaterThan(50);
    await shot(page, '13-print-overview', true);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: 'artifacts/e2e/print-overview.pdf', format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
  }, 60_000);
});

/** On a phone the search, the date and the language are in the header's menu: open it. */
async function openMenu(page: Page): Promise<void> {
  const toggle = page.getByTestId('menu-toggle');
  // On a desktop the button is hidden and the controls are in the header already.
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

describe('phone 360×740', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ctx = await newContext(app.browser, app.server.url, { width: 360, height: 740 });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('overview, search, the 13/19 line, no horizontal scroll of the page', async () => {
    await page.goto('/');
    await page.getByTestId('overview-page').waitFor();
    await shot(page, 'm01-overview');
    await openMenu(page);
    await search(page, 'trang an', /Xã Tràng An.*Bình Lục/);
    await page.getByTestId('commune-page').waitFor();
    await openMenu(page);
    await setDate(page, '20/03/2023');
    await expect.poll(() => page.url()).toContain('date=2023-03-20');
    // The desktop flow submitted a newer review on this date: the page shows the latest one.
    await expect.poll(() => page.getByTestId('summary-line').innerText(), { timeout: 10_000 }).toMatch(/Đạt 1[34]\/19 tiêu chí/);
    await shot(page, 'm02-tranganh');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The calendar open fits the phone too.
    await page.locator('.date-input input').first().click();
    const calendar = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
    await calendar.waitFor();
    const box = (await calendar.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shot(page, 'm02-calendar');
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }, 60_000);

  it('enters a value in a review on the phone and sees the status change', async () => {
    await loginAs(page, 'xa.tranganh');
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20`);
    await page.getByTestId('new-review').click();
    await page.getByTestId('create-review').click();
    await page.getByTestId('review-page').waitFor();
    const live = page.getByTestId('live-summary');
    const before = await live.innerText();
    await shot(page, 'm03-review');
    // Criterion 5 is not met: meet one of its unmet indicators.
    const reviewId = await page.getByTestId('review-page').getAttribute('data-review-id');
    const review = (await (await page.request.get(`/api/v1/reviews/${reviewId}`)).json()) as {
      evaluation: { totals: { indicatorsMet: number }; criteria: Array<{ code: string; indicators: Array<{ code: string; kind: string; status: string; target: { op: string; value: unknown } }> }> };
    };
    const ind = review.evaluation.criteria.find((c) => c.code === '5')!.indicators.find((i) => i.status === 'not_met')!;
    const field = page.locator(`.ind-field[data-indicator="${ind.code}"]`);
    await field.scrollIntoViewIfNeeded();
    const v = meetingValue(ind);
    if (v.kind === 'text') await field.getByRole('textbox').first().fill(v.text);
    else if (v.kind === 'yes') await field.getByLabel('Có').check();
    else {
      await field.getByLabel('Tử số').fill(v.n);
      await field.getByLabel('Mẫu số').fill(v.d);
    }
    await expect.poll(() => page.getByTestId('live-totals').innerText()).toContain(`chỉ tiêu đạt ${review.evaluation.totals.indicatorsMet + 1}/75`);
    expect(await live.innerText()).not.toBe(before);
    await expect.poll(() => page.getByTestId('save-state').innerText(), { timeout: 10_000 }).toMatch(/Đã lưu lúc/);
    await shot(page, 'm04-review-entered');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed')
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    );
    expect(overflow, wide.join('; ')).toBeLessThanOrEqual(0);
    // "Hủy bản nháp": asks first (keeping is the default), then the draft is gone and the commune page is back.
    await page.getByTestId('discard-draft').click();
    const confirm = page.getByTestId('discard-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Hủy bản nháp rà soát');
    await shot(page, 'm04b-review-discard-confirm');
    await confirm.getByTestId('discard-confirm-ok').click();
    await page.waitForURL((u) => u.pathname === `/units/${TRANG_AN}`, { timeout: 10_000 });
    expect((await page.request.get(`/api/v1/reviews/${reviewId}`)).status()).toBe(404);
  }, 90_000);

  it('English and the print view on the phone', async () => {
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20`);
    await openMenu(page);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('summary-line').innerText()).toMatch(/Meets 1[34]\/19 criteria/);
    await shot(page, 'm05-english');
    await page.goto(`/units/${TRANG_AN}?date=2023-03-20&print=1`);
    await page.getByTestId('print-bar').waitFor();
    await shot(page, 'm06-print', true);
  }, 60_000);
});
