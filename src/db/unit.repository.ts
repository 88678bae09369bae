/**
 * Units, their lists, lineage and attributes: every SQL statement about administrative units.
 * Rows are mapped to domain types (`Unit`, `LinkedUnit`, `UnitAttribute`) here, at the edge.
 * Every function takes a `Kysely<Database>`, so it works the same inside a transaction.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database, NewUnitRow, UnitAttributeTable, UnitLineageTable, UnitListTable, UnitRow } from './schema.ts';
import type { AttributeName, LineagePart, LinkedUnit, Unit, UnitAttribute, UnitLevel, UnitRef } from '../domain/unit.ts';

type Q = Kysely<Database>;

/**
 * Most bound parameters per statement. PostgreSQL allows 65,535 and SQLite 32,766: batches are
 * sized so that rows × columns stays under this on both.
 */
export const MAX_PARAMS_PER_STATEMENT = 30_000;

export function chunkSizeFor(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / columns));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ── Mapping ───────────────────────────────────────────────────────────────────────────────

export function toUnit(r: UnitRow): Unit {
  return {
    id: r.id,
    listId: r.list_id,
    code: r.code,
    name: r.name,
    fullName: r.full_name,
    type: r.type,
    level: r.level,
    parentId: r.parent_id,
    provinceId: r.province_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

type AttributeRow = { id: number } & Omit<UnitAttributeTable, 'id'>;

function toAttribute(r: AttributeRow): UnitAttribute {
  return {
    id: Number(r.id),
    unitId: r.unit_id,
    name: r.name,
    value: r.value,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    source: r.source,
    createdAt: r.created_at,
  };
}

/** Valid on `date`: the unit's validity period (open ends are null) contains it. */
export function validOn(eb: ExpressionBuilder<any, any>, prefix: string, date: string): Expression<SqlBool> {
  return eb.and([
    eb.or([eb(`${prefix}.valid_from`, 'is', null), eb(`${prefix}.valid_from`, '<=', date)]),
    eb.or([eb(`${prefix}.valid_to`, 'is', null), eb(`${prefix}.valid_to`, '>=', date)]),
  ]);
}

// ── Lists ─────────────────────────────────────────────────────────────────────────────────

export async function findUnitLists(db: Q, ids: readonly string[]): Promise<UnitListTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('unit_list').selectAll().where('id', 'in', [...ids]).execute();
}

export async function insertUnitList(db: Q, row: UnitListTable): Promise<void> {
  await db.insertInto('unit_list').values(row).execute();
}

export async function updateUnitList(db: Q, id: string, patch: Partial<Omit<UnitListTable, 'id'>>): Promise<void> {
  await db.updateTable('unit_list').set(patch).where('id', '=', id).execute();
}

// ── Units ─────────────────────────────────────────────────────────────────────────────────

export async function findUnit(db: Q, id: string): Promise<Unit | undefined> {
  const row = await db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUnit(row) : undefined;
}

export async function findUnits(db: Q, ids: readonly string[]): Promise<Unit[]> {
  if (ids.length === 0) return [];
  const out: Unit[] = [];
  for (const part of chunks([...new Set(ids)], 5000)) {
    const rows = await db.selectFrom('unit').selectAll().where('id', 'in', part).execute();
    out.push(...rows.map(toUnit));
  }
  return out;
}

/** Every unit of the given lists, in code order (used by the importer's diff and the tree). */
export async function listUnitsOfLists(db: Q, listIds: readonly string[], opts: { validOn?: string } = {}): Promise<Unit[]> {
  let q = db.selectFrom('unit').selectAll();
  if (listIds.length) q = q.where('list_id', 'in', [...listIds]);
  if (opts.validOn) {
    const date = opts.validOn;
    q = q.where((eb) => validOn(eb, 'unit', date));
  }
  const rows = await q.orderBy('list_id').orderBy('code').execute();
  return rows.map(toUnit);
}

/** Units valid on a date, whatever their list (for the tree at a date). */
export async function listUnitsValidOn(db: Q, date: string): Promise<Unit[]> {
  return listUnitsOfLists(db, [], { validOn: date });
}

export async function listChildUnits(db: Q, parentId: string): Promise<Unit[]> {
  const rows = await db.selectFrom('unit').selectAll().where('parent_id', '=', parentId).orderBy('code').execute();
  return rows.map(toUnit);
}

export interface CommuneUnder extends Unit {
  /** Full name of the commune's parent (its district, or its province in the 2025-07 list). */
  parentName: string | null;
}

/**
 * The commune-level units under a province or district (the subtree: a unit id names one list
 * version), valid on `date`. A commune gives itself.
 */
export async function listCommunesUnder(db: Q, unit: { id: string; level: UnitLevel }, date: string): Promise<CommuneUnder[]> {
  let q = db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .selectAll('u')
    .select('p.full_name as parent_full_name')
    .where('u.level', '=', 'commune')
    .where((eb) => validOn(eb, 'u', date));
  if (unit.level === 'province') q = q.where('u.province_id', '=', unit.id);
  else if (unit.level === 'district') q = q.where('u.parent_id', '=', unit.id);
  else q = q.where('u.id', '=', unit.id);
  const rows = await q.orderBy('u.code').execute();
  return rows.map((r) => ({ ...toUnit(r), parentName: r.parent_full_name ?? null }));
}

/** Insert in batches; `onBatch(done)` after each one. */
export async function insertUnits(db: Q, rows: readonly NewUnitRow[], onBatch?: (done: number) => void): Promise<void> {
  let done = 0;
  for (const part of chunks(rows, chunkSizeFor(13))) {
    await db.insertInto('unit').values(part).execute();
    done += part.length;
    onBatch?.(done);
  }
}

export async function updateUnit(db: Q, id: string, patch: Partial<Omit<NewUnitRow, 'id'>>): Promise<void> {
  await db.updateTable('unit').set(patch).where('id', '=', id).execute();
}

// ── Search ────────────────────────────────────────────────────────────────────────────────

/** One alternative reading of a search: a folded term, optionally restricted to a unit type. */
export interface SearchTerm {
  folded: string;
  type?: string;
}

export interface SearchRowsQuery {
  terms: readonly SearchTerm[];
  level?: UnitLevel;
  date?: string;
  provinceId?: string;
  limit: number;
}

export interface UnitSearchRow extends Unit {
  /** 0 exact, 1 prefix, 2 contains. */
  rank: number;
  parents: UnitRef[];
}

/** `LIKE` needs `%`, `_` and the escape character itself escaped. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function like(column: string, pattern: string) {
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

function termMatch(eb: ExpressionBuilder<any, any>, t: SearchTerm, kind: 'exact' | 'prefix' | 'contains'): Expression<SqlBool> {
  const esc = escapeLike(t.folded);
  const m =
    kind === 'exact' ? eb('u.name_folded', '=', t.folded) : like('u.name_folded', kind === 'prefix' ? `${esc}%` : `%${esc}%`);
  return t.type ? eb.and([eb('u.type', '=', t.type), m]) : m;
}

/** Accent-insensitive search on `name_folded`: exact, then prefix, then contains. */
export async function searchUnitRows(db: Q, query: SearchRowsQuery): Promise<UnitSearchRow[]> {
  const { terms } = query;
  if (terms.length === 0) return [];
  let q = db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .leftJoin('unit as g', 'g.id', 'u.province_id')
    .selectAll('u')
    .select([
      'p.id as p_id',
      'p.code as p_code',
      'p.name as p_name',
      'p.full_name as p_full_name',
      'p.level as p_level',
      'g.id as g_id',
      'g.code as g_code',
      'g.name as g_name',
      'g.full_name as g_full_name',
      'g.level as g_level',
    ])
    .select((eb) =>
      eb
        .case()
        .when(eb.or(terms.map((t) => termMatch(eb, t, 'exact'))))
        .then(0)
        .when(eb.or(terms.map((t) => termMatch(eb, t, 'prefix'))))
        .then(1)
        .else(2)
        .end()
        .as('rank'),
    )
    .where((eb) => eb.or(terms.map((t) => termMatch(eb, t, 'contains'))));
  if (query.level) q = q.where('u.level', '=', query.level);
  if (query.date) {
    const date = query.date;
    q = q.where((eb) => validOn(eb, 'u', date));
  }
  if (query.provinceId) {
    const pid = query.provinceId;
    q = q.where((eb) => eb.or([eb('u.province_id', '=', pid), eb('u.id', '=', pid)]));
  }
  const rows = await q
    .orderBy('rank')
    .orderBy(sql`case u.level when 'province' then 0 when 'district' then 1 else 2 end`)
    .orderBy('u.name_folded')
    .orderBy(sql`coalesce(g.name_folded, '')`)
    .orderBy('u.list_id', 'desc')
    .orderBy('u.id')
    .limit(query.limit)
    .execute();
  return rows.map((r) => {
    const parents: UnitRef[] = [];
    if (r.p_id) parents.push({ id: r.p_id, code: r.p_code!, name: r.p_name!, fullName: r.p_full_name!, level: r.p_level! });
    if (r.g_id && r.g_id !== r.p_id) parents.push({ id: r.g_id, code: r.g_code!, name: r.g_name!, fullName: r.g_full_name!, level: r.g_level! });
    return { ...toUnit(r), rank: Number(r.rank), parents };
  });
}

// ── Lineage ───────────────────────────────────────────────────────────────────────────────

function linked(r: UnitRow & { part: LineagePart; effective_on: string }): LinkedUnit {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    fullName: r.full_name,
    level: r.level,
    listId: r.list_id,
    type: r.type,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    part: r.part,
    effectiveOn: r.effective_on,
  };
}

