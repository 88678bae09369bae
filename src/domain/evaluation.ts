/**
 * Đánh giá xã — the evaluation engine. For one commune, a date, a (resolved) criteria set and the
 * reported values, return the verdict tree: each indicator met / not met / not applicable / not
 * evaluable with the target that applied and why, each criterion, the totals, the level reached
 * (with prerequisites) and the unmet list. Pure and deterministic; "not met" is a value, never an
 * exception. Only a malformed date or one outside the set's validity throws (a caller error).
 *
 * Counting rules (documented in docs/catalog.md):
 * - indicatorsTotal = indicators of the set minus the not-applicable ones; not-evaluable ones count
 *   in the total but not as met;
 * - criteriaTotal = criteria minus those with no applicable indicator;
 * - meetsStandard = every counted criterion met; level = the set's level when meetsStandard and
 *   the prerequisite levels are held.
 */
import type {
  CommuneGroup,
  CommuneProfile,
  CriteriaSet,
  Indicator,
  IndicatorKind,
  IndicatorValue,
  IndicatorValues,
  Level,
  RegionCode,
  SpecialStatus,
  TargetLeaf,
  TargetOp,
  VerdictStatus,
} from './criteria.ts';
import { LEVEL_IMPLIES } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';
import {
  REASON,
  STATUSES,
  TOTAL,
  TOTAL_SLOTS,
  checkEvaluationDate,
  compileForContext,
  conditionIndicator,
  statusOfReason,
} from './compiled-set.ts';
import type { CompiledSet } from './compiled-set.ts';
import { attributesOf, targetContext } from './targets.ts';
import type { ResolvedTarget, TargetBasis } from './targets.ts';
import { gradeRank, valueKeysOf } from './value-validation.ts';
import { indicatorReason, summaryLine } from './verdict-text.ts';

export { compileSet, compileForContext, CompiledSet, REASON, statusOfReason } from './compiled-set.ts';
export { summaryLine, summaryLineEn, summaryLineVi } from './verdict-text.ts';

/** Kết quả chỉ tiêu — the verdict on one indicator. */
export interface IndicatorVerdict {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit: string | null;
  status: VerdictStatus;
  /** The value as reported (null when missing). */
  value: IndicatorValue;
  /** The number compared: the value itself, a ratio as a percent, or a grade's rank; null otherwise. */
  measured: number | null;
  target: { op: TargetOp; value: TargetLeaf | null; basis: TargetBasis };
  /** How far from the target, in the indicator's unit (grade: steps); 0 when met; null when not compared. */
  gap: number | null;
  reason: BilingualMessage;
  verified: boolean;
  /** Compound indicators only: the verdict on each condition. */
  conditions?: ConditionVerdict[];
}

/** Kết quả điều kiện — one condition of a compound indicator. */
export interface ConditionVerdict {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit: string | null;
  status: VerdictStatus;
  value: IndicatorValue;
  target: { op: TargetOp; value: TargetLeaf | null; basis: TargetBasis };
  gap: number | null;
  reason: BilingualMessage;
}

/** Kết quả tiêu chí — the verdict on one criterion. */
export interface CriterionVerdict {
  code: string;
  name: string;
  group: string | null;
  critical: boolean;
  status: VerdictStatus;
  indicators: IndicatorVerdict[];
  /** Applicable indicators met / applicable indicators. */
  indicatorsMet: number;
  indicatorsTotal: number;
  reason: BilingualMessage;
}

export interface VerdictTotals {
  criteriaMet: number;
  criteriaTotal: number;
  criteriaNotEvaluable: number;
  criteriaNotApplicable: number;
  indicatorsMet: number;
  indicatorsTotal: number;
  notEvaluable: number;
  notApplicable: number;
}

/** Điều kiện tiên quyết — levels required before this set's level can be reached. */
export interface PrerequisiteCheck {
  required: Level[];
  held: Level[];
  missing: Level[];
  satisfied: boolean;
}

