/**
 * The merger carried through for work, in Chromium: the new Bình Lục commune's officer opens the
 * commune's task board and finds Tràng An's unfinished tasks (merged 1/7/2025) with their origin,
 * takes one over with a reason, and the card then says where it came from; a viewer sees the list
 * without the buttons. Screenshots: artifacts/e2e/merged-work*.png (1366 px and 360 px).
 */
import { expect, it } from 'vitest';
import { demoAppForFile, loginAs, newContext, shot, shows, watchPageErrors } from '../src/test-support/browser.ts';

const app = demoAppForFile();
const BINH_LUC = '13504@2025-07';

it("the successor's officer takes over a merged commune's open task; a viewer only reads", async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'xa.binhluc');
  await page.goto(`/tasks?unitId=${encodeURIComponent(BINH_LUC)}`);
  const merged = page.getByTestId('merged-work');
  await shows(merged, 'Việc còn mở của xã đã sáp nhập');
  await shows(merged, 'Từ Xã Tràng An');
  const before = await merged.locator('li').count();
  expect(before).toBeGreaterThan(0);
  await shot(page, 'merged-work');
  // Choose only the first task, give the reason, take it over.
  const boxes = merged.locator('input[type=checkbox]');
  for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
  const title = (await merged.locator('li a').first().textContent())!.trim();
  await merged.getByLabel('Lý do (ghi vào lịch sử từng nhiệm vụ)').fill('Xã mới tiếp tục thực hiện');
  await merged.getByRole('button', { name: 'Tiếp nhận các việc đã chọn' }).click();
  await expect.poll(async () => (await page.getByTestId('merged-work').count()) === 0 || (await merged.locator('li').count()) === before - 1, { timeout: 15_000 }).toBe(true);
  const card = page.locator('.cm-card', { hasText: title }).first();
  await shows(card, 'Tiếp nhận từ Xã Tràng An');
  await shot(page, 'merged-work-taken-over');
  expect(errors).toEqual([]);
  await ctx.close();

  const phone = await newContext(app.browser, app.server.url, { width: 360, height: 740 });
  const p2 = await phone.newPage();
  await loginAs(p2, 'xem');
  await p2.goto(`/tasks?unitId=${encodeURIComponent(BINH_LUC)}`);
  const ro = p2.getByTestId('merged-work');
  await shows(ro, 'Chỉ cán bộ của xã');
  expect(await ro.getByRole('button').count()).toBe(0);
  await shot(p2, 'merged-work-phone-viewer');
  await phone.close();
}, 180_000);
