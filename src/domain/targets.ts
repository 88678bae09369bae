/**
 * Ngưỡng áp dụng — which target applies to a commune: by region (2021–2025, with đặc biệt khó khăn
 * and ATK communes switched to TDMNPB), by commune group (2026–2030), by year (income 2022…2025),
 * or not at all yet ("to be set by the province"). Pure.
 */
import type {
  CommuneGroup,
  CommuneProfile,
  CriteriaSet,
  IndicatorTarget,
  IndicatorValues,
  RegionCode,
  SpecialStatus,
  TargetLeaf,
  TargetOp,
  TargetValueSpec,
} from './criteria.ts';
import type { BilingualMessage } from './errors.ts';

/** The facts about a commune and date that select a target. */
export interface TargetContext {
  region: RegionCode | null;
  /** Set when the region was replaced because of a special status (dbkk/atk → TDMNPB). */
  regionVia: SpecialStatus | null;
  group: CommuneGroup | null;
  year: number | null;
  /** The numeric facts the commune reported for the set's declared attributes (e.g. school count). */
  attributes?: Readonly<Record<string, number>>;
}

/**
 * Why no threshold could be chosen: the commune lacks a region/group, the year has none, a fact the
 * target depends on (attribute) was not reported, or the province has not set it.
 */
export type TargetGap = 'region' | 'group' | 'year' | 'attribute' | 'value';

/** Căn cứ áp dụng — why this target applies. */
export interface TargetBasis {
  setId: string;
  override: boolean;
  derivedFrom: IndicatorTarget['derivedFrom'];
  region: RegionCode | null;
  regionVia: SpecialStatus | null;
  group: CommuneGroup | null;
  year: number | null;
  missing: TargetGap | null;
  text: BilingualMessage;
}

export interface ResolvedTarget {
  op: TargetOp;
  value: TargetLeaf | null;
  basis: TargetBasis;
}

export const SPECIAL_STATUS_NAMES: Readonly<Record<SpecialStatus, BilingualMessage>> = {
  dbkk: { vi: 'xã đặc biệt khó khăn', en: 'extremely disadvantaged commune' },
  atk: { vi: 'xã an toàn khu (ATK)', en: 'ATK (safe-zone) commune' },
  dtts_kv23: { vi: 'xã khu vực II, III vùng đồng bào DTTS và miền núi', en: 'area II/III commune of an ethnic-minority and mountain region' },
  bai_ngang_dbkk: { vi: 'xã đặc biệt khó khăn vùng bãi ngang ven biển và hải đảo', en: 'extremely difficult coastal-lowland or island commune' },
  atk_huyen_ngheo: { vi: 'xã an toàn khu thuộc huyện nghèo', en: 'safe-zone (ATK) commune of a poor district' },
};

/**
 * The target context of a commune on a date under a set (applies the set's special-status rule).
 * A status the set switches to an unknown region (`null`) leaves the region unknown, with the status
 * recorded so the reason says why.
 */
export function targetContext(set: CriteriaSet, commune: CommuneProfile, year: number | null, values?: IndicatorValues): TargetContext {
  const special = commune.special ?? null;
  const switches = special !== null && Object.hasOwn(set.specialRegion, special);
  const switched = switches ? (set.specialRegion[special] ?? null) : null;
  const ctx: TargetContext = {
    region: switches ? switched : (commune.region ?? null),
    regionVia: switches ? special : null,
    group: commune.group ?? null,
    year,
  };
  const attributes = attributesOf(set, values);
  if (attributes !== null) ctx.attributes = attributes;
  return ctx;
}

/** The declared attributes reported as non-negative finite numbers, or null when the set has none. */
export function attributesOf(set: CriteriaSet, values: IndicatorValues | undefined): Record<string, number> | null {
  if (set.attributes.length === 0) return null;
  const out: Record<string, number> = {};
  for (const a of set.attributes) {
    const v = values?.[a.code];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[a.code] = v;
  }
  return out;
}

