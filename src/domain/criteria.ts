/**
 * The criteria model: what a commune is measured against. Pure types, no I/O.
 * Official terms in Vietnamese beside each English name.
 *
 * A `CriteriaSet` here is always *resolved*: a provincial set's `basedOn` chain has been flattened
 * by the catalogue (src/catalog), derived targets computed, so the engine never looks elsewhere.
 */
import type { BilingualMessage } from './errors.ts';
import type { Provenance } from './provenance.ts';

export type { Provenance, ProvenanceLevel, ProvenanceSource, ProvenanceCounts } from './provenance.ts';

/** Giai đoạn — programme phase. */
export type Phase = '2021-2025' | '2026-2030';
export const PHASES: readonly Phase[] = ['2021-2025', '2026-2030'];

/** Mức đạt chuẩn — level: NTM, NTM nâng cao (advanced), NTM kiểu mẫu (model), NTM hiện đại (modern, 2026–2030 pilot). */
export type Level = 'ntm' | 'nang-cao' | 'kieu-mau' | 'hien-dai';
export const LEVELS: readonly Level[] = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'];

/** Vietnamese and English names of the levels, for messages. */
export const LEVEL_NAMES: Readonly<Record<Level, BilingualMessage>> = {
  ntm: { vi: 'xã nông thôn mới', en: 'new-rural (NTM) commune' },
  'nang-cao': { vi: 'xã nông thôn mới nâng cao', en: 'advanced new-rural commune' },
  'kieu-mau': { vi: 'xã nông thôn mới kiểu mẫu', en: 'model new-rural commune' },
  'hien-dai': { vi: 'xã nông thôn mới hiện đại', en: 'modern new-rural commune' },
};

/** The name of a level stored as text (an unknown one is shown as it is). */
export function levelName(level: string): BilingualMessage {
  return LEVEL_NAMES[level as Level] ?? { vi: level, en: level };
}

/**
 * Levels a recognised level implies: a commune recognised "nâng cao" is also NTM, and so on.
 * Used when checking prerequisites (advanced requires NTM; model requires advanced).
 */
export const LEVEL_IMPLIES: Readonly<Record<Level, readonly Level[]>> = {
  ntm: ['ntm'],
  'nang-cao': ['nang-cao', 'ntm'],
  'kieu-mau': ['kieu-mau', 'nang-cao', 'ntm'],
  'hien-dai': ['hien-dai', 'ntm'],
};

/** Vùng — the 7 socio-economic regions that drive 2021–2025 thresholds. */
export type RegionCode = 'TDMNPB' | 'DBSH' | 'BTB' | 'DHNTB' | 'TN' | 'DNB' | 'DBSCL';
export const REGION_CODES: readonly RegionCode[] = ['TDMNPB', 'DBSH', 'BTB', 'DHNTB', 'TN', 'DNB', 'DBSCL'];

/** Tên vùng — region names as in Decision 318/QĐ-TTg. */
export const REGION_NAMES: Readonly<Record<RegionCode, string>> = {
  TDMNPB: 'Trung du và miền núi phía Bắc',
  DBSH: 'Đồng bằng sông Hồng',
  BTB: 'Bắc Trung Bộ',
  DHNTB: 'Duyên hải Nam Trung Bộ',
  TN: 'Tây Nguyên',
  DNB: 'Đông Nam Bộ',
  DBSCL: 'Đồng bằng sông Cửu Long',
};

/** Nhóm xã — commune group 1/2/3 that drives 2026–2030 thresholds. */
export type CommuneGroup = 1 | 2 | 3;
export const COMMUNE_GROUPS: readonly CommuneGroup[] = [1, 2, 3];

/**
 * Diện đặc biệt — special status that switches a commune to another region's thresholds (a set's
 * `specialRegion`). Decision 318/QĐ-TTg, Art. 1 (8/3/2022): đặc biệt khó khăn (`dbkk`) and ATK
 * communes of poor districts (`atk`) use the TDMNPB thresholds. Decision 211/QĐ-TTg (from 1/3/2024)
 * replaced them by: communes of area II/III of ethnic-minority and mountain regions (`dtts_kv23`),
 * extremely difficult coastal-lowland and island communes (`bai_ngang_dbkk`), ATK communes of poor
 * districts (`atk_huyen_ngheo`).
 */
export type SpecialStatus = 'dbkk' | 'atk' | 'dtts_kv23' | 'bai_ngang_dbkk' | 'atk_huyen_ngheo';
export const SPECIAL_STATUSES: readonly SpecialStatus[] = ['dbkk', 'atk', 'dtts_kv23', 'bai_ngang_dbkk', 'atk_huyen_ngheo'];

