import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import type { NewUnitRow } from './schema.ts';
import * as repo from './unit.repository.ts';
import { foldVietnamese } from '../domain/text.ts';

/** A unit row with sensible defaults; the id follows code and list. */
function unitRow(o: Partial<NewUnitRow> & { code: string }): NewUnitRow {
  const list = o.list_id ?? 'T1';
  const name = o.name ?? `Đơn vị ${o.code}`;
  const type = o.type ?? 'Xã';
  return {
    id: `${o.code}@${list}`,
    list_id: list,
    name,
    full_name: `${type} ${name}`,
    name_folded: foldVietnamese(name),
    type,
    level: 'commune',
    parent_id: null,
    province_id: null,
    valid_from: null,
    valid_to: null,
    ...o,
  };
}

describe('escapeLike and chunkSizeFor', () => {
  it('escapes %, _ and the escape character', () => {
    expect(repo.escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
  it('keeps rows × columns under the parameter limit of both databases', () => {
    expect(repo.chunkSizeFor(13) * 13).toBeLessThanOrEqual(repo.MAX_PARAMS_PER_STATEMENT);
    expect(repo.MAX_PARAMS_PER_STATEMENT).toBeLessThan(32_766);
  });
});

describeEachDialect('unit repository', (ctx) => {
  beforeAll(async () => {
    const k = ctx.db.kysely;
    for (const id of ['T1', 'T2', 'BULK']) await repo.insertUnitList(k, { id, name: id, valid_from: null, valid_to: null, source: 'test', imported_at: '2026-01-01T00:00:00Z' });
    await repo.insertUnits(k, [
      unitRow({ code: '01', name: 'Hà Nam', type: 'Tỉnh', level: 'province', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '011', name: 'Bình Lục', type: 'Huyện', level: 'district', parent_id: '01@T1', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '01001', name: 'Tràng An', parent_id: '011@T1', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '01002', name: 'An Tràng', parent_id: '011@T1', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '01003', name: 'Tràng An Hạ', type: 'Thị trấn', parent_id: '011@T1', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '01004', name: 'Ấp 50%_x', parent_id: '011@T1', province_id: '01@T1', valid_to: '2025-06-30' }),
      unitRow({ code: '02', list_id: 'T2', name: 'Ninh Bình', type: 'Tỉnh', level: 'province', province_id: '02@T2', valid_from: '2025-07-01' }),
      unitRow({ code: '02001', list_id: 'T2', name: 'Bình Lục', parent_id: '02@T2', province_id: '02@T2', valid_from: '2025-07-01' }),
    ]);
  });

  it('finds units and maps rows to domain objects', async () => {
    const u = await repo.findUnit(ctx.db.kysely, '01001@T1');
    expect(u).toEqual({
      id: '01001@T1',
      listId: 'T1',
      code: '01001',
      name: 'Tràng An',
      fullName: 'Xã Tràng An',
      type: 'Xã',
      level: 'commune',
      parentId: '011@T1',
      provinceId: '01@T1',
      validFrom: null,
      validTo: '2025-06-30',
    });
    expect(await repo.findUnit(ctx.db.kysely, 'nope')).toBeUndefined();
    expect((await repo.findUnits(ctx.db.kysely, ['01@T1', '02@T2', '01@T1', 'x'])).map((x) => x.id).sort()).toEqual(['01@T1', '02@T2']);
  });

  it('inserts thousands of rows in batches under the PostgreSQL parameter limit', async () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => unitRow({ code: String(10_000 + i), list_id: 'BULK' }));
    const progress: number[] = [];
    await repo.insertUnits(ctx.db.kysely, rows, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(6_000);
    expect(progress.length).toBeGreaterThan(2);
    expect((await repo.countUnits(ctx.db.kysely, 'BULK')).commune).toBe(6_000);
    expect(await repo.countUnits(ctx.db.kysely, 'T1')).toEqual({ province: 1, district: 1, commune: 4 });
  });

  it('searches folded names: exact, prefix, contains; with parents; escaping LIKE wildcards', async () => {
    const hits = await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'trang an' }], limit: 10 });
    expect(hits.map((h) => [h.id, h.rank])).toEqual([
      ['01001@T1', 0],
      ['01003@T1', 1],
    ]);
    expect(hits[0]!.parents.map((p) => p.fullName)).toEqual(['Huyện Bình Lục', 'Tỉnh Hà Nam']);
    const contains = await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'trang' }], limit: 10, level: 'commune' });
    expect(contains.map((h) => [h.id, h.rank])).toEqual([
      ['01001@T1', 1],
      ['01003@T1', 1],
      ['01002@T1', 2],
    ]);
    expect((await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: '50%_' }], limit: 10 })).map((h) => h.id)).toEqual(['01004@T1']);
    expect(await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'ap 5_' }], limit: 10 })).toEqual([]);
    const typed = await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'trang an', type: 'Thị trấn' }], limit: 10 });
    expect(typed.map((h) => h.id)).toEqual(['01003@T1']);
    const dated = await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'binh luc' }], limit: 10, date: '2025-07-01' });
    expect(dated.map((h) => [h.id, h.parents.map((p) => p.id)])).toEqual([['02001@T2', ['02@T2']]]);
    const inProvince = await repo.searchUnitRows(ctx.db.kysely, { terms: [{ folded: 'binh' }], limit: 10, provinceId: '02@T2' });
    expect(inProvince.map((h) => h.id)).toEqual(['02001@T2', '02@T2']);
  });

  it('lists children and the communes under a unit valid on a date', async () => {
    expect((await repo.listChildUnits(ctx.db.kysely, '011@T1')).map((u) => u.code)).toEqual(['01001', '01002', '01003', '01004']);
    const under = await repo.listCommunesUnder(ctx.db.kysely, { id: '01@T1', level: 'province' }, '2025-01-01');
    expect(under).toHaveLength(4);
    expect(under[0]!.parentName).toBe('Huyện Bình Lục');
    expect(await repo.listCommunesUnder(ctx.db.kysely, { id: '01@T1', level: 'province' }, '2025-07-01')).toEqual([]);
    expect((await repo.listCommunesUnder(ctx.db.kysely, { id: '011@T1', level: 'district' }, '2025-06-30')).length).toBe(4);
  });

  it('stores, updates and removes lineage links, read from both sides', async () => {
    const k = ctx.db.kysely;
    await repo.insertLineage(k, [
      { predecessor_id: '01001@T1', successor_id: '02001@T2', part: 'full', effective_on: '2025-07-01' },
      { predecessor_id: '01002@T1', successor_id: '02001@T2', part: 'partial', effective_on: '2025-07-01' },
    ]);
    const l = await repo.findLineageOf(k, '02001@T2');
    expect(l.predecessors.map((p) => [p.id, p.part, p.effectiveOn])).toEqual([
      ['01001@T1', 'full', '2025-07-01'],
      ['01002@T1', 'partial', '2025-07-01'],
    ]);
    expect((await repo.findLineageOf(k, '01001@T1')).successors.map((s) => s.fullName)).toEqual(['Xã Bình Lục']);
    await repo.updateLineage(k, { predecessor_id: '01002@T1', successor_id: '02001@T2', part: 'full', effective_on: '2025-07-01' });
    await repo.deleteLineage(k, '01001@T1', '02001@T2');
    expect(await repo.listLineageFromLists(k, ['T1'])).toEqual([{ predecessor_id: '01002@T1', successor_id: '02001@T2', part: 'full', effective_on: '2025-07-01' }]);
  });

  it('stores attribute periods, oldest first, and updates or deletes them', async () => {
    const k = ctx.db.kysely;
    const base = { unitId: '01001@T1', name: 'group' as const, source: 'test', createdAt: '2026-01-01T00:00:00Z' };
    const b = await repo.insertAttribute(k, { ...base, value: '2', validFrom: '2024-01-01', validTo: null });
    await repo.insertAttributes(k, [{ ...base, value: '1', validFrom: '2023-01-01', validTo: '2023-12-31' }, { ...base, name: 'region', value: 'DBSH', validFrom: null, validTo: null }]);
    expect(b.id).toBeGreaterThan(0);
    const all = await repo.listAttributes(k, ['01001@T1']);
    expect(all.map((a) => [a.name, a.value, a.validFrom])).toEqual([
      ['group', '1', '2023-01-01'],
      ['group', '2', '2024-01-01'],
      ['region', 'DBSH', null],
    ]);
    await repo.updateAttribute(k, b.id, { validTo: '2024-12-31' });
    expect((await repo.listAttributes(k, ['01001@T1'], 'group'))[1]).toMatchObject({ id: b.id, value: '2', validTo: '2024-12-31' });
    await repo.deleteAttribute(k, b.id);
    expect(await repo.listAttributes(k, ['01001@T1'], 'group')).toHaveLength(1);
    expect((await repo.listAttributesOfLists(k, ['T1'], 'region')).map((a) => a.unitId)).toEqual(['01001@T1']);
  });

  it('updates a unit row', async () => {
    await repo.updateUnit(ctx.db.kysely, '01004@T1', { name: 'Ấp Mới', full_name: 'Xã Ấp Mới', name_folded: 'ap moi' });
    expect((await repo.findUnit(ctx.db.kysely, '01004@T1'))!.fullName).toBe('Xã Ấp Mới');
  });
});