/** A stable key for everything in a context that can change a target: used to cache compiled sets. */
export function contextKey(ctx: TargetContext): string {
  const base = `${ctx.region ?? '-'}|${ctx.regionVia ?? '-'}|${ctx.group ?? '-'}|${ctx.year ?? '-'}`;
  if (ctx.attributes === undefined) return base;
  return `${base}|${Object.entries(ctx.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

function isLeaf(spec: TargetValueSpec): spec is TargetLeaf | null {
  return spec === null || typeof spec !== 'object';
}

/** Pick the threshold for a context, recording which dimensions were used. */
export function resolveTarget(target: IndicatorTarget, ctx: TargetContext): ResolvedTarget {
  let spec: TargetValueSpec | undefined = target.value;
  let region: RegionCode | null = null;
  let group: CommuneGroup | null = null;
  let year: number | null = null;
  let attribute: { code: string; value: number | null } | null = null;
  let missing: TargetGap | null = null;
  // Nested maps (e.g. region then year) are walked until a leaf or a missing dimension.
  while (spec !== undefined && !isLeaf(spec)) {
    if ('byRegion' in spec) {
      if (ctx.region === null) {
        missing = 'region';
        break;
      }
      region = ctx.region;
      spec = spec.byRegion[ctx.region];
    } else if ('byGroup' in spec) {
      if (ctx.group === null) {
        missing = 'group';
        break;
      }
      group = ctx.group;
      spec = spec.byGroup[String(ctx.group) as '1' | '2' | '3'];
    } else if ('byAttribute' in spec) {
      const { attribute: code, bands } = spec.byAttribute;
      const v = ctx.attributes?.[code];
      attribute = { code, value: v ?? null };
      if (v === undefined) {
        missing = 'attribute';
        break;
      }
      spec = bands.find((b) => (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max))?.value ?? null;
    } else {
      year = ctx.year;
      if (ctx.year === null || !(String(ctx.year) in spec.byYear)) {
        missing = 'year';
        break;
      }
      spec = spec.byYear[String(ctx.year)];
    }
  }
  let value: TargetLeaf | null = null;
  if (missing === null) {
    if (spec === undefined || spec === null) missing = 'value';
    else value = spec as TargetLeaf;
  }
  // The special status is part of the basis when it chose the region, or left it unknown.
  const regionVia = region !== null || missing === 'region' ? ctx.regionVia : null;
  const basis: TargetBasis = {
    setId: target.setBy,
    override: target.override,
    derivedFrom: target.derivedFrom,
    region,
    regionVia,
    group,
    year,
    missing,
    text: basisText(target, { region, regionVia, group, year }, missing, attribute),
  };
  return { op: target.op, value, basis };
}

function basisText(target: IndicatorTarget, used: TargetContext, missing: TargetGap | null, attribute: { code: string; value: number | null } | null): BilingualMessage {
  const vi: string[] = [];
  const en: string[] = [];
  if (attribute !== null && attribute.value !== null) {
    vi.push(`${attribute.code} = ${attribute.value}`);
    en.push(`${attribute.code} = ${attribute.value}`);
  }
  if (used.region !== null) {
    if (used.regionVia !== null) {
      const s = SPECIAL_STATUS_NAMES[used.regionVia];
      vi.push(`vùng ${used.region} (${s.vi} áp dụng ngưỡng ${used.region})`);
      en.push(`region ${used.region} (${s.en} uses the ${used.region} thresholds)`);
    } else {
      vi.push(`vùng ${used.region}`);
      en.push(`region ${used.region}`);
    }
  }
  if (used.group !== null) {
    vi.push(`nhóm xã ${used.group}`);
    en.push(`commune group ${used.group}`);
  }
  if (used.year !== null && missing !== 'year') {
    vi.push(`năm ${used.year}`);
    en.push(`year ${used.year}`);
  }
  if (target.derivedFrom !== null) {
    const d = target.derivedFrom;
    vi.push(`bằng ${d.factor} × ngưỡng chỉ tiêu ${d.indicator} của bộ ${d.setId}`);
    en.push(`${d.factor} × the target of indicator ${d.indicator} in set ${d.setId}`);
  }
  if (target.override) {
    vi.push(`ngưỡng do bộ tiêu chí ${target.setBy} quy định (ghi đè bộ gốc)`);
    en.push(`provincial override by set ${target.setBy}`);
  } else {
    vi.push(`theo bộ tiêu chí ${target.setBy}`);
    en.push(`from set ${target.setBy}`);
  }
  switch (missing) {
    case 'region':
      if (used.regionVia !== null) {
        const s = SPECIAL_STATUS_NAMES[used.regionVia];
        vi.push(`ngưỡng khác nhau theo vùng; ${s.vi} áp dụng ngưỡng của vùng khác nhưng nguồn chưa cho biết vùng nào`);
        en.push(`the target varies by region; a ${s.en} uses another region's thresholds, but the source does not show which`);
      } else {
        vi.push('ngưỡng khác nhau theo vùng nhưng xã chưa có vùng');
        en.push('the target varies by region and the commune has no region');
      }
      break;
    case 'group':
      vi.push('ngưỡng khác nhau theo nhóm xã nhưng xã chưa được xếp nhóm');
      en.push('the target varies by commune group and the commune has no group');
      break;
    case 'year':
      if (used.year === null) {
        vi.push('ngưỡng khác nhau theo năm nhưng chưa chọn năm');
        en.push('the target varies by year and no year was given');
      } else {
        vi.push(`không có ngưỡng cho năm ${used.year}`);
        en.push(`no target for year ${used.year}`);
      }
      break;
    case 'attribute':
      vi.push(`ngưỡng phụ thuộc "${attribute?.code ?? ''}" nhưng xã chưa báo cáo số liệu này`);
      en.push(`the target depends on "${attribute?.code ?? ''}", which the commune has not reported`);
      break;
    case 'value':
      vi.push('ngưỡng do tỉnh quy định, chưa có trong bộ tiêu chí này');
      en.push('target to be set by the province, not in this set yet');
      break;
    case null:
      break;
  }
  return { vi: vi.join('; '), en: en.join('; ') };
}
