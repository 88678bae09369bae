/**
 * Recognition dossiers, public consultation and the transparency portal (issue 7) in real Chromium
 * against the real server with the demo data (Bình Lục's 2026 two-level dossier in public
 * consultation; Tràng An's dossier recognised in 2023):
 *  (a) an anonymous visitor — no sign-in, no signed-in-only call — reads /cong-khai, finds Tràng An
 *      without accents, opens the Bình Lục consultation and sends a comment with only one consent
 *      ticked (contact, not the name): it awaits moderation;
 *  (c) a moderator publishes it; the public page shows it without the name;
 *  (b) Bình Lục's commune officer opens the dossier, uploads a document and moves it one step
 *      (closes the consultation);
 *  (d) on the commune page, "Lập hồ sơ đề nghị công nhận" proposes the base review's level and,
 *      as a nang-cao dossier is already open, links to it;
 *  (f) the commune officer completes the documents and declarations and submits; the province
 *      office appraises, publishes and records the decision; the portal lists the recognition;
 *  (e) on a database that is not a demo (anonymous callers read nothing else), the public pages
 *      still work for an anonymous visitor and never send them to sign in.
 * Screenshots in artifacts/e2e/dossier-*.png.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { demoAppForFile, loginAs, newContext, shot, shows, startDemoServer, watchPageErrors } from '../src/test-support/browser.ts';
import { migrateToLatest } from '../src/db/database.ts';
import { seedDemoData } from '../src/seed/demo.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';

const app = demoAppForFile();

const COMMENT = 'Đề nghị xã công khai thêm số liệu về đường giao thông nội đồng <b>thôn 3</b>.';
const NAME = 'Nguyễn Thị Dân';
let withdrawCode = '';



const require = createRequire(import.meta.url);

/** axe-core (WCAG 2.1 A/AA) on the page as it is: the violations, empty when none. */
async function axe(page: Page): Promise<Array<{ id: string; nodes: number; target: string }>> {
  // At rest: the pointer left on a button after a click hovers it, and antd animates the colours for
  // 0,2 s — a contrast read mid-transition is neither the resting nor the hover colour.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, target: JSON.stringify(v.nodes[0]?.target ?? []) }));
  });
}

/** Every API call the page makes, to check the public pages use public endpoints only. */
function apiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) calls.push(`${r.method()} ${u.pathname}`);
  });
  return calls;
}

