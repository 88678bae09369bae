/**
 * Tham chiếu trong yêu cầu — ids that a request carries in its body or query string (a unit, an
 * account, a task…). Each is declared in the route's schema with `x-ref: <kind>`
 * (`Ref(kind, schema)` in src/http/schemas/common.schema.ts); the HTTP layer resolves every
 * declared reference to the unit its record belongs to and authorises the route's action there
 * before the handler runs (src/services/reference.service.ts). Pure: this file only reads schemas.
 *
 * A field that looks like an id (`unitId`, `taskIds`, `user_id`, `username`…) and declares no
 * reference is an error when the route is registered, so a new route cannot forget one; a field
 * that looks like an id but is not stored data to authorise says so with `x-ref: 'none'`.
 */

/** What an id refers to, and so which unit it belongs to. */
export const REF_KINDS = ['unit', 'user', 'task', 'conclusion', 'review', 'dossier', 'committee', 'member', 'plan', 'document'] as const;
export type RefKind = (typeof REF_KINDS)[number];

export const REF_LABELS: Record<RefKind, { vi: string; en: string }> = {
  unit: { vi: 'đơn vị', en: 'unit' },
  user: { vi: 'tài khoản', en: 'account' },
  task: { vi: 'nhiệm vụ', en: 'task' },
  conclusion: { vi: 'kết luận', en: 'conclusion' },
  review: { vi: 'bản rà soát', en: 'review' },
  dossier: { vi: 'hồ sơ', en: 'dossier' },
  committee: { vi: 'Ban Chỉ đạo', en: 'committee' },
  member: { vi: 'thành viên Ban Chỉ đạo', en: 'committee member' },
  plan: { vi: 'kế hoạch hành động', en: 'action plan' },
  document: { vi: 'tài liệu hồ sơ', en: 'dossier document' },
};

/**
 * How far a reference may reach: `scope` (default) — the route's action must be allowed on the
 * referenced record's unit; `above` — also a unit above the caller's own units (a budget request
 * addressed to the commune's district or province).
 */
export type RefReach = 'scope' | 'above';

/** A declared reference: where it sits in the body (`tasks[].assignee.username`) and what it is. */
export interface RefSite {
  /** Property names; `[]` for the items of an array, `*` for the values of a record. */
  path: string[];
  kind: RefKind;
  reach: RefReach;
}

/** What a walk of a request schema finds. */
export interface SchemaRefs {
  refs: RefSite[];
  /** Fields that look like ids but declare no reference (nor `x-ref: 'none'`). */
  undeclared: string[];
}

/** Field names that hold ids: `id`, `…Id`, `…Ids`, `…_id`, and the names of the kinds themselves. */
const ID_NAME = /^(id|ids|username|usernames|user|unit|task|conclusion|review|dossier|committee|member|plan|document)$|[a-z0-9]Ids?$|_ids?$/;

export function looksLikeId(name: string): boolean {
  return ID_NAME.test(name);
}

type Schema = Record<string, unknown>;

function isObject(x: unknown): x is Schema {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Does the schema describe a value that can hold an id (a string, an integer, or a list of them)? */
function scalarish(s: Schema): boolean {
  const t = s.type;
  if (t === 'object') return false;
  if (t === 'array') return isObject(s.items) ? scalarish(s.items) : false;
  if (t === 'string' || t === 'integer' || t === 'number') return true;
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const xs = s[k];
    if (Array.isArray(xs)) return xs.some((x) => isObject(x) && x.type !== 'null' && scalarish(x));
  }
  return false;
}

/** Does a reference declaration (or `none`) sit somewhere inside (the items of a list, a branch of a union)? */
function declaresInside(s: Schema): boolean {
  if (typeof s['x-ref'] === 'string') return true;
  if (isObject(s.items) && declaresInside(s.items)) return true;
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const xs = s[k];
    if (Array.isArray(xs) && xs.some((x) => isObject(x) && declaresInside(x))) return true;
  }
  return false;
}

export function showPath(path: readonly string[]): string {
  return path.join('.').replace(/\.\[\]/g, '[]');
}

/** Walk a request schema (JSON Schema, as TypeBox builds it and OpenAPI shows it). */
export function referencesOf(schema: unknown): SchemaRefs {
  const out: SchemaRefs = { refs: [], undeclared: [] };
  const seen = new Set<unknown>();
  const walk = (s: unknown, path: string[], name: string | null): void => {
    if (!isObject(s) || seen.has(s)) return;
    const ref = s['x-ref'];
    if (typeof ref === 'string') {
      if (ref === 'none') return;
      if (!(REF_KINDS as readonly string[]).includes(ref)) throw new Error(`unknown reference kind "${ref}" at ${showPath(path)}`);
      out.refs.push({ path, kind: ref as RefKind, reach: s['x-ref-reach'] === 'above' ? 'above' : 'scope' });
      return;
    }
    if (name !== null && looksLikeId(name) && scalarish(s) && !declaresInside(s)) {
      out.undeclared.push(showPath(path));
      return;
    }
    seen.add(s);
    if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) walk(v, [...path, k], k);
    if (isObject(s.items)) walk(s.items, [...path, '[]'], name);
    if (isObject(s.additionalProperties)) walk(s.additionalProperties, [...path, '*'], null);
    if (isObject(s.patternProperties)) for (const v of Object.values(s.patternProperties)) walk(v, [...path, '*'], null);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
      const xs = s[k];
      if (Array.isArray(xs)) for (const x of xs) walk(x, path, name);
    }
    seen.delete(s);
  };
  walk(schema, [], null);
  // The same site reached through several branches of a union counts once.
  const key = (r: RefSite) => `${r.path.join('\u0000')}|${r.kind}|${r.reach}`;
  out.refs = [...new Map(out.refs.map((r) => [key(r), r])).values()];
  out.undeclared = [...new Set(out.undeclared)];
  return out;
}

/** A value found at a reference site, with the field name a refusal shows (`tasks.0.unitId`). */
export interface FoundRef {
  field: string;
  kind: RefKind;
  reach: RefReach;
  value: string | number;
}

/** The values a request carries at its reference sites (nulls and absent fields skipped). */
export function collectReferences(sites: readonly RefSite[], value: unknown, prefix = ''): FoundRef[] {
  const out: FoundRef[] = [];
  const visit = (v: unknown, rest: readonly string[], at: string[], site: RefSite): void => {
    if (v === null || v === undefined) return;
    if (rest.length === 0) {
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, [], [...at, String(i)], site));
      else if (typeof v === 'string' || typeof v === 'number') out.push({ field: prefix + at.join('.'), kind: site.kind, reach: site.reach, value: v });
      return;
    }
    const [head, ...tail] = rest;
    if (head === '[]') {
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, tail, [...at, String(i)], site));
    } else if (head === '*') {
      if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, tail, [...at, k], site);
    } else if (isObject(v) && Object.prototype.hasOwnProperty.call(v, head!)) {
      visit(v[head!], tail, [...at, head!], site);
    }
  };
  for (const s of sites) visit(value, s.path, [], s);
  return out;
}
