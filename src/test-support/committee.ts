/**
 * Test support for committees, meetings and tasks: a commune's submitted review in the demo set
 * with chosen indicators unmet, values generated like the demo seed.
 */
import type { Db } from '../db/database.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { IndicatorValue } from '../domain/criteria.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { demoValue, hashSeed, prng } from '../seed/demo-values.ts';
import { createReview, type ReviewDetail, type ValueInput } from '../services/review.service.ts';
import { getCommuneProfile } from '../services/unit.service.ts';

export const TEST_SET_ID = 'ha-nam-nang-cao-2021-2025-minh-hoa';

/**
 * `count` indicators spread over `criteria`: the first of each, then the second of each… (the
 * way the demo seed picks Tràng An's 11 unmet indicators over its 6 unmet criteria).
 */
export function spreadIndicators(criteria: readonly string[], count = criteria.length, setId = TEST_SET_ID): string[] {
  const set = getCatalog().get(setId);
  const pools = criteria.map((c) => set.criteria.find((x) => x.code === c)!.indicators.map((i) => i.code));
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    let added = false;
    for (const p of pools) {
      if (out.length < count && p[k]) {
        out.push(p[k]!);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}

/** A submitted review where exactly `unmetIndicators` are not met. */
export async function submittedReview(db: Db, unitId: string, date: string, unmetIndicators: readonly string[], setId = TEST_SET_ID): Promise<ReviewDetail> {
  const set = getCatalog().get(setId);
  const unmet = new Set(unmetIndicators);
  const profile = await getCommuneProfile(db.kysely, unitId, date);
  const ctx = targetContext(set, profile, Number(date.slice(0, 4)));
  const rnd = prng(hashSeed(`${unitId}|${date}`));
  const values: Record<string, ValueInput> = {};
  for (const c of set.criteria) {
    for (const i of c.indicators) values[i.code] = { value: demoValue(i, resolveTarget(i.target, ctx), !unmet.has(i.code), rnd()) as IndicatorValue };
  }
  return createReview(db, SYSTEM_ACTOR, { unitId, setId, reviewedOn: date, values, status: 'submitted' });
}
