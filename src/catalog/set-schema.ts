/**
 * The schema of a criteria-set file (set-file.ts), and the checks a shape cannot express: the
 * comparator fits the kind, every threshold has the kind's type, grade targets are on the scale,
 * codes are unique, a demo set says so in its name.
 */
import {
  CONDITION_KINDS,
  INDICATOR_KINDS,
  LEVELS,
  OPS_BY_KIND,
  PHASES,
  REGION_CODES,
  SPECIAL_STATUSES,
  TARGET_OPS,
} from '../domain/criteria.ts';
import type { IndicatorKind, TargetOp } from '../domain/criteria.ts';
import { foldVietnamese } from '../domain/text.ts';
import type { PathIssue } from './issues.ts';
import {
  array,
  bilingual,
  boolean,
  isoDate,
  isPlainObject,
  nullable,
  number,
  object,
  oneOf,
  opt,
  problem,
  record,
  req,
  string,
} from './schema.ts';
import type { Check } from './schema.ts';
import type { IndicatorFile, ProvenanceFile, SetFile, TargetFile, TargetValueFile } from './set-file.ts';
import type { Provenance } from '../domain/provenance.ts';
import { NO_PROVENANCE, PROVENANCE_LEVELS, provenanceProblems } from '../domain/provenance.ts';
import { FORMAT_VERSION } from './set-file.ts';

const SET_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CRITERION_CODE = /^[0-9]+[a-z]?$/;
const INDICATOR_CODE = /^[0-9]+(\.[0-9]+)*[a-z]?$/;
const FLAG_CODE = /^[a-z][a-z0-9_]*$/;

/** A set, or one version of it: "xa-ntm-2021-2025" or "xa-ntm-2021-2025@1". */
const setRef = string({ pattern: /^[a-z0-9]+(-[a-z0-9]+)*(@[1-9][0-9]*)?$/, hint: { vi: 'không phải mã bộ tiêu chí (mã hoặc mã@phiên bản)', en: 'is not a set id (id or id@version)' } });
const setId = string({ pattern: SET_ID, hint: { vi: 'không phải mã bộ tiêu chí (chữ thường, số, gạch nối)', en: 'is not a set id (lower case, digits, hyphens)' } });
const criterionCode = string({ pattern: CRITERION_CODE, hint: { vi: 'không phải mã tiêu chí (vd. "17")', en: 'is not a criterion code (e.g. "17")' } });
const indicatorCode = string({ pattern: INDICATOR_CODE, hint: { vi: 'không phải mã chỉ tiêu (vd. "17.3")', en: 'is not an indicator code (e.g. "17.3")' } });

/** Flag codes share the values map with indicator codes, and must not shadow Object.prototype. */
const flagCode: Check = (v, path, issues) => {
  if (!string({ pattern: FLAG_CODE, hint: { vi: 'không phải mã điều kiện (snake_case)', en: 'is not a flag code (snake_case)' } })(v, path, issues)) return false;
  return (v as string) in Object.prototype ? problem(issues, path, `mã "${String(v)}" bị cấm`, `code "${String(v)}" is reserved`) : true;
};

