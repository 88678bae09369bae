/**
 * Look-ups of the spreadsheet import: every commune of a unit list (to match a commune written
 * by code or by name), and the reviews a batch of rows would touch (same commune, set and date).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, ReviewRow } from './schema.ts';
import type { UnitWithParents } from './report.repository.ts';
import { toUnit } from './unit.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Every commune-level unit of a list, with its parent and province names. */
export async function listCommunesOfList(db: Q, listId: string): Promise<UnitWithParents[]> {
  const rows = await db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .leftJoin('unit as pr', 'pr.id', 'u.province_id')
    .selectAll('u')
    .select(['p.full_name as parent_full_name', 'p.name_folded as parent_folded', 'pr.full_name as province_full_name', 'pr.name_folded as province_folded'])
    .where('u.level', '=', 'commune')
    .where('u.list_id', '=', listId)
    .orderBy('u.code')
    .execute();
  return rows.map((r) => ({
    ...toUnit(r),
    nameFolded: r.name_folded,
    parentName: r.parent_full_name ?? null,
    parentNameFolded: r.parent_folded ?? null,
    provinceName: r.province_full_name ?? null,
    provinceNameFolded: r.province_folded ?? null,
  }));
}

/** For each (unit, date) key, the latest review of that set (highest id), if any. */
export async function findReviewsByKeys(db: Q, setId: string, keys: ReadonlyArray<{ unitId: string; reviewedOn: string }>): Promise<Map<string, ReviewRow>> {
  const out = new Map<string, ReviewRow>();
  const wanted = new Set(keys.map((k) => `${k.unitId}|${k.reviewedOn}`));
  const unitIds = [...new Set(keys.map((k) => k.unitId))];
  const dates = [...new Set(keys.map((k) => k.reviewedOn))];
  for (let i = 0; i < unitIds.length; i += 500) {
    const rows = await db
      .selectFrom('review')
      .selectAll()
      .where('set_id', '=', setId)
      .where('unit_id', 'in', unitIds.slice(i, i + 500))
      .where('reviewed_on', 'in', dates.slice(0, 500))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const key = `${r.unit_id}|${r.reviewed_on}`;
      if (wanted.has(key)) out.set(key, r);
    }
  }
  // More than 500 distinct dates in one batch is unusual: fetch the rest one key at a time.
  if (dates.length > 500) {
    for (const k of keys) {
      const key = `${k.unitId}|${k.reviewedOn}`;
      if (out.has(key) || !dates.slice(500).includes(k.reviewedOn)) continue;
      const r = await db.selectFrom('review').selectAll().where('set_id', '=', setId).where('unit_id', '=', k.unitId).where('reviewed_on', '=', k.reviewedOn).orderBy('id', 'desc').executeTakeFirst();
      if (r) out.set(key, r);
    }
  }
  return out;
}
