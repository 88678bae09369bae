import { writeFileSync } from 'node:fs';
import { launchChromium, newContext, loginAs, startDemoServer } from './src/test-support/browser.ts';
import { getUnitSummary } from './src/services/summary.service.ts';
import { exportReport } from './src/services/report.service.ts';

const OUT = '/work/notes/shots';
const server = await startDemoServer();
try {
  for (const [id, date] of [['35@2025-03', '2025-06-30'], ['37@2025-07', '2025-12-31'], ['37@2025-07', '2026-02-01']] as const) {
    const s = await getUnitSummary(server.db, id, date);
    console.log(`\n== ${s.unit.fullName} ${date}`);
    for (const f of s.figures) console.log(`${f.label.vi}: ${f.value}${f.of ? ` / ${f.of.count} ${f.of.label.vi}` : ''}${f.share !== null ? ` (${f.share}%)` : ''}${f.note ? ` — ${f.note.vi}` : ''}`);
    const blocked = s.communes.filter((c) => c.meetsStandard && !c.level);
    console.log('blocked:', blocked.slice(0, 3).map((c) => `${c.name}: ${c.levelReason?.vi}`));
    const cov = s.communes.filter((c) => c.coverage).slice(0, 2).map((c) => `${c.name}: ${c.coverage!.vi}`);
    console.log('coverage:', cov);
    const doc = await exportReport(server.db, { kind: 'summary', unitIds: [id], date }, 'docx');
    writeFileSync(`${OUT}/i14-summary-${id.replace('@', '-')}-${date}.docx`, doc.body);
    const xl = await exportReport(server.db, { kind: 'summary', unitIds: [id], date }, 'xlsx');
    writeFileSync(`${OUT}/i14-summary-${id.replace('@', '-')}-${date}.xlsx`, xl.body);
  }
  const browser = await launchChromium();
  for (const width of [1366, 360]) {
    const ctx = await newContext(browser, server.url, { width, height: width === 360 ? 740 : 900 });
    const page = await ctx.newPage();
    await loginAs(page, 'tinh.ninhbinh');
    for (const [name, path] of [
      ['overview-hanam-2025-06-30', '/units/35@2025-03?date=2025-06-30'],
      ['overview-ninhbinh-2025-12-31', '/units/37@2025-07?date=2025-12-31'],
      ['commune-binhluc-2025-12-31', '/units/13504@2025-07?date=2025-12-31'],
      ['commune-binhluc-2026-02-01', '/units/13504@2025-07?date=2026-02-01'],
    ] as const) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${OUT}/i14-${name}-${width}.png`, fullPage: width === 1366 ? false : false });
      // The matrix rows with a reason under the level.
      if (name.startsWith('overview')) {
        const m = page.locator('table.matrix, .matrix').first();
        if (await m.count()) {
          await m.scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${OUT}/i14-${name}-matrix-${width}.png` });
        }
        const cards = await page.locator('.cards').first().innerText().catch(() => '');
        console.log(`\n[${width}] ${name} cards:\n${cards}`);
        const ow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        console.log(`overflow ${ow}px`);
      } else {
        console.log(`\n[${width}] ${name}:`, await page.getByTestId('commune-summary').innerText().catch(() => ''));
      }
    }
    await ctx.close();
  }
  await browser.close();
} finally {
  await server.close();
}
