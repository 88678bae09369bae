/**
 * Steering committees in real Chromium against the real server with the demo data: read the
 * 20/3/2023 meeting (Tràng An's status frozen at 13/19, 64/75; conclusions and tasks; the notice
 * to download), the commune's task board with overdue tasks flagged on 1/10/2023, then — signed in
 * as the Bình Lục district office — create a meeting and a task through the forms (a due date
 * before the meeting is refused with its message). Screenshots in artifacts/e2e/ and
 * artifacts/committee/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

import { demoAppForFile, loginAs, newContext, shot, shows, watchPageErrors } from '../src/test-support/browser.ts';

const TRANG_AN = '13510@2025-03';
const app = demoAppForFile();



function keep(file: string, name: string): void {
  const dir = path.resolve('artifacts/committee');
  mkdirSync(dir, { recursive: true });
  copyFileSync(file, path.join(dir, name));
}

it('shows the 20/3/2023 meeting with the frozen status, conclusions, tasks and the documents', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await page.goto('/committees?date=2023-03-20');
  await page.getByRole('link', { name: /Ban Chỉ đạo các chương trình mục tiêu quốc gia huyện Bình Lục/ }).click();
  await page.getByTestId('committee-page').waitFor();
  await page.getByTestId('members').getByText('Bí thư Huyện ủy').first().waitFor();
  await page.getByRole('link', { name: /20\/03\/2023 — Làm việc với xã Tràng An/ }).click();
  await page.getByTestId('meeting-page').waitFor();
  await shows(page.getByTestId('frozen-summary'), 'Đạt 13/19 tiêu chí, 64/75 chỉ tiêu');
  await shows(page.getByTestId('conclusion-2'), 'trước ngày 30/9/2023');
  const notice = await page.getByTestId('notice-link').getAttribute('href');
  const res = await page.request.get(notice!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('wordprocessingml');
  keep(await shot(page, 'committee-meeting', true), 'meeting-page.png');
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

it('flags overdue tasks on the commune board on 1/10/2023 with text and colour, and proposals after the 30/9 review', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  await page.goto(`/tasks?unitId=${TRANG_AN}&date=2023-10-01`);
  const overdue = page.getByTestId('column-overdue');
  await overdue.waitFor();
  await overdue.locator('.cm-card').first().waitFor();
  expect(await overdue.locator('.cm-card').count()).toBe(4);
  await shows(overdue.locator('.cm-card').first(), 'Quá hạn');
  await shows(overdue.locator('.cm-card').first(), 'Đề nghị xác nhận hoàn thành');
  const colour = await overdue.locator('.cm-tag[data-status="overdue"]').first().evaluate((el) => getComputedStyle(el).color);
  expect(colour).toBe('rgb(138, 28, 20)');
  keep(await shot(page, 'committee-board', true), 'task-board.png');
  // The commune page has its "Nhiệm vụ" section.
  await page.goto(`/units/${TRANG_AN}?date=2023-10-01`);
  await shows(page.getByTestId('commune-tasks'), '4 quá hạn');
  await ctx.close();
}, 120_000);

it('the district office creates a meeting and a task through the forms', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'huyen.binhluc');
  await page.goto('/committees?date=2023-10-05');
  await page.getByRole('link', { name: /Ban Chỉ đạo các chương trình mục tiêu quốc gia huyện Bình Lục/ }).click();
  const form = page.getByTestId('new-meeting-form');
  await form.waitFor();
  await form.getByLabel('Tên cuộc họp').fill('Kiểm tra tiến độ hoàn thiện hồ sơ xã Tràng An');
  // The app's dd/mm/yyyy picker, not the browser's native (mm/dd in an English browser) date input.
  expect(await form.locator('input[type="date"]').count()).toBe(0);
  await form.getByLabel('Ngày họp').fill('05/10/2023');
  await form.getByLabel('Ngày họp').press('Tab');
  await form.getByLabel('Địa điểm').fill('UBND huyện Bình Lục');
  await form.getByTestId('meeting-others').fill('Nguyễn Văn Bình — Chủ tịch UBND xã Tràng An');
  await form.getByTestId('meeting-agenda').fill('Xã báo cáo tiến độ hồ sơ\nThành viên góp ý\nKết luận');
  await form.getByTestId('meeting-minutes').fill('Xã đã hoàn thiện 12/14 tài liệu của hồ sơ.');
  await form.getByLabel('Tràng An', { exact: true }).check();
  await form.getByRole('button', { name: 'Lưu cuộc họp' }).click();
  await page.getByTestId('meeting-page').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Kiểm tra tiến độ hoàn thiện hồ sơ xã Tràng An' }).waitFor();
  // Agenda, participants (the members present and the guest) and minutes are recorded.
  await shows(page.getByTestId('meeting-page'), 'Thành viên góp ý');
  await shows(page.getByTestId('meeting-page'), 'Nguyễn Văn Bình');
  await shows(page.getByTestId('meeting-page'), 'Xã đã hoàn thiện 12/14 tài liệu của hồ sơ.');
  // Frozen on 5/10/2023: the 30/9/2023 review met every criterion.
  await shows(page.getByTestId('frozen-summary'), '19/19');

  const c = page.getByTestId('conclusion-form');
  await c.getByLabel('Nội dung kết luận').fill('Phòng Nông nghiệp hoàn thành thẩm tra hồ sơ trước ngày 31/12/2023.');
  const row = c.getByTestId('task-row-0');
  await row.getByLabel('Nội dung nhiệm vụ').fill('Thẩm tra hồ sơ đề nghị công nhận xã Tràng An');
  await row.getByLabel('Giao cho').selectOption('agency');
  await row.getByLabel('Tên cơ quan, người thực hiện').fill('Phòng Nông nghiệp và PTNT huyện');
  await row.getByLabel('Thời hạn').fill('01/09/2023');
  await row.getByLabel('Thời hạn').press('Tab');
  await c.getByRole('button', { name: 'Lưu kết luận và nhiệm vụ' }).click();
  await shows(c.getByTestId('write-error'), 'trước ngày họp 05/10/2023');
  await row.getByLabel('Thời hạn').fill('31/12/2023');
  await row.getByLabel('Thời hạn').press('Tab');
  await row.getByLabel('Mức độ').selectOption('high');
  await c.getByRole('button', { name: 'Lưu kết luận và nhiệm vụ' }).click();
  const conclusion = page.getByTestId('conclusion-1');
  await shows(conclusion, 'Thẩm tra hồ sơ đề nghị công nhận xã Tràng An');
  await shows(conclusion, 'Phòng Nông nghiệp và PTNT huyện');
  keep(await shot(page, 'committee-new-meeting', true), 'new-meeting-and-task.png');

  // The task is on the assignee's board.
  await page.goto(`/tasks?assignee=${encodeURIComponent('Phòng Nông nghiệp và PTNT huyện')}&date=2023-10-05`);
  await shows(page.getByTestId('column-new'), 'Thẩm tra hồ sơ đề nghị công nhận xã Tràng An');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);
