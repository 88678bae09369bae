/**
 * Engine benchmark: 10,000 communes × the 75 indicators of the demo set, evaluated in one batch
 * (`evaluateBatch`), against a plain loop over the same values with the thresholds resolved
 * beforehand (the physical floor: read each value, compare, count). Deterministic values, mixed
 * regions and special statuses; warm-up, then the median of several runs. Also measures the full
 * verdict tree (`evaluateCommune`) that the server builds per review.
 *
 * Run: `npx tsx bench/engine.bench.ts` (or `npm run bench`, which calls runEngineBench).
 */
import { prng } from '../src/seed/demo-values.ts';
import { pathToFileURL } from 'node:url';
import { getCatalog } from '../src/catalog/catalog.ts';
import { REGION_CODES } from '../src/domain/criteria.ts';
import type { CommuneProfile, CriteriaSet, Indicator, IndicatorValue, IndicatorValues } from '../src/domain/criteria.ts';
import { compileSet, evaluateBatch, evaluateCommune } from '../src/domain/evaluation.ts';
import type { BatchEntry } from '../src/domain/evaluation.ts';
import type { ResolvedTarget } from '../src/domain/targets.ts';

export const BENCH_SET_ID = 'ha-nam-nang-cao-2021-2025-minh-hoa';
const AS_OF = '2024-06-30';

export interface EngineBenchResult {
  communes: number;
  indicators: number;
  evaluationsPerSecond: number;
  communesPerSecond: number;
  plainLoopEvaluationsPerSecond: number;
  ratioToPlainLoop: number;
  /** `evaluateCommune` with the full verdict tree and reasons, one commune at a time. */
  fullTreeCommunesPerSecond: number;
  runs: number;
}


/** A value near the target: met about 85% of the time, sometimes missing. */
function valueFor(ind: Indicator, t: ResolvedTarget, r: () => number): IndicatorValue {
  const x = r();
  if (x < 0.01) return null;
  const met = x < 0.86;
  const tv = t.value;
  switch (ind.kind) {
    case 'boolean':
      return met;
    case 'none_count':
      return met ? 0 : 1 + Math.floor(r() * 3);
    case 'grade': {
      const scale = ind.scale ?? [];
      const k = scale.indexOf(String(tv));
      return met ? scale[k + Math.floor(r() * (scale.length - k))]! : scale[Math.floor(r() * k)]!;
    }
    case 'ratio': {
      const d = 50 + Math.floor(r() * 150);
      const p = met ? Number(tv) + (100 - Number(tv)) * r() : Number(tv) * r();
      return { numerator: Math.min(d, Math.ceil((p * d) / 100)), denominator: d };
    }
    default: {
      const n = Number(tv);
      const hi = ind.kind === 'percent' ? 100 : n * 1.5 + 1;
      const up = (t.op === '>=') === met;
      return Math.round((up ? n + (hi - n) * r() : n * r()) * 10) / 10;
    }
  }
}

/** 10,000 communes (by default) with mixed regions, some đặc biệt khó khăn, and their values. */
export function makeCommunes(set: CriteriaSet, count: number, seed = 42): BatchEntry[] {
  const r = prng(seed);
  const entries: BatchEntry[] = [];
  for (let k = 0; k < count; k++) {
    const commune: CommuneProfile = {
      code: String(10000 + k),
      name: `Xã ${k}`,
      region: REGION_CODES[k % REGION_CODES.length]!,
      special: k % 17 === 0 ? 'dbkk' : null,
    };
    const compiled = compileSet(set, commune, AS_OF);
    const values: Record<string, IndicatorValue> = {};
    compiled.indicators.forEach((ind, i) => {
      values[ind.code] = valueFor(ind, compiled.targets[i]!, r);
    });
    entries.push({ commune, values, recognisedLevels: ['ntm'] });
  }
  return entries;
}

interface PlainPlan {
  codes: string[];
  kinds: Uint8Array;
  ops: Uint8Array;
  thresholds: Float64Array;
  ranks: Array<Map<string, number> | null>;
}