/** The units a unit came from, and the ones it went into, with the part of each link. */
export async function findLineageOf(db: Q, id: string): Promise<{ predecessors: LinkedUnit[]; successors: LinkedUnit[] }> {
  const preds = await db
    .selectFrom('unit_lineage as l')
    .innerJoin('unit as u', 'u.id', 'l.predecessor_id')
    .selectAll('u')
    .select(['l.part', 'l.effective_on'])
    .where('l.successor_id', '=', id)
    .orderBy('u.code')
    .execute();
  const succs = await db
    .selectFrom('unit_lineage as l')
    .innerJoin('unit as u', 'u.id', 'l.successor_id')
    .selectAll('u')
    .select(['l.part', 'l.effective_on'])
    .where('l.predecessor_id', '=', id)
    .orderBy('u.code')
    .execute();
  return { predecessors: preds.map(linked), successors: succs.map(linked) };
}

/** The predecessors of many units at once: (successor, predecessor id, predecessor full name). */
export async function listPredecessorsOfUnits(db: Q, successorIds: readonly string[]): Promise<Array<{ successorId: string; id: string; fullName: string }>> {
  const out: Array<{ successorId: string; id: string; fullName: string }> = [];
  for (let i = 0; i < successorIds.length; i += 900) {
    const rows = await db
      .selectFrom('unit_lineage as l')
      .innerJoin('unit as u', 'u.id', 'l.predecessor_id')
      .select(['l.successor_id', 'u.id', 'u.full_name'])
      .where('l.successor_id', 'in', successorIds.slice(i, i + 900))
      .orderBy('u.code')
      .execute();
    for (const r of rows) out.push({ successorId: r.successor_id, id: r.id, fullName: r.full_name });
  }
  return out;
}