export interface UnmetIndicator {
  code: string;
  name: string;
  status: VerdictStatus;
  value: IndicatorValue;
  target: { op: TargetOp; value: TargetLeaf | null };
  gap: number | null;
  reason: BilingualMessage;
}

/** A criterion not (yet) met, with its indicators that are not met or not evaluable. */
export interface UnmetCriterion {
  code: string;
  name: string;
  critical: boolean;
  status: VerdictStatus;
  indicators: UnmetIndicator[];
}

export interface CommuneVerdict {
  setId: string;
  setLevel: Level;
  asOf: string;
  commune: { code: string; name: string };
  context: { region: RegionCode | null; regionVia: SpecialStatus | null; group: CommuneGroup | null; year: number };
  criteria: CriterionVerdict[];
  totals: VerdictTotals;
  meetsStandard: boolean;
  level: Level | null;
  prerequisites: PrerequisiteCheck;
  unmet: UnmetCriterion[];
  /** Keys of the values map that are neither indicators nor flags of the set (ignored). */
  unknownCodes: string[];
  summary: BilingualMessage;
}

export interface EvaluateOptions {
  /** Levels the commune already holds (recognised), to satisfy prerequisites. */
  recognisedLevels?: readonly Level[];
}

/** Which prerequisites of a set a commune holds. */
export function checkPrerequisites(set: CriteriaSet, recognised: readonly Level[] = []): PrerequisiteCheck {
  const implied = new Set(recognised.flatMap((l) => LEVEL_IMPLIES[l] ?? [l]));
  const required = [...set.requires];
  const held = required.filter((l) => implied.has(l));
  const missing = required.filter((l) => !implied.has(l));
  return { required, held, missing, satisfied: missing.length === 0 };
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** The number an indicator compares, or null (booleans, missing or invalid values). */
export function measuredValue(indicator: Indicator, value: IndicatorValue): number | null {
  if (value === null || value === undefined) return null;
  switch (indicator.kind) {
    case 'percent':
    case 'number':
    case 'none_count':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'ratio':
      if (typeof value === 'object' && typeof value.numerator === 'number' && typeof value.denominator === 'number' && value.denominator > 0) {
        return round6((value.numerator * 100) / value.denominator);
      }
      return null;
    case 'grade': {
      if (typeof value !== 'string') return null;
      const r = gradeRank(indicator.scale ?? [], value);
      return r >= 0 ? r : null;
    }
    case 'boolean':
    case 'compound':
      return null;
  }
}

/** Gap to target in the indicator's unit: 0 when met, null when no comparison happened. */
export function gapToTarget(indicator: Indicator, measured: number | null, target: ResolvedTarget): number | null {
  if (measured === null || target.value === null || typeof target.value === 'boolean') return null;
  const t = typeof target.value === 'string' ? gradeRank(indicator.scale ?? [], target.value) : target.value;
  if (t < 0) return null;
  switch (target.op) {
    case '>=':
      return round6(Math.max(0, t - measured));
    case '<=':
      return round6(Math.max(0, measured - t));
    default:
      return round6(Math.abs(measured - t));
  }
}

function criterionReason(status: VerdictStatus, met: number, total: number, pending: BilingualMessage | null): BilingualMessage {
  switch (status) {
    case 'met':
      return { vi: `Đạt: ${met}/${total} chỉ tiêu đạt.`, en: `Met: ${met}/${total} indicators met.` };
    case 'not_met':
      return { vi: `Chưa đạt: ${total - met}/${total} chỉ tiêu chưa đạt.`, en: `Not met: ${total - met}/${total} indicators not met.` };
    case 'not_applicable':
      return { vi: 'Không áp dụng: không có chỉ tiêu nào áp dụng cho xã.', en: 'Not applicable: no indicator applies to the commune.' };
    case 'not_evaluable':
      if (total === 0 && pending !== null) {
        return { vi: `Chưa đánh giá được: ${pending.vi}`, en: `Not evaluable: ${pending.en}` };
      }
      if (total === 0) return { vi: 'Chưa đánh giá được: tiêu chí chưa có chỉ tiêu.', en: 'Not evaluable: the criterion has no indicators yet.' };
      return {
        vi: `Chưa đánh giá được: ${met}/${total} chỉ tiêu đạt, còn lại chưa có số liệu hoặc ngưỡng.`,
        en: `Not evaluable: ${met}/${total} indicators met, the rest lack data or a target.`,
      };
  }
}

function totalsFrom(t: Int32Array): VerdictTotals {
  return {
    criteriaMet: t[TOTAL.criteriaMet]!,
    criteriaTotal: t[TOTAL.criteriaTotal]!,
    criteriaNotEvaluable: t[TOTAL.criteriaNotEvaluable]!,
    criteriaNotApplicable: t[TOTAL.criteriaNotApplicable]!,
    indicatorsMet: t[TOTAL.indicatorsMet]!,
    indicatorsTotal: t[TOTAL.indicatorsTotal]!,
    notEvaluable: t[TOTAL.notEvaluable]!,
    notApplicable: t[TOTAL.notApplicable]!,
  };
}

/** Evaluate one commune on a date against a set. */
/** The compiled engine on one commune: per-indicator reasons, per-criterion statuses and totals. */
function runEngine(set: CriteriaSet, commune: CommuneProfile, asOf: string, values: IndicatorValues) {
  const year = checkEvaluationDate(set, asOf);
  const compiled = compileForContext(set, targetContext(set, commune, year, values));
  const reasons = new Uint8Array(compiled.indicatorCount);
  const criteriaStatus = new Uint8Array(compiled.criteriaCount);
  const t = new Int32Array(TOTAL_SLOTS);
  compiled.evaluateInto(values, reasons, 0, criteriaStatus, 0, t);
  return { year, compiled, reasons, criteriaStatus, totals: totalsFrom(t) };
}

export function evaluateCommune(
  set: CriteriaSet,
  commune: CommuneProfile,
  asOf: string,
  values: IndicatorValues,
  options: EvaluateOptions = {},
): CommuneVerdict {
  const { year, compiled, reasons, criteriaStatus, totals } = runEngine(set, commune, asOf, values);
  const criteria = buildTree(compiled, values, reasons, criteriaStatus);
  const unmet = unmetOf(criteria);
  const meetsStandard = totals.criteriaTotal > 0 && totals.criteriaMet === totals.criteriaTotal;
  const prerequisites = checkPrerequisites(set, options.recognisedLevels);
  const known = new Set<string>([...valueKeysOf(set)]);
  return {
    setId: set.id,
    setLevel: set.level,
    asOf,
    commune: { code: commune.code, name: commune.name },
    context: { region: compiled.context.region, regionVia: compiled.context.regionVia, group: compiled.context.group, year },
    criteria,
    totals,
    meetsStandard,
    level: meetsStandard && prerequisites.satisfied ? set.level : null,
    prerequisites,
    unmet,
    unknownCodes: Object.keys(values).filter((k) => !known.has(k)),
    summary: summaryLine({ totals, unmet }),
  };
}

/** The figures of a verdict without its tree: what the evaluation cache and summaries keep. */
export interface VerdictFigures {
  totals: VerdictTotals;
  meetsStandard: boolean;
  level: Level | null;
  /** Each criterion's status, in set order. */
  criteriaStatus: VerdictStatus[];
}

/**
 * The same evaluation as `evaluateCommune`, returning only its figures (no per-indicator tree,
 * reasons or gaps): re-evaluating thousands of reviews when a set version is published needs
 * these alone, and building the tree is most of the cost.
 */
export function evaluateFigures(set: CriteriaSet, commune: CommuneProfile, asOf: string, values: IndicatorValues, options: EvaluateOptions = {}): VerdictFigures {
  const { criteriaStatus, totals } = runEngine(set, commune, asOf, values);
  const meetsStandard = totals.criteriaTotal > 0 && totals.criteriaMet === totals.criteriaTotal;
  const level = meetsStandard && checkPrerequisites(set, options.recognisedLevels).satisfied ? set.level : null;
  return { totals, meetsStandard, level, criteriaStatus: Array.from(criteriaStatus, (c) => STATUSES[c]!) };
}

function buildTree(compiled: CompiledSet, values: IndicatorValues, reasons: Uint8Array, criteriaStatus: Uint8Array): CriterionVerdict[] {
  const set = compiled.set;
  const flagNames = new Map(set.flags.map((f) => [f.code, f.name] as const));
  return set.criteria.map((c, ci) => {
    const start = compiled.criteriaStart[ci]!;
    const indicators = c.indicators.map((ind, k): IndicatorVerdict => {
      const i = start + k;
      const r = reasons[i]!;
      const target = compiled.targets[i]!;
      const value = values[ind.code] ?? null;
      const compared = r === REASON.met || r === REASON.notMet;
      const measured = compared ? measuredValue(ind, value) : null;
      const gap = compared ? gapToTarget(ind, measured, target) : null;
      const flagName = ind.applicableIf !== null ? (flagNames.get(ind.applicableIf.flag) ?? null) : null;
      const verdict: IndicatorVerdict = {
        code: ind.code,
        name: ind.name,
        kind: ind.kind,
        unit: ind.unit,
        status: statusOfReason(r),
        value,
        measured,
        target: { op: target.op, value: target.value, basis: target.basis },
        gap,
        reason: indicatorReason(ind, r, value, target, gap, flagName),
        verified: ind.verified,
      };
      if (ind.kind === 'compound') {
        verdict.conditions = conditionVerdicts(compiled, i, ind, values);
        if (r === REASON.met || r === REASON.notMet) verdict.reason = compoundReason(r, verdict.conditions);
      }
      return verdict;
    });
    const status = STATUSES[criteriaStatus[ci]!]!;
    const applicable = indicators.filter((i) => i.status !== 'not_applicable');
    const met = applicable.filter((i) => i.status === 'met').length;
    return {
      code: c.code,
      name: c.name,
      group: c.group,
      critical: c.critical,
      status,
      indicators,
      indicatorsMet: met,
      indicatorsTotal: applicable.length,
      reason: criterionReason(status, met, applicable.length, c.pendingIndicators),
    };
  });
}

/** The verdict on each condition of compound indicator i (code: its values-map key). */
function conditionVerdicts(compiled: CompiledSet, i: number, ind: Indicator, values: IndicatorValues): ConditionVerdict[] {
  const reasons = compiled.conditionReasons(i, values) ?? [];
  const targets = compiled.conditionTargets[i] ?? [];
  return (ind.conditions ?? []).map((c, k) => {
    const part = conditionIndicator(ind, c);
    const r = reasons[k] ?? REASON.noTarget;
    const v = values[part.code] ?? null;
    const target = targets[k]!;
    const compared = r === REASON.met || r === REASON.notMet;
    const gap = compared ? gapToTarget(part, measuredValue(part, v), target) : null;
    return {
      code: part.code,
      name: c.name,
      kind: c.kind,
      unit: c.unit,
      status: statusOfReason(r),
      value: v,
      target: { op: target.op, value: target.value, basis: target.basis },
      gap,
      reason: indicatorReason(part, r, v, target, gap, null),
    };
  });
}

/** "Đạt: cả 2 điều kiện đạt." / "Chưa đạt: <the conditions not met>." */
function compoundReason(r: number, conditions: readonly ConditionVerdict[]): BilingualMessage {
  if (r === REASON.met) return { vi: `Đạt: cả ${conditions.length} điều kiện đều đạt.`, en: `Met: all ${conditions.length} conditions met.` };
  const failing = conditions.filter((c) => c.status === 'not_met');
  return {
    vi: `Chưa đạt: ${failing.map((c) => `${c.name} — ${c.reason.vi}`).join(' ')}`,
    en: `Not met: ${failing.map((c) => `${c.name} — ${c.reason.en}`).join(' ')}`,
  };
}

function unmetOf(criteria: readonly CriterionVerdict[]): UnmetCriterion[] {
  return criteria
    .filter((c) => c.status === 'not_met' || c.status === 'not_evaluable')
    .map((c) => ({
      code: c.code,
      name: c.name,
      critical: c.critical,
      status: c.status,
      indicators: c.indicators
        .filter((i) => i.status === 'not_met' || i.status === 'not_evaluable')
        .map((i) => ({
          code: i.code,
          name: i.name,
          status: i.status,
          value: i.value,
          target: { op: i.target.op, value: i.target.value },
          gap: i.gap,
          reason: i.reason,
        })),
    }));
}

/** One commune of a batch. */
export interface BatchEntry {
  commune: CommuneProfile;
  values: IndicatorValues;
  recognisedLevels?: readonly Level[];
}

/** The compact result of one commune in a batch. */
export interface BatchCommuneResult {
  code: string;
  totals: VerdictTotals;
  meetsStandard: boolean;
  level: Level | null;
}

/**
 * Verdicts of many communes at once, without the per-indicator tree: `reasons[k * indicators + i]`
 * is the REASON byte of indicator i for commune k (status via `statusOfReason`), and
 * `criteriaStatus[k * criteria + c]` the status index (0 met, 1 not met, 2 not applicable,
 * 3 not evaluable) of criterion c. Same rules as `evaluateCommune`.
 */
export interface BatchVerdict {
  setId: string;
  asOf: string;
  indicatorCodes: readonly string[];
  criterionCodes: readonly string[];
  reasons: Uint8Array;
  criteriaStatus: Uint8Array;
  communes: BatchCommuneResult[];
}

/** Evaluate many communes against one set on one date (compiled once per region/group). */
export function evaluateBatch(set: CriteriaSet, asOf: string, entries: readonly BatchEntry[]): BatchVerdict {
  const year = checkEvaluationDate(set, asOf);
  const byKey = new Map<string, CompiledSet>();
  const first = compileForContext(set, targetContext(set, { code: '', name: '' }, year));
  const nInd = first.indicatorCount;
  const nCrit = first.criteriaCount;
  const reasons = new Uint8Array(entries.length * nInd);
  const criteriaStatus = new Uint8Array(entries.length * nCrit);
  const t = new Int32Array(TOTAL_SLOTS);
  const communes: BatchCommuneResult[] = new Array(entries.length);
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const p = e.commune;
    // Keyed on the raw profile so the common case skips building a target context per commune;
    // a set whose targets depend on reported facts (attributes) adds them to the key.
    const attrs = attributesOf(set, e.values);
    let key = `${p.region ?? '-'}|${p.special ?? '-'}|${p.group ?? '-'}`;
    if (attrs !== null) key += `|${JSON.stringify(attrs)}`;
    let compiled = byKey.get(key);
    if (compiled === undefined) {
      compiled = compileForContext(set, targetContext(set, p, year, e.values));
      byKey.set(key, compiled);
    }
    compiled.evaluateInto(e.values, reasons, k * nInd, criteriaStatus, k * nCrit, t);
    const meetsStandard = t[TOTAL.criteriaTotal]! > 0 && t[TOTAL.criteriaMet] === t[TOTAL.criteriaTotal];
    const level = meetsStandard && (set.requires.length === 0 || checkPrerequisites(set, e.recognisedLevels).satisfied) ? set.level : null;
    communes[k] = { code: p.code, totals: totalsFrom(t), meetsStandard, level };
  }
  return {
    setId: set.id,
    asOf,
    indicatorCodes: first.indicators.map((i) => i.code),
    criterionCodes: set.criteria.map((c) => c.code),
    reasons,
    criteriaStatus,
    communes,
  };
}
