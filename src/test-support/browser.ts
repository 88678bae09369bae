/**
 * End-to-end support: build the web app when its sources are newer than web/dist, start the real
 * server (buildApp) on a temporary SQLite database with the demo data, drive the system's Chromium
 * (Debian package `chromium`) with playwright-core, save screenshots under artifacts/e2e/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import { seedDemoData } from '../seed/demo.ts';
import { DEMO_PASSWORD } from '../seed/demo-accounts.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { ensureWebBuilt, WEB_DIST } from '../cli/web-build.ts';

export { ensureWebBuilt };

export const CHROMIUM = process.env.DATCHUAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = path.resolve('artifacts/e2e');
export interface DemoServer {
  url: string;
  db: Db;
  app: App;
  close(): Promise<void>;
}

/** A migrated SQLite database with the demo data (units, reviews, recognitions, demo accounts). */
export async function openDemoDatabase(dir: string): Promise<Db> {
  const db = openDatabase(`sqlite:${path.join(dir, 'e2e.sqlite')}`);
  await migrateToLatest(db);
  await seedDemoData(db, SYSTEM_ACTOR);
  return db;
}

export async function startDemoServer(opts: { seed?: (db: Db) => Promise<void> } = {}): Promise<DemoServer> {
  ensureWebBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'datchuan-e2e-'));
  process.env.DATCHUAN_DATA_DIR = dir;
  let db: Db;
  if (opts.seed) {
    db = openDatabase(`sqlite:${path.join(dir, 'e2e.sqlite')}`);
    await opts.seed(db);
  } else {
    db = await openDemoDatabase(dir);
  }
  const app = await buildApp({ db, webDist: WEB_DIST, strictResponses: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    app,
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function newContext(browser: Browser, baseURL: string, viewport: { width: number; height: number } = { width: 1366, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', deviceScaleFactor: 1, hasTouch: viewport.width < 500, isMobile: false });
}

/** Save a screenshot as artifacts/e2e/<name>.png (the viewport, or the whole page). */
export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * Sign in as a demo account: through the login page when the app has one (a field labelled
 * "Tên đăng nhập"), else through the API with the page's own cookie jar. Demo password.
 */
export async function loginAs(page: Page, username: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  const user = page.getByLabel(/Tên đăng nhập|Username/);
  if (await user.first().isVisible({ timeout: 2000 }).catch(() => false)) {
    await user.first().fill(username);
    await page.getByLabel(/Mật khẩu|Password/).first().fill(password);
    await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).first().click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    return;
  }
  const res = await page.request.post('/api/v1/auth/login', { data: { username, password } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
}

/**
 * Errors a page logs while a test drives it (uncaught exceptions, console errors) — CSP
 * violations, React errors, failed requests — except answers the test expects (4xx by default).
 */
export function watchPageErrors(page: Page, expected: RegExp = /status of 40[0-9]/): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * The demo server and one Chromium for a test file, started before its tests and closed after:
 *   const app = demoAppForFile();  …  await newContext(app.browser, app.server.url)
 */
export function demoAppForFile(): { server: DemoServer; browser: Browser } {
  const app = {} as { server: DemoServer; browser: Browser };
  beforeAll(async () => {
    app.server = await startDemoServer();
    app.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** Wait until the locator shows this text (Playwright's own expect is not used with vitest). */
export async function shows(loc: Locator, text: string | RegExp): Promise<void> {
  await loc.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

/** Elements wider than the screen: what a reader would have to scroll sideways to see. */
export async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= w + 1) continue;
      // Inside a scroll container of its own (a wide table in an overflow-x box) is fine.
      let p = el.parentElement;
      let contained = false;
      while (p && p !== document.body) {
        const ox = getComputedStyle(p).overflowX;
        if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden') && p.getBoundingClientRect().right <= w + 1) {
          contained = true;
          break;
        }
        p = p.parentElement;
      }
      if (!contained) culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${String(el.className).split(' ')[0]} → ${Math.round(r.right)}px`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 5) };
  });
}