/** The successors of many units at once: (predecessor, successor id, successor full name, effective date). */
export async function listSuccessorsOfUnits(db: Q, predecessorIds: readonly string[]): Promise<Array<{ predecessorId: string; id: string; fullName: string; effectiveOn: string }>> {
  const out: Array<{ predecessorId: string; id: string; fullName: string; effectiveOn: string }> = [];
  const ids = [...new Set(predecessorIds)];
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('unit_lineage as l')
      .innerJoin('unit as u', 'u.id', 'l.successor_id')
      .select(['l.predecessor_id', 'u.id', 'u.full_name', 'l.effective_on'])
      .where('l.predecessor_id', 'in', ids.slice(i, i + 900))
      .orderBy('u.code')
      .execute();
    for (const r of rows) out.push({ predecessorId: r.predecessor_id, id: r.id, fullName: r.full_name, effectiveOn: r.effective_on });
  }
  return out;
}

/** Every link whose predecessor belongs to one of `listIds`. */
export async function listLineageFromLists(db: Q, listIds: readonly string[]): Promise<UnitLineageTable[]> {
  if (listIds.length === 0) return [];
  return db
    .selectFrom('unit_lineage as l')
    .innerJoin('unit as u', 'u.id', 'l.predecessor_id')
    .select(['l.predecessor_id', 'l.successor_id', 'l.part', 'l.effective_on'])
    .where('u.list_id', 'in', [...listIds])
    .execute();
}

export async function insertLineage(db: Q, rows: readonly UnitLineageTable[], onBatch?: (done: number) => void): Promise<void> {
  let done = 0;
  for (const part of chunks(rows, chunkSizeFor(4))) {
    await db.insertInto('unit_lineage').values(part).execute();
    done += part.length;
    onBatch?.(done);
  }
}

