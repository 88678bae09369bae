/**
 * A 360 × 740 phone, every page of the app, signed in as the role that uses it: nothing wider
 * than the screen (no horizontal scrolling), and the header with its navigation folded into the
 * menu takes a small part of the screen. Screenshots in artifacts/e2e/phone-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { demoAppForFile, newContext, shot, sidewaysOverflow } from '../src/test-support/browser.ts';

const app = demoAppForFile();
const PHONE = { width: 360, height: 740 };

async function signedIn(username: string | null): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await newContext(app.browser, app.server.url, PHONE);
  const page = await ctx.newPage();
  if (username) {
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  return { ctx, page };
}


const PAGES: Array<[string, string | null, string, string]> = [
  // [name, account, path, a test id or text that shows the page is ready]
  ['province', 'tinh.ninhbinh', '/units/37@2025-07', 'overview-page'],
  ['commune', 'xa.binhluc', '/units/13504@2025-07', 'commune-page'],
  ['commune-2023', 'xa.tranganh', '/units/13510@2025-03?date=2023-03-20', 'commune-page'],
  ['committees', 'hoidong.ninhbinh', '/committees', 'committees-page'],
  ['tasks', 'tinh.ninhbinh', '/tasks?unitId=13510%402025-03&date=2023-10-01', 'column-overdue'],
  ['inbox', 'xa.binhluc', '/inbox', 'inbox-page'],
  ['import', 'xa.binhluc', '/import', 'import-page'],
  ['action-plan', 'xa.tranganh', '/units/13510@2025-03/action-plan?date=2023-05-01', 'action-plan-page'],
  ['dossiers', 'tinh.ninhbinh', '/dossiers', 'dossier-list'],
  ['criteria-sets', 'tinh.ninhbinh', '/bo-tieu-chi', 'shipped-sets'],
  ['admin', 'admin', '/admin', 'admin-page'],
  ['audit', 'kiemtoan', '/audit', 'audit-page'],
  ['login', null, '/login', 'demo-accounts'],
  ['public', null, '/cong-khai', 'transparency-page'],
];

describe('a 360 px phone', () => {
  for (const [name, account, path, ready] of PAGES) {
    it(`${name}: no sideways scrolling`, async () => {
      const { ctx, page } = await signedIn(account);
      try {
        await page.goto(path);
        await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        const o = await sidewaysOverflow(page);
        await shot(page, `phone-${name}`);
        expect(o.culprits, `${path}: ${o.culprits.join('; ')}`).toEqual([]);
        expect(o.scrollWidth).toBeLessThanOrEqual(PHONE.width);
      } finally {
        await ctx.close();
      }
    }, 90_000);
  }

  it('the header and navigation fold into the menu: under a fifth of the screen', async () => {
    const { ctx, page } = await signedIn('tinh.ninhbinh');
    try {
      await page.goto('/units/37@2025-07');
      await page.getByTestId('overview-page').waitFor();
      const top = await page.getByTestId('overview-page').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      expect(top).toBeLessThan(PHONE.height / 5 + 40);
      // The menu opens with the search, the date, the language, the account and the sections, and closes on a link.
      await page.getByTestId('menu-toggle').click();
      await page.locator('.committee-nav').getByRole('link', { name: 'Ban Chỉ đạo' }).waitFor();
      expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('true');
      await shot(page, 'phone-menu-open');
      await page.locator('.committee-nav').getByRole('link', { name: 'Ban Chỉ đạo' }).click();
      await page.getByTestId('committees-page').waitFor();
      expect(await page.locator('.committee-nav').isVisible()).toBe(false);
    } finally {
      await ctx.close();
    }
  }, 90_000);
});
