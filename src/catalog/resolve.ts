/**
 * Giải bộ tiêu chí — turn validated set files into flat `CriteriaSet`s: follow `basedOn` (any
 * depth, cycles refused), apply each `changes` entry in order, merge flags, and compute derived
 * targets (the model commune's income = 1.1 × the advanced set's target, leaf by leaf; an unknown
 * base target stays unknown). Every problem is reported with the file and JSON path that caused it.
 */
import type {
  CriteriaSet,
  Criterion,
  FlagDefinition,
  Indicator,
  IndicatorTarget,
  SetStatus,
  TargetValueSpec,
} from '../domain/criteria.ts';
import type { CatalogIssue, PathIssue } from './issues.ts';
import { withFile } from './issues.ts';
import { checkTargetForKind, toProvenance } from './set-schema.ts';
import { NO_PROVENANCE, provenanceProblems } from '../domain/provenance.ts';
import { overlappingVersions } from '../domain/set-versions.ts';
import type { IndicatorFile, SetFile, TargetFile, TargetValueFile } from './set-file.ts';

/** A set file read and validated, with the name to report problems under. */
export interface LoadedSetFile {
  file: string;
  data: SetFile;
  /** Files are published; a draft from the database store resolves as `draft`. */
  status?: SetStatus;
}

interface WorkCriterion {
  code: string;
  name: string;
  group: string | null;
  critical: boolean;
  nameVerified: boolean;
  pendingIndicators: Criterion['pendingIndicators'];
  indicators: Indicator[];
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function scaleSpec(spec: TargetValueSpec, factor: number): TargetValueSpec {
  if (spec === null) return null;
  if (typeof spec === 'number') return round6(spec * factor);
  if (typeof spec !== 'object') return spec;
  const mapValues = <K extends string>(m: Partial<Record<K, TargetValueSpec>>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, scaleSpec(v as TargetValueSpec, factor)])) as Partial<Record<K, TargetValueSpec>>;
  if ('byRegion' in spec) return { byRegion: mapValues(spec.byRegion) };
  if ('byGroup' in spec) return { byGroup: mapValues(spec.byGroup) };
  if ('byAttribute' in spec) return { byAttribute: { attribute: spec.byAttribute.attribute, bands: spec.byAttribute.bands.map((b) => ({ ...b, value: scaleSpec(b.value, factor) })) } };
  return { byYear: mapValues(spec.byYear) as Record<string, TargetValueSpec> };
}

/** The key of one version of a set: "xa-ntm-2021-2025@2". */
export function versionKey(id: string, version: number): string {
  return `${id}@${version}`;
}

/**
 * Resolve every file. Sets with problems are left out and their problems returned. The result is
 * keyed by `versionKey(id, version)`: a set id may have several versions, each with its own
 * validity period; periods of one id must not overlap and share phase, level and criteria.
 */
