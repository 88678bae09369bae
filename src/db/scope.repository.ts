/** The unit relations authorisation needs: parents and merge lineage, for many units at once. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function parentsOf(db: Q, ids: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('unit').select(['id', 'parent_id']).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, r.parent_id);
  return out;
}

/** Predecessors and successors (one hop) of each id. */
export async function lineageNeighbours(db: Q, ids: readonly string[]): Promise<Array<{ predecessor_id: string; successor_id: string }>> {
  if (ids.length === 0) return [];
  const list = [...new Set(ids)];
  return db
    .selectFrom('unit_lineage')
    .select(['predecessor_id', 'successor_id'])
    .where((eb) => eb.or([eb('predecessor_id', 'in', list), eb('successor_id', 'in', list)]))
    .execute();
}

/** A unit and every unit under it (province → districts → communes), for audit filters. */
export async function subtreeIds(db: Q, unitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('unit')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', unitId), eb('parent_id', '=', unitId), eb('province_id', '=', unitId)]))
    .execute();
  return rows.map((r) => r.id);
}
