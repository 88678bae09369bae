/**
 * Reports and imports benchmark (issue 8), on a fresh SQLite database with the real unit lists:
 * - province: a template for every commune-level unit of Ninh Bình after the merger (~130),
 *   filled with deterministic demo values, imported (dry run + commit) — target ≤ 3 s;
 * - national: a template for the 10,035 commune-level units of the list before 7/2025 × 75
 *   indicators, filled, imported (dry run + commit) — target ≤ 60 s, peak memory ≤ 600 MB;
 * - the national commune × criterion matrix exported to .xlsx — target ≤ 30 s;
 * plus the province's matrix, summary (xlsx, docx) and a commune's Word report.
 * Imports and the national export run in their own process, so that peak memory (maxRSS) is
 * theirs alone; wall time and CPU time are both reported (wall time grows on a busy machine).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { importUnits } from '../src/services/unit-import.service.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { demoValue, hashSeed, prng } from '../src/seed/demo-values.ts';
import { DEMO_SET_ID } from '../src/seed/demo.ts';
import { writeTemplateFor } from '../src/services/import-template.service.ts';
import { exportReport } from '../src/services/report.service.ts';
import type { IndicatorValue } from '../src/domain/criteria.ts';
import type { TemplateUnit } from '../src/files/imports/template.ts';
import type { CriteriaSet } from '../src/catalog/catalog.ts';

export const PROVINCE = '37@2025-07';
export const PROVINCE_DATE = '2025-10-15';
export const NATIONAL_DATE = '2024-12-31';

export interface ChildResult {
  op: string;
  checkMs?: number;
  commitMs?: number;
  totalMs?: number;
  ms?: number;
  rows?: number;
  created?: number;
  errors?: number;
  bytes?: number;
  cpuMs: number;
  maxRssMB: number;
}

export interface ReportsBenchResult {
  loadAverage: number[];
  cpus: number;
  province: { communes: number; templateMs: number; fileBytes: number; import: ChildResult; matrixMs: number; summaryXlsxMs: number; summaryDocxMs: number; selfAssessmentMs: number };
  national: { communes: number; indicators: number; templateMs: number; fileBytes: number; import: ChildResult; exportMatrix: ChildResult };
  targets: { provinceImportMs: number; nationalImportMs: number; nationalImportRssMB: number; nationalExportMs: number };
  met: { provinceImport: boolean; nationalImport: boolean; nationalMemory: boolean; nationalExport: boolean };
}

/** Deterministic values: about 85 % of indicators met, as in the demo data. */
function values(u: TemplateUnit, set: CriteriaSet): Record<string, IndicatorValue> {
  const rnd = prng(hashSeed(u.id));
  const out: Record<string, IndicatorValue> = {};
  for (const c of set.criteria) for (const i of c.indicators) out[i.code] = demoValue(i, u.targets.get(i.code)!, rnd() < 0.85, rnd());
  return out;
}

async function template(db: Db, unitIds: string[], date: string, file: string): Promise<{ ms: number; communes: number; bytes: number }> {
  const t = performance.now();
  const stream = createWriteStream(file);
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const r = await writeTemplateFor(db, { setId: DEMO_SET_ID, unitIds, date, includeUrban: true }, stream, { values });
  await finished;
  return { ms: Math.round(performance.now() - t), communes: r.communes, bytes: statSync(file).size };
}

function child(args: string[]): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('bench/reports-child.ts'), ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench child ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return Math.round(performance.now() - t);
}

