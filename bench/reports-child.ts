/**
 * One measured operation of the reports benchmark, in its own process so that its peak memory
 * (getrusage maxRSS) is its own: `import <dbUrl> <file.xlsx>` (dry run, then commit) or
 * `export-matrix <dbUrl> <out.xlsx> <date> <unit…|all>`. Prints one JSON line.
 */
import { createWriteStream, statSync } from 'node:fs';
import { openDatabase } from '../src/db/database.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { importWorkbook } from '../src/services/import.service.ts';
import { matrixReport, streamXlsxReport } from '../src/services/report.service.ts';

const [op, url, file, ...rest] = process.argv.slice(2);
const db = openDatabase(url!);
const cpu0 = process.cpuUsage();
const out: Record<string, unknown> = { op };
try {
  if (op === 'import') {
    let t = performance.now();
    const dry = await importWorkbook(db, SYSTEM_ACTOR, { path: file! }, { dryRun: true, status: 'submitted' });
    out.checkMs = Math.round(performance.now() - t);
    out.rows = dry.counts.rows;
    out.errors = dry.errors;
    t = performance.now();
    const done = await importWorkbook(db, SYSTEM_ACTOR, { path: file! }, { status: 'submitted' });
    out.commitMs = Math.round(performance.now() - t);
    out.created = done.counts.create;
    out.totalMs = (out.checkMs as number) + (out.commitMs as number);
  } else if (op === 'export-matrix') {
    const [date, ...units] = rest;
    const t = performance.now();
    const report = await matrixReport(db, units, date!);
    const stream = createWriteStream(file!);
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    await streamXlsxReport(report, stream);
    await finished;
    out.ms = Math.round(performance.now() - t);
    out.rows = report.blocks.reduce((n, b) => n + (b.type === 'table' ? b.table.rows.length : 0), 0);
    out.bytes = statSync(file!).size;
  } else throw new Error(`unknown op ${op}`);
} finally {
  await db.close();
}
const cpu = process.cpuUsage(cpu0);
out.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
out.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
