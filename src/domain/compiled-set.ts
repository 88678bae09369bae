/**
 * Bộ tiêu chí đã biên dịch — a criteria set with every target resolved for one context (region,
 * group, year). Communes sharing a context share one compiled set, so the per-commune work is a
 * tight loop that writes one reason byte per indicator into a caller's buffer: no allocation, no
 * target lookup. `evaluateCommune` builds its verdict tree from these bytes, and `evaluateBatch`
 * uses them directly.
 */
import type {
  CommuneProfile,
  CriteriaSet,
  Indicator,
  IndicatorCondition,
  IndicatorValues,
  VerdictStatus,
} from './criteria.ts';
import { conditionKey } from './criteria.ts';
import { DomainError } from './errors.ts';
import { formatDateVi, isIsoDate } from './dates.ts';
import { contextKey, resolveTarget, targetContext } from './targets.ts';
import type { ResolvedTarget, TargetContext } from './targets.ts';
import { gradeRank } from './value-validation.ts';

/** Why an indicator got its status: one byte per indicator per commune. */
export const REASON = {
  met: 0,
  notMet: 1,
  /** The commune answered the "(nếu có)" flag with false. */
  notApplicableFlag: 2,
  /** Ratio with denominator 0 where the set says that means "nothing to count". */
  notApplicableZeroDenominator: 3,
  missing: 4,
  invalid: 5,
  zeroDenominator: 6,
  /** No threshold for this context (province has not set it, or the commune lacks region/group). */
  noTarget: 7,
} as const;
export type ReasonCode = (typeof REASON)[keyof typeof REASON];

/** Status index (0 met, 1 not_met, 2 not_applicable, 3 not_evaluable) of each reason code. */
const STATUS_INDEX_OF_REASON = [0, 1, 2, 2, 3, 3, 3, 3] as const;
export const STATUSES: readonly VerdictStatus[] = ['met', 'not_met', 'not_applicable', 'not_evaluable'];
export const STATUS_MET = 0;
export const STATUS_NOT_MET = 1;
export const STATUS_NOT_APPLICABLE = 2;
export const STATUS_NOT_EVALUABLE = 3;

export function statusOfReason(r: number): VerdictStatus {
  return STATUSES[STATUS_INDEX_OF_REASON[r as ReasonCode]]!;
}

/** Slots of the totals buffer filled by `evaluateInto`. */
export const TOTAL = {
  criteriaMet: 0,
  criteriaTotal: 1,
  criteriaNotEvaluable: 2,
  criteriaNotApplicable: 3,
  indicatorsMet: 4,
  indicatorsTotal: 5,
  notEvaluable: 6,
  notApplicable: 7,
} as const;
export const TOTAL_SLOTS = 8;

const KIND_BOOL = 0;
const KIND_NUMBER = 1;
const KIND_RATIO = 2;
const KIND_GRADE = 3;
const KIND_NO_TARGET = 4;
const KIND_COMPOUND = 5;

const OP_GE = 0;
const OP_LE = 1;
const OP_EQ = 2;

/** Ratios are compared as percentages after a division: tolerate rounding noise. */
const RATIO_EPSILON = 1e-9;

/** One indicator ready for the hot loop. A class so every instance has the same shape. */
class Step {
  constructor(
    readonly code: string,
    readonly kind: number,
    readonly op: number,
    readonly threshold: number,
    readonly thresholdBool: boolean,
    /** Valid numeric range and integrality of the reported value. */
    readonly lo: number,
    readonly hi: number,
    readonly integer: boolean,
    readonly flag: string | null,
    readonly zeroDenominatorReason: number,
    readonly scale: readonly string[] | null,
    readonly rank: ReadonlyMap<string, number> | null,
    /** The conditions of a compound indicator, evaluated against its value object. */
    readonly parts: readonly Step[] | null = null,
  ) {}
}

/**
 * A compound's reason from its conditions' reasons: invalid when any value is invalid, not met when
 * any condition is not met, otherwise the first condition that is not evaluable says why (no target,
 * zero denominator, missing), else met.
 */
