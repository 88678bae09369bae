/** Số liệu bộ tiêu chí — counts per set: criteria, indicators, verified ones, targets still to set. */
import { INDICATOR_KINDS, indicatorsOf } from '../domain/criteria.ts';
import type { CriteriaSet, IndicatorKind, TargetValueSpec } from '../domain/criteria.ts';
import { countProvenance } from '../domain/provenance.ts';
import type { ProvenanceCounts } from '../domain/provenance.ts';

export interface SetCounts {
  criteria: number;
  indicators: number;
  verifiedIndicators: number;
  /** True only when the set has indicators and every one is verified. */
  verified: boolean;
  criticalCriteria: string[];
  /** Criteria with no indicators yet (to be entered by the province). */
  pendingCriteria: string[];
  /** Indicators with no threshold for any region, group or year: never evaluable in this set. */
  targetsUnset: number;
  byKind: Record<IndicatorKind, number>;
  /** Indicators per provenance level. */
  provenance: ProvenanceCounts;
}

/** Does a target have at least one concrete threshold somewhere? */
export function hasAnyThreshold(spec: TargetValueSpec): boolean {
  if (spec === null) return false;
  if (typeof spec !== 'object') return true;
  if ('byAttribute' in spec) return spec.byAttribute.bands.some((b) => hasAnyThreshold(b.value));
  const inner = 'byRegion' in spec ? spec.byRegion : 'byGroup' in spec ? spec.byGroup : spec.byYear;
  return Object.values(inner).some((v) => v !== undefined && hasAnyThreshold(v as TargetValueSpec));
}

export function countSet(set: CriteriaSet): SetCounts {
  const indicators = indicatorsOf(set);
  const verifiedIndicators = indicators.filter((i) => i.verified).length;
  const byKind = Object.fromEntries(INDICATOR_KINDS.map((k) => [k, 0])) as Record<IndicatorKind, number>;
  for (const i of indicators) byKind[i.kind]++;
  return {
    criteria: set.criteria.length,
    indicators: indicators.length,
    verifiedIndicators,
    verified: indicators.length > 0 && verifiedIndicators === indicators.length,
    criticalCriteria: set.criteria.filter((c) => c.critical).map((c) => c.code),
    pendingCriteria: set.criteria.filter((c) => c.indicators.length === 0).map((c) => c.code),
    targetsUnset: indicators.filter((i) => !hasAnyThreshold(i.target.value)).length,
    byKind,
    provenance: countProvenance(indicators),
  };
}
