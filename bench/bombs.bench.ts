/**
 * Spreadsheet bombs (issue 17): `datchuan serve` in its own process, sent the three bombs of the
 * issue (one 1.26 GB shared string, 60 million shared strings, 40 million rows; 1.2–2.6 MB each)
 * and their lying-header variants. For each: the time to the 413 and the server's RSS growth (peak,
 * sampled every 10 ms, over the RSS before it). Then the health route's p99 under autocannon, idle
 * and while bombs are refused back to back, and their ratio; and, for reference, a national-size
 * workbook (10,000 communes × 100 indicators) read through in a dry run. Targets: each bomb
 * refused within 2 s, RSS growth < 100 MB, health p99 < 100 ms while refusing.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { createAuthContext } from '../src/services/auth.service.ts';
import { createToken } from '../src/services/token.service.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { defaultSecurityConfig } from '../src/config.ts';
import { DEMO_SET_ID } from '../src/seed/demo.ts';
import { bomb, nationalSheet, sheetOf, type BombName } from '../src/test-support/xlsx-bombs.ts';
import { startServer } from './api.bench.ts';

const PORT = 3907;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface BombResult {
  bomb: string;
  fileBytes: number;
  status: number;
  limit: string | null;
  /** Median and worst of the runs, ms. */
  msMedian: number;
  msMax: number;
  /** Peak RSS growth over the RSS before the request, MB (worst run). */
  rssGrowthMb: number;
}

export interface BombsBench {
  bombs: BombResult[];
  health: { idleP99: number; refusingP99: number; ratio: number; refusingErrors: number; bombsDuringLoad: number };
  national: { ms: number; rows: number; rssGrowthMb: number; status: number };
  serverRssMb: { start: number; end: number };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Run `fn` while sampling the server's RSS; the peak growth over the RSS before. */
async function sampled<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; ms: number; growthMb: number }> {
  const before = rssMb(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 10);
  const t = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - t;
    peak = Math.max(peak, rssMb(pid));
    return { value, ms, growthMb: peak - before };
  } finally {
    clearInterval(timer);
  }
}

export async function runBombsBench(log: (s: string) => void): Promise<BombsBench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-bombs-'));
  const url = `sqlite:${path.join(dir, 'bombs.sqlite')}`;
  const db = openDatabase(url);
  await migrateToLatest(db);
  const { token } = await createToken(createAuthContext(db, defaultSecurityConfig()), SYSTEM_ACTOR, { name: `bombs-${Date.now().toString(36)}`, actions: ['data.import'], unitIds: null });
  await db.close();
  const headers = { authorization: `Bearer ${token}`, 'content-type': XLSX };
  const server = await startServer(url, PORT);
  const pid = server.pid!;
  const post = async (buf: Buffer, query = `dryRun=false&setId=${DEMO_SET_ID}`) => {
    const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/imports/xlsx?${query}`, { method: 'POST', headers, body: new Uint8Array(buf) });
    return { status: r.status, body: (await r.json()) as { error?: { details?: { limit?: string } }; counts?: { rows: number } } };
  };
  try {
    // Warm-up: the parse worker's code is bundled once per process.
    await post(sheetOf([['Mã xã', '1.1'], ['10001', 'Đạt']]), `dryRun=true&setId=${DEMO_SET_ID}&date=2025-10-15`);
    const start = rssMb(pid);
    const files: Array<[string, Buffer]> = (['huge-string', 'many-strings', 'many-rows'] as BombName[]).flatMap((n) => [
      [n, bomb(n)] as [string, Buffer],
      [`${n} (lying header)`, bomb(n, true)] as [string, Buffer],
    ]);
    log('Spreadsheet bombs (server in its own process, SQLite):');
    const bombs: BombResult[] = [];
    for (const [name, file] of files) {
      const runs: Array<{ ms: number; growthMb: number; status: number; limit: string | null }> = [];
      for (let i = 0; i < 3; i++) {
        const r = await sampled(pid, () => post(file));
        runs.push({ ms: r.ms, growthMb: r.growthMb, status: r.value.status, limit: r.value.body.error?.details?.limit ?? null });
      }
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      const res: BombResult = {
        bomb: name,
        fileBytes: file.length,
        status: runs[0]!.status,
        limit: runs[0]!.limit,
        msMedian: Math.round(ms[1]!),
        msMax: Math.round(ms[2]!),
        rssGrowthMb: Math.round(Math.max(...runs.map((r) => r.growthMb)) * 10) / 10,
      };
      log(`  ${name.padEnd(30)} ${(file.length / 1048576).toFixed(1)} MB → ${res.status} ${res.limit ?? ''}  ${res.msMedian} ms (max ${res.msMax})  RSS +${res.rssGrowthMb} MB`);
      bombs.push(res);
    }
    const health = `http://127.0.0.1:${PORT}/api/v1/health`;
    await autocannon({ url: health, connections: 2, duration: 1 });
    const idle = await autocannon({ url: health, connections: 2, duration: 5 });
    let sent = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await post(files[sent % files.length]![1]);
        sent++;
      }
    })();
    const busy = await autocannon({ url: health, connections: 2, duration: 5 });
    stop = true;
    await loop;
    const h = { idleP99: idle.latency.p99, refusingP99: busy.latency.p99, ratio: Math.round((busy.latency.p99 / Math.max(1, idle.latency.p99)) * 100) / 100, refusingErrors: busy.errors + busy.non2xx, bombsDuringLoad: sent };
    log(`  health p99: idle ${h.idleP99} ms, while refusing ${sent} bombs ${h.refusingP99} ms (ratio ${h.ratio}×), errors ${h.refusingErrors}`);
    const nat = nationalSheet();
    const n = await sampled(pid, () => post(nat, `dryRun=true&setId=${DEMO_SET_ID}&date=2025-10-15`));
    const national = { ms: Math.round(n.ms), rows: n.value.body.counts?.rows ?? 0, rssGrowthMb: Math.round(n.growthMb * 10) / 10, status: n.value.status };
    log(`  national-size workbook (${(nat.length / 1048576).toFixed(1)} MB, 10,000 × 100) dry run: ${national.status}, ${national.rows} rows in ${national.ms} ms, RSS +${national.rssGrowthMb} MB`);
    return { bombs, health: h, national, serverRssMb: { start: Math.round(start), end: Math.round(rssMb(pid)) } };
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
