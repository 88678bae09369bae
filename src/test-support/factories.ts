/**
 * Test factories: rows with sensible defaults, overridable, creating missing parents.
 * `insertCommune(db, { code: '13510', name: 'Tràng An' })` also creates its list, province and
 * district when they do not exist yet.
 */
import type { Kysely } from 'kysely';
import type { Database, UnitRow } from '../db/schema.ts';
import { foldVietnamese } from '../domain/text.ts';

const LISTS = {
  '2025-03': { name: 'Danh mục 1/3/2025', valid_from: null, valid_to: '2025-06-30' },
  '2025-07': { name: 'Danh mục từ 1/7/2025', valid_from: '2025-07-01', valid_to: null },
} as const;

type ListId = keyof typeof LISTS;

async function ensureList(db: Kysely<Database>, listId: ListId): Promise<void> {
  const l = LISTS[listId];
  await db
    .insertInto('unit_list')
    .values({ id: listId, name: l.name, valid_from: l.valid_from, valid_to: l.valid_to, source: 'test', imported_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

async function ensureUnit(db: Kysely<Database>, row: Omit<UnitRow, 'name_folded' | 'full_name'>): Promise<UnitRow> {
  const existing = await db.selectFrom('unit').selectAll().where('id', '=', row.id).executeTakeFirst();
  if (existing) return existing;
  const full: UnitRow = { ...row, full_name: `${row.type} ${row.name}`, name_folded: foldVietnamese(row.name) };
  await db.insertInto('unit').values(full).execute();
  return full;
}

export interface CommuneFixture {
  code?: string;
  name?: string;
  listId?: ListId;
  provinceCode?: string;
  provinceName?: string;
  districtCode?: string;
  districtName?: string;
  region?: string | null;
}

/** A commune (with its province, and district on the old list) plus the province's region. */
export async function insertCommune(db: Kysely<Database>, f: CommuneFixture = {}): Promise<UnitRow> {
  const listId = f.listId ?? '2025-03';
  await ensureList(db, listId);
  const l = LISTS[listId];
  const provinceCode = f.provinceCode ?? (listId === '2025-03' ? '35' : '37');
  const province = await ensureUnit(db, {
    id: `${provinceCode}@${listId}`,
    list_id: listId,
    code: provinceCode,
    name: f.provinceName ?? (listId === '2025-03' ? 'Hà Nam' : 'Ninh Bình'),
    type: 'Tỉnh',
    level: 'province',
    parent_id: null,
    province_id: null,
    valid_from: l.valid_from,
    valid_to: l.valid_to,
  });
  const region = f.region === undefined ? 'DBSH' : f.region;
  if (region) {
    const has = await db.selectFrom('unit_attribute').select('id').where('unit_id', '=', province.id).where('name', '=', 'region').executeTakeFirst();
    if (!has) {
      await db
        .insertInto('unit_attribute')
        .values({ unit_id: province.id, name: 'region', value: region, valid_from: null, valid_to: null, source: 'test', created_at: new Date().toISOString() })
        .execute();
    }
  }
  let parentId = province.id;
  if (listId === '2025-03') {
    const districtCode = f.districtCode ?? '352';
    const district = await ensureUnit(db, {
      id: `${districtCode}@${listId}`,
      list_id: listId,
      code: districtCode,
      name: f.districtName ?? 'Bình Lục',
      type: 'Huyện',
      level: 'district',
      parent_id: province.id,
      province_id: province.id,
      valid_from: l.valid_from,
      valid_to: l.valid_to,
    });
    parentId = district.id;
  }
  const code = f.code ?? String(10000 + Math.floor(Math.random() * 89999));
  return ensureUnit(db, {
    id: `${code}@${listId}`,
    list_id: listId,
    code,
    name: f.name ?? `Xã thử ${code}`,
    type: 'Xã',
    level: 'commune',
    parent_id: parentId,
    province_id: province.id,
    valid_from: l.valid_from,
    valid_to: l.valid_to,
  });
}

export async function linkUnits(db: Kysely<Database>, predecessorId: string, successorId: string, part: 'full' | 'partial' = 'full'): Promise<void> {
  await db
    .insertInto('unit_lineage')
    .values({ predecessor_id: predecessorId, successor_id: successorId, part, effective_on: '2025-07-01' })
    .onConflict((oc) => oc.columns(['predecessor_id', 'successor_id']).doNothing())
    .execute();
}