/** What the engine needs to know about a commune (xã) on the evaluation date. */
export interface CommuneProfile {
  code: string;
  name: string;
  region?: RegionCode | null;
  group?: CommuneGroup | null;
  special?: SpecialStatus | null;
}

/** Giá trị chỉ tiêu — a reported indicator value. Ratios carry numerator and denominator. */
export type IndicatorValue =
  | number
  | boolean
  | string
  | { numerator: number; denominator: number }
  | null;

export type IndicatorValues = Readonly<Record<string, IndicatorValue>>;

/** Kết quả — the verdict on one indicator or criterion. "Not met" is a value, never an error. */
export type VerdictStatus = 'met' | 'not_met' | 'not_applicable' | 'not_evaluable';

export type TargetOp = '>=' | '<=' | '=' | 'is';
export const TARGET_OPS: readonly TargetOp[] = ['>=', '<=', '=', 'is'];

/**
 * Loại chỉ tiêu — indicator kind:
 * - `boolean`: Đạt / Không đạt (yes/no), target `is true`;
 * - `percent`: a percentage 0–100 entered directly;
 * - `number`: a non-negative number with a unit (income, m² per person…);
 * - `ratio`: tỷ lệ computed from numerator / denominator, compared as a percent;
 * - `grade`: an ordered scale (xếp loại), compared by rank;
 * - `none_count`: a count that must be 0 ("không có nhà tạm, dột nát");
 * - `compound`: all of several conditions, each with its own kind and target (criterion 5 of the
 *   2021–2025 basic set: 100% of schools at the minimum standard AND a share at level 1); each
 *   condition is reported as its own value under `<indicator>.<condition>` (e.g. "5.toi_thieu"),
 *   the indicator's own target is `is true` ("every condition met").
 */
export type IndicatorKind = 'boolean' | 'percent' | 'number' | 'ratio' | 'grade' | 'none_count' | 'compound';
export const INDICATOR_KINDS: readonly IndicatorKind[] = ['boolean', 'percent', 'number', 'ratio', 'grade', 'none_count', 'compound'];

/** Kinds a condition of a compound indicator may have. */
export type ConditionKind = 'boolean' | 'percent' | 'number' | 'ratio' | 'none_count';
export const CONDITION_KINDS: readonly ConditionKind[] = ['boolean', 'percent', 'number', 'ratio', 'none_count'];

/** Comparators each kind accepts. */
export const OPS_BY_KIND: Readonly<Record<IndicatorKind, readonly TargetOp[]>> = {
  boolean: ['is'],
  percent: ['>=', '<=', '='],
  number: ['>=', '<=', '='],
  ratio: ['>=', '<=', '='],
  grade: ['>=', '<=', '='],
  none_count: ['='],
  compound: ['is'],
};

/** A concrete threshold: a number (percent, number, ratio, none_count), a boolean, or a grade label. */
export type TargetLeaf = number | boolean | string;

/**
 * Ngưỡng — a target that may vary. `null` means "to be set by the province" (or the official value
 * is not yet verified): the indicator is not evaluable until a provincial set supplies it.
 * Maps may be partial: a missing key is `null`.
 */
export type TargetValueSpec =
  | TargetLeaf
  | null
  | { byRegion: Partial<Record<RegionCode, TargetValueSpec>> }
  | { byGroup: Partial<Record<'1' | '2' | '3', TargetValueSpec>> }
  | { byYear: Readonly<Record<string, TargetValueSpec>> }
  | { byAttribute: AttributeBands };

/**
 * A threshold that depends on a numeric fact the commune reports (a set's `attributes`, e.g. the
 * number of schools): the first band whose inclusive [min, max] holds the value applies.
 */
export interface AttributeBands {
  attribute: string;
  bands: ReadonlyArray<{ min?: number; max?: number; value: TargetValueSpec }>;
}

/** Where a derived target comes from (the model commune's income ≥ 110% of the advanced one). */
export interface DerivedTargetRef {
  setId: string;
  indicator: string;
  factor: number;
}

/** Chỉ tiêu's target as resolved by the catalogue, with its provenance. */
export interface IndicatorTarget {
  op: TargetOp;
  value: TargetValueSpec;
  /** The set whose file defined this target (the national set, or the provincial set that overrode it). */
  setBy: string;
  /** True when a set further down the `basedOn` chain replaced the base set's target. */
  override: boolean;
  derivedFrom: DerivedTargetRef | null;
}

/** Căn cứ — a decision the data comes from. */
export interface SourceRef {
  decision: string;
  appendix: string | null;
  url: string | null;
  note: string | null;
}

/**
 * Điều kiện áp dụng — "(nếu có)" items. The indicator is not applicable only when the commune
 * answers the flag with `false` (e.g. "has_traditional_craft": false); unanswered means applicable.
 */
export interface Applicability {
  flag: string;
}

