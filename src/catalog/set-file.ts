/**
 * Tệp bộ tiêu chí — the shape of a criteria-set JSON file in `src/catalog/sets/` (documented in
 * docs/catalog.md). A national set lists its `criteria`; a set with `basedOn` lists `changes`
 * against its base (override a target or fields, add, split or remove indicators, patch a
 * criterion). The catalogue validates these files (schema.ts) and resolves them into flat
 * `CriteriaSet`s (resolve.ts).
 */
import type {
  Applicability,
  ConditionKind,
  FlagDefinition,
  IndicatorKind,
  Level,
  Phase,
  RegionCode,
  SpecialStatus,
  TargetLeaf,
  TargetOp,
} from '../domain/criteria.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import type { ProvenanceLevel } from '../domain/provenance.ts';

export const FORMAT_VERSION = 1;

/** A target value in a file: like `TargetValueSpec`, plus a derived target at the top. */
export type TargetValueFile =
  | TargetLeaf
  | null
  | { byRegion: Partial<Record<RegionCode, TargetValueFile>> }
  | { byGroup: Partial<Record<'1' | '2' | '3', TargetValueFile>> }
  | { byYear: Record<string, TargetValueFile> }
  | { byAttribute: { attribute: string; bands: Array<{ min?: number; max?: number; value: TargetValueFile }> } }
  | { derived: { set: string; indicator: string; factor: number } };

/** A condition of a compound indicator. */
export interface ConditionFile {
  code: string;
  name: string;
  kind: ConditionKind;
  unit?: string | null;
  target: TargetFile;
}

export interface TargetFile {
  op: TargetOp;
  value: TargetValueFile;
}

export interface SourceFile {
  decision: string;
  appendix?: string | null;
  url?: string | null;
  note?: string | null;
}

/** Nguồn gốc in a file (see src/domain/provenance.ts). */
export interface ProvenanceFile {
  level: ProvenanceLevel;
  source: { number: string; date?: string | null; issuer?: string | null; ref?: string | null; url?: string | null } | null;
}

export interface IndicatorFile {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit?: string | null;
  target: TargetFile;
  scale?: string[];
  /** Compound indicators: every condition must be met. */
  conditions?: ConditionFile[];
  applicableIf?: Applicability | null;
  zeroDenominator?: 'not_evaluable' | 'not_applicable';
  source: SourceFile;
  verified: boolean;
  /** Optional: an indicator without it is `reconstructed` (no source). */
  provenance?: ProvenanceFile;
  note?: string | null;
}

export interface CriterionFile {
  code: string;
  name: string;
  group?: string | null;
  critical: boolean;
  nameVerified?: boolean;
  indicators: IndicatorFile[];
  pendingIndicators?: BilingualMessage | null;
}

/** Replace fields of an inherited indicator (most often its target). */
export interface OverrideChange {
  op: 'override';
  indicator: string;
  target?: TargetFile;
  name?: string;
  unit?: string | null;
  scale?: string[];
  applicableIf?: Applicability | null;
  zeroDenominator?: 'not_evaluable' | 'not_applicable';
  source?: SourceFile;
  verified?: boolean;
  provenance?: ProvenanceFile;
  note?: string | null;
}

/** Add an indicator to a criterion (at the end, or after a given indicator). */
export interface AddChange {
  op: 'add';
  criterion: string;
  after?: string;
  indicator: IndicatorFile;
}

export interface RemoveChange {
  op: 'remove';
  indicator: string;
  note?: string;
}

/** Replace one inherited indicator by several, in place. */
export interface SplitChange {
  op: 'split';
  indicator: string;
  into: IndicatorFile[];
}

/** Patch a criterion's own fields (not its indicators). */
export interface CriterionChange {
  op: 'criterion';
  criterion: string;
  name?: string;
  group?: string | null;
  critical?: boolean;
  nameVerified?: boolean;
}

export type ChangeFile = OverrideChange | AddChange | RemoveChange | SplitChange | CriterionChange;

export interface SetFile {
  formatVersion: number;
  id: string;
  /** Version of the set id (default 1); a file of version n > 1 is named `<id>.v<n>.json`. */
  version?: number;
  name: string;
  phase: Phase;
  level: Level;
  scope: 'national' | 'provincial';
  province?: { code: string; name: string } | null;
  decision: { number: string; date: string; appendix?: string | null; issuer?: string | null; url?: string | null };
  validFrom: string;
  validTo: string | null;
  demo?: boolean;
  basedOn?: string | null;
  requires?: Level[];
  specialRegion?: Partial<Record<SpecialStatus, RegionCode | null>>;
  flags?: FlagDefinition[];
  /** Numeric facts a commune reports that targets may depend on (`byAttribute`); merged with the base's. */
  attributes?: Array<{ code: string; name: string; unit?: string | null }>;
  notes?: string | null;
  provenance?: string | null;
  criteria?: CriterionFile[];
  changes?: ChangeFile[];
}