it('(a) an anonymous visitor reads the portal and sends a comment with one consent', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  const calls = apiCalls(page);
  await page.goto('/cong-khai');
  const table = page.getByTestId('public-recognitions');
  await table.waitFor();
  await shows(table.locator('tr', { hasText: 'Xã Tràng An' }), '3456/QĐ-UBND ngày 14/12/2023');
  await page.getByTestId('public-map').waitFor();
  await shot(page, 'dossier-public-portal', true);
  expect(await axe(page)).toEqual([]);
  // Search without accents: the server folds them.
  await page.getByLabel('Tìm xã').fill('trang an');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="public-recognitions"] tbody tr').length === 1, undefined, { timeout: 15_000 });
  await shows(table, 'Xã Tràng An');

  const consultations = page.getByTestId('public-consultations');
  await shows(consultations, 'Xã Bình Lục');
  await consultations.getByRole('link', { name: /Xem và góp ý.*Xã Bình Lục/ }).click();
  const cons = page.getByTestId('consultation-page');
  await cons.waitFor();
  const openedAt = Date.now();
  await shows(page.getByTestId('consultation-criteria'), 'Giao thông');
  // Bình Lục met every criterion at its base review (15/12/2025): each row says so, in text.
  await shows(page.locator('tr[data-criterion="2"]'), 'Đạt');
  expect(await page.getByTestId('consultation-criteria').getByText('Chưa đạt').count()).toBe(0);

  const form = page.getByTestId('comment-form');
  const boxes = form.getByRole('checkbox');
  expect(await boxes.count()).toBe(2);
  for (let i = 0; i < 2; i++) expect(await boxes.nth(i).isChecked()).toBe(false);
  // The honeypot is not reachable: hidden from people and assistive technology.
  const hp = page.locator('input[name="website"]');
  const box = await hp.boundingBox();
  expect(box === null || box.x + box.width <= 0).toBe(true);
  expect(await hp.getAttribute('tabindex')).toBe('-1');
  expect(await hp.evaluate((el) => !!el.closest('[aria-hidden="true"]'))).toBe(true);
  expect(await form.getByRole('textbox').count()).toBe(3); // body, name, contact: the honeypot is not in the accessibility tree
  await form.getByLabel('Nội dung ý kiến').fill(COMMENT);
  await form.getByLabel('Họ và tên (không bắt buộc)').fill(NAME);
  await form.getByLabel('Điện thoại hoặc thư điện tử (không bắt buộc)').fill('0912 345 678');
  await page.locator('input[data-purpose="contact_reply"]').check();
  expect(await page.locator('input[data-purpose="publish_name"]').isChecked()).toBe(false);
  // The form token is valid only after a few seconds (robots send at once).
  const wait = 3500 - (Date.now() - openedAt);
  if (wait > 0) await page.waitForTimeout(wait);
  await shot(page, 'dossier-public-consultation', true);
  expect(await axe(page)).toEqual([]);
  await form.getByRole('button', { name: 'Gửi ý kiến' }).click();
  await shows(page.getByTestId('comment-sent'), 'Ý kiến của bạn đã được gửi và sẽ được đăng sau khi kiểm duyệt');
  // The code to withdraw consent later is shown once.
  withdrawCode = (await page.getByTestId('withdraw-code').getAttribute('data-code')) ?? '';
  expect(withdrawCode).toMatch(/^[A-Za-z0-9_-]{16}$/);
  await shot(page, 'dossier-public-comment-sent');

  expect(new URL(page.url()).pathname).not.toMatch(/^\/login/);
  const notPublic = calls.filter((c) => !/ \/api\/v1\/(public\/|health$)/.test(c));
  expect(notPublic).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

it('(c) a moderator publishes the comment; the public page shows it without the name', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'tinh.ninhbinh');
  await page.goto('/dossiers');
  const list = page.getByTestId('dossier-list');
  await list.waitFor();
  await list.getByRole('link', { name: 'Xã Bình Lục' }).click();
  await page.getByTestId('dossier-page').waitFor();
  const comments = page.getByTestId('dossier-comments');
  const item = comments.locator('li[data-status="pending"]', { hasText: 'đường giao thông nội đồng' });
  await item.waitFor();
  // The moderator sees the name and contact (personal data, kept for the retention period) and the consents.
  await shows(item, NAME);
  await shows(item, 'Đồng ý: liên hệ trả lời');
  // The text is text: the <b> the resident typed is not markup.
  expect(await item.locator('b').count()).toBe(0);
  await shows(item.getByTestId('comment-body'), '<b>thôn 3</b>');
  await shot(page, 'dossier-moderation', true);
  expect(await axe(page)).toEqual([]);
  await item.getByRole('button', { name: 'Đăng' }).click();
  await comments.locator('li[data-status="published"]', { hasText: 'đường giao thông nội đồng' }).waitFor({ timeout: 15_000 });
  expect(errors).toEqual([]);
  await ctx.close();

  // Anonymous again: published, without the name (no consent to publish it).
  const anon = await newContext(app.browser, app.server.url);
  const pub = await anon.newPage();
  await pub.goto('/cong-khai');
  await pub.getByTestId('public-consultations').getByRole('link', { name: /Xem và góp ý.*Xã Bình Lục/ }).click();
  const published = pub.getByTestId('published-comments');
  await shows(published.locator('li'), 'đường giao thông nội đồng');
  const li = published.locator('li', { hasText: 'đường giao thông nội đồng' });
  expect(await li.getByTestId('comment-author').textContent()).toBe('Người dân');
  expect(await published.textContent()).not.toContain(NAME);
  expect(await published.textContent()).not.toContain('0912');
  await shot(pub, 'dossier-public-published', true);
  // The resident withdraws their consent with the code: a wrong code is refused, theirs erases name and contact.
  const wf = pub.getByTestId('withdraw-form');
  await wf.getByLabel('Mã rút lại đồng ý').fill('AAAAAAAAAAAAAAAA');
  await wf.getByRole('button', { name: 'Rút lại đồng ý' }).click();
  await shows(wf.getByRole('alert'), 'không đúng');
  await wf.getByLabel('Mã rút lại đồng ý').fill(withdrawCode);
  await wf.getByRole('button', { name: 'Rút lại đồng ý' }).click();
  await shows(wf.getByRole('status'), 'Đã rút lại sự đồng ý');
  await anon.close();
}, 120_000);