const targetValue: Check = (v, path, issues) => {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') {
    return typeof v === 'number' && !Number.isFinite(v) ? problem(issues, path, 'số không hữu hạn', 'non-finite number') : true;
  }
  if (!isPlainObject(v)) return problem(issues, path, 'ngưỡng phải là số, true/false, chuỗi, null hoặc bảng byRegion/byGroup/byYear/byAttribute', 'a target must be a number, boolean, string, null or a byRegion/byGroup/byYear/byAttribute table');
  const keys = Object.keys(v);
  if (keys.length !== 1) return problem(issues, path, 'bảng ngưỡng cần đúng một khóa: byRegion, byGroup, byYear, byAttribute hoặc derived', 'a target table needs exactly one key: byRegion, byGroup, byYear, byAttribute or derived');
  const key = keys[0]!;
  const inner = `${path}.${key}`;
  switch (key) {
    case 'byRegion':
      return record({ test: (k) => (REGION_CODES as readonly string[]).includes(k), hint: { vi: `không phải mã vùng (${REGION_CODES.join(', ')})`, en: `is not a region code (${REGION_CODES.join(', ')})` } }, targetValue)(v[key], inner, issues);
    case 'byGroup':
      return record({ test: (k) => ['1', '2', '3'].includes(k), hint: { vi: 'không phải nhóm xã 1, 2, 3', en: 'is not commune group 1, 2 or 3' } }, targetValue)(v[key], inner, issues);
    case 'byYear':
      return record({ test: (k) => /^[0-9]{4}$/.test(k), hint: { vi: 'không phải năm (YYYY)', en: 'is not a year (YYYY)' } }, targetValue)(v[key], inner, issues);
    case 'byAttribute': {
      const band = object({ min: opt(number({ min: 0 })), max: opt(number({ min: 0 })), value: req(targetValue) });
      if (!object({ attribute: req(flagCode), bands: req(array(band, { minItems: 1 })) })(v[key], inner, issues)) return false;
      const bands = (v[key] as { bands: Array<{ min?: number; max?: number }> }).bands;
      bands.forEach((b, i) => {
        if (b.min !== undefined && b.max !== undefined && b.min > b.max) problem(issues, `${inner}.bands[${i}].max`, 'max nhỏ hơn min', 'max is below min');
      });
      return true;
    }
    case 'derived':
      if (path.endsWith('.value') === false) return problem(issues, inner, 'ngưỡng suy ra chỉ được đặt ở cấp ngoài cùng', 'a derived target is only allowed at the top level');
      return object({ set: req(setRef), indicator: req(indicatorCode), factor: req(number({ min: 0 })) })(v[key], inner, issues);
    default:
      return problem(issues, `${path}.${key}`, `khóa không hợp lệ "${key}"`, `unknown key "${key}"`);
  }
};

const target = object({ op: req(oneOf(TARGET_OPS)), value: req(targetValue) });
const source = object({ decision: req(string()), appendix: opt(nullable(string())), url: opt(nullable(string())), note: opt(nullable(string())) });
const applicability = nullable(object({ flag: req(flagCode) }));
const zeroDenominator = oneOf(['not_evaluable', 'not_applicable']);
const provenanceSource = object({ number: req(string()), date: opt(nullable(isoDate)), issuer: opt(nullable(string())), ref: opt(nullable(string())), url: opt(nullable(string())) });
const provenance = object({ level: req(oneOf(PROVENANCE_LEVELS)), source: req(nullable(provenanceSource)) });
const scale = array(string(), { minItems: 2 });

const conditionCode = string({ pattern: FLAG_CODE, hint: { vi: 'không phải mã điều kiện (snake_case, vd. "toi_thieu")', en: 'is not a condition code (snake_case, e.g. "toi_thieu")' } });
const condition = object({ code: req(conditionCode), name: req(string()), kind: req(oneOf(CONDITION_KINDS)), unit: opt(nullable(string())), target: req(target) });

const indicator = object({
  code: req(indicatorCode),
  name: req(string()),
  kind: req(oneOf(INDICATOR_KINDS)),
  unit: opt(nullable(string())),
  target: req(target),
  scale: opt(scale),
  conditions: opt(array(condition, { minItems: 2 })),
  applicableIf: opt(applicability),
  zeroDenominator: opt(zeroDenominator),
  source: req(source),
  verified: req(boolean),
  provenance: opt(provenance),
  note: opt(nullable(string())),
});

const criterion = object({
  code: req(criterionCode),
  name: req(string()),
  group: opt(nullable(string())),
  critical: req(boolean),
  nameVerified: opt(boolean),
  indicators: req(array(indicator)),
  pendingIndicators: opt(nullable(bilingual)),
});

