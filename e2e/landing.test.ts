/**
 * After sign-in each demo account lands on its own place, never on a "no permission" page: the
 * commune officer on the commune, the province office on the province, the district office on its
 * district's last day (abolished 1/7/2025), the committee member on the committees, the
 * administrator on accounts, the audit-log reviewer on the trail. And a task page offers the
 * merged commune's officer nothing it would refuse; the navigation offers the import only to
 * whoever may import.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { demoAppForFile, newContext, shot } from '../src/test-support/browser.ts';

const app = demoAppForFile();

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

const LANDINGS: Array<[string, RegExp, string]> = [
  ['xa.binhluc', /\/units\/13504@2025-07$/, 'commune-page'],
  ['xa.tranganh', /\/units\/13510@2025-03\?date=2025-06-30$/, 'commune-page'],
  ['tinh.ninhbinh', /\/units\/37@2025-07$/, 'overview-page'],
  ['huyen.binhluc', /\/units\/352@2025-03\?date=2025-06-30$/, 'overview-page'],
  ['hoidong.ninhbinh', /\/committees$/, 'committees-page'],
  ['xem', /\/units\/37@2025-07$/, 'overview-page'],
  ['admin', /\/admin$/, 'admin-page'],
  ['kiemtoan', /\/audit$/, 'audit-page'],
];

describe('landing after sign-in', () => {
  for (const [username, url, testId] of LANDINGS) {
    it(`${username} lands on its own place`, async () => {
      const ctx = await newContext(app.browser, app.server.url);
      try {
        const page = await ctx.newPage();
        await signIn(page, username);
        await page.waitForURL((u) => url.test(u.pathname + u.search), { timeout: 20_000 });
        await page.getByTestId(testId).waitFor({ timeout: 20_000 });
        expect(await page.getByTestId('api-error').count()).toBe(0);
        // The navigation offers the import only to whoever may import (officers, the province office).
        const mayImport = ['xa.binhluc', 'xa.tranganh', 'tinh.ninhbinh'].includes(username);
        expect(await page.getByTestId('nav-import').count(), `import link for ${username}`).toBe(mayImport ? 1 : 0);
        await shot(page, `landing-${username}`);
      } finally {
        await ctx.close();
      }
    }, 60_000);
  }

  it('the new commune officer reads the old commune’s task without being offered what it may not do', async () => {
    const ctx = await newContext(app.browser, app.server.url);
    try {
      const page = await ctx.newPage();
      await signIn(page, 'xa.binhluc');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      const board = (await (await page.request.get('/api/v1/tasks?unitId=13510%402025-03&date=2023-04-01')).json()) as { columns: Array<{ tasks: Array<{ id: number; shownStatus: string }> }> };
      const open = board.columns.flatMap((c) => c.tasks).find((t) => t.shownStatus === 'in_progress' || t.shownStatus === 'new' || t.shownStatus === 'overdue');
      expect(open, 'the demo has an open task of Tràng An').toBeDefined();
      await page.goto(`/tasks/${open!.id}?date=2023-04-01`);
      await page.getByTestId('task-page').waitFor();
      expect(await page.getByRole('button', { name: 'Xác nhận hoàn thành' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Gửi' }).count()).toBe(0);
      await shot(page, 'task-read-only-for-successor');
    } finally {
      await ctx.close();
    }
  }, 60_000);
});
