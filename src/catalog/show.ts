/**
 * Xem bộ tiêu chí — a set with its targets resolved for a region, commune group and year: the
 * shape of `datchuan catalog show <setId> --json`. A target that depends on something not given
 * (or that the province has not set) has value null and a `basis` saying why.
 */
import { conditionKey } from '../domain/criteria.ts';
import type { CommuneGroup, CriteriaSet, IndicatorKind, Level, Phase, RegionCode, SpecialStatus, TargetLeaf, TargetOp } from '../domain/criteria.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import type { Provenance } from '../domain/provenance.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';

export interface ShownIndicator {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit: string | null;
  target: { op: TargetOp; value: TargetLeaf | null };
  basis: BilingualMessage;
  scale: readonly string[] | null;
  applicableIf: { flag: string } | null;
  verified: boolean;
  provenance: Provenance;
  /** Compound indicators: each condition (code = its values-map key) with its target for the context. */
  conditions: Array<{ code: string; name: string; kind: IndicatorKind; unit: string | null; target: { op: TargetOp; value: TargetLeaf | null }; basis: BilingualMessage }> | null;
}

export interface ShownSet {
  id: string;
  version: number;
  validFrom: string;
  validTo: string | null;
  name: string;
  phase: Phase;
  level: Level;
  basedOn: string | null;
  demo: boolean;
  context: { region: RegionCode | null; group: CommuneGroup | null; year: number | null; special: SpecialStatus | null };
  criteria: Array<{
    code: string;
    name: string;
    critical: boolean;
    pendingIndicators: BilingualMessage | null;
    indicators: ShownIndicator[];
  }>;
}

export interface ShowContext {
  region?: RegionCode | null;
  group?: CommuneGroup | null;
  year?: number | null;
  special?: SpecialStatus | null;
}

export function showSet(set: CriteriaSet, at: ShowContext = {}): ShownSet {
  const ctx = targetContext(set, { code: '', name: '', region: at.region ?? null, group: at.group ?? null, special: at.special ?? null }, at.year ?? null);
  return {
    id: set.id,
    version: set.version,
    validFrom: set.validFrom,
    validTo: set.validTo,
    name: set.name,
    phase: set.phase,
    level: set.level,
    basedOn: set.basedOn,
    demo: set.demo,
    context: { region: at.region ?? null, group: at.group ?? null, year: at.year ?? null, special: at.special ?? null },
    criteria: set.criteria.map((c) => ({
      code: c.code,
      name: c.name,
      critical: c.critical,
      pendingIndicators: c.pendingIndicators,
      indicators: c.indicators.map((i) => {
        const t = resolveTarget(i.target, ctx);
        return {
          code: i.code,
          name: i.name,
          kind: i.kind,
          unit: i.unit,
          target: { op: t.op, value: t.value },
          basis: t.basis.text,
          scale: i.scale,
          applicableIf: i.applicableIf,
          verified: i.verified,
          provenance: i.provenance,
          conditions:
            i.conditions?.map((c) => {
              const ct = resolveTarget(c.target, ctx);
              return { code: conditionKey(i.code, c.code), name: c.name, kind: c.kind, unit: c.unit, target: { op: ct.op, value: ct.value }, basis: ct.basis.text };
            }) ?? null,
        };
      }),
    })),
  };
}