/** A change, validated by its `op`. */
const change: Check = (v, path, issues) => {
  if (!isPlainObject(v)) return problem(issues, path, 'cần đối tượng', 'expected an object');
  const op = v.op;
  const withOp = (fields: Record<string, ReturnType<typeof req>>) => object({ op: req(oneOf([String(op)])), ...fields });
  switch (op) {
    case 'override':
      return withOp({
        indicator: req(indicatorCode),
        target: opt(target),
        name: opt(string()),
        unit: opt(nullable(string())),
        scale: opt(scale),
        applicableIf: opt(applicability),
        zeroDenominator: opt(zeroDenominator),
        source: opt(source),
        verified: opt(boolean),
        provenance: opt(provenance),
        note: opt(nullable(string())),
      })(v, path, issues);
    case 'add':
      return withOp({ criterion: req(criterionCode), after: opt(indicatorCode), indicator: req(indicator) })(v, path, issues);
    case 'remove':
      return withOp({ indicator: req(indicatorCode), note: opt(string()) })(v, path, issues);
    case 'split':
      return withOp({ indicator: req(indicatorCode), into: req(array(indicator, { minItems: 1 })) })(v, path, issues);
    case 'criterion':
      return withOp({ criterion: req(criterionCode), name: opt(string()), group: opt(nullable(string())), critical: opt(boolean), nameVerified: opt(boolean) })(v, path, issues);
    default:
      return problem(issues, `${path}.op`, `thao tác không hợp lệ ${JSON.stringify(op)} (override, add, remove, split, criterion)`, `unknown change op ${JSON.stringify(op)} (override, add, remove, split, criterion)`);
  }
};

const setShape = object({
  $schema: opt(string()),
  formatVersion: req(oneOf([FORMAT_VERSION])),
  id: req(setId),
  version: opt(number({ min: 1, integer: true })),
  name: req(string()),
  phase: req(oneOf(PHASES)),
  level: req(oneOf(LEVELS)),
  scope: req(oneOf(['national', 'provincial'])),
  province: opt(nullable(object({ code: req(string()), name: req(string()) }))),
  decision: req(object({ number: req(string()), date: req(isoDate), appendix: opt(nullable(string())), issuer: opt(nullable(string())), url: opt(nullable(string())) })),
  validFrom: req(isoDate),
  validTo: req(nullable(isoDate)),
  demo: opt(boolean),
  basedOn: opt(nullable(setRef)),
  requires: opt(array(oneOf(LEVELS))),
  specialRegion: opt(record({ test: (k) => (SPECIAL_STATUSES as readonly string[]).includes(k), hint: { vi: `không phải diện đặc biệt (${SPECIAL_STATUSES.join(', ')})`, en: `is not a special status (${SPECIAL_STATUSES.join(', ')})` } }, nullable(oneOf(REGION_CODES)))),
  flags: opt(array(object({ code: req(flagCode), name: req(string()) }))),
  attributes: opt(array(object({ code: req(flagCode), name: req(string()), unit: opt(nullable(string())) }))),
  notes: opt(nullable(string())),
  provenance: opt(nullable(string())),
  criteria: opt(array(criterion)),
  changes: opt(array(change)),
});

/** Walk every leaf of a target value. */
function forEachLeaf(v: TargetValueFile, path: string, fn: (leaf: unknown, path: string) => void): void {
  if (v === null || typeof v !== 'object') return fn(v, path);
  if ('byRegion' in v) for (const [k, x] of Object.entries(v.byRegion)) forEachLeaf(x as TargetValueFile, `${path}.byRegion.${k}`, fn);
  else if ('byGroup' in v) for (const [k, x] of Object.entries(v.byGroup)) forEachLeaf(x as TargetValueFile, `${path}.byGroup["${k}"]`, fn);
  else if ('byYear' in v) for (const [k, x] of Object.entries(v.byYear)) forEachLeaf(x, `${path}.byYear["${k}"]`, fn);
  else if ('byAttribute' in v) v.byAttribute.bands.forEach((b, i) => forEachLeaf(b.value, `${path}.byAttribute.bands[${i}].value`, fn));
}

