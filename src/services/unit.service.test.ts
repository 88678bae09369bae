import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { listAudit } from '../db/audit.repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from './actor.ts';
import { UNIT_FILES, importUnits } from './unit-import.service.ts';
import {
  getCommuneProfile,
  getLineage,
  getTree,
  getUnit,
  listChildren,
  listCommunesUnder,
  searchUnits,
  setUnitAttribute,
  unitValidOn,
  type SetUnitAttributeInput,
} from './unit.service.ts';

const actor: Actor = { id: 'officer:hanam', source: 'web', ip: '10.0.0.7' };

// Hà Nam + Nam Định → Ninh Bình; two "Tràng An" (Hà Nam commune, Quảng Ninh ward); one with "%".
const FILES: Record<string, string> = {
  [UNIT_FILES.before]: `province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13504,Bình Nghĩa,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13510,Tràng An,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13516,Đồng Du,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13519,Bình Mỹ,Thị trấn
36,Nam Định,Tỉnh,356,Vụ Bản,Huyện,13708,An Bình,Xã
22,Quảng Ninh,Tỉnh,205,Đông Triều,Thành phố,07096,Tràng An,Phường
22,Quảng Ninh,Tỉnh,205,Đông Triều,Thành phố,07099,Tân 100%_,Phường
`,
  [UNIT_FILES.after]: `province_code,province_name,province_type,commune_code,commune_name,commune_type
37,Ninh Bình,Tỉnh,13504,Bình Lục,Xã
37,Ninh Bình,Tỉnh,13519,Bình Mỹ,Xã
37,Ninh Bình,Tỉnh,13705,Vụ Bản,Xã
22,Quảng Ninh,Tỉnh,07090,Đông Triều,Phường
`,
  [UNIT_FILES.merges]: `old_commune_code,old_commune_name,new_commune_code,new_commune_name,part
13504,Xã Bình Nghĩa,13504,Xã Bình Lục,full
13510,Xã Tràng An,13504,Xã Bình Lục,full
13516,Xã Đồng Du,13504,Xã Bình Lục,partial
13516,Xã Đồng Du,13519,Xã Bình Mỹ,partial
13519,Thị trấn Bình Mỹ,13519,Xã Bình Mỹ,full
13708,Xã An Bình,13705,Xã Vụ Bản,full
07096,Phường Tràng An,07090,Phường Đông Triều,full
07099,Phường Tân 100%_,07090,Phường Đông Triều,full
`,
  [UNIT_FILES.regions]: `gso_code,name,region7_code
35,Hà Nam,DBSH
36,Nam Định,DBSH
22,Quảng Ninh,TDMNPB
`,
};

let dir = '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('unitValidOn', () => {
  it('treats null ends as open and both ends as inclusive', () => {
    const old = { validFrom: null, validTo: '2025-06-30' };
    const now = { validFrom: '2025-07-01', validTo: null };
    expect(unitValidOn(old, '1990-01-01')).toBe(true);
    expect(unitValidOn(old, '2025-06-30')).toBe(true);
    expect(unitValidOn(old, '2025-07-01')).toBe(false);
    expect(unitValidOn(now, '2025-06-30')).toBe(false);
    expect(unitValidOn(now, '2025-07-01')).toBe(true);
  });
});

