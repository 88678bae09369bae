#!/usr/bin/env node
/**
 * Simplified map files for the web app, from the unsimplified boundaries in assets/geo (copies of
 * the programme's shared data; provenance in assets/SOURCES.md):
 *
 *   web/public/geo/communes-37@2025-07.topo.json  communes of Ninh Bình (id = commune code)
 *   web/public/geo/provinces-2025-07.topo.json     the 34 provinces from 1/7/2025 (id = province code)
 *   web/public/geo/provinces-2025-03.topo.json     the 63 provinces before (id = province code, via the CSV)
 *
 * Topology-preserving simplification (shared borders stay shared: no gaps, no overlaps), keeping
 * about a fixed number of vertices by Visvalingam weight, then quantised TopoJSON (one object
 * `units`, properties `name`). The map chunk turns it into GeoJSON with topojson-client.
 * Deterministic: the outputs are committed, and `--check` (run by web/src/geo.test.ts) fails when
 * they differ from what this script would write — rerun `node web/scripts/build-geo.mjs` then.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { topology } from 'topojson-server';
import { presimplify, simplify, quantile } from 'topojson-simplify';
import { feature, quantize } from 'topojson-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = (f) => path.join(root, 'assets/geo', f);
const outDir = path.join(root, 'web/public/geo');

/** Vertices kept (about), and quantisation (grid cells per side), per output. */
const OUTPUTS = [
  { file: 'communes-37@2025-07.topo.json', points: 6000, quantization: 2e4, load: () => fromGeoJson(src('ninh-binh-communes-from-2025-07.geojson')) },
  { file: 'provinces-2025-07.topo.json', points: 5000, quantization: 2e4, load: () => fromGeoJson(src('provinces-from-2025-07.geojson')) },
  { file: 'provinces-2025-03.topo.json', points: 7000, quantization: 2e4, load: () => fromOldTopo() },
];

function slim(f, id, name) {
  return { type: 'Feature', id, properties: { name }, geometry: f.geometry };
}

function fromGeoJson(file) {
  const fc = JSON.parse(readFileSync(file, 'utf8'));
  return { type: 'FeatureCollection', features: fc.features.map((f) => slim(f, String(f.id ?? f.properties.code), f.properties.fullName ?? f.properties.name)) };
}

function fromOldTopo() {
  const topo = JSON.parse(readFileSync(src('provinces-before-2025-07.topo.json'), 'utf8'));
  const rows = readFileSync(src('provinces-before-2025-07.topo-codes.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const byGid = new Map(rows.map((l) => l.split(',')).map(([gid, , , code, full]) => [Number(gid), { code, full }]));
  const name = Object.keys(topo.objects)[0];
  const fc = feature(topo, topo.objects[name]);
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => {
      const m = byGid.get(Number(f.properties.gid));
      if (!m) throw new Error(`no code for gid ${f.properties.gid}`);
      return slim(f, m.code, m.full);
    }),
  };
}

/** Round to 6 significant digits so the output does not depend on float printing quirks. */
function round(x) {
  return typeof x === 'number' ? Number(x.toPrecision(6)) : x;
}

export function buildOne(o) {
  const fc = o.load();
  let topo = presimplify(topology({ units: fc }));
  const total = topo.arcs.reduce((n, a) => n + a.length, 0);
  // quantile() ranks weights from the largest: quantile(t, p) keeps about the share p.
  topo = simplify(topo, quantile(topo, Math.min(1, o.points / total)));
  // Drop the per-point weights presimplify added, then quantise (integer deltas on a grid).
  topo.arcs = topo.arcs.map((arc) => arc.map((p) => [round(p[0]), round(p[1])]));
  topo.bbox = topo.bbox.map(round);
  const q = quantize(topo, o.quantization);
  q.transform = { scale: q.transform.scale.map((x) => Number(x.toPrecision(8))), translate: q.transform.translate.map(round) };
  return JSON.stringify(q);
}

export function buildAll() {
  return OUTPUTS.map((o) => ({ file: o.file, json: buildOne(o) }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  mkdirSync(outDir, { recursive: true });
  for (const { file, json } of buildAll()) {
    const target = path.join(outDir, file);
    if (check) {
      let current = '';
      try {
        current = readFileSync(target, 'utf8');
      } catch {
        /* missing */
      }
      if (current !== json) {
        console.error(`stale: web/public/geo/${file} — run node web/scripts/build-geo.mjs`);
        stale++;
      }
    } else {
      writeFileSync(target, json);
      console.log(`${file}: ${(json.length / 1024).toFixed(1)} KB`);
    }
  }
  process.exit(stale ? 1 : 0);
}
