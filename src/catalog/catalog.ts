/**
 * Danh mục bộ tiêu chí — the catalogue: every set file in `src/catalog/sets/`, validated on load
 * (errors name file, JSON path and problem), resolved (`basedOn` flattened) and frozen. Loaded once
 * per process by `getCatalog()`; `loadCatalogFrom(dir)` loads another directory (tests, lint).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEVELS } from '../domain/criteria.ts';
import type { CriteriaSet, DecisionRef, Level, Phase, ProvenanceCounts, SetStatus } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { countSet } from './counts.ts';
import type { SetCounts } from './counts.ts';
import type { CatalogIssue } from './issues.ts';
import { invalidCatalog, withFile } from './issues.ts';
import { parseJsonText } from './json-text.ts';
import { resolveSets } from './resolve.ts';
import { versionAt } from '../domain/set-versions.ts';
import type { LoadedSetFile } from './resolve.ts';
import type { SetFile } from './set-file.ts';
import { validateSetFile } from './set-schema.ts';

export type { CriteriaSet } from '../domain/criteria.ts';
export type { SetCounts } from './counts.ts';

/** The shape of `datchuan catalog list --json`, plus validity and decision. */
export interface CriteriaSetSummary {
  id: string;
  name: string;
  phase: Phase;
  level: Level;
  basedOn: string | null;
  criteria: number;
  indicators: number;
  /** True only when every indicator is verified (and there is at least one). */
  verified: boolean;
  verifiedIndicators: number;
  scope: 'national' | 'provincial';
  demo: boolean;
  validFrom: string;
  validTo: string | null;
  decision: DecisionRef;
  version: number;
  status: SetStatus;
  /** Indicators per provenance level ("47 chỉ tiêu, 0 chính thức, 6 thứ cấp"). */
  provenance: ProvenanceCounts;
}

/** The directory of the shipped set files. */
export const SHIPPED_SETS_DIR = fileURLToPath(new URL('./sets/', import.meta.url));

/** A path as it should appear in messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The file name of a set version: `<id>.json` for version 1, `<id>.v<n>.json` after. */
export function setFileName(id: string, version: number): string {
  return version === 1 ? `${id}.json` : `${id}.v${version}.json`;
}

/** Read, parse and validate one set file (no resolution). */
export function readSetFile(path: string): { loaded: LoadedSetFile | null; issues: CatalogIssue[] } {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { loaded: null, issues: [{ file, path: '$', severity: 'error', message: { vi: `không đọc được tệp: ${why}`, en: `cannot read the file: ${why}` } }] };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { loaded: null, issues: [{ file, path: '$', severity: 'error', message: parsed.message }] };
  const problems = validateSetFile(parsed.value);
  const issues = withFile(file, problems);
  if (problems.length > 0) return { loaded: null, issues };
  const data = parsed.value as SetFile;
  const expected = setFileName(data.id, data.version ?? 1);
  if (basename(path) !== expected) {
    issues.push({ file, path: '$.id', severity: 'error', message: { vi: `tên tệp phải là "${expected}"`, en: `the file must be named "${expected}"` } });
    return { loaded: null, issues };
  }
  return { loaded: { file, data }, issues };
}