export function resolveSets(files: readonly LoadedSetFile[]): { sets: Map<string, CriteriaSet>; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const byKey = new Map<string, LoadedSetFile>();
  const versionsOf = new Map<string, LoadedSetFile[]>();
  for (const f of files) {
    const key = versionKey(f.data.id, f.data.version ?? 1);
    const other = byKey.get(key);
    if (other) {
      issues.push({ file: f.file, path: '$.version', severity: 'error', message: { vi: `bộ "${f.data.id}" phiên bản ${f.data.version ?? 1} trùng với tệp ${other.file}`, en: `set "${f.data.id}" version ${f.data.version ?? 1} duplicates file ${other.file}` } });
      continue;
    }
    byKey.set(key, f);
    versionsOf.set(f.data.id, [...(versionsOf.get(f.data.id) ?? []), f]);
  }
  checkVersionPeriods(versionsOf, issues);
  const done = new Map<string, CriteriaSet | null>();
  const visiting: string[] = [];

  /** Resolve one version (memoised); null when it or its base has problems. */
  function resolve(key: string): CriteriaSet | null {
    if (done.has(key)) return done.get(key)!;
    const loaded = byKey.get(key)!;
    visiting.push(key);
    const local: PathIssue[] = [];
    const set = build(loaded, local);
    visiting.pop();
    issues.push(...withFile(loaded.file, local));
    const result = local.length === 0 ? set : null;
    done.set(key, result);
    return result;
  }

  /**
   * The version a reference means: "id@n" names one; a bare id means its only version, or the one
   * in force on `onDate` (the referring set's validFrom).
   */
  function keyOf(ref: string, onDate: string, path: string, local: PathIssue[]): string | null {
    const at = ref.lastIndexOf('@');
    if (at >= 0) {
      if (!byKey.has(ref)) {
        local.push({ path, message: { vi: `không có bộ tiêu chí "${ref}" (mã@phiên bản)`, en: `no criteria set "${ref}" (id@version)` } });
        return null;
      }
      return ref;
    }
    const versions = versionsOf.get(ref);
    if (!versions) {
      local.push({ path, message: { vi: `không có bộ tiêu chí "${ref}"`, en: `no criteria set "${ref}"` } });
      return null;
    }
    if (versions.length === 1) return versionKey(ref, versions[0]!.data.version ?? 1);
    const inForce = versions.find((v) => v.data.validFrom <= onDate && (v.data.validTo === null || onDate <= v.data.validTo));
    if (!inForce) {
      local.push({ path, message: { vi: `bộ "${ref}" không có phiên bản có hiệu lực ngày ${onDate}: ghi rõ "${ref}@<phiên bản>"`, en: `set "${ref}" has no version in force on ${onDate}: write "${ref}@<version>"` } });
      return null;
    }
    return versionKey(ref, inForce.data.version ?? 1);
  }

  /** A set referred to at `path` (basedOn, derived target); says why when it cannot be used. */
  function refer(ref: string, onDate: string, path: string, local: PathIssue[]): CriteriaSet | null {
    const key = keyOf(ref, onDate, path, local);
    if (key === null) return null;
    if (visiting.includes(key)) {
      const cycle = [...visiting.slice(visiting.indexOf(key)), key].join(' → ');
      local.push({ path, message: { vi: `tham chiếu vòng: ${cycle}`, en: `circular reference: ${cycle}` } });
      return null;
    }
    const set = resolve(key);
    if (!set) local.push({ path, message: { vi: `bộ tiêu chí "${ref}" có lỗi nên không dùng được`, en: `criteria set "${ref}" has errors and cannot be used` } });
    return set;
  }

  function toTarget(t: TargetFile, setId: string, onDate: string, override: boolean, path: string, local: PathIssue[]): IndicatorTarget {
    const v: TargetValueFile = t.value;
    if (v !== null && typeof v === 'object' && 'derived' in v) {
      const d = v.derived;
      const ref = refer(d.set, onDate, `${path}.value.derived.set`, local);
      const base = ref?.criteria.flatMap((c) => c.indicators).find((i) => i.code === d.indicator);
      if (ref && !base) local.push({ path: `${path}.value.derived.indicator`, message: { vi: `bộ ${d.set} không có chỉ tiêu "${d.indicator}"`, en: `set ${d.set} has no indicator "${d.indicator}"` } });
      if (base && !['number', 'percent', 'ratio'].includes(base.kind)) {
        local.push({ path: `${path}.value.derived.indicator`, message: { vi: `chỉ tiêu "${d.indicator}" không phải loại số`, en: `indicator "${d.indicator}" is not numeric` } });
      }
      return {
        op: t.op,
        value: base ? scaleSpec(base.target.value, d.factor) : null,
        setBy: setId,
        override,
        derivedFrom: { setId: d.set, indicator: d.indicator, factor: d.factor },
      };
    }
    return { op: t.op, value: v as TargetValueSpec, setBy: setId, override, derivedFrom: null };
  }

  /** Every attribute a target depends on must be declared in the set's (or its base's) "attributes". */
  function checkAttributes(v: TargetValueFile, path: string, attributes: ReadonlySet<string>, local: PathIssue[]): void {
    if (v === null || typeof v !== 'object') return;
    if ('byAttribute' in v) {
      if (!attributes.has(v.byAttribute.attribute)) {
        local.push({ path: `${path}.byAttribute.attribute`, message: { vi: `số liệu "${v.byAttribute.attribute}" chưa khai báo trong "attributes"`, en: `attribute "${v.byAttribute.attribute}" is not declared in "attributes"` } });
      }
      v.byAttribute.bands.forEach((b, i) => checkAttributes(b.value, `${path}.byAttribute.bands[${i}].value`, attributes, local));
    } else if ('byRegion' in v) for (const [k, x] of Object.entries(v.byRegion)) checkAttributes(x as TargetValueFile, `${path}.byRegion.${k}`, attributes, local);
    else if ('byGroup' in v) for (const [k, x] of Object.entries(v.byGroup)) checkAttributes(x as TargetValueFile, `${path}.byGroup["${k}"]`, attributes, local);
    else if ('byYear' in v) for (const [k, x] of Object.entries(v.byYear)) checkAttributes(x, `${path}.byYear["${k}"]`, attributes, local);
  }

  function toIndicator(f: IndicatorFile, setId: string, onDate: string, origin: Indicator['origin'], path: string, flags: ReadonlySet<string>, local: PathIssue[], attributes: ReadonlySet<string> = new Set()): Indicator {
    if (f.applicableIf && !flags.has(f.applicableIf.flag)) {
      local.push({ path: `${path}.applicableIf.flag`, message: { vi: `điều kiện "${f.applicableIf.flag}" chưa khai báo trong "flags"`, en: `flag "${f.applicableIf.flag}" is not declared in "flags"` } });
    }
    checkAttributes(f.target.value, `${path}.target.value`, attributes, local);
    (f.conditions ?? []).forEach((c, k) => checkAttributes(c.target.value, `${path}.conditions[${k}].target.value`, attributes, local));
    return {
      code: f.code,
      name: f.name,
      kind: f.kind,
      unit: f.unit ?? null,
      target: toTarget(f.target, setId, onDate, false, `${path}.target`, local),
      scale: f.scale ?? null,
      conditions: f.conditions
        ? f.conditions.map((c, k) => ({ code: c.code, name: c.name, kind: c.kind, unit: c.unit ?? null, target: toTarget(c.target, setId, onDate, false, `${path}.conditions[${k}].target`, local) }))
        : null,
      applicableIf: f.applicableIf ?? null,
      zeroDenominator: f.zeroDenominator ?? 'not_evaluable',
      source: { decision: f.source.decision, appendix: f.source.appendix ?? null, url: f.source.url ?? null, note: f.source.note ?? null },
      verified: f.verified,
      provenance: toProvenance(f.provenance),
      note: f.note ?? null,
      definedIn: setId,
      origin,
    };
  }

  function build(loaded: LoadedSetFile, local: PathIssue[]): CriteriaSet {
    const { data } = loaded;
    const baseId = data.basedOn ?? null;
    const base = baseId !== null ? refer(baseId, data.validFrom, '$.basedOn', local) : null;
    if (base) {
      if (base.phase !== data.phase) local.push({ path: '$.phase', message: { vi: `giai đoạn ${data.phase} khác bộ gốc ${base.id} (${base.phase})`, en: `phase ${data.phase} differs from base set ${base.id} (${base.phase})` } });
      if (base.level !== data.level) local.push({ path: '$.level', message: { vi: `mức ${data.level} khác bộ gốc ${base.id} (${base.level})`, en: `level ${data.level} differs from base set ${base.id} (${base.level})` } });
    }
    const flagMap = new Map<string, FlagDefinition>((base?.flags ?? []).map((f) => [f.code, f]));
    for (const f of data.flags ?? []) flagMap.set(f.code, { code: f.code, name: f.name });
    const flags = new Set(flagMap.keys());
    const attributeMap = new Map((base?.attributes ?? []).map((a) => [a.code, a] as const));
    for (const a of data.attributes ?? []) attributeMap.set(a.code, { code: a.code, name: a.name, unit: a.unit ?? null });
    const attributes = new Set(attributeMap.keys());

    const criteria: WorkCriterion[] = base
      ? base.criteria.map((c) => ({ ...c, indicators: [...c.indicators] }))
      : (data.criteria ?? []).map((c, ci) => ({
          code: c.code,
          name: c.name,
          group: c.group ?? null,
          critical: c.critical,
          nameVerified: c.nameVerified ?? false,
          pendingIndicators: c.pendingIndicators ?? null,
          indicators: c.indicators.map((f, ii) => toIndicator(f, data.id, data.validFrom, 'base', `$.criteria[${ci}].indicators[${ii}]`, flags, local, attributes)),
        }));

    const locate = (code: string) => {
      for (const c of criteria) {
        const i = c.indicators.findIndex((x) => x.code === code);
        if (i >= 0) return { criterion: c, index: i };
      }
      return null;
    };
    const notFound = (path: string, code: string) =>
      local.push({ path, message: { vi: `bộ gốc không có chỉ tiêu "${code}"`, en: `the base set has no indicator "${code}"` } });
    const duplicate = (path: string, code: string) =>
      local.push({ path, message: { vi: `mã chỉ tiêu "${code}" đã có trong bộ`, en: `indicator code "${code}" already exists in the set` } });

    (data.changes ?? []).forEach((ch, i) => {
      const p = `$.changes[${i}]`;
      switch (ch.op) {
        case 'override': {
          const at = locate(ch.indicator);
          if (!at) return notFound(`${p}.indicator`, ch.indicator);
          const old = at.criterion.indicators[at.index]!;
          const scale = ch.scale ?? old.scale;
          if (ch.target) {
            checkTargetForKind(old.kind, ch.target, scale, `${p}.target`, local);
            checkAttributes(ch.target.value, `${p}.target.value`, attributes, local);
          }
          // A new wording or threshold without its own provenance is no longer what the base's source
          // says: it becomes reconstructed. The rules hold for the indicator as it ends up.
          const provenance = ch.provenance !== undefined ? toProvenance(ch.provenance) : ch.target !== undefined || ch.name !== undefined ? NO_PROVENANCE : old.provenance;
          for (const x of provenanceProblems(provenance, ch.verified ?? old.verified)) local.push({ path: `${p}.provenance.${x.field}`, message: x.message });
          if (ch.applicableIf && !flags.has(ch.applicableIf.flag)) {
            local.push({ path: `${p}.applicableIf.flag`, message: { vi: `điều kiện "${ch.applicableIf.flag}" chưa khai báo trong "flags"`, en: `flag "${ch.applicableIf.flag}" is not declared in "flags"` } });
          }
          at.criterion.indicators[at.index] = {
            ...old,
            name: ch.name ?? old.name,
            unit: ch.unit !== undefined ? ch.unit : old.unit,
            scale,
            applicableIf: ch.applicableIf !== undefined ? ch.applicableIf : old.applicableIf,
            zeroDenominator: ch.zeroDenominator ?? old.zeroDenominator,
            source: ch.source ? { decision: ch.source.decision, appendix: ch.source.appendix ?? null, url: ch.source.url ?? null, note: ch.source.note ?? null } : old.source,
            verified: ch.verified ?? old.verified,
            provenance,
            note: ch.note !== undefined ? ch.note : old.note,
            target: ch.target ? toTarget(ch.target, data.id, data.validFrom, true, `${p}.target`, local) : old.target,
            origin: old.origin === 'base' ? 'override' : old.origin,
          };
          return;
        }
        case 'add': {
          const c = criteria.find((x) => x.code === ch.criterion);
          if (!c) return local.push({ path: `${p}.criterion`, message: { vi: `bộ gốc không có tiêu chí "${ch.criterion}"`, en: `the base set has no criterion "${ch.criterion}"` } });
          if (locate(ch.indicator.code)) return duplicate(`${p}.indicator.code`, ch.indicator.code);
          const ind = toIndicator(ch.indicator, data.id, data.validFrom, 'added', `${p}.indicator`, flags, local, attributes);
          if (ch.after === undefined) {
            c.indicators.push(ind);
          } else {
            const k = c.indicators.findIndex((x) => x.code === ch.after);
            if (k < 0) return local.push({ path: `${p}.after`, message: { vi: `tiêu chí "${c.code}" không có chỉ tiêu "${ch.after}"`, en: `criterion "${c.code}" has no indicator "${ch.after}"` } });
            c.indicators.splice(k + 1, 0, ind);
          }
          return;
        }
        case 'remove': {
          const at = locate(ch.indicator);
          if (!at) return notFound(`${p}.indicator`, ch.indicator);
          at.criterion.indicators.splice(at.index, 1);
          return;
        }
        case 'split': {
          const at = locate(ch.indicator);
          if (!at) return notFound(`${p}.indicator`, ch.indicator);
          const parts = ch.into.map((f, k) => {
            const other = locate(f.code);
            if (f.code !== ch.indicator && other) duplicate(`${p}.into[${k}].code`, f.code);
            return toIndicator(f, data.id, data.validFrom, 'split', `${p}.into[${k}]`, flags, local, attributes);
          });
          at.criterion.indicators.splice(at.index, 1, ...parts);
          return;
        }
        case 'criterion': {
          const c = criteria.find((x) => x.code === ch.criterion);
          if (!c) return local.push({ path: `${p}.criterion`, message: { vi: `bộ gốc không có tiêu chí "${ch.criterion}"`, en: `the base set has no criterion "${ch.criterion}"` } });
          c.name = ch.name ?? c.name;
          c.group = ch.group !== undefined ? ch.group : c.group;
          c.critical = ch.critical ?? c.critical;
          c.nameVerified = ch.nameVerified ?? c.nameVerified;
          return;
        }
      }
    });

    criteria.forEach((c, ci) => {
      if (c.indicators.length > 0) c.pendingIndicators = null;
      else if (c.pendingIndicators === null) {
        local.push({ path: base ? '$.changes' : `$.criteria[${ci}]`, message: { vi: `tiêu chí "${c.code}" không còn chỉ tiêu nào`, en: `criterion "${c.code}" has no indicators left` } });
      }
    });

    return {
      id: data.id,
      version: data.version ?? 1,
      status: loaded.status ?? 'published',
      name: data.name,
      phase: data.phase,
      level: data.level,
      scope: data.scope,
      province: data.province ?? null,
      decision: {
        number: data.decision.number,
        date: data.decision.date,
        appendix: data.decision.appendix ?? null,
        issuer: data.decision.issuer ?? null,
        url: data.decision.url ?? null,
      },
      validFrom: data.validFrom,
      validTo: data.validTo,
      basedOn: base?.id ?? null,
      basedOnVersion: base?.version ?? null,
      lineage: [...(base?.lineage ?? []), data.id],
      demo: data.demo ?? false,
      requires: data.requires ?? base?.requires ?? [],
      specialRegion: data.specialRegion ?? base?.specialRegion ?? {},
      flags: [...flagMap.values()],
      attributes: [...attributeMap.values()],
      notes: data.notes ?? null,
      criteria,
    };
  }

  for (const key of byKey.keys()) resolve(key);
  checkVersionCriteria(versionsOf, done, issues);
  const sets = new Map<string, CriteriaSet>();
  for (const [key, s] of done) if (s) sets.set(key, s);
  return { sets, issues };
}

