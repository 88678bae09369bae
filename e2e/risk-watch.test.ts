/**
 * The risk watch on a 360 px phone: the province office's inbox on 30/6/2025 lists Hà Nam's
 * recognised commune near revocation and the slipped indicators; the meeting page of 20/3/2023
 * shows its communes' risk watch (Tràng An not likely ready by the 30/9/2023 deadline). Nothing wider than the screen. Screenshots in artifacts/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { demoAppForFile, loginAs, newContext, shot, shows, sidewaysOverflow, watchPageErrors } from '../src/test-support/browser.ts';

const app = demoAppForFile();
const PHONE = { width: 360, height: 740 };

describe('risk watch on a phone', () => {
  it("the province office's inbox lists the risks without sideways scrolling", async () => {
    const ctx = await newContext(app.browser, app.server.url, PHONE);
    const page = await ctx.newPage();
    const errors = watchPageErrors(page);
    try {
      await loginAs(page, 'tinh.ninhbinh');
      await page.goto('/inbox?date=2025-06-30');
      const watch = page.getByTestId('risk-watch').first();
      await shows(watch, 'Nguy cơ thu hồi');
      await shows(watch, 'Đã đạt nay tụt');
      await watch.locator('li[data-kind="slipped"] details summary').first().click();
      expect((await sidewaysOverflow(page)).culprits).toEqual([]);
      await shot(page, 'phone-inbox-risks', true);
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  it('the meeting page shows the risk watch of its communes', async () => {
    const ctx = await newContext(app.browser, app.server.url, PHONE);
    const page = await ctx.newPage();
    try {
      await loginAs(page, 'tinh.ninhbinh');
      const res = await page.request.get('/api/v1/meetings?unitId=13510%402025-03');
      const items = ((await res.json()) as { items: Array<{ id: number }> }).items;
      await page.goto(`/meetings/${items[0]!.id}`);
      await shows(page.getByTestId('risk-watch').first(), 'Nguy cơ trễ hạn');
      expect((await sidewaysOverflow(page)).culprits).toEqual([]);
      await page.getByTestId('risk-watch').first().scrollIntoViewIfNeeded();
      await shot(page, 'phone-meeting-risks');
    } finally {
      await ctx.close();
    }
  }, 60_000);
});