/** Thresholds resolved beforehand, per commune (shared per region context): outside the timing. */
function plainPlans(set: CriteriaSet, entries: readonly BatchEntry[]): PlainPlan[] {
  const byKey = new Map<string, PlainPlan>();
  return entries.map((e) => {
    const compiled = compileSet(set, e.commune, AS_OF);
    let plan = byKey.get(compiled.key);
    if (!plan) {
      const n = compiled.indicators.length;
      plan = { codes: compiled.indicators.map((i) => i.code), kinds: new Uint8Array(n), ops: new Uint8Array(n), thresholds: new Float64Array(n), ranks: [] };
      compiled.indicators.forEach((ind, i) => {
        const t = compiled.targets[i]!;
        plan!.kinds[i] = ind.kind === 'boolean' ? 0 : ind.kind === 'ratio' ? 2 : ind.kind === 'grade' ? 3 : 1;
        plan!.ops[i] = t.op === '<=' ? 1 : 0;
        const scale = ind.scale ?? [];
        plan!.thresholds[i] = ind.kind === 'grade' ? scale.indexOf(String(t.value)) : typeof t.value === 'number' ? t.value : 1;
        plan!.ranks.push(ind.kind === 'grade' ? new Map(scale.map((s, k) => [s, k])) : null);
      });
      byKey.set(compiled.key, plan);
    }
    return plan;
  });
}

/** The floor: read each value, compare with its pre-resolved threshold, count the met ones. */
function plainLoop(entries: readonly BatchEntry[], plans: readonly PlainPlan[], out: Int32Array): void {
  for (let k = 0; k < entries.length; k++) {
    const values: IndicatorValues = entries[k]!.values;
    const p = plans[k]!;
    let met = 0;
    for (let i = 0; i < p.codes.length; i++) {
      const v = values[p.codes[i]!];
      if (v === null || v === undefined) continue;
      const t = p.thresholds[i]!;
      switch (p.kinds[i]) {
        case 0:
          if (v === true) met++;
          break;
        case 1:
          if (p.ops[i] === 0 ? (v as number) >= t : (v as number) <= t) met++;
          break;
        case 2: {
          const q = v as { numerator: number; denominator: number };
          if (q.numerator * 100 >= t * q.denominator) met++;
          break;
        }
        default:
          if ((p.ranks[i]!.get(v as string) ?? -1) >= t) met++;
      }
    }
    out[k] = met;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

export async function runEngineBench(opts: { communes?: number; runs?: number } = {}): Promise<EngineBenchResult> {
  const communes = opts.communes ?? 10_000;
  const runs = opts.runs ?? 9;
  const set = getCatalog().get(BENCH_SET_ID);
  const entries = makeCommunes(set, communes);
  const indicators = set.criteria.reduce((n, c) => n + c.indicators.length, 0);
  const evaluations = communes * indicators;

  let sink = 0;
  const engineMs = time(() => {
    sink += evaluateBatch(set, AS_OF, entries).communes[communes - 1]!.totals.indicatorsMet;
  }, 3, runs);

  const plans = plainPlans(set, entries);
  const out = new Int32Array(communes);
  const plainMs = time(() => {
    plainLoop(entries, plans, out);
    sink += out[communes - 1]!;
  }, 3, runs);

  const treeCount = Math.min(communes, 2000);
  const treeMs = time(() => {
    for (let k = 0; k < treeCount; k++) {
      const e = entries[k]!;
      sink += evaluateCommune(set, e.commune, AS_OF, e.values, { recognisedLevels: ['ntm'] }).totals.indicatorsMet;
    }
  }, 1, Math.max(3, Math.floor(runs / 2)));

  if (sink === -1) console.log(sink); // keep the results alive
  const evaluationsPerSecond = evaluations / (engineMs / 1000);
  const plainLoopEvaluationsPerSecond = evaluations / (plainMs / 1000);
  return {
    communes,
    indicators,
    evaluationsPerSecond,
    communesPerSecond: communes / (engineMs / 1000),
    plainLoopEvaluationsPerSecond,
    ratioToPlainLoop: plainLoopEvaluationsPerSecond / evaluationsPerSecond,
    fullTreeCommunesPerSecond: treeCount / (treeMs / 1000),
    runs,
  };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runEngineBench();
  const rows: Array<[string, string]> = [
    ['communes × indicators', `${fmt(r.communes)} × ${r.indicators}`],
    ['engine (evaluateBatch)', `${fmt(r.evaluationsPerSecond)} evaluations/s, ${fmt(r.communesPerSecond)} communes/s`],
    ['plain loop (floor)', `${fmt(r.plainLoopEvaluationsPerSecond)} evaluations/s`],
    ['ratio engine / floor', `${r.ratioToPlainLoop.toFixed(2)}× slower (target ≤ 5×)`],
    ['full tree (evaluateCommune)', `${fmt(r.fullTreeCommunesPerSecond)} communes/s`],
    ['target ≥ 1,000,000 evaluations/s', r.evaluationsPerSecond >= 1_000_000 ? 'met' : 'MISSED'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
