import { readFileSync } from 'node:fs';
import { readXlsx } from './src/files/imports/xlsx-reader.ts';
const buf = readFileSync(process.argv[2]!);
const t = performance.now();
let rows = 0, cells = 0;
for await (const e of readXlsx(async function* () { for (let i = 0; i < buf.length; i += 65536) yield buf.subarray(i, i + 65536); })) if (e.kind === 'row') { rows++; cells += e.cells.length; }
console.log({ rows, cells, ms: performance.now() - t, rss: process.memoryUsage().rss / 1e6 });
