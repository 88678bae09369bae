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
  TargetValueSpec,
} from '../domain/criteria.ts';
import type { CatalogIssue, PathIssue } from './issues.ts';
import { withFile } from './issues.ts';
import { checkTargetForKind, toProvenance } from './set-schema.ts';
import { NO_PROVENANCE, provenanceProblems } from '../domain/provenance.ts';
import type { IndicatorFile, SetFile, TargetFile, TargetValueFile } from './set-file.ts';

/** A set file read and validated, with the name to report problems under. */
export interface LoadedSetFile {
  file: string;
  data: SetFile;
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
  return { byYear: mapValues(spec.byYear) as Record<string, TargetValueSpec> };
}

/** Resolve every file. Sets with problems are left out and their problems returned. */
export function resolveSets(files: readonly LoadedSetFile[]): { sets: Map<string, CriteriaSet>; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const byId = new Map<string, LoadedSetFile>();
  for (const f of files) {
    const other = byId.get(f.data.id);
    if (other) {
      issues.push({ file: f.file, path: '$.id', severity: 'error', message: { vi: `mã bộ "${f.data.id}" trùng với tệp ${other.file}`, en: `set id "${f.data.id}" duplicates file ${other.file}` } });
      continue;
    }
    byId.set(f.data.id, f);
  }
  const done = new Map<string, CriteriaSet | null>();
  const visiting: string[] = [];

  /** Resolve one set (memoised); null when it or its base has problems. */
  function resolve(id: string): CriteriaSet | null {
    if (done.has(id)) return done.get(id)!;
    const loaded = byId.get(id)!;
    visiting.push(id);
    const local: PathIssue[] = [];
    const set = build(loaded, local);
    visiting.pop();
    issues.push(...withFile(loaded.file, local));
    const result = local.length === 0 ? set : null;
    done.set(id, result);
    return result;
  }

  /** A set referred to at `path` (basedOn, derived target); says why when it cannot be used. */
  function refer(id: string, path: string, local: PathIssue[]): CriteriaSet | null {
    if (!byId.has(id)) {
      local.push({ path, message: { vi: `không có bộ tiêu chí "${id}"`, en: `no criteria set "${id}"` } });
      return null;
    }
    if (visiting.includes(id)) {
      const cycle = [...visiting.slice(visiting.indexOf(id)), id].join(' → ');
      local.push({ path, message: { vi: `tham chiếu vòng: ${cycle}`, en: `circular reference: ${cycle}` } });
      return null;
    }
    const set = resolve(id);
    if (!set) local.push({ path, message: { vi: `bộ tiêu chí "${id}" có lỗi nên không dùng được`, en: `criteria set "${id}" has errors and cannot be used` } });
    return set;
  }

  function toTarget(t: TargetFile, setId: string, override: boolean, path: string, local: PathIssue[]): IndicatorTarget {
    const v: TargetValueFile = t.value;
    if (v !== null && typeof v === 'object' && 'derived' in v) {
      const d = v.derived;
      const ref = refer(d.set, `${path}.value.derived.set`, local);
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

  function toIndicator(f: IndicatorFile, setId: string, origin: Indicator['origin'], path: string, flags: ReadonlySet<string>, local: PathIssue[]): Indicator {
    if (f.applicableIf && !flags.has(f.applicableIf.flag)) {
      local.push({ path: `${path}.applicableIf.flag`, message: { vi: `điều kiện "${f.applicableIf.flag}" chưa khai báo trong "flags"`, en: `flag "${f.applicableIf.flag}" is not declared in "flags"` } });
    }
    return {
      code: f.code,
      name: f.name,
      kind: f.kind,
      unit: f.unit ?? null,
      target: toTarget(f.target, setId, false, `${path}.target`, local),
      scale: f.scale ?? null,
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
    const base = baseId !== null ? refer(baseId, '$.basedOn', local) : null;
    if (base) {
      if (base.phase !== data.phase) local.push({ path: '$.phase', message: { vi: `giai đoạn ${data.phase} khác bộ gốc ${base.id} (${base.phase})`, en: `phase ${data.phase} differs from base set ${base.id} (${base.phase})` } });
      if (base.level !== data.level) local.push({ path: '$.level', message: { vi: `mức ${data.level} khác bộ gốc ${base.id} (${base.level})`, en: `level ${data.level} differs from base set ${base.id} (${base.level})` } });
    }
    const flagMap = new Map<string, FlagDefinition>((base?.flags ?? []).map((f) => [f.code, f]));
    for (const f of data.flags ?? []) flagMap.set(f.code, { code: f.code, name: f.name });
    const flags = new Set(flagMap.keys());

    const criteria: WorkCriterion[] = base
      ? base.criteria.map((c) => ({ ...c, indicators: [...c.indicators] }))
      : (data.criteria ?? []).map((c, ci) => ({
          code: c.code,
          name: c.name,
          group: c.group ?? null,
          critical: c.critical,
          nameVerified: c.nameVerified ?? false,
          pendingIndicators: c.pendingIndicators ?? null,
          indicators: c.indicators.map((f, ii) => toIndicator(f, data.id, 'base', `$.criteria[${ci}].indicators[${ii}]`, flags, local)),
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
          if (ch.target) checkTargetForKind(old.kind, ch.target, scale, `${p}.target`, local);
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
            target: ch.target ? toTarget(ch.target, data.id, true, `${p}.target`, local) : old.target,
            origin: old.origin === 'base' ? 'override' : old.origin,
          };
          return;
        }
        case 'add': {
          const c = criteria.find((x) => x.code === ch.criterion);
          if (!c) return local.push({ path: `${p}.criterion`, message: { vi: `bộ gốc không có tiêu chí "${ch.criterion}"`, en: `the base set has no criterion "${ch.criterion}"` } });
          if (locate(ch.indicator.code)) return duplicate(`${p}.indicator.code`, ch.indicator.code);
          const ind = toIndicator(ch.indicator, data.id, 'added', `${p}.indicator`, flags, local);
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
            return toIndicator(f, data.id, 'split', `${p}.into[${k}]`, flags, local);
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
      status: 'published',
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
      basedOn: baseId,
      lineage: [...(base?.lineage ?? []), data.id],
      demo: data.demo ?? false,
      requires: data.requires ?? base?.requires ?? [],
      specialRegion: data.specialRegion ?? base?.specialRegion ?? {},
      flags: [...flagMap.values()],
      notes: data.notes ?? null,
      criteria,
    };
  }

  for (const id of byId.keys()) resolve(id);
  const sets = new Map<string, CriteriaSet>();
  for (const [id, s] of done) if (s) sets.set(id, s);
  return { sets, issues };
}
