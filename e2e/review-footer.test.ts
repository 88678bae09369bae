/**
 * The review form on a 360 px phone keeps a one-line summary stuck to the bottom of the screen
 * (.review-mini). Whatever is scrolled to — a field's error shown while typing, a field reached
 * from the error list, a focused input — must stop above it, not under it. The app's own
 * stylesheet on the form's structure, in Chromium (layout is the browser's).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../src/test-support/browser.ts';

const css = readFileSync(new URL('../web/src/styles.css', import.meta.url), 'utf8');
const field = (i: number, error: boolean) => `
  <div class="ind-field${error ? ' has-error' : ''}" id="f${i}">
    <div class="ind-field-head"><label class="ind-field-label" for="v${i}">${i}. Tỷ lệ hộ dân được dùng nước sạch theo quy chuẩn</label></div>
    <div class="ind-field-body"><div class="ind-field-input"><span class="input-with-unit"><input id="v${i}" class="text-input num-input" value="92,5"><span class="unit">%</span></span></div></div>
    ${error ? `<p class="field-error" id="e${i}" role="alert">✗ Tử số không được lớn hơn mẫu số (chỉ tiêu 6.2: 5/4).</p>` : ''}
  </div>`;
const html = `<!doctype html><html lang="vi"><head><meta name="viewport" content="width=device-width"><style>${css}</style></head><body>
  <main class="app-main"><div class="page review-page">
    <form class="review-form">${Array.from({ length: 30 }, (_, i) => field(i, i === 14 || i === 29)).join('')}</form>
    <p class="review-mini" aria-hidden="true"><strong>Tiêu chí đạt 13/19 · chỉ tiêu đạt 64/75</strong><span>Đã lưu lúc 10:20</span></p>
  </div></main></body></html>`;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.setContent(html);
});
afterAll(async () => browser?.close());

/** How far the element's bottom reaches under the sticky summary (≤ 0: clear of it). */
const under = (sel: string) =>
  page.evaluate((s) => {
    const mini = document.querySelector('.review-mini')!.getBoundingClientRect();
    const r = document.querySelector(s)!.getBoundingClientRect();
    return { covered: r.bottom - mini.top, visible: r.top >= 0 && r.bottom <= innerHeight };
  }, sel);

describe('the phone review form: the sticky summary never covers a field error', () => {
  it('is stuck to the bottom of a 360 px screen', async () => {
    const mini = await page.evaluate(() => {
      const r = document.querySelector('.review-mini')!.getBoundingClientRect();
      return { position: getComputedStyle(document.querySelector('.review-mini')!).position, bottom: r.bottom };
    });
    expect(mini.position).toBe('sticky');
    expect(mini.bottom).toBe(740);
  });

  it('an error scrolled to from above stops above the summary', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.getElementById('e14')!.scrollIntoView({ block: 'nearest' }));
    const e = await under('#e14');
    expect(e.visible).toBe(true);
    expect(e.covered).toBeLessThanOrEqual(0);
  });

  it('a field reached from the error list (with its error) stops above the summary', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.getElementById('f14')!.scrollIntoView({ block: 'nearest' }));
    expect((await under('#e14')).covered).toBeLessThanOrEqual(0);
  });

  it('a focused input near the bottom is not under the summary', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.focus('#v14');
    expect((await under('#v14')).covered).toBeLessThanOrEqual(0);
  });

  it('the last field’s error can be scrolled clear of it', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.getElementById('e29')!.scrollIntoView({ block: 'nearest' }));
    expect((await under('#e29')).covered).toBeLessThanOrEqual(0);
  });
});