it("(b) the commune officer opens Bình Lục's dossier, uploads a document and moves it one step", async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'xa.binhluc');
  // The inbox lists it among the dossiers waiting for this officer.
  await page.goto('/inbox');
  const waiting = page.getByTestId('inbox-dossiers');
  await shows(waiting, 'Xã Bình Lục');
  await shows(waiting, 'chờ bước "Công khai, lấy ý kiến nhân dân"');
  await shot(page, 'inbox-dossiers', true);
  expect(await axe(page)).toEqual([]);
  await page.goto('/dossiers');
  const list = page.getByTestId('dossier-list');
  await list.waitFor();
  const row = list.locator('tr', { hasText: 'Xã Bình Lục' });
  await shows(row, 'Công khai, lấy ý kiến nhân dân');
  await shows(row, /còn \d+ ngày làm việc/);
  await shows(row, /còn \d+ ngày/);
  await shot(page, 'dossier-list', true);
  expect(await axe(page)).toEqual([]);
  await row.getByRole('link', { name: 'Xã Bình Lục' }).click();
  const dossier = page.getByTestId('dossier-page');
  await dossier.waitFor();
  await shows(page.getByTestId('dossier-state'), 'Công khai, lấy ý kiến nhân dân');
  await shows(page.getByTestId('public-link'), '/cong-khai/ho-so/');
  await shows(page.getByTestId('preconditions'), 'Đạt 19/19 tiêu chí');

  // Upload the satisfaction survey (raw bytes), then it is listed as version 1.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  await page.getByTestId('upload-satisfaction_survey').setInputFiles({ name: 'khao-sat-hai-long.pdf', mimeType: 'application/pdf', buffer: pdf });
  await shows(page.locator('tr[data-doc-type="satisfaction_survey"]'), 'Bản 1: khao-sat-hai-long.pdf');

  // Move one step: close the consultation.
  const version = Number(await dossier.getAttribute('data-version'));
  await page.getByTestId('dossier-actions').getByRole('button', { name: 'Kết thúc lấy ý kiến' }).click();
  const modal = page.getByTestId('action-modal');
  await modal.waitFor();
  await modal.getByLabel('Ý kiến, ghi chú kèm theo').fill('Hết thời gian niêm yết, tổng hợp ý kiến.');
  await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận', exact: true }).click();
  await shows(page.getByTestId('dossier-state'), 'Khảo sát sự hài lòng, họp xã, lập tờ trình');
  expect(Number(await dossier.getAttribute('data-version'))).toBeGreaterThan(version);
  await shows(page.getByTestId('dossier-timeline').locator('li').last(), 'Hết thời gian niêm yết, tổng hợp ý kiến.');
  await shows(page.locator('[data-step="commune_finalising"][data-status="current"]'), 'Khảo sát');
  await shot(page, 'dossier-moved', true);
  expect(await axe(page)).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