export async function runReportsBench(log: (s: string) => void): Promise<ReportsBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-reports-bench-'));
  const url = `sqlite:${path.join(dir, 'bench.sqlite')}`;
  try {
    const db = openDatabase(url);
    await migrateToLatest(db);
    log('Reports: importing the unit lists…');
    await importUnits(db, SYSTEM_ACTOR, { dir: path.resolve('assets/units') });

    // Province.
    const pFile = path.join(dir, 'province.xlsx');
    const pt = await template(db, [PROVINCE], PROVINCE_DATE, pFile);
    await db.close();
    const pImport = child(['import', url, pFile]);
    log(`  province: ${pt.communes} communes, template ${pt.ms} ms (${(pt.bytes / 1024).toFixed(0)} KB); import check ${pImport.checkMs} ms + commit ${pImport.commitMs} ms = ${pImport.totalMs} ms (CPU ${pImport.cpuMs} ms, peak ${pImport.maxRssMB} MB)`);
    const db2 = openDatabase(url);
    const matrixMs = await timed(() => exportReport(db2, { kind: 'matrix', unitIds: [PROVINCE], date: PROVINCE_DATE }, 'xlsx'));
    const summaryXlsxMs = await timed(() => exportReport(db2, { kind: 'summary', unitIds: [PROVINCE], date: PROVINCE_DATE }, 'xlsx'));
    const summaryDocxMs = await timed(() => exportReport(db2, { kind: 'summary', unitIds: [PROVINCE], date: PROVINCE_DATE }, 'docx'));
    const commune = (await db2.kysely.selectFrom('review').select('unit_id').where('reviewed_on', '=', PROVINCE_DATE).limit(1).executeTakeFirstOrThrow()).unit_id;
    const selfAssessmentMs = await timed(() => exportReport(db2, { kind: 'self-assessment', unitIds: [commune], date: PROVINCE_DATE }, 'docx'));
    log(`  province reports: matrix ${matrixMs} ms, summary xlsx ${summaryXlsxMs} ms, summary docx ${summaryDocxMs} ms, self-assessment docx ${selfAssessmentMs} ms`);

    // National.
    log('Reports: national template (10,035 communes × 75 indicators)…');
    const nFile = path.join(dir, 'national.xlsx');
    const nt = await template(db2, ['all'], NATIONAL_DATE, nFile);
    await db2.close();
    log(`  national template: ${nt.communes} communes, ${nt.ms} ms, ${(nt.bytes / 1024 / 1024).toFixed(1)} MB`);
    const nImport = child(['import', url, nFile]);
    log(`  national import: check ${nImport.checkMs} ms + commit ${nImport.commitMs} ms = ${nImport.totalMs} ms (CPU ${nImport.cpuMs} ms), ${nImport.created} reviews, peak ${nImport.maxRssMB} MB`);
    const nExport = child(['export-matrix', url, path.join(dir, 'national-matrix.xlsx'), NATIONAL_DATE, 'all']);
    log(`  national matrix export: ${nExport.rows} communes, ${nExport.ms} ms (CPU ${nExport.cpuMs} ms), ${((nExport.bytes ?? 0) / 1024 / 1024).toFixed(1)} MB, peak ${nExport.maxRssMB} MB`);

    const targets = { provinceImportMs: 3000, nationalImportMs: 60_000, nationalImportRssMB: 600, nationalExportMs: 30_000 };
    const result: ReportsBenchResult = {
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      cpus: os.cpus().length,
      province: { communes: pt.communes, templateMs: pt.ms, fileBytes: pt.bytes, import: pImport, matrixMs, summaryXlsxMs, summaryDocxMs, selfAssessmentMs },
      national: { communes: nt.communes, indicators: 75, templateMs: nt.ms, fileBytes: nt.bytes, import: nImport, exportMatrix: nExport },
      targets,
      met: {
        provinceImport: (pImport.totalMs ?? Infinity) <= targets.provinceImportMs,
        nationalImport: (nImport.totalMs ?? Infinity) <= targets.nationalImportMs,
        nationalMemory: nImport.maxRssMB <= targets.nationalImportRssMB,
        nationalExport: (nExport.ms ?? Infinity) <= targets.nationalExportMs,
      },
    };
    log(`  targets met: ${Object.entries(result.met).map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`).join(', ')} (load average ${result.loadAverage.join(' ')} on ${result.cpus} CPUs)`);
    mkdirSync('artifacts', { recursive: true });
    writeFileSync('artifacts/bench-reports.json', JSON.stringify(result, null, 2));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
