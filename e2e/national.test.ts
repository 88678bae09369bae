/**
 * The country page (issue 16): the central office's demo account `trunguong` lands on /ca-nuoc
 * and sees the counts with their denominator, the 34-province map, the ranked provinces and the
 * trend; an earlier date shows the 63 provinces and says so; a province opens its overview. At
 * 1366 and 360 px, without sideways scrolling; screenshots in artifacts/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { demoAppForFile, loginAs, newContext, shot, sidewaysOverflow, watchPageErrors } from '../src/test-support/browser.ts';

const app = demoAppForFile();

describe('the country page (trunguong)', () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 360, height: 740 }],
  ] as const) {
    it(`${name} ${viewport.width} px: lands on the country, 34 then 63 provinces, a province opens`, async () => {
      const ctx = await newContext(app.browser, app.server.url, viewport);
      try {
        const page = await ctx.newPage();
        const errors = watchPageErrors(page);
        await loginAs(page, 'trunguong');
        // Signed in (through the form or the API): the home page sends the central office to the country.
        if (new URL(page.url()).pathname === '/login') await page.goto('/');
        await page.waitForURL((u) => u.pathname === '/ca-nuoc', { timeout: 20_000 }).catch(async (e: unknown) => {
          await shot(page, `national-${name}-landing-failed`);
          throw new Error(`landed on ${page.url()}: ${String(e)}`);
        });
        const national = page.getByTestId('national-page');
        await national.waitFor({ timeout: 30_000 });
        expect(await national.getAttribute('data-provinces')).toBe('34');
        expect(await page.getByTestId('province-table').locator('tbody tr').count()).toBe(34);
        const denominator = (await page.getByTestId('card-denominator').innerText()).replace(/\s+/g, ' ');
        expect(denominator).toMatch(/2\.621/);
        const map = page.getByTestId('national-map');
        await map.scrollIntoViewIfNeeded();
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="national-map"]')?.getAttribute('data-provinces')) === 34, undefined, { timeout: 30_000 });
        await page.getByTestId('national-trend').scrollIntoViewIfNeeded();
        await page.getByTestId('national-trend').waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        await page.evaluate(() => window.scrollTo(0, 0));
        const o = await sidewaysOverflow(page);
        await shot(page, `national-${name}`, true);
        expect(o.culprits, o.culprits.join('; ')).toEqual([]);
        expect(o.scrollWidth).toBeLessThanOrEqual(viewport.width);

        // Before 1/7/2025: the 63 provinces of the list then in force, and the page says so.
        await page.goto('/ca-nuoc?date=2024-12-31');
        await page.getByTestId('list-note').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('national-page').getAttribute('data-provinces')).toBe('63');
        expect(await page.getByTestId('list-note').innerText()).toContain('63');
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="national-map"]')?.getAttribute('data-provinces')) === 63, undefined, { timeout: 30_000 });
        const old = await sidewaysOverflow(page);
        await shot(page, `national-${name}-2024`, true);
        expect(old.culprits, old.culprits.join('; ')).toEqual([]);

        // Click through to a province: Hà Nam's overview on that date.
        await page.getByTestId('province-table').getByRole('link', { name: 'Tỉnh Hà Nam' }).click();
        await page.waitForURL((u) => u.pathname.startsWith('/units/35@2025-03'), { timeout: 20_000 });
        await page.getByTestId('overview-page').waitFor({ timeout: 30_000 });
        expect(errors).toEqual([]);
      } finally {
        await ctx.close();
      }
    }, 180_000);
  }
});