/** Does a threshold fit the kind (and the scale, for grades)? */
export function checkTargetForKind(kind: IndicatorKind, t: TargetFile, scaleOf: readonly string[] | null, path: string, issues: PathIssue[]): void {
  const ops: readonly TargetOp[] = OPS_BY_KIND[kind];
  if (!ops.includes(t.op)) {
    problem(issues, `${path}.op`, `phép so sánh "${t.op}" không dùng được cho loại ${kind} (dùng ${ops.join(', ')})`, `comparator "${t.op}" does not fit kind ${kind} (use ${ops.join(', ')})`);
  }
  if (isPlainObject(t.value) && 'derived' in t.value && !['number', 'percent', 'ratio'].includes(kind)) {
    problem(issues, `${path}.value.derived`, `ngưỡng suy ra chỉ dùng cho loại số`, `a derived target needs a numeric kind`);
  }
  forEachLeaf(t.value, `${path}.value`, (leaf, p) => {
    if (leaf === null) return;
    switch (kind) {
      case 'boolean':
        if (typeof leaf !== 'boolean') problem(issues, p, 'ngưỡng của chỉ tiêu có/không phải là true/false', 'a yes/no target must be true or false');
        break;
      case 'percent':
      case 'ratio':
        if (typeof leaf !== 'number' || leaf < 0 || leaf > 100) problem(issues, p, 'ngưỡng tỷ lệ phải là số từ 0 đến 100', 'a percentage target must be a number from 0 to 100');
        break;
      case 'number':
        if (typeof leaf !== 'number' || leaf < 0) problem(issues, p, 'ngưỡng phải là số không âm', 'the target must be a non-negative number');
        break;
      case 'none_count':
        if (leaf !== 0) problem(issues, p, 'chỉ tiêu "không có" phải có ngưỡng 0', 'a none_count target must be 0');
        break;
      case 'compound':
        if (leaf !== true) problem(issues, p, 'ngưỡng của chỉ tiêu kết hợp là true (mọi điều kiện đều đạt)', 'a compound target is true (every condition met)');
        break;
      case 'grade':
        if (typeof leaf !== 'string' || !(scaleOf ?? []).includes(leaf)) {
          problem(issues, p, `ngưỡng xếp loại phải thuộc thang (${(scaleOf ?? []).join(', ')})`, `a grade target must be on the scale (${(scaleOf ?? []).join(', ')})`);
        }
        break;
    }
  });
}

/** Kind-dependent checks of one indicator (its shape already valid). */
export function checkIndicator(ind: IndicatorFile, path: string, issues: PathIssue[]): void {
  if (ind.kind === 'grade') {
    if (!ind.scale) problem(issues, `${path}.scale`, 'chỉ tiêu xếp loại cần thang "scale"', 'a grade indicator needs a "scale"');
    else if (new Set(ind.scale).size !== ind.scale.length) problem(issues, `${path}.scale`, 'thang có mức trùng nhau', 'the scale has duplicate grades');
  } else if (ind.scale !== undefined) {
    problem(issues, `${path}.scale`, 'chỉ chỉ tiêu xếp loại mới có thang', 'only grade indicators have a scale');
  }
  if (ind.zeroDenominator !== undefined && ind.kind !== 'ratio') {
    problem(issues, `${path}.zeroDenominator`, 'chỉ dùng cho chỉ tiêu tỷ lệ tử số/mẫu số', 'only for ratio indicators');
  }
  if (ind.kind === 'compound') {
    if (!ind.conditions) problem(issues, `${path}.conditions`, 'chỉ tiêu kết hợp (compound) cần "conditions" (ít nhất 2 điều kiện)', 'a compound indicator needs "conditions" (at least 2)');
    const seen = new Set<string>();
    (ind.conditions ?? []).forEach((c, k) => {
      if (seen.has(c.code)) problem(issues, `${path}.conditions[${k}].code`, `mã điều kiện "${c.code}" bị trùng`, `duplicate condition code "${c.code}"`);
      seen.add(c.code);
      checkTargetForKind(c.kind, c.target, null, `${path}.conditions[${k}].target`, issues);
    });
    if (ind.target.value !== true) problem(issues, `${path}.target.value`, 'chỉ tiêu kết hợp có ngưỡng "is true" (mọi điều kiện đều đạt)', 'a compound indicator\'s target is "is true" (every condition met)');
  } else if (ind.conditions !== undefined) {
    problem(issues, `${path}.conditions`, 'chỉ chỉ tiêu kết hợp (compound) mới có "conditions"', 'only compound indicators have "conditions"');
  }
  checkTargetForKind(ind.kind, ind.target, ind.scale ?? null, `${path}.target`, issues);
  checkProvenance(ind.provenance, ind.verified, path, issues);
}

/** Provenance rules (official ⇒ source and verified; reconstructed ⇒ no source), as path issues. */
export function checkProvenance(p: ProvenanceFile | undefined, verified: boolean, path: string, issues: PathIssue[]): void {
  const resolved = toProvenance(p);
  for (const x of provenanceProblems(resolved, verified)) issues.push({ path: `${path}.provenance.${x.field}`, message: x.message });
}

