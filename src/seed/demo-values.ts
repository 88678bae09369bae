/**
 * Giá trị minh họa — deterministic indicator values for the demo data: for an indicator and the
 * target that applies to a commune, a plausible value that meets it (or one that does not).
 * Pure; the seed checks every generated review with the real engine.
 */
import type { Indicator, IndicatorValue } from '../domain/criteria.ts';
import type { ResolvedTarget } from '../domain/targets.ts';
import { isCountIndicator } from '../domain/value-validation.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same demo data everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of a string (to seed per commune). */
export function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function numberFor(op: string, t: number, met: boolean, r: number, cap: number | null): number {
  if (op === '>=') {
    if (met) return cap !== null ? round1(Math.min(cap, t + r * (cap - t))) : round1(t * (1 + r * 0.25));
    return round1(Math.max(0, t - 0.5 - r * Math.max(1, t * 0.12)));
  }
  if (op === '<=') {
    if (met) return round1(Math.max(0, t - r * t * 0.5));
    return round1(t + 0.5 + r * Math.max(1, t * 0.3));
  }
  return met ? t : t + 1;
}

/**
 * A value for `indicator` that meets (`met`) or misses the resolved target. Returns null when the
 * target is unknown (the indicator stays "not evaluable", as it should).
 */
export function demoValue(indicator: Indicator, target: ResolvedTarget, met: boolean, r: number): IndicatorValue {
  const t = target.value;
  if (t === null) return null;
  switch (indicator.kind) {
    case 'compound':
      // Its conditions are values of their own; the demo sets have none.
      return null;
    case 'boolean':
      return met ? t === true : t !== true;
    case 'none_count':
      return met ? 0 : 1 + Math.floor(r * 3);
    case 'percent':
      return numberFor(target.op, Number(t), met, r, 100);
    case 'number': {
      const v = numberFor(target.op, Number(t), met, r, null);
      if (!isCountIndicator(indicator)) return v;
      // Counted things are whole: rounded towards the side of the target wanted.
      const up = (target.op === '>=') === met;
      return Math.max(0, up ? Math.ceil(v) : Math.floor(v));
    }
    case 'ratio': {
      const denominator = 40 + Math.floor(r * 160);
      const pct = numberFor(target.op, Number(t), met, r, 100);
      // Round towards the side of the target we want, so rounding never flips the verdict.
      const exact = (pct / 100) * denominator;
      const up = (target.op === '>=') === met;
      const numerator = Math.max(0, Math.min(denominator, up ? Math.ceil(exact) : Math.floor(exact)));
      return { numerator, denominator };
    }
    case 'grade': {
      const scale = indicator.scale ?? [];
      const idx = scale.indexOf(String(t));
      if (idx < 0 || scale.length === 0) return null;
      if (target.op === '>=') {
        if (met) return scale[idx + Math.floor(r * (scale.length - idx))]!;
        return idx > 0 ? scale[Math.floor(r * idx)]! : scale[idx]!;
      }
      if (target.op === '<=') {
        if (met) return scale[Math.floor(r * (idx + 1))]!;
        return idx < scale.length - 1 ? scale[idx + 1]! : scale[idx]!;
      }
      return met ? scale[idx]! : scale[(idx + 1) % scale.length]!;
    }
  }
}
