/**
 * Unit look-ups for reports and spreadsheet imports: provinces valid on a date (the national
 * matrix), and communes valid on a date with their parent and province names (matching a commune
 * written by name in a hand-made sheet). Read-only.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { toUnit } from './unit.repository.ts';
import type { Unit } from '../domain/unit.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface UnitWithParents extends Unit {
  nameFolded: string;
  parentName: string | null;
  parentNameFolded: string | null;
  provinceName: string | null;
  provinceNameFolded: string | null;
}

/** Provinces valid on `date`, in code order. */
export async function listProvincesValidOn(db: Q, date: string): Promise<Unit[]> {
  const rows = await db
    .selectFrom('unit')
    .selectAll()
    .where('level', '=', 'province')
    .where((eb) => eb.and([eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', date)]), eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)])]))
    .orderBy('code')
    .execute();
  return rows.map(toUnit);
}

/** Commune-level units valid on `date` (optionally in one province), with parent and province names. */
export async function listCommunesWithParents(db: Q, date: string, provinceId?: string): Promise<UnitWithParents[]> {
  let q = db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .leftJoin('unit as pr', 'pr.id', 'u.province_id')
    .selectAll('u')
    .select(['p.full_name as parent_full_name', 'p.name_folded as parent_folded', 'pr.full_name as province_full_name', 'pr.name_folded as province_folded'])
    .where('u.level', '=', 'commune')
    .where((eb) => eb.and([eb.or([eb('u.valid_from', 'is', null), eb('u.valid_from', '<=', date)]), eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>=', date)])]));
  if (provinceId) q = q.where('u.province_id', '=', provinceId);
  const rows = await q.orderBy('u.code').execute();
  return rows.map((r) => ({
    ...toUnit(r),
    nameFolded: r.name_folded,
    parentName: r.parent_full_name ?? null,
    parentNameFolded: r.parent_folded ?? null,
    provinceName: r.province_full_name ?? null,
    provinceNameFolded: r.province_folded ?? null,
  }));
}

/** Units by id (any level), with the same parent names. */
export async function findUnitsWithParents(db: Q, ids: readonly string[]): Promise<UnitWithParents[]> {
  const out: UnitWithParents[] = [];
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('unit as u')
      .leftJoin('unit as p', 'p.id', 'u.parent_id')
      .leftJoin('unit as pr', 'pr.id', 'u.province_id')
      .selectAll('u')
      .select(['p.full_name as parent_full_name', 'p.name_folded as parent_folded', 'pr.full_name as province_full_name', 'pr.name_folded as province_folded'])
      .where('u.id', 'in', ids.slice(i, i + 900))
      .execute();
    out.push(
      ...rows.map((r) => ({
        ...toUnit(r),
        nameFolded: r.name_folded,
        parentName: r.parent_full_name ?? null,
        parentNameFolded: r.parent_folded ?? null,
        provinceName: r.province_full_name ?? null,
        provinceNameFolded: r.province_folded ?? null,
      })),
    );
  }
  return out;
}

/** Communes of a type valid on `date` whose province is valid then too (the national trend's denominator). */
export async function countCommunesValidOn(db: Q, date: string, type: string): Promise<number> {
  const row = await db
    .selectFrom('unit as u')
    .innerJoin('unit as pr', 'pr.id', 'u.province_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('u.level', '=', 'commune')
    .where('u.type', '=', type)
    .where('pr.level', '=', 'province')
    .where((eb) => eb.and([eb.or([eb('u.valid_from', 'is', null), eb('u.valid_from', '<=', date)]), eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>=', date)])]))
    .where((eb) => eb.and([eb.or([eb('pr.valid_from', 'is', null), eb('pr.valid_from', '<=', date)]), eb.or([eb('pr.valid_to', 'is', null), eb('pr.valid_to', '>=', date)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rural units that ever had a submitted review on or before `to`, with their validity and province. */
export async function unitsWithSubmittedReviews(db: Q, to: string): Promise<Unit[]> {
  const rows = await db
    .selectFrom('unit')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('review').select('unit_id').where('status', '=', 'submitted').where('reviewed_on', '<=', to))
    .orderBy('code')
    .execute();
  return rows.map(toUnit);
}