function combineParts(parts: readonly Step[], values: IndicatorValues): number {
  let notMet = false;
  let pending: number = REASON.met;
  for (const p of parts) {
    const r = evaluateStep(p, values);
    if (r === REASON.invalid) return REASON.invalid;
    if (r === REASON.notMet) notMet = true;
    else if (r !== REASON.met && pending === REASON.met) pending = r <= REASON.notApplicableZeroDenominator ? REASON.zeroDenominator : r;
  }
  return notMet ? REASON.notMet : pending;
}

function compare(op: number, v: number, t: number): boolean {
  return op === OP_GE ? v >= t : op === OP_LE ? v <= t : v === t;
}

function evaluateStep(s: Step, values: IndicatorValues): number {
  if (s.flag !== null && values[s.flag] === false) return REASON.notApplicableFlag;
  if (s.kind === KIND_NO_TARGET) return REASON.noTarget;
  // A compound's conditions are values of their own ("5.toi_thieu"); its own key carries nothing.
  if (s.kind === KIND_COMPOUND) return values[s.code] != null ? REASON.invalid : combineParts(s.parts!, values);
  const v = values[s.code];
  if (v === undefined || v === null) return REASON.missing;
  switch (s.kind) {

    case KIND_BOOL:
      if (typeof v !== 'boolean') return REASON.invalid;
      return v === s.thresholdBool ? REASON.met : REASON.notMet;
    case KIND_NUMBER:
      // `v - v === 0` rejects NaN and ±Infinity without a call.
      if (typeof v !== 'number' || v - v !== 0 || v < s.lo || v > s.hi || (s.integer && !Number.isInteger(v))) {
        return REASON.invalid;
      }
      return compare(s.op, v, s.threshold) ? REASON.met : REASON.notMet;
    case KIND_RATIO: {
      if (typeof v !== 'object') return REASON.invalid;
      const n = (v as { numerator?: unknown }).numerator;
      const d = (v as { denominator?: unknown }).denominator;
      if (typeof n !== 'number' || typeof d !== 'number' || n - n !== 0 || d - d !== 0 || n < 0 || d < 0 || n > d) {
        return REASON.invalid;
      }
      if (d === 0) return s.zeroDenominatorReason;
      const p = (n * 100) / d;
      const t = s.threshold;
      const ok = s.op === OP_GE ? p >= t - RATIO_EPSILON : s.op === OP_LE ? p <= t + RATIO_EPSILON : Math.abs(p - t) <= RATIO_EPSILON;
      return ok ? REASON.met : REASON.notMet;
    }
    case KIND_GRADE: {
      if (typeof v !== 'string') return REASON.invalid;
      let r = s.rank!.get(v);
      if (r === undefined) {
        r = gradeRank(s.scale!, v);
        if (r < 0) return REASON.invalid;
      }
      return compare(s.op, r, s.threshold) ? REASON.met : REASON.notMet;
    }
    default:
      return REASON.noTarget;
  }
}

function opCode(op: ResolvedTarget['op']): number {
  return op === '>=' ? OP_GE : op === '<=' ? OP_LE : OP_EQ;
}

/** A condition of a compound indicator as an indicator of its own, coded by its values-map key. */
export function conditionIndicator(indicator: Indicator, c: IndicatorCondition): Indicator {
  return { ...indicator, code: conditionKey(indicator.code, c.code), name: c.name, kind: c.kind, unit: c.unit, target: c.target, scale: null, conditions: null, applicableIf: null, zeroDenominator: 'not_evaluable' };
}