/** A yes/no fact a commune answers in its values map (e.g. "Xã có nghề truyền thống"). */
export interface FlagDefinition {
  code: string;
  name: string;
}

/** A numeric fact a commune reports in its values map that a target may depend on (e.g. "Số trường học"). */
export interface AttributeDefinition {
  code: string;
  name: string;
  unit: string | null;
}

/** Điều kiện — one condition of a compound indicator. */
export interface IndicatorCondition {
  /** The condition's own code (e.g. "toi_thieu"); its value is reported under `conditionKey`. */
  code: string;
  name: string;
  kind: ConditionKind;
  unit: string | null;
  target: IndicatorTarget;
}

/** How an indicator came to be in a resolved set. */
export type IndicatorOrigin = 'base' | 'override' | 'added' | 'split';

/** Chỉ tiêu — an indicator within a criterion. */
export interface Indicator {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit: string | null;
  target: IndicatorTarget;
  /** Thang xếp loại — ordered scale, lowest first (grade only). */
  scale: readonly string[] | null;
  /** The conditions of a compound indicator (all must be met); null for the other kinds. */
  conditions: readonly IndicatorCondition[] | null;
  applicableIf: Applicability | null;
  /** Ratio with denominator 0: not evaluable (default) or not applicable (e.g. "no livestock farms"). */
  zeroDenominator: 'not_evaluable' | 'not_applicable';
  source: SourceRef;
  /** Checked against the official text by an officer. Unverified items must be shown as such. */
  verified: boolean;
  /** Where the wording and threshold come from: official / secondary (cited) / reconstructed. */
  provenance: Provenance;
  note: string | null;
  /** The set whose file introduced this indicator. */
  definedIn: string;
  origin: IndicatorOrigin;
}

/** Tiêu chí — a criterion: met only when all its applicable indicators are met. */
export interface Criterion {
  code: string;
  name: string;
  /** Nhóm tiêu chí — the section of the set (e.g. "II. Hạ tầng kinh tế - xã hội"). */
  group: string | null;
  /** Tiêu chí bắt buộc for revocation (Decision 18/2022/QĐ-TTg). */
  critical: boolean;
  nameVerified: boolean;
  indicators: readonly Indicator[];
  /**
   * Set when the national set does not list indicators for this criterion (they are to be entered
   * by the province, or not transcribed yet). Such a criterion is not evaluable while it has none.
   */
  pendingIndicators: BilingualMessage | null;
}

/** Quyết định ban hành — the decision a set comes from. */
export interface DecisionRef {
  number: string;
  date: string;
  appendix: string | null;
  issuer: string | null;
  url: string | null;
}

/** Trạng thái — a draft is still being edited; a published version is frozen (shipped files are published). */
export type SetStatus = 'draft' | 'published';
export const SET_STATUSES: readonly SetStatus[] = ['draft', 'published'];

/** Bộ tiêu chí — a resolved criteria set: one version of a set id. */
export interface CriteriaSet {
  id: string;
  /** 1, 2, …: the versions of one id have disjoint validity periods (validFrom…validTo). */
  version: number;
  status: SetStatus;
  name: string;
  phase: Phase;
  level: Level;
  scope: 'national' | 'provincial';
  province: { code: string; name: string } | null;
  decision: DecisionRef;
  validFrom: string;
  validTo: string | null;
  /** The set this one is based on (its direct parent), or null for a national set. */
  basedOn: string | null;
  /** The version of `basedOn` this one rests on (a new version of a set is based on an earlier one). */
  basedOnVersion: number | null;
  /** Ids from the root national set down to this one. */
  lineage: readonly string[];
  /** Demo / illustrative data (minh họa): never to be presented as official. */
  demo: boolean;
  /** Levels the commune must already hold (advanced requires NTM; model requires advanced). */
  requires: readonly Level[];
  /**
   * Special statuses that switch the commune to another region's thresholds (dbkk/atk → TDMNPB).
   * `null`: the status switches region but the source does not show which one (region-dependent
   * targets are then not evaluable for such a commune, and say why).
   */
  specialRegion: Readonly<Partial<Record<SpecialStatus, RegionCode | null>>>;
  flags: readonly FlagDefinition[];
  /** Numeric facts reported with the values that targets may depend on (`byAttribute`). */
  attributes: readonly AttributeDefinition[];
  notes: string | null;
  criteria: readonly Criterion[];
}

/** The values-map key of a condition of a compound indicator: "5.toi_thieu". */
export function conditionKey(indicatorCode: string, conditionCode: string): string {
  return `${indicatorCode}.${conditionCode}`;
}

/** Every indicator of a set, in set order. */
export function indicatorsOf(set: CriteriaSet): Indicator[] {
  return set.criteria.flatMap((c) => c.indicators);
}