export async function updateLineage(db: Q, row: UnitLineageTable): Promise<void> {
  await db
    .updateTable('unit_lineage')
    .set({ part: row.part, effective_on: row.effective_on })
    .where('predecessor_id', '=', row.predecessor_id)
    .where('successor_id', '=', row.successor_id)
    .execute();
}

export async function deleteLineage(db: Q, predecessorId: string, successorId: string): Promise<void> {
  await db.deleteFrom('unit_lineage').where('predecessor_id', '=', predecessorId).where('successor_id', '=', successorId).execute();
}

// ── Attributes ────────────────────────────────────────────────────────────────────────────

/** Attribute periods of the given units (optionally one attribute), oldest first. */
export async function listAttributes(db: Q, unitIds: readonly string[], name?: AttributeName): Promise<UnitAttribute[]> {
  if (unitIds.length === 0) return [];
  let q = db.selectFrom('unit_attribute').selectAll().where('unit_id', 'in', [...unitIds]);
  if (name) q = q.where('name', '=', name);
  const rows = await q.orderBy('unit_id').orderBy('name').orderBy(sql`coalesce(valid_from, '')`).orderBy('id').execute();
  return rows.map(toAttribute);
}

/** Attribute periods of one name on the units of the given lists (the importer's diff). */
export async function listAttributesOfLists(db: Q, listIds: readonly string[], name: AttributeName): Promise<UnitAttribute[]> {
  if (listIds.length === 0) return [];
  const rows = await db
    .selectFrom('unit_attribute as a')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .selectAll('a')
    .where('u.list_id', 'in', [...listIds])
    .where('a.name', '=', name)
    .orderBy('a.id')
    .execute();
  return rows.map(toAttribute);
}

export type NewAttribute = Omit<UnitAttribute, 'id'>;

function attributeRow(a: NewAttribute) {
  return {
    unit_id: a.unitId,
    name: a.name,
    value: a.value,
    valid_from: a.validFrom,
    valid_to: a.validTo,
    source: a.source,
    created_at: a.createdAt,
  };
}

export async function insertAttribute(db: Q, a: NewAttribute): Promise<UnitAttribute> {
  const row = await db.insertInto('unit_attribute').values(attributeRow(a)).returningAll().executeTakeFirstOrThrow();
  return toAttribute(row);
}

export async function insertAttributes(db: Q, attrs: readonly NewAttribute[]): Promise<void> {
  for (const part of chunks(attrs, chunkSizeFor(7))) {
    await db.insertInto('unit_attribute').values(part.map(attributeRow)).execute();
  }
}

export async function updateAttribute(
  db: Q,
  id: number,
  patch: Partial<Pick<UnitAttribute, 'value' | 'validFrom' | 'validTo' | 'source'>>,
): Promise<void> {
  const set: { value?: string | null; valid_from?: string | null; valid_to?: string | null; source?: string } = {};
  if (patch.value !== undefined) set.value = patch.value;
  if (patch.validFrom !== undefined) set.valid_from = patch.validFrom;
  if (patch.validTo !== undefined) set.valid_to = patch.validTo;
  if (patch.source !== undefined) set.source = patch.source;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('unit_attribute').set(set).where('id', '=', id).execute();
}

export async function deleteAttribute(db: Q, id: number): Promise<void> {
  await db.deleteFrom('unit_attribute').where('id', '=', id).execute();
}

// ── Counts (reports and tests) ────────────────────────────────────────────────────────────

export async function countUnits(db: Q, listId: string): Promise<Record<UnitLevel, number>> {
  const rows = await db
    .selectFrom('unit')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('list_id', '=', listId)
    .groupBy('level')
    .execute();
  const out: Record<UnitLevel, number> = { province: 0, district: 0, commune: 0 };
  for (const r of rows) out[r.level] = Number(r.n);
  return out;
}

/** Full names of units by id ("Xã Tràng An"), for lists. */
export async function unitNames(db: Q, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => typeof x === 'string'))];
  const units = await findUnits(db, list);
  return new Map(units.map((u) => [u.id, u.fullName]));
}

/** The full name of one unit ("Xã Tràng An") for a message; its id when the unit is unknown. */
export async function unitName(db: Q, id: string): Promise<string> {
  return (await unitNames(db, [id])).get(id) ?? id;
}