function compileStep(indicator: Indicator, target: ResolvedTarget, conditionTargets: readonly ResolvedTarget[] | null = null): Step {
  const flag = indicator.applicableIf?.flag ?? null;
  const zero = indicator.zeroDenominator === 'not_applicable' ? REASON.notApplicableZeroDenominator : REASON.zeroDenominator;
  const t = target.value;
  const noTarget = () => new Step(indicator.code, KIND_NO_TARGET, OP_EQ, 0, false, 0, 0, false, flag, zero, null, null);
  if (indicator.kind === 'compound') {
    const conditions = indicator.conditions ?? [];
    if (conditions.length === 0 || conditionTargets === null) return noTarget();
    const parts = conditions.map((c, k) => compileStep(conditionIndicator(indicator, c), conditionTargets[k]!));
    return new Step(indicator.code, KIND_COMPOUND, OP_EQ, 0, true, 0, 0, false, flag, zero, null, null, parts);
  }
  if (t === null) return noTarget();
  switch (indicator.kind) {
    case 'boolean':
      return typeof t === 'boolean' ? new Step(indicator.code, KIND_BOOL, OP_EQ, 0, t, 0, 0, false, flag, zero, null, null) : noTarget();
    case 'percent':
    case 'number':
    case 'none_count': {
      if (typeof t !== 'number') return noTarget();
      const hi = indicator.kind === 'percent' ? 100 : Number.POSITIVE_INFINITY;
      return new Step(indicator.code, KIND_NUMBER, opCode(target.op), t, false, 0, hi, indicator.kind === 'none_count', flag, zero, null, null);
    }
    case 'ratio':
      return typeof t === 'number' ? new Step(indicator.code, KIND_RATIO, opCode(target.op), t, false, 0, 0, false, flag, zero, null, null) : noTarget();
    case 'grade': {
      const scale = indicator.scale ?? [];
      const rank = typeof t === 'string' ? gradeRank(scale, t) : -1;
      if (rank < 0) return noTarget();
      const ranks = new Map(scale.map((label, i) => [label, i] as const));
      return new Step(indicator.code, KIND_GRADE, opCode(target.op), rank, false, 0, 0, false, flag, zero, scale, ranks);
    }
  }
}

/** A set compiled for one target context. Reuse it for every commune with the same context. */
export class CompiledSet {
  readonly key: string;
  readonly indicators: readonly Indicator[];
  readonly targets: readonly ResolvedTarget[];
  /** The resolved target of each condition of a compound indicator (null for the other kinds). */
  readonly conditionTargets: ReadonlyArray<readonly ResolvedTarget[] | null>;
  /** criteriaStart[c] … criteriaStart[c + 1] are the indicator indexes of criterion c. */
  readonly criteriaStart: Int32Array;
  private readonly steps: readonly Step[];

  constructor(
    readonly set: CriteriaSet,
    readonly context: TargetContext,
  ) {
    this.key = contextKey(context);
    const indicators: Indicator[] = [];
    this.criteriaStart = new Int32Array(set.criteria.length + 1);
    set.criteria.forEach((c, i) => {
      this.criteriaStart[i] = indicators.length;
      indicators.push(...c.indicators);
    });
    this.criteriaStart[set.criteria.length] = indicators.length;
    this.indicators = indicators;
    this.targets = indicators.map((i) => resolveTarget(i.target, context));
    this.conditionTargets = indicators.map((i) => (i.conditions !== null ? i.conditions.map((c) => resolveTarget(c.target, context)) : null));
    this.steps = indicators.map((ind, i) => compileStep(ind, this.targets[i]!, this.conditionTargets[i]!));
  }

  /** The reason of each condition of compound indicator i (for the verdict tree). */
  conditionReasons(i: number, values: IndicatorValues): number[] | null {
    const parts = this.steps[i]!.parts;
    return parts === null ? null : parts.map((p) => evaluateStep(p, values));
  }

  get indicatorCount(): number {
    return this.steps.length;
  }

  get criteriaCount(): number {
    return this.set.criteria.length;
  }

