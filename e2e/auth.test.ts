/**
 * Accounts in real Chromium against the demo server: the login page lists the demo accounts only
 * because this is demo data; a wrong password shows the server's Vietnamese message, the same after
 * five (a delay, never a lock that tells the account exists); the commune officer signs in and out;
 * the administrator creates an account (its one-time password shown once) and that account is
 * forced to change it at first sign-in, then asked to confirm its password before changing it again
 * once the sign-in is older than the re-authentication window; the
 * audit-log reviewer reads the trail and checks the hash chain; a page that needs a session sends
 * to the login page and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.ts';
import { demoAppForFile, newContext, shot } from '../src/test-support/browser.ts';
import { invalidateLocalAuthCaches } from '../src/platform/auth-cache.ts';

const app = demoAppForFile();


async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (40[01349]|42[39])/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

describe('accounts in the browser', () => {
  let ctx: BrowserContext;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ctx = await newContext(app.browser, app.server.url);
    page = await ctx.newPage();
    errors = errorsOf(page);
  });
  afterAll(async () => ctx?.close());

  it('shows the demo accounts, refuses a wrong password in Vietnamese, the same way after five tries', async () => {
    await page.goto('/login');
    await page.getByTestId('demo-accounts').waitFor();
    expect(await page.getByTestId('demo-accounts').textContent()).toContain(DEMO_PASSWORD);
    for (let i = 1; i <= 5; i++) {
      await signIn(page, 'xem', 'khong-phai-mat-khau');
      await expect.poll(async () => page.getByTestId('login-error').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    }
    // The account now waits out a delay: even its right password gets the same answer.
    await signIn(page, 'xem', DEMO_PASSWORD);
    await expect.poll(async () => page.getByTestId('login-error').textContent()).toContain('Nếu đã nhập sai nhiều lần, hãy đợi vài phút');
    expect(page.url()).toContain('/login');
    await shot(page, 'auth-locked');
  }, 60_000);

  it('signs the commune officer in, back to the page asked for, and out', async () => {
    await page.goto('/login?next=%2Funits%2F13510%402025-03%3Fdate%3D2023-03-20');
    await signIn(page, 'xa.tranganh', DEMO_PASSWORD);
    await page.waitForURL(/\/units\/13510@2025-03/);
    await page.getByTestId('user-menu').waitFor();
    expect(await page.getByTestId('user-menu').textContent()).toContain('Tràng An');
    await shot(page, 'auth-signed-in');
    await page.getByTestId('user-menu').getByRole('button').click();
    await page.getByRole('menuitem', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login/);
  }, 60_000);

  it('lets the administrator create an account whose one-time password must be changed at first sign-in', async () => {
    await signIn(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto('/admin');
    await page.getByTestId('admin-page').waitFor();
    await page.getByLabel('Tên đăng nhập').fill('can-bo.moi');
    await page.getByLabel('Họ tên').fill('Cán bộ mới');
    // The unit is picked by its name, typed without accents; the account gets its id.
    await page.getByLabel('Đơn vị (tìm theo tên, bỏ trống = toàn quốc)').fill('binh luc');
    const newBinhLuc = page.locator('.ant-select-item-option[title^="Xã Bình Lục — "][title$="từ 7/2025"]');
    await newBinhLuc.first().waitFor();
    expect(await newBinhLuc.first().getAttribute('title')).toMatch(/^Xã Bình Lục — .*Tỉnh Ninh Bình/);
    await shot(page, 'auth-admin-unit-picker');
    await newBinhLuc.first().click();
    await page.getByRole('button', { name: 'Tạo tài khoản', exact: true }).click();
    const notice = page.getByTestId('admin-notice');
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    const password = /: (\w{5}-\w{5}-\w{5}-\w{5})$/.exec(text)?.[1];
    expect(password).toBeTruthy();
    const created = await app.server.db.kysely.selectFrom('role_grant').innerJoin('app_user', 'app_user.id', 'role_grant.user_id').select('role_grant.unit_id').where('app_user.username', '=', 'can-bo.moi').execute();
    expect(created.map((g) => g.unit_id)).toEqual(['13504@2025-07']);
    // An API token's units: several, each picked by name.
    await page.getByLabel('Tên khóa').fill('kich-ban-thu');
    const tokenUnits = page.getByLabel('Đơn vị (tìm theo tên, chọn một hoặc nhiều; bỏ trống = mọi đơn vị)');
    for (const [typed, which] of [['trang an', '[title^="Xã Tràng An — "][title*="Huyện Bình Lục"]'], ['ninh binh', '[title^="Tỉnh Ninh Bình"][title$="từ 7/2025"]']] as const) {
      await tokenUnits.fill(typed);
      const option = page.locator(`.ant-select-item-option${which}`).first();
      await option.waitFor();
      await option.click();
    }
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Tạo khóa API', exact: true }).click();
    await expect.poll(async () => (await page.getByTestId('admin-notice').textContent()) ?? '').toContain('kich-ban-thu');
    const token = await app.server.db.kysely.selectFrom('api_token').selectAll().where('name', '=', 'kich-ban-thu').executeTakeFirstOrThrow();
    expect(JSON.parse(token.units_json!)).toEqual(['13510@2025-03', '37@2025-07']);
    await shot(page, 'auth-admin', true);
    await page.getByTestId('user-menu').getByRole('button').click();
    await page.getByRole('menuitem', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/login/);
    await signIn(page, 'can-bo.moi', password!);
    await page.waitForURL(/\/account\/password/);
    await page.getByLabel('Mật khẩu hiện tại').fill(password!);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('dong lua chin vang 2026');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('dong lua chin vang 2026');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/account'));
    await page.getByTestId('user-menu').waitFor();
    expect(await page.getByTestId('user-menu').textContent()).toContain('Cán bộ mới');

    // Later (the sign-in no longer counts as a recent authentication), a new password needs the current one again.
    await app.server.db.kysely.updateTable('user_session').set({ reauthenticated_at: null }).execute();
    invalidateLocalAuthCaches();
    await page.goto('/account/password');
    await page.getByLabel('Mật khẩu hiện tại').fill('dong lua chin vang 2026');
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('canh dong mau mo 2027');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('canh dong mau mo 2027');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    const dialog = page.getByTestId('reauth-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Hãy nhập lại mật khẩu');
    await dialog.getByLabel('Mật khẩu hiện tại').fill('sai mat khau roi');
    await page.getByTestId('reauth-confirm').click();
    await expect.poll(async () => dialog.getByRole('alert').textContent()).toContain('Mật khẩu không đúng');
    await shot(page, 'auth-reauth');
    await dialog.getByLabel('Mật khẩu hiện tại').fill('dong lua chin vang 2026');
    await page.getByTestId('reauth-confirm').click();
    await expect.poll(async () => page.getByRole('status').textContent()).toContain('Đã đổi mật khẩu');
  }, 120_000);

  it('shows the audit trail to the reviewer and verifies the hash chain', async () => {
    await ctx.clearCookies();
    await page.goto('/audit');
    await page.waitForURL(/\/login\?next=%2Faudit/);
    await signIn(page, 'kiemtoan', DEMO_PASSWORD);
    await page.waitForURL(/\/audit$/);
    await page.getByTestId('audit-page').waitFor();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(async () => page.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    expect(await page.locator('tbody').textContent()).toContain('user.create');
    await page.getByRole('button', { name: 'Kiểm tra chuỗi băm' }).click();
    await expect.poll(async () => page.getByText(/Chuỗi băm nguyên vẹn/).count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'auth-audit');
    expect(errors).toEqual([]);
  }, 60_000);
});