/** A file's provenance as the model holds it (absent ⇒ reconstructed, no source). */
export function toProvenance(p: ProvenanceFile | undefined): Provenance {
  if (p === undefined) return NO_PROVENANCE;
  const s = p.source;
  return {
    level: p.level,
    source: s === null ? null : { number: s.number, date: s.date ?? null, issuer: s.issuer ?? null, ref: s.ref ?? null, url: s.url ?? null },
  };
}

/**
 * Validate a parsed set file. Returns every problem with its JSON path; when the list is empty
 * the value is a `SetFile`.
 */
export function validateSetFile(data: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!setShape(data, '$', issues)) return issues;
  const set = data as SetFile;
  const based = set.basedOn !== undefined && set.basedOn !== null;
  if (based && set.criteria !== undefined) problem(issues, '$.criteria', 'bộ dựa trên bộ khác (basedOn) chỉ ghi "changes", không ghi "criteria"', 'a set with basedOn lists "changes", not "criteria"');
  if (based && set.changes === undefined) problem(issues, '$.changes', 'bộ dựa trên bộ khác (basedOn) cần "changes"', 'a set with basedOn needs "changes"');
  if (!based && set.criteria === undefined) problem(issues, '$.criteria', 'bộ gốc cần danh sách "criteria"', 'a base set needs "criteria"');
  if (!based && set.changes !== undefined) problem(issues, '$.changes', '"changes" chỉ dùng cùng "basedOn"', '"changes" needs "basedOn"');
  if (set.validTo !== null && set.validTo < set.validFrom) problem(issues, '$.validTo', 'ngày hết hiệu lực trước ngày có hiệu lực', 'validTo is before validFrom');
  if (set.scope === 'provincial' && !set.province) problem(issues, '$.province', 'bộ cấp tỉnh cần "province"', 'a provincial set needs "province"');
  if (set.demo === true) {
    const folded = foldVietnamese(set.name);
    if (!folded.includes('minh hoa') && !folded.includes('demo')) {
      problem(issues, '$.name', 'bộ dữ liệu demo phải ghi "minh họa" hoặc "demo" trong tên', 'a demo set must say "minh họa" or "demo" in its name');
    }
  }
  const flagCodes = new Set<string>();
  (set.flags ?? []).forEach((f, i) => {
    if (flagCodes.has(f.code)) problem(issues, `$.flags[${i}].code`, `mã điều kiện "${f.code}" bị trùng`, `duplicate flag code "${f.code}"`);
    flagCodes.add(f.code);
  });
  const criterionCodes = new Set<string>();
  const indicatorCodes = new Set<string>();
  (set.criteria ?? []).forEach((c, ci) => {
    const cp = `$.criteria[${ci}]`;
    if (criterionCodes.has(c.code)) problem(issues, `${cp}.code`, `mã tiêu chí "${c.code}" bị trùng`, `duplicate criterion code "${c.code}"`);
    criterionCodes.add(c.code);
    if (c.indicators.length === 0 && !c.pendingIndicators) {
      problem(issues, `${cp}.indicators`, 'tiêu chí chưa có chỉ tiêu phải ghi "pendingIndicators" (ai nhập, vì sao)', 'a criterion without indicators needs "pendingIndicators" (who enters them, why)');
    }
    c.indicators.forEach((ind, ii) => {
      const ip = `${cp}.indicators[${ii}]`;
      if (indicatorCodes.has(ind.code)) problem(issues, `${ip}.code`, `mã chỉ tiêu "${ind.code}" bị trùng`, `duplicate indicator code "${ind.code}"`);
      indicatorCodes.add(ind.code);
      checkIndicator(ind, ip, issues);
    });
  });
  (set.changes ?? []).forEach((ch, i) => {
    const p = `$.changes[${i}]`;
    if (ch.op === 'add') checkIndicator(ch.indicator, `${p}.indicator`, issues);
    if (ch.op === 'split') ch.into.forEach((ind, k) => checkIndicator(ind, `${p}.into[${k}]`, issues));
  });
  return issues;
}
