import { chromium } from 'playwright-core';
import { startServerProcess } from './src/test-support/server-process.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuilt } from './src/test-support/browser.ts';
const dbUrl = process.argv[2]!;
const tag = process.argv[3] ?? 'synthetic';
await ensureWebBuilt();
const server = await startServerProcess({ DATABASE_URL: dbUrl, DATCHUAN_JOBS_INTERVAL_MINUTES: '0', DATCHUAN_MFA_REQUIRED_ROLES: '' }, 120_000);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [w, h] of [[1366, 900], [360, 800]] as const) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Tên đăng nhập').fill('trunguong');
    await page.getByLabel('Mật khẩu', { exact: true }).fill('nongthon-2025');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/ca-nuoc/, { timeout: 60_000 });
    for (const date of ['2026-12-03', '2024-12-31']) {
      const t = performance.now();
      await page.goto(`${server.url}/ca-nuoc?date=${date}`);
      await page.getByTestId('national-page').waitFor({ timeout: 60_000 });
      const ready = performance.now() - t;
      await page.getByTestId('national-trend').scrollIntoViewIfNeeded({ timeout: 60_000 }).catch(() => {});
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `artifacts/national/${tag}-${date}-${w}.png`, fullPage: true });
      console.log(w, date, 'page ready', Math.round(ready), 'ms');
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
