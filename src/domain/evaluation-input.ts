/**
 * Đầu vào đánh giá — the JSON document `datchuan evaluate` reads:
 * `{ commune: { code, name, region?, group?, special? }, asOf, values, recognisedLevels? }`.
 * Checked here once, with errors that name the offending key (`commune.region`, `values["5.1"]`).
 */
import { COMMUNE_GROUPS, LEVELS, REGION_CODES, SPECIAL_STATUSES } from './criteria.ts';
import type { CommuneProfile, CriteriaSet, IndicatorValue, Level } from './criteria.ts';
import { isIsoDate } from './dates.ts';
import { DomainError } from './errors.ts';
import { showValue, validateValues } from './value-validation.ts';

export interface EvaluationInput {
  commune: CommuneProfile;
  asOf: string;
  values: Record<string, IndicatorValue>;
  recognisedLevels: Level[];
}

const ROOT_KEYS = ['commune', 'asOf', 'values', 'recognisedLevels'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(key: string, vi: string, en: string, value?: unknown): DomainError {
  const got = value === undefined ? '' : ` (${showValue(value)})`;
  return new DomainError('invalid_value', { vi: `"${key}": ${vi}${got}.`, en: `"${key}": ${en}${got}.` }, { field: key });
}

function optionalOneOf<T>(obj: Record<string, unknown>, key: string, path: string, allowed: readonly T[]): T | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (!(allowed as readonly unknown[]).includes(v)) {
    const list = allowed.map((x) => JSON.stringify(x)).join(', ');
    throw bad(path, `phải là một trong ${list}`, `must be one of ${list}`, v);
  }
  return v as T;
}

/** Check an evaluation document against a set; throws DomainError naming the first bad key. */
export function parseEvaluationInput(data: unknown, set: CriteriaSet): EvaluationInput {
  if (!isObject(data)) throw bad('$', 'đầu vào phải là một đối tượng JSON', 'the input must be a JSON object', data);
  for (const key of Object.keys(data)) {
    if (!ROOT_KEYS.includes(key)) throw bad(key, `khóa không hợp lệ (dùng ${ROOT_KEYS.join(', ')})`, `unknown key (use ${ROOT_KEYS.join(', ')})`);
  }
  const c = data.commune;
  if (!isObject(c)) throw bad('commune', 'cần đối tượng { code, name, region?, group?, special? }', 'expected an object { code, name, region?, group?, special? }', c);
  for (const key of ['code', 'name']) {
    if (typeof c[key] !== 'string' || (c[key] as string).trim() === '') throw bad(`commune.${key}`, 'cần một chuỗi không rỗng', 'expected a non-empty string', c[key]);
  }
  const commune: CommuneProfile = {
    code: c.code as string,
    name: (c.name as string).normalize('NFC'),
    region: optionalOneOf(c, 'region', 'commune.region', REGION_CODES),
    group: optionalOneOf(c, 'group', 'commune.group', COMMUNE_GROUPS),
    special: optionalOneOf(c, 'special', 'commune.special', SPECIAL_STATUSES),
  };
  if (typeof data.asOf !== 'string' || !isIsoDate(data.asOf)) throw bad('asOf', 'cần ngày YYYY-MM-DD hợp lệ', 'expected a valid YYYY-MM-DD date', data.asOf);
  const values = data.values;
  if (!isObject(values)) throw bad('values', 'cần đối tượng { "<mã chỉ tiêu>": giá trị }', 'expected an object { "<indicator code>": value }', values);
  const problems = validateValues(set, values);
  // Unknown codes first: a typo in a code explains the rest.
  const first = problems.find((p) => p.error === 'unknown_indicator') ?? problems[0];
  if (first) {
    const more = problems.length - 1;
    throw new DomainError(
      first.error,
      {
        vi: `values["${first.code}"]: ${first.message.vi}${more > 0 ? ` (và ${more} lỗi khác)` : ''}`,
        en: `values["${first.code}"]: ${first.message.en}${more > 0 ? ` (and ${more} more)` : ''}`,
      },
      { field: `values.${first.code}`, problems: problems.map((p) => ({ code: p.code, error: p.error, vi: p.message.vi, en: p.message.en })) },
    );
  }
  const levels = data.recognisedLevels ?? [];
  if (!Array.isArray(levels) || levels.some((l) => !(LEVELS as readonly unknown[]).includes(l))) {
    throw bad('recognisedLevels', `cần mảng các mức ${LEVELS.join(', ')}`, `expected an array of levels ${LEVELS.join(', ')}`, levels);
  }
  return { commune, asOf: data.asOf, values: values as Record<string, IndicatorValue>, recognisedLevels: levels as Level[] };
}
