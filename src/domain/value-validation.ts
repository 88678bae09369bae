/**
 * Kiểm tra giá trị chỉ tiêu — checks a reported value against its indicator's kind before it is
 * stored. The HTTP and import layers refuse bad input with these messages (each names the field).
 * The engine never throws on a bad value: it reports the indicator as not evaluable instead.
 */
import type { CriteriaSet, Indicator, IndicatorKind } from './criteria.ts';
import { conditionKey } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';
import { foldVietnamese } from './text.ts';

/** One problem with one key of a values map. */
export interface ValueProblem {
  code: string;
  /** `unknown_indicator` for a key that is neither an indicator nor a flag of the set. */
  error: 'unknown_indicator' | 'invalid_value';
  message: BilingualMessage;
}

const KIND_NAMES: Readonly<Record<IndicatorKind, BilingualMessage>> = {
  boolean: { vi: 'có/không', en: 'yes/no' },
  percent: { vi: 'tỷ lệ phần trăm', en: 'percentage' },
  number: { vi: 'số', en: 'number' },
  ratio: { vi: 'tỷ lệ tử số/mẫu số', en: 'numerator/denominator ratio' },
  grade: { vi: 'xếp loại', en: 'grade' },
  none_count: { vi: 'số lượng (phải bằng 0)', en: 'count (must be 0)' },
  compound: { vi: 'kết hợp nhiều điều kiện', en: 'compound of several conditions' },
};

export function kindName(kind: IndicatorKind): BilingualMessage {
  return KIND_NAMES[kind];
}