it('(d) the commune page opens the new-dossier form; an open dossier of that level is linked', async () => {
  const ctx = await newContext(app.browser, app.server.url);
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'xa.binhluc');
  await page.goto('/units/13504@2025-07');
  const section = page.getByTestId('commune-dossiers');
  await section.waitFor();
  expect(await section.getByTestId('dossiers-link').getAttribute('href')).toBe('/dossiers?unitId=13504%402025-07&open=all');
  await shows(section, '1 hồ sơ đang xử lý');
  // The commune page stays WCAG 2.1 AA with its new section.
  expect(await axe(page)).toEqual([]);
  await section.getByTestId('new-dossier').click();
  const dialog = page.getByRole('dialog');
  await shows(dialog, 'NTM nâng cao');
  await shows(dialog, /Ngày 15\/12\/2025 — bộ tiêu chí/);
  await shot(page, 'dossier-new-form');
  await dialog.getByRole('button', { name: /Lập hồ sơ/ }).click();
  await shows(dialog.getByTestId('write-error'), 'đã có hồ sơ');
  await dialog.getByTestId('existing-dossier').click();
  await page.getByTestId('dossier-page').waitFor();
  await shows(page.getByTestId('dossier-title'), 'Xã Bình Lục');
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

it('(f) the dossier travels the rest of the path in the UI: commune submits, province appraises, publishes and decides; the portal shows the recognition', async () => {
  const pdf = (title: string) => ({ name: `${title}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1') });
  const confirm = async (page: Page, label: string, action: string, fill?: (modal: Locator) => Promise<void>) => {
    const dossier = page.getByTestId('dossier-page');
    const version = Number(await dossier.getAttribute('data-version'));
    await page.getByTestId('dossier-actions').getByRole('button', { name: label, exact: true }).click();
    // This move's dialog, not the previous one still fading out (under load it can linger).
    const modal = page.locator(`[data-testid="action-modal"][data-action="${action}"]`);
    await modal.waitFor();
    if (fill) await fill(modal);
    await page.getByRole('dialog').filter({ has: modal }).getByRole('button', { name: 'Xác nhận', exact: true }).click();
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="dossier-page"]')?.getAttribute('data-version')) > v, version, { timeout: 15_000 });
  };
  const upload = async (page: Page, type: string) => {
    await page.getByTestId(`upload-${type}`).setInputFiles(pdf(type));
    await shows(page.locator(`tr[data-doc-type="${type}"]`), `${type}.pdf`);
  };

  // The commune officer completes the documents and the declarations, then submits to the province.
  const xa = await newContext(app.browser, app.server.url);
  const page = await xa.newPage();
  const errors = watchPageErrors(page);
  await loginAs(page, 'xa.binhluc');
  await page.goto('/dossiers');
  await page.getByTestId('dossier-list').getByRole('link', { name: 'Xã Bình Lục' }).click();
  await page.getByTestId('dossier-page').waitFor();
  await shows(page.getByTestId('dossier-state'), 'Khảo sát sự hài lòng, họp xã, lập tờ trình');
  const id = await page.getByTestId('dossier-page').getAttribute('data-dossier-id');
  for (const t of ['comment_summary', 'meeting_minutes', 'submission_letter', 'debt_confirmation', 'security_confirmation']) await upload(page, t);
  // Not yet: the satisfaction rate and the two declarations are missing, and the reason says so.
  await shows(page.getByTestId('reason-submit'), 'Tỷ lệ người dân hài lòng');
  const form = page.getByTestId('declarations-form');
  await form.getByLabel('Tỷ lệ người dân hài lòng (%)').fill('96,5'); // typed the Vietnamese way
  await form.getByRole('group', { name: 'Không còn nợ đọng xây dựng cơ bản' }).getByLabel('Có', { exact: true }).check();
  await form.getByRole('group', { name: 'Tình hình an ninh, trật tự bảo đảm' }).getByLabel('Có', { exact: true }).check();
  await form.getByRole('button', { name: 'Lưu kê khai' }).click();
  await shows(form, 'Đã lưu kê khai.');
  await page.getByTestId('reason-submit').waitFor({ state: 'detached', timeout: 15_000 });
  await confirm(page, 'Trình hồ sơ', 'submit', (m) => m.getByLabel('Ý kiến, ghi chú kèm theo').fill('Tờ trình số 12/TTr-UBND.'));
  await shows(page.getByTestId('dossier-state'), 'Hội đồng thẩm định tỉnh thẩm định');
  expect(errors).toEqual([]);
  await xa.close();

  // The province office appraises, publishes the result, and records the chairman's decision.
  const tinh = await newContext(app.browser, app.server.url);
  const p2 = await tinh.newPage();
  const errors2 = watchPageErrors(p2);
  await loginAs(p2, 'tinh.ninhbinh');
  await p2.goto(`/dossiers/${id}`);
  await p2.getByTestId('dossier-page').waitFor();
  await upload(p2, 'appraisal_report');
  await confirm(p2, 'Đạt, chuyển bước tiếp', 'approve');
  await shows(p2.getByTestId('dossier-state'), 'Công khai kết quả thẩm định');
  await confirm(p2, 'Kết thúc lấy ý kiến', 'close_consultation');
  await shows(p2.getByTestId('dossier-state'), 'Chủ tịch UBND tỉnh quyết định công nhận');
  await upload(p2, 'decision');
  await confirm(p2, 'Ban hành quyết định', 'decide', async (m) => {
    await m.getByLabel('Số quyết định').fill('2468/QĐ-UBND');
    await m.getByLabel('Người ký').fill('Chủ tịch UBND tỉnh Ninh Bình');
  });
  await shows(p2.getByTestId('dossier-state'), 'Đã công nhận');
  await shows(p2.getByTestId('dossier-recognition'), '2468/QĐ-UBND');
  await shot(p2, 'dossier-recognised', true);
  expect(await p2.getByTestId('dossier-timeline').locator('li').count()).toBe(7);
  expect(errors2).toEqual([]);
  await tinh.close();

  // Anyone: the transparency portal lists Bình Lục with its decision.
  const anon = await newContext(app.browser, app.server.url);
  const pub = await anon.newPage();
  await pub.goto('/cong-khai');
  await shows(pub.getByTestId('public-recognitions').locator('tr', { hasText: 'Xã Bình Lục' }), '2468/QĐ-UBND');
  // A commune of the post-merger list is recognised: the portal draws the Ninh Bình map.
  await pub.locator('[data-testid="public-map"][data-mode="map"] canvas, [data-testid="public-map"][data-mode="map"] svg').first().waitFor({ timeout: 15_000 });
  await shot(pub, 'dossier-public-map', true);
  await anon.close();
}, 180_000);

it('(e) not a demo database: the public pages work for an anonymous visitor, without sign-in', async () => {
  const real = await startDemoServer({
    seed: async (db) => {
      await migrateToLatest(db);
      await seedDemoData(db, SYSTEM_ACTOR);
      // Same data, but the server no longer treats anonymous callers as demo viewers.
      await db.kysely.deleteFrom('app_meta').where('key', '=', 'demo_seeded_at').execute();
    },
  });
  try {
    const ctx = await newContext(app.browser, real.url);
    const page = await ctx.newPage();
    const errors = watchPageErrors(page);
    const calls = apiCalls(page);
    // Signed-in-only reads are refused to anonymous callers here.
    expect((await page.request.get('/api/v1/dossiers')).status()).toBe(401);
    await page.goto('/cong-khai');
    await shows(page.getByTestId('public-recognitions').locator('tr', { hasText: 'Xã Tràng An' }), '3456/QĐ-UBND');
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
    await page.getByTestId('public-consultations').getByRole('link', { name: /Xem và góp ý.*Xã Bình Lục/ }).click();
    await page.getByTestId('comment-form').waitFor();
    await shows(page.getByTestId('consultation-criteria'), 'Quy hoạch');
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toMatch(/^\/cong-khai\/ho-so\/\d+$/);
    const notPublic = calls.filter((c) => !/ \/api\/v1\/(public\/|health$)/.test(c));
    expect(notPublic).toEqual([]);
    await shot(page, 'dossier-public-not-demo', true);
    // In English too (the choice is kept): the form and the consent notices from the server.
    await page.getByRole('button', { name: 'EN English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Send your comment' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    expect(await page.getByTestId('consents').getByRole('checkbox').count()).toBe(2);
    expect(errors).toEqual([]);
    await ctx.close();

    // A phone (360 px): the portal and the form fit.
    const phone = await newContext(app.browser, real.url, { width: 360, height: 740 });
    const small = await phone.newPage();
    await small.goto('/cong-khai');
    await small.getByTestId('public-recognitions').waitFor();
    await small.getByTestId('public-consultations').getByRole('link', { name: /Xem và góp ý/ }).click();
    await small.getByTestId('comment-form').waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(small, 'dossier-public-consultation-360', true);
    await phone.close();
  } finally {
    await real.close();
  }
}, 180_000);