describeEachDialect('unit service', (ctx) => {
  beforeAll(async () => {
    if (!dir) {
      dir = mkdtempSync(path.join(tmpdir(), 'datchuan-unit-svc-'));
      for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);
    }
    await importUnits(ctx.db, { id: 'test', source: 'cli' }, { dir });
  });

  describe('searchUnits', () => {
    it('finds "trang an" without diacritics in every province, with parent names', async () => {
      const hits = await searchUnits(ctx.db, { q: 'trang an' });
      expect(hits.map((h) => [h.id, h.path, h.match])).toEqual([
        ['13510@2025-03', 'Xã Tràng An, Huyện Bình Lục, Tỉnh Hà Nam', 'exact'],
        ['07096@2025-03', 'Phường Tràng An, Thành phố Đông Triều, Tỉnh Quảng Ninh', 'exact'],
      ]);
      expect(hits[0]).toMatchObject({ fullName: 'Xã Tràng An', level: 'commune', listId: '2025-03', validFrom: null, validTo: '2025-06-30' });
      expect(hits[0]!.parents.map((p) => p.id)).toEqual(['352@2025-03', '35@2025-03']);
    });

    it('accepts diacritics, case and extra spaces, and works on a Kysely handle', async () => {
      const hits = await searchUnits(ctx.db.kysely, { q: '  TRÀNG   An ' });
      expect(hits.map((h) => h.id)).toEqual(['13510@2025-03', '07096@2025-03']);
    });

    it('ranks exact, then prefix, then contains', async () => {
      const hits = await searchUnits(ctx.db, { q: 'an', level: 'commune' });
      expect(hits.map((h) => [h.name, h.match])).toEqual([
        ['An Bình', 'prefix'],
        ['Tân 100%_', 'contains'],
        ['Tràng An', 'contains'],
        ['Tràng An', 'contains'],
        ['Vụ Bản', 'contains'],
      ]);
      const binh = await searchUnits(ctx.db, { q: 'binh my' });
      expect(binh.map((h) => [h.id, h.match])).toEqual([
        ['13519@2025-03', 'exact'],
        ['13519@2025-07', 'exact'],
      ]);
    });

    it('reads a leading unit type as a filter ("xa trang an" is the commune, not the ward)', async () => {
      const hits = await searchUnits(ctx.db, { q: 'xã tràng an' });
      expect(hits.map((h) => h.id)).toEqual(['13510@2025-03']);
    });

    it('keeps only units valid on a date', async () => {
      expect((await searchUnits(ctx.db, { q: 'binh luc', date: '2025-08-01' })).map((h) => h.id)).toEqual(['13504@2025-07']);
      expect((await searchUnits(ctx.db, { q: 'binh luc', date: '2025-06-30' })).map((h) => h.id)).toEqual(['352@2025-03']);
      expect((await searchUnits(ctx.db, { q: 'binh luc' })).map((h) => h.id)).toEqual(['352@2025-03', '13504@2025-07']);
    });

    it('filters by level, province and limit', async () => {
      expect((await searchUnits(ctx.db, { q: 'trang an', provinceId: '22@2025-03' })).map((h) => h.id)).toEqual(['07096@2025-03']);
      expect((await searchUnits(ctx.db, { q: 'ha nam', level: 'province' })).map((h) => h.id)).toEqual(['35@2025-03']);
      expect(await searchUnits(ctx.db, { q: 'trang an', limit: 1 })).toHaveLength(1);
    });

    it('treats % and _ literally', async () => {
      expect((await searchUnits(ctx.db, { q: '%' })).map((h) => h.id)).toEqual(['07099@2025-03']);
      expect((await searchUnits(ctx.db, { q: '100%_' })).map((h) => h.id)).toEqual(['07099@2025-03']);
      expect(await searchUnits(ctx.db, { q: 'b_nh' })).toEqual([]);
    });

    it('refuses bad input, naming the field', async () => {
      const empty = await caught(searchUnits(ctx.db, { q: '   ' }));
      expect(empty.code).toBe('validation_failed');
      expect(empty.details).toMatchObject({ fields: [{ field: 'q' }] });
      expect(empty.messageVi).toBe('Cần nhập tên cần tìm.');
      const level = await caught(searchUnits(ctx.db, { q: 'x', level: 'village' as never }));
      expect(level.details).toMatchObject({ fields: [{ field: 'level' }] });
      const date = await caught(searchUnits(ctx.db, { q: 'x', date: '2025-02-30' }));
      expect(date.details).toMatchObject({ fields: [{ field: 'date' }] });
      expect(date.message).toContain('not a valid YYYY-MM-DD date');
      const limit = await caught(searchUnits(ctx.db, { q: 'x', limit: 500 }));
      expect(limit.details).toMatchObject({ fields: [{ field: 'limit' }] });
    });
  });

  describe('getUnit, getLineage, listChildren', () => {
    it('returns a unit with its parents, validity and successors', async () => {
      const u = await getUnit(ctx.db, '13510@2025-03');
      expect(u).toMatchObject({ id: '13510@2025-03', code: '13510', listId: '2025-03', fullName: 'Xã Tràng An', type: 'Xã', level: 'commune', validFrom: null, validTo: '2025-06-30' });
      expect(u.parents.map((p) => p.fullName)).toEqual(['Huyện Bình Lục', 'Tỉnh Hà Nam']);
      expect(u.path).toBe('Xã Tràng An, Huyện Bình Lục, Tỉnh Hà Nam');
      expect(u.predecessors).toEqual([]);
      expect(u.successors).toEqual([expect.objectContaining({ id: '13504@2025-07', fullName: 'Xã Bình Lục', part: 'full', effectiveOn: '2025-07-01' })]);
    });

    it('gives a province its attributes and a new commune its predecessors with their part', async () => {
      const hanam = await getUnit(ctx.db, '35@2025-03');
      expect(hanam.parents).toEqual([]);
      expect(hanam.attributes).toEqual([expect.objectContaining({ name: 'region', value: 'DBSH', validTo: '2025-06-30' })]);
      const l = await getLineage(ctx.db, '13504@2025-07');
      expect(l.unit).toMatchObject({ id: '13504@2025-07', validFrom: '2025-07-01', validTo: null });
      expect(l.predecessors.map((p) => [p.id, p.fullName, p.part])).toEqual([
        ['13504@2025-03', 'Xã Bình Nghĩa', 'full'],
        ['13510@2025-03', 'Xã Tràng An', 'full'],
        ['13516@2025-03', 'Xã Đồng Du', 'partial'],
      ]);
      expect(l.successors).toEqual([]);
      const nb = await getLineage(ctx.db, '37@2025-07');
      expect(nb.predecessors.map((p) => [p.id, p.part])).toEqual([
        ['35@2025-03', 'full'],
        ['36@2025-03', 'full'],
      ]);
    });

    it('says not_found for an unknown id, in both languages', async () => {
      const e = await caught(getUnit(ctx.db, '99999@2025-03'));
      expect(e.code).toBe('not_found');
      expect(e.messageVi).toBe('Không tìm thấy đơn vị hành chính "99999@2025-03".');
      expect(e.message).toBe('Administrative unit "99999@2025-03" not found.');
    });

    it('explains a bare code: identity is code + list', async () => {
      const e = await caught(getUnit(ctx.db, '13504'));
      expect(e.code).toBe('validation_failed');
      expect(e.message).toContain('13504@2025-03 (Xã Bình Nghĩa) or 13504@2025-07 (Xã Bình Lục)');
      expect(e.messageVi).toContain('thiếu phiên bản danh mục');
    });

    it('lists children in code order', async () => {
      expect((await listChildren(ctx.db, '352@2025-03')).map((c) => c.id)).toEqual(['13504@2025-03', '13510@2025-03', '13516@2025-03', '13519@2025-03']);
      expect((await listChildren(ctx.db, '35@2025-03')).map((c) => c.fullName)).toEqual(['Huyện Bình Lục']);
      expect((await listChildren(ctx.db, '37@2025-07')).map((c) => c.code)).toEqual(['13504', '13519', '13705']);
      expect((await caught(listChildren(ctx.db, 'nope'))).code).toBe('not_found');
    });
  });

  describe('listCommunesUnder and getTree', () => {
    it('lists the communes of a province or district valid on a date (its own subtree)', async () => {
      const hanam = await listCommunesUnder(ctx.db, '35@2025-03', '2025-01-01');
      expect(hanam.map((c) => [c.id, c.parentName])).toEqual([
        ['13504@2025-03', 'Huyện Bình Lục'],
        ['13510@2025-03', 'Huyện Bình Lục'],
        ['13516@2025-03', 'Huyện Bình Lục'],
        ['13519@2025-03', 'Huyện Bình Lục'],
      ]);
      expect(await listCommunesUnder(ctx.db, '35@2025-03', '2025-08-01')).toEqual([]);
      expect((await listCommunesUnder(ctx.db, '37@2025-07', '2025-08-01')).map((c) => c.id)).toEqual(['13504@2025-07', '13519@2025-07', '13705@2025-07']);
      expect(await listCommunesUnder(ctx.db, '37@2025-07', '2025-06-30')).toEqual([]);
      expect((await listCommunesUnder(ctx.db, '352@2025-03', '2024-12-31')).length).toBe(4);
      expect((await caught(listCommunesUnder(ctx.db, '35@2025-03', '01/08/2025'))).details).toMatchObject({ fields: [{ field: 'date' }] });
    });

    it('builds the tree of a list or of a date', async () => {
      const old = await getTree(ctx.db, { listId: '2025-03' });
      expect(old.counts).toEqual({ province: 3, district: 3, commune: 7 });
      const hanam = old.provinces.find((p) => p.id === '35@2025-03')!;
      expect(hanam).toEqual({
        id: '35@2025-03',
        code: '35',
        name: 'Hà Nam',
        type: 'Tỉnh',
        children: [
          {
            id: '352@2025-03',
            code: '352',
            name: 'Bình Lục',
            type: 'Huyện',
            children: [
              { id: '13504@2025-03', code: '13504', name: 'Bình Nghĩa', type: 'Xã' },
              { id: '13510@2025-03', code: '13510', name: 'Tràng An', type: 'Xã' },
              { id: '13516@2025-03', code: '13516', name: 'Đồng Du', type: 'Xã' },
              { id: '13519@2025-03', code: '13519', name: 'Bình Mỹ', type: 'Thị trấn' },
            ],
          },
        ],
      });
      const now = await getTree(ctx.db, { date: '2025-08-01' });
      expect(now.listId).toBe('2025-07');
      expect(now.counts).toEqual({ province: 2, district: 0, commune: 4 });
      expect(now.provinces.map((p) => [p.id, p.children?.length])).toEqual([
        ['22@2025-07', 1],
        ['37@2025-07', 3],
      ]);
      expect((await caught(getTree(ctx.db, { listId: '2024-01' }))).details).toMatchObject({ fields: [{ field: 'listId' }] });
    });
  });

  describe('setUnitAttribute and getCommuneProfile', () => {
    const set = (input: Partial<SetUnitAttributeInput>) =>
      setUnitAttribute(ctx.db, actor, { unitId: '13504@2025-07', name: 'group', value: '2', validFrom: '2026-01-01', ...input } as SetUnitAttributeInput);

    it('resolves region from the province on the date', async () => {
      expect(await getCommuneProfile(ctx.db, '13510@2025-03', '2024-05-01')).toEqual({ code: '13510', name: 'Tràng An', region: 'DBSH', group: null, special: null });
      // Ninh Bình (new) inherits DBSH from Hà Nam and Nam Định, which agree.
      expect(await getCommuneProfile(ctx.db, '13504@2025-07', '2025-08-01')).toMatchObject({ region: 'DBSH', group: null });
    });

    it('sets a group on a commune from 2026-01-01, audited, and the profile follows the date', async () => {
      const r = await set({});
      expect(r.unchanged).toBe(false);
      expect(r.attribute).toMatchObject({ unitId: '13504@2025-07', name: 'group', value: '2', validFrom: '2026-01-01', validTo: null, source: 'officer:hanam' });
      expect((await getCommuneProfile(ctx.db, '13504@2025-07', '2025-12-31')).group).toBeNull();
      expect(await getCommuneProfile(ctx.db, '13504@2025-07', '2026-03-01')).toEqual({ code: '13504', name: 'Bình Lục', region: 'DBSH', group: 2, special: null });
      const [event] = await listAudit(ctx.db.kysely, { entity: 'unit_attribute', unitId: '13504@2025-07' });
      expect(event).toMatchObject({ action: 'unit_attribute.set', actor: 'officer:hanam', source: 'web', ip: '10.0.0.7', entity_id: String(r.attribute.id) });
      expect(JSON.parse(event!.after_json!).attribute.value).toBe('2');
    });

    it('does nothing when the same period is set again', async () => {
      const before = (await listAudit(ctx.db.kysely, { entity: 'unit_attribute' })).length;
      const r = await set({});
      expect(r.unchanged).toBe(true);
      expect(await listAudit(ctx.db.kysely, { entity: 'unit_attribute' })).toHaveLength(before);
    });

    it('closes the running period the day before a new one starts', async () => {
      const r = await set({ value: '3', validFrom: '2027-01-01' });
      expect(r.closed).toEqual([expect.objectContaining({ value: '2', validFrom: '2026-01-01', validTo: '2026-12-31' })]);
      expect((await getCommuneProfile(ctx.db, '13504@2025-07', '2026-12-31')).group).toBe(2);
      expect((await getCommuneProfile(ctx.db, '13504@2025-07', '2027-01-01')).group).toBe(3);
    });

    it('corrects a period with the same start', async () => {
      const r = await set({ value: '1', validFrom: '2027-01-01' });
      expect(r.replaced).toMatchObject({ value: '3' });
      expect(r.attribute).toMatchObject({ value: '1', validFrom: '2027-01-01', validTo: null });
      expect((await getCommuneProfile(ctx.db, '13504@2025-07', '2028-05-05')).group).toBe(1);
    });

    it('refuses a period inside an existing one, or ending over a later one (conflict), in both languages', async () => {
      const inside = await caught(set({ value: '3', validFrom: '2026-03-01', validTo: '2026-05-31' }));
      expect(inside.code).toBe('conflict');
      expect(inside.messageVi).toContain('nằm trong nhóm xã 2 (01/01/2026 – 31/12/2026)');
      expect(inside.message).toContain('falls inside the existing commune group 2 (2026-01-01 – 2026-12-31)');
      const over = await caught(set({ value: '3', validFrom: '2025-09-01', validTo: '2026-06-30' }));
      expect(over.code).toBe('conflict');
      expect(over.message).toContain('overlaps the existing commune group 2');
    });

    it('stops an open-ended period the day before a later one', async () => {
      const r = await set({ value: '3', validFrom: '2025-09-01' });
      expect(r.attribute).toMatchObject({ validFrom: '2025-09-01', validTo: '2025-12-31' });
      expect((await getCommuneProfile(ctx.db, '13504@2025-07', '2025-10-01')).group).toBe(3);
    });

    it('inherits special status from the district; "none" on the commune overrides it', async () => {
      await setUnitAttribute(ctx.db, actor, { unitId: '352@2025-03', name: 'special', value: 'atk', validFrom: '2021-01-01' });
      expect((await getCommuneProfile(ctx.db, '13516@2025-03', '2022-01-01')).special).toBe('atk');
      expect((await getCommuneProfile(ctx.db, '13516@2025-03', '2020-12-31')).special).toBeNull();
      await setUnitAttribute(ctx.db, actor, { unitId: '13516@2025-03', name: 'special', value: 'none', validFrom: '2023-01-01' });
      expect((await getCommuneProfile(ctx.db, '13516@2025-03', '2024-01-01')).special).toBeNull();
      expect((await getCommuneProfile(ctx.db, '13510@2025-03', '2024-01-01')).special).toBe('atk');
    });

    it('ends a period at the end of the unit when the unit ceased to exist', async () => {
      const r = await setUnitAttribute(ctx.db, actor, { unitId: '13510@2025-03', name: 'special', value: 'DBKK', validFrom: '2024-01-01' });
      expect(r.attribute).toMatchObject({ value: 'dbkk', validTo: '2025-06-30' });
    });

    it('validates every field, naming it, in Vietnamese and English', async () => {
      const unknown = await caught(set({ unitId: '99999@2025-07' }));
      expect(unknown.code).toBe('not_found');
      expect(unknown.messageVi).toContain('Không tìm thấy đơn vị hành chính "99999@2025-07"');
      expect(unknown.message).toContain('"99999@2025-07" not found');

      const value = await caught(set({ value: '4' }));
      expect(value.code).toBe('validation_failed');
      expect(value.details).toMatchObject({ fields: [{ field: 'value' }] });
      expect(value.messageVi).toBe('Nhóm xã "4" không hợp lệ: cần 1, 2 hoặc 3.');
      expect(value.message).toBe('Invalid commune group "4": expected 1, 2 or 3.');

      const region = await caught(set({ name: 'region', value: 'MIENTAY' }));
      expect(region.messageVi).toContain('Giá trị vùng "MIENTAY" không hợp lệ');
      expect(region.message).toContain('Invalid region "MIENTAY"');

      const name = await caught(set({ name: 'colour' as never }));
      expect(name.details).toMatchObject({ fields: [{ field: 'name' }] });
      expect(name.message).toContain('Unknown attribute "colour"');

      const from = await caught(set({ validFrom: '2026-02-30' }));
      expect(from.details).toMatchObject({ fields: [{ field: 'validFrom' }] });
      expect(from.messageVi).toContain('Ngày bắt đầu "2026-02-30" không hợp lệ');

      const order = await caught(set({ validFrom: '2026-05-01', validTo: '2026-04-30' }));
      expect(order.details).toMatchObject({ fields: [{ field: 'validTo' }] });
      expect(order.message).toBe('End date 2026-04-30 is before start date 2026-05-01.');

      const outside = await caught(set({ unitId: '13510@2025-03', validFrom: '2026-01-01' }));
      expect(outside.details).toMatchObject({ fields: [{ field: 'validFrom' }] });
      expect(outside.messageVi).toContain('nằm ngoài thời gian hiệu lực của Xã Tràng An (… – 30/06/2025)');
      expect(outside.message).toContain('outside the validity of Xã Tràng An (… – 2025-06-30)');

      const before = await caught(set({ validFrom: '2025-06-01' }));
      expect(before.message).toContain('outside the validity of Xã Bình Lục (2025-07-01 – now)');

      const tooLate = await caught(set({ unitId: '13510@2025-03', validFrom: '2024-01-01', validTo: '2025-12-31' }));
      expect(tooLate.details).toMatchObject({ fields: [{ field: 'validTo' }] });
    });

    it('sets a region on a province, and a failed write leaves nothing behind', async () => {
      const audits = (await listAudit(ctx.db.kysely, {})).length;
      await caught(setUnitAttribute(ctx.db, actor, { unitId: '37@2025-07', name: 'region', value: 'X', validFrom: '2025-07-01' }));
      expect(await listAudit(ctx.db.kysely, {})).toHaveLength(audits);
      const r = await setUnitAttribute(ctx.db, actor, { unitId: '22@2025-07', name: 'region', value: 'dbsh', validFrom: '2026-01-01', source: 'QĐ 123/QĐ-UBND' });
      // The derived TDMNPB period (open) is closed on 2025-12-31.
      expect(r.closed).toEqual([expect.objectContaining({ value: 'TDMNPB', validFrom: '2025-07-01', validTo: '2025-12-31' })]);
      expect(r.attribute).toMatchObject({ value: 'DBSH', source: 'QĐ 123/QĐ-UBND' });
    });

    it('refuses a profile for a unit that is not a commune, or not valid on the date', async () => {
      const district = await caught(getCommuneProfile(ctx.db, '352@2025-03', '2024-01-01'));
      expect(district.code).toBe('validation_failed');
      expect(district.message).toContain('not a commune-level unit');
      const gone = await caught(getCommuneProfile(ctx.db, '13510@2025-03', '2025-07-01'));
      expect(gone.code).toBe('unit_not_valid_on_date');
      expect(gone.messageVi).toContain('không có hiệu lực ngày 01/07/2025');
      expect(gone.message).toContain('see: Xã Bình Lục (13504@2025-07)');
    });
  });
});