/** Read every `*.json` of a directory, in name order. */
export function readSetDirectory(dir: string): { files: LoadedSetFile[]; issues: CatalogIssue[] } {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  const files: LoadedSetFile[] = [];
  const issues: CatalogIssue[] = [];
  for (const n of names) {
    const r = readSetFile(join(dir, n));
    issues.push(...r.issues);
    if (r.loaded) files.push(r.loaded);
  }
  return { files, issues };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** JSON with sorted keys: the same content always gives the same text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export class Catalog {
  /** Every version of every id, newest version last. */
  private readonly byId: ReadonlyMap<string, readonly CriteriaSet[]>;
  private readonly hashes = new Map<string, string>();

  constructor(sets: Iterable<CriteriaSet>) {
    const order = (s: CriteriaSet) => [s.phase, String(s.lineage.length - (s.basedOn === s.id ? 1 : 0)), String(LEVELS.indexOf(s.level)), s.id];
    const sorted = [...sets].sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return a.version - b.version;
    });
    const byId = new Map<string, CriteriaSet[]>();
    for (const s of sorted) byId.set(s.id, [...(byId.get(s.id) ?? []), deepFreeze(s)]);
    this.byId = byId;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every version of a set id, oldest first; throws `unknown_criteria_set` naming the id. */
  versions(id: string): readonly CriteriaSet[] {
    const v = this.byId.get(id);
    if (!v) {
      throw new DomainError(
        'unknown_criteria_set',
        { vi: `Không có bộ tiêu chí "${id}". Các bộ hiện có: ${this.ids().join(', ')}.`, en: `Unknown criteria set "${id}". Available: ${this.ids().join(', ')}.` },
        { setId: id },
      );
    }
    return v;
  }

  /**
   * The resolved set: the given version, or the latest one (for names and criteria, which every
   * version shares). Evaluate with `at(id, date)`. Throws `unknown_criteria_set` naming the id.
   */
  get(id: string, version?: number): CriteriaSet {
    const all = this.versions(id);
    if (version === undefined) return all[all.length - 1]!;
    const s = all.find((x) => x.version === version);
    if (!s) {
      throw new DomainError(
        'unknown_criteria_set',
        { vi: `Bộ tiêu chí "${id}" không có phiên bản ${version} (có: ${all.map((x) => x.version).join(', ')}).`, en: `Criteria set "${id}" has no version ${version} (has: ${all.map((x) => x.version).join(', ')}).` },
        { setId: id, version },
      );
    }
    return s;
  }

  /**
   * The version of a set valid on a date (a review is evaluated by the version valid on its date).
   * When none is, the nearest earlier version (or the first), so the engine reports the date as
   * outside the set's validity.
   */
  at(id: string, date: string): CriteriaSet {
    const all = this.versions(id);
    return versionAt(all, date) ?? [...all].reverse().find((s) => s.validFrom <= date) ?? all[0]!;
  }

  /**
   * A set as people name it ("Bộ tiêu chí quốc gia về xã nông thôn mới…"), the version in force on
   * `date` when given; an id the catalogue does not know is shown as given (never throws).
   */
  nameOf(id: string, date?: string): string {
    if (!this.byId.has(id)) return id;
    return (date === undefined ? this.get(id) : this.at(id, date)).name;
  }

  /** The latest version of every set id. */
  all(): CriteriaSet[] {
    return [...this.byId.values()].map((v) => v[v.length - 1]!);
  }

  /** Every version of every set id. */
  allVersions(): CriteriaSet[] {
    return [...this.byId.values()].flat();
  }

  counts(id: string, version?: number): SetCounts {
    return countSet(this.get(id, version));
  }

  /** One entry per version (`catalog list --json`). */
  list(): CriteriaSetSummary[] {
    return this.allVersions().map((s) => {
      const c = countSet(s);
      return {
        id: s.id,
        name: s.name,
        phase: s.phase,
        level: s.level,
        basedOn: s.basedOn,
        criteria: c.criteria,
        indicators: c.indicators,
        verified: c.verified,
        verifiedIndicators: c.verifiedIndicators,
        scope: s.scope,
        demo: s.demo,
        validFrom: s.validFrom,
        validTo: s.validTo,
        decision: s.decision,
        version: s.version,
        status: s.status,
        provenance: c.provenance,
      };
    });
  }

  /**
   * A stable SHA-256 of every version of the set id: it changes whenever any version, or any set
   * one rests on, changes — and when a version is added, since that changes which version governs
   * a date. Cached evaluations keyed on it are therefore never stale.
   */
  hash(id: string): string {
    let h = this.hashes.get(id);
    if (h === undefined) {
      h = createHash('sha256').update(canonicalJson(this.versions(id))).digest('hex');
      this.hashes.set(id, h);
    }
    return h;
  }

  /** Set versions in force on a date (validFrom ≤ date ≤ validTo), optionally of one phase. */
  setsInForce(date: string, phase?: Phase): CriteriaSet[] {
    return this.allVersions().filter((s) => s.validFrom <= date && (s.validTo === null || date <= s.validTo) && (phase === undefined || s.phase === phase));
  }
}

/** Build a catalogue from loaded files; throws `invalid_catalog` listing every problem. */
export function buildCatalog(files: readonly LoadedSetFile[], readIssues: readonly CatalogIssue[] = []): Catalog {
  const { sets, issues } = resolveSets(files);
  const all = [...readIssues, ...issues].filter((i) => i.severity === 'error');
  if (all.length > 0) throw invalidCatalog(all);
  return new Catalog(sets.values());
}

/** Load, validate and resolve every set file of a directory. */
export function loadCatalogFrom(dir: string): Catalog {
  const { files, issues } = readSetDirectory(resolvePath(dir));
  return buildCatalog(files, issues);
}

let shippedFiles: LoadedSetFile[] | null = null;
let installed: Catalog | null = null;
let stored: readonly LoadedSetFile[] = [];

/** The shipped set files, read and validated once (a problem in them stops the program). */
export function shippedSetFiles(): readonly LoadedSetFile[] {
  if (shippedFiles === null) {
    const { files, issues } = readSetDirectory(SHIPPED_SETS_DIR);
    buildCatalog(files, issues);
    shippedFiles = files;
  }
  return shippedFiles;
}

/**
 * The catalogue of the shipped files plus `extra` set documents (published versions from the
 * database store, or a draft being previewed). Problems in the extra documents leave those sets
 * out and are returned; the shipped layer is always whole.
 */
export function catalogWith(extra: readonly LoadedSetFile[]): { catalog: Catalog; issues: CatalogIssue[] } {
  const { sets, issues } = resolveSets([...shippedSetFiles(), ...extra]);
  return { catalog: new Catalog(sets.values()), issues: issues.filter((i) => i.severity === 'error') };
}

/**
 * Install the published versions of the database store beside the shipped files: from now on
 * `getCatalog()` evaluates with them. Returns the problems of documents that could not be used
 * (they are left out, never half-applied).
 */
export function installStoredSets(files: readonly LoadedSetFile[]): CatalogIssue[] {
  const { catalog, issues } = catalogWith(files);
  stored = files;
  installed = catalog;
  return issues;
}

/** The stored documents currently installed (for a preview that adds a draft to them). */
export function installedStoredSets(): readonly LoadedSetFile[] {
  return stored;
}

/** The catalogue: the shipped sets and, once installed, the published sets of the database store. */
export function getCatalog(): Catalog {
  installed ??= catalogWith(stored).catalog;
  return installed;
}