/** Short rendering of a value for messages: a ratio as "12/50", anything else as short JSON. */
export function showValue(value: unknown): string {
  if (isPlainObject(value) && typeof value.numerator === 'number' && typeof value.denominator === 'number' && Object.keys(value).length === 2) {
    return `${value.numerator}/${value.denominator}`;
  }
  let s: string;
  try {
    s = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Rank of a grade label in a scale (lowest first), matching exactly or ignoring case and diacritics; -1 if absent. */
export function gradeRank(scale: readonly string[], label: string): number {
  const exact = scale.indexOf(label);
  if (exact >= 0) return exact;
  const folded = foldVietnamese(label);
  return scale.findIndex((s) => foldVietnamese(s) === folded);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Đơn vị đếm — units of things that are counted, not measured: "1,2 sản phẩm OCOP" or "2,5 thôn"
 * is not a value. A `number` indicator in one of these units takes whole numbers only.
 */
export const COUNT_UNITS: readonly string[] = ['sản phẩm', 'thôn', 'hộ', 'người', 'vụ', 'công trình', 'cơ sở', 'mô hình', 'tổ', 'hợp tác xã', 'câu lạc bộ', 'điểm', 'lần', 'trường', 'chợ', 'nhà'];

/** Is the indicator a count (whole numbers only)? */
export function isCountIndicator(indicator: Pick<Indicator, 'kind' | 'unit'>): boolean {
  return indicator.kind === 'none_count' || (indicator.kind === 'number' && indicator.unit !== undefined && indicator.unit !== null && COUNT_UNITS.includes(indicator.unit.trim().toLowerCase()));
}

/** What is wrong with a value for this indicator, or null when it is acceptable. `null` (no data) is acceptable. */
export function validateIndicatorValue(indicator: Indicator, value: unknown): BilingualMessage | null {
  if (value === null) return null;
  const k = KIND_NAMES[indicator.kind];
  const got = showValue(value);
  const bad = (vi: string, en: string): BilingualMessage => ({
    vi: `Chỉ tiêu "${indicator.code}" (${k.vi}): ${vi}, nhận được ${got}.`,
    en: `Indicator "${indicator.code}" (${k.en}): ${en}, got ${got}.`,
  });
  switch (indicator.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : bad('cần true (đạt) hoặc false (không đạt)', 'expected true (met) or false (not met)');
    case 'percent':
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('cần một số', 'expected a number');
      return value >= 0 && value <= 100 ? null : bad('tỷ lệ phải từ 0 đến 100', 'a percentage must be between 0 and 100');
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('cần một số', 'expected a number');
      if (isCountIndicator(indicator) && !Number.isInteger(value)) return bad(`cần một số nguyên (${indicator.unit} đếm được)`, `expected a whole number (${indicator.unit} are counted)`);
      return value >= 0 ? null : bad('không được âm', 'must not be negative');
    case 'none_count':
      if (typeof value !== 'number' || !Number.isInteger(value)) return bad('cần một số nguyên', 'expected a whole number');
      return value >= 0 ? null : bad('không được âm', 'must not be negative');
    case 'grade': {
      const scale = indicator.scale ?? [];
      const options = scale.map((s) => `"${s}"`).join(', ');
      if (typeof value !== 'string') return bad(`cần một trong ${options}`, `expected one of ${options}`);
      return gradeRank(scale, value) >= 0 ? null : bad(`cần một trong ${options}`, `expected one of ${options}`);
    }
    case 'ratio': {
      if (!isPlainObject(value) || !('numerator' in value) || !('denominator' in value)) {
        return bad('cần tử số và mẫu số, ví dụ 12/50', 'expected a numerator and a denominator, e.g. 12/50');
      }
      const extra = Object.keys(value).filter((key) => key !== 'numerator' && key !== 'denominator');
      if (extra.length > 0) return bad(`khóa không hợp lệ "${extra[0]}"`, `unexpected key "${extra[0]}"`);
      const { numerator: n, denominator: d } = value;
      if (typeof n !== 'number' || !Number.isFinite(n) || typeof d !== 'number' || !Number.isFinite(d)) {
        return bad('tử số và mẫu số phải là số', 'numerator and denominator must be numbers');
      }
      if (n < 0 || d < 0) return bad('tử số và mẫu số không được âm', 'numerator and denominator must not be negative');
      // A ratio here is always a part of a whole (households, km, schools…).
      return n <= d ? null : bad('tử số không được lớn hơn mẫu số', 'the numerator must not exceed the denominator');
    }
    case 'compound': {
      const keys = (indicator.conditions ?? []).map((c) => `"${conditionKey(indicator.code, c.code)}"`).join(', ');
      return bad(`nhập từng điều kiện (${keys}), không nhập vào mã chỉ tiêu`, `enter each condition (${keys}), not the indicator's own code`);
    }
  }
}

/**
 * Every key a values map may hold for a set: indicator codes, the conditions of compound indicators
 * ("5.toi_thieu"), flags and attributes.
 */
export function valueKeysOf(set: CriteriaSet): string[] {
  const keys: string[] = [];
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      keys.push(i.code);
      for (const k of i.conditions ?? []) keys.push(conditionKey(i.code, k.code));
    }
  }
  return [...keys, ...set.flags.map((f) => f.code), ...set.attributes.map((a) => a.code)];
}

/**
 * Check a whole values map against a set: unknown keys (neither indicator nor flag), then each
 * value. Flags take `true`, `false` or `null`. Returns every problem, in key order.
 */
export function validateValues(set: CriteriaSet, values: Readonly<Record<string, unknown>>): ValueProblem[] {
  const indicators = new Map<string, Indicator>();
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      indicators.set(i.code, i);
      // A compound's conditions are checked as indicators of their own kind.
      for (const k of i.conditions ?? []) {
        const key = conditionKey(i.code, k.code);
        indicators.set(key, { ...i, code: key, name: k.name, kind: k.kind, unit: k.unit, target: k.target, scale: null, conditions: null });
      }
    }
  }
  // People read the flag's and attribute's names ("Xã có nghề truyền thống"), not their keys.
  const flags = new Map(set.flags.map((f) => [f.code, f.name] as const));
  const attributes = new Map(set.attributes.map((a) => [a.code, a.name] as const));
  const problems: ValueProblem[] = [];
  for (const [code, value] of Object.entries(values)) {
    const indicator = indicators.get(code);
    if (indicator !== undefined) {
      const message = validateIndicatorValue(indicator, value);
      if (message !== null) problems.push({ code, error: 'invalid_value', message });
    } else if (attributes.has(code)) {
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        problems.push({
          code,
          error: 'invalid_value',
          message: { vi: `Số liệu "${attributes.get(code)}": cần một số không âm hoặc null, nhận được ${showValue(value)}.`, en: `Attribute "${attributes.get(code)}": expected a non-negative number or null, got ${showValue(value)}.` },
        });
      }
    } else if (flags.has(code)) {
      if (value !== null && typeof value !== 'boolean') {
        problems.push({
          code,
          error: 'invalid_value',
          message: {
            vi: `Điều kiện "${flags.get(code)}": cần true (có), false (không) hoặc null (chưa trả lời), nhận được ${showValue(value)}.`,
            en: `Flag "${flags.get(code)}": expected true, false or null, got ${showValue(value)}.`,
          },
        });
      }
    } else {
      problems.push({
        code,
        error: 'unknown_indicator',
        message: {
          vi: `Mã chỉ tiêu "${code}" không có trong ${set.name}.`,
          en: `Indicator code "${code}" is not in the criteria set "${set.name}".`,
        },
      });
    }
  }
  return problems;
}
