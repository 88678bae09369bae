/**
 * Lighthouse (performance category only) on pages of the running app, as a signed-in user: the
 * session cookie goes with every request (`extraHeaders`). Debian's Chromium, started by
 * chrome-launcher (never a browser that downloads itself), one fresh browser per run (cold cache).
 * Two presets: Lighthouse's desktop config, and its default (a mid-range phone: 4× CPU slowdown,
 * slow 4G, simulated). Median of `runs` per page and preset (by performance score, then each
 * metric's own median).
 */
import { launch } from 'chrome-launcher';
import lighthouse, { desktopConfig, type Config } from 'lighthouse';
import { CHROMIUM, CHROMIUM_ARGS } from '../src/test-support/browser.ts';

export type Preset = 'desktop' | 'mobile';

export interface LighthouseRun {
  /** Performance score, 0–100. */
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** What was the largest contentful paint (a selector), for reading the figures. */
  lcpElement: string | null;
}

export interface LighthouseFigures extends Omit<LighthouseRun, 'lcpElement'> {
  page: string;
  url: string;
  preset: Preset;
  runs: number;
  samples: LighthouseRun[];
  /** The targets of issue 16 for this preset, and whether the medians meet them. */
  targets: { minScore?: number; maxTbtMs: number; maxLcpMs?: number };
  met: boolean;
}

/** Issue 16: desktop score ≥ 90 and TBT ≤ 200 ms; phone LCP ≤ 4 s and TBT ≤ 600 ms. */
export const LIGHTHOUSE_TARGETS: Readonly<Record<Preset, LighthouseFigures['targets']>> = {
  desktop: { minScore: 90, maxTbtMs: 200 },
  mobile: { maxLcpMs: 4000, maxTbtMs: 600 },
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function lighthouseOnce(url: string, preset: Preset, cookie: string): Promise<LighthouseRun> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: [...CHROMIUM_ARGS.filter((a) => a !== '--headless'), '--headless=new'], logLevel: 'silent' });
  try {
    const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
    const r = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], extraHeaders: { Cookie: cookie } }, config);
    if (!r) throw new Error(`lighthouse: no result for ${url}`);
    const lhr = r.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const num = (id: string) => {
      const v = lhr.audits[id]?.numericValue;
      if (typeof v !== 'number') throw new Error(`lighthouse ${url}: no ${id}`);
      return v;
    };
    const lcpItems = (lhr.audits['largest-contentful-paint-element']?.details as { items?: Array<{ items?: Array<{ node?: { selector?: string } }> }> } | undefined)?.items;
    return {
      score: Math.round((lhr.categories.performance?.score ?? NaN) * 100),
      fcpMs: Math.round(num('first-contentful-paint')),
      lcpMs: Math.round(num('largest-contentful-paint')),
      tbtMs: Math.round(num('total-blocking-time')),
      cls: Math.round(num('cumulative-layout-shift') * 1000) / 1000,
      lcpElement: lcpItems?.[0]?.items?.[0]?.node?.selector ?? null,
    };
  } finally {
    chrome.kill();
  }
}

/** Lighthouse now and then fails to record a trace (NO_NAVSTART, NO_FCP on a busy machine): try again, twice. */
async function withRetry<T>(f: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i >= tries || !/NO_NAVSTART|NO_FCP|NO_LCP|PROTOCOL_TIMEOUT/.test(String(e))) throw e;
    }
  }
}

export async function lighthouseMedian(page: string, url: string, preset: Preset, cookie: string, runs = 3): Promise<LighthouseFigures> {
  const samples: LighthouseRun[] = [];
  for (let i = 0; i < runs; i++) samples.push(await withRetry(() => lighthouseOnce(url, preset, cookie)));
  const m = (k: 'score' | 'fcpMs' | 'lcpMs' | 'tbtMs' | 'cls') => median(samples.map((s) => s[k]));
  const fig = { score: m('score'), fcpMs: m('fcpMs'), lcpMs: m('lcpMs'), tbtMs: m('tbtMs'), cls: m('cls') };
  const targets = LIGHTHOUSE_TARGETS[preset];
  const met = (targets.minScore === undefined || fig.score >= targets.minScore) && fig.tbtMs <= targets.maxTbtMs && (targets.maxLcpMs === undefined || fig.lcpMs <= targets.maxLcpMs);
  return { page, url, preset, runs, ...fig, samples, targets, met };
}

/** One line per page and preset, for the bench's log. */
export function formatLighthouse(f: LighthouseFigures): string {
  const t = f.targets;
  const target = [t.minScore !== undefined ? `score ≥ ${t.minScore}` : null, t.maxLcpMs !== undefined ? `LCP ≤ ${t.maxLcpMs / 1000} s` : null, `TBT ≤ ${t.maxTbtMs} ms`].filter(Boolean).join(', ');
  return (
    `  ${f.page.padEnd(9)} ${f.preset.padEnd(8)} score ${String(f.score).padStart(3)}  FCP ${(f.fcpMs / 1000).toFixed(2)} s  LCP ${(f.lcpMs / 1000).toFixed(2)} s  ` +
    `TBT ${String(f.tbtMs).padStart(4)} ms  CLS ${f.cls.toFixed(3)}  (target ${target}: ${f.met ? 'met' : 'NOT met'}; scores ${f.samples.map((s) => s.score).join('/')})`
  );
}