/** Versions of one id: validity periods must not overlap (each date has at most one version). */
function checkVersionPeriods(versionsOf: ReadonlyMap<string, LoadedSetFile[]>, issues: CatalogIssue[]): void {
  for (const [id, files] of versionsOf) {
    const periods = files.map((f) => ({ version: f.data.version ?? 1, validFrom: f.data.validFrom, validTo: f.data.validTo, file: f.file }));
    for (const [prev, next] of overlappingVersions(periods)) {
      const period = `${prev.validFrom} – ${prev.validTo ?? '…'}`;
      issues.push({
        file: next.file,
        path: '$.validFrom',
        severity: 'error',
        message: {
          vi: `thời gian hiệu lực của bộ "${id}" phiên bản ${next.version} (từ ${next.validFrom}) trùng với phiên bản ${prev.version} (${period})`,
          en: `the validity of set "${id}" version ${next.version} (from ${next.validFrom}) overlaps version ${prev.version} (${period})`,
        },
      });
    }
  }
}

/** Versions of one id share phase, level and criterion codes (summaries keep one status per criterion). */
function checkVersionCriteria(versionsOf: ReadonlyMap<string, LoadedSetFile[]>, done: ReadonlyMap<string, CriteriaSet | null>, issues: CatalogIssue[]): void {
  for (const [id, versions] of versionsOf) {
    if (versions.length < 2) continue;
    const sets = versions.map((v) => ({ file: v.file, set: done.get(versionKey(id, v.data.version ?? 1)) ?? null }));
    const first = sets.find((x) => x.set !== null);
    if (!first) continue;
    const shape = (s: CriteriaSet) => `${s.phase}|${s.level}|${s.criteria.map((c) => c.code).join(',')}`;
    for (const x of sets) {
      if (x.set === null || x === first || shape(x.set) === shape(first.set!)) continue;
      issues.push({
        file: x.file,
        path: '$.criteria',
        severity: 'error',
        message: {
          vi: `các phiên bản của bộ "${id}" phải cùng giai đoạn, mức và danh sách tiêu chí (phiên bản ${x.set.version} khác phiên bản ${first.set!.version})`,
          en: `the versions of set "${id}" must share phase, level and criteria (version ${x.set.version} differs from version ${first.set!.version})`,
        },
      });
    }
  }
}
