#!/usr/bin/env node
/**
 * Bundle report from web/dist/.vite/manifest.json: gzip size of every chunk, and of the JS (and
 * CSS) each view needs — the entry with its static imports, plus a page chunk with its own.
 *   node web/scripts/bundle-size.mjs [--budget 250]
 * Exits 1 when the first view (entry + overview page) is over the budget (KB gzip).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const budgetArg = process.argv.indexOf('--budget');
const budget = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 250;

const gz = new Map();
function size(file) {
  if (!gz.has(file)) {
    const buf = readFileSync(path.join(dist, file));
    gz.set(file, { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
  }
  return gz.get(file);
}

/** Files a manifest entry needs before it runs: itself and its static imports, recursively. */
function closure(key, files = new Set(), css = new Set()) {
  const e = manifest[key];
  if (!e || files.has(e.file)) return { files, css };
  files.add(e.file);
  for (const c of e.css ?? []) css.add(c);
  for (const i of e.imports ?? []) closure(i, files, css);
  return { files, css };
}

function total(files) {
  return [...files].reduce((n, f) => n + size(f).gzip, 0);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const entry = closure(entryKey);

console.log('Chunks (gzip):');
for (const e of Object.values(manifest).sort((a, b) => size(b.file).gzip - size(a.file).gzip)) {
  console.log(`  ${kb(size(e.file).gzip).padStart(9)}  ${e.file}${e.isEntry ? '  (entry)' : e.isDynamicEntry ? '  (lazy)' : ''}`);
}

function view(label, pageKeys) {
  const files = new Set(entry.files);
  const css = new Set(entry.css);
  for (const k of pageKeys) closure(k, files, css);
  const js = total(files);
  const cssTotal = total(css);
  console.log(`${label}: JS ${kb(js)} gzip in ${files.size} files, CSS ${kb(cssTotal)} gzip`);
  return js;
}

console.log('\nViews (entry + page chunk, each with static imports):');
view('  shell only            ', []);
const first = view('  overview (first view)', ['src/pages/OverviewPage.tsx']);
view('  commune page          ', ['src/pages/CommunePage.tsx']);
const lazy = Object.keys(manifest).filter((k) => manifest[k].isDynamicEntry);
console.log('\nLoaded on demand:');
for (const k of lazy) {
  const { files } = closure(k);
  const own = [...files].filter((f) => !entry.files.has(f));
  console.log(`  ${k}: +${kb(total(new Set(own)))} (${own.map((f) => path.basename(f)).join(', ')})`);
}
if (first > budget * 1024) {
  console.error(`\nFirst view ${kb(first)} is over the ${budget} KB budget.`);
  process.exit(1);
}