  /**
   * Evaluate one commune's values: a reason byte per indicator at `reasons[reasonOffset + i]`, a
   * status index per criterion at `criteria[criteriaOffset + c]` (0 met, 1 not met, 2 not
   * applicable, 3 not evaluable), and the totals into `totals` (see TOTAL). Allocates nothing.
   *
   * A criterion is met when it has applicable indicators and all of them are met; not met when any
   * is not met; otherwise not evaluable when any is (or when it has no indicators yet); not
   * applicable when none applies. Not-applicable indicators and criteria leave the totals.
   */
  evaluateInto(
    values: IndicatorValues,
    reasons: Uint8Array,
    reasonOffset: number,
    criteria: Uint8Array,
    criteriaOffset: number,
    totals: Int32Array,
  ): void {
    const steps = this.steps;
    const starts = this.criteriaStart;
    const nCriteria = starts.length - 1;
    let criteriaMet = 0;
    let criteriaNotEvaluable = 0;
    let criteriaNotApplicable = 0;
    let met = 0;
    let notEvaluable = 0;
    let notApplicable = 0;
    for (let c = 0; c < nCriteria; c++) {
      const start = starts[c]!;
      const end = starts[c + 1]!;
      let anyNotMet = false;
      let anyNotEvaluable = start === end;
      let anyApplicable = false;
      for (let i = start; i < end; i++) {
        const r = evaluateStep(steps[i]!, values);
        reasons[reasonOffset + i] = r;
        if (r === REASON.met) {
          met++;
          anyApplicable = true;
        } else if (r === REASON.notMet) {
          anyNotMet = true;
          anyApplicable = true;
        } else if (r <= REASON.notApplicableZeroDenominator) {
          notApplicable++;
        } else {
          notEvaluable++;
          anyNotEvaluable = true;
        }
      }
      let status: number;
      if (anyNotMet) status = STATUS_NOT_MET;
      else if (anyNotEvaluable) status = STATUS_NOT_EVALUABLE;
      else if (!anyApplicable) status = STATUS_NOT_APPLICABLE;
      else status = STATUS_MET;
      criteria[criteriaOffset + c] = status;
      if (status === STATUS_MET) criteriaMet++;
      else if (status === STATUS_NOT_EVALUABLE) criteriaNotEvaluable++;
      else if (status === STATUS_NOT_APPLICABLE) criteriaNotApplicable++;
    }
    totals[TOTAL.criteriaMet] = criteriaMet;
    totals[TOTAL.criteriaTotal] = nCriteria - criteriaNotApplicable;
    totals[TOTAL.criteriaNotEvaluable] = criteriaNotEvaluable;
    totals[TOTAL.criteriaNotApplicable] = criteriaNotApplicable;
    totals[TOTAL.indicatorsMet] = met;
    totals[TOTAL.indicatorsTotal] = steps.length - notApplicable;
    totals[TOTAL.notEvaluable] = notEvaluable;
    totals[TOTAL.notApplicable] = notApplicable;
  }
}

/** Compiled sets per set object and context key. A cache, not state: results never depend on it. */
const cache = new WeakMap<CriteriaSet, Map<string, CompiledSet>>();

/** The compiled set for a context, built once per (set, context). */
export function compileForContext(set: CriteriaSet, context: TargetContext): CompiledSet {
  let bySet = cache.get(set);
  if (bySet === undefined) {
    bySet = new Map();
    cache.set(set, bySet);
  }
  const key = contextKey(context);
  let compiled = bySet.get(key);
  if (compiled === undefined) {
    compiled = new CompiledSet(set, context);
    bySet.set(key, compiled);
  }
  return compiled;
}

/** The year of an ISO date, after checking the date is real and within the set's validity. */
export function checkEvaluationDate(set: CriteriaSet, asOf: string): number {
  if (typeof asOf !== 'string' || !isIsoDate(asOf)) {
    throw new DomainError(
      'invalid_value',
      { vi: `Ngày đánh giá "${String(asOf)}" không hợp lệ (cần YYYY-MM-DD).`, en: `Evaluation date "${String(asOf)}" is not valid (expected YYYY-MM-DD).` },
      { field: 'asOf', value: asOf },
    );
  }
  if (asOf < set.validFrom || (set.validTo !== null && asOf > set.validTo)) {
    const to = set.validTo ?? '…';
    throw new DomainError(
      'date_outside_set_validity',
      {
        vi: `Ngày ${formatDateVi(asOf)} nằm ngoài thời gian hiệu lực của ${set.name} (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `Date ${asOf} is outside the validity of the criteria set "${set.name}" (${set.validFrom} – ${to}).`,
      },
      { setId: set.id, asOf, validFrom: set.validFrom, validTo: set.validTo },
    );
  }
  return Number(asOf.slice(0, 4));
}

/** The compiled set for a commune on a date (checks the date against the set's validity). */
export function compileSet(set: CriteriaSet, commune: CommuneProfile, asOf: string, values?: IndicatorValues): CompiledSet {
  const year = checkEvaluationDate(set, asOf);
  return compileForContext(set, targetContext(set, commune, year, values));
}
