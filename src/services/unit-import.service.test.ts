import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { countUnits, findLineageOf, listAttributes } from '../db/unit.repository.ts';
import { listAudit } from '../db/audit.repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from './actor.ts';
import { DERIVED_REGION_SOURCE, REGION_SOURCE } from '../files/imports/unit-list.ts';
import { UNIT_FILES, importUnits, resolveUnitsDir, type ImportResult } from './unit-import.service.ts';

const actor: Actor = { id: 'test:importer', source: 'cli' };

// A small world: Hà Nam (Bình Lục district) and Nam Định become Ninh Bình; Quảng Ninh stays.
const BEFORE = `province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13504,Bình Nghĩa,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13510,Tràng An,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13516,Đồng Du,Xã
36,Nam Định,Tỉnh,356,Vụ Bản,Huyện,13708,Trung Thành,Xã
22,Quảng Ninh,Tỉnh,205,Đông Triều,Thành phố,07096,Tràng An,Phường
22,Quảng Ninh,Tỉnh,207,Cô Tô,Huyện,,,
`;
const AFTER = `province_code,province_name,province_type,commune_code,commune_name,commune_type
37,Ninh Bình,Tỉnh,13504,Bình Lục,Xã
37,Ninh Bình,Tỉnh,13705,Vụ Bản,Xã
22,Quảng Ninh,Tỉnh,07090,Đông Triều,Phường
`;
const MERGES = `old_commune_code,old_commune_name,old_district_code,old_district_name,old_province_code,old_province_name,new_commune_code,new_commune_name,new_province_code,new_province_name,part
13504,Xã Bình Nghĩa,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13504,Xã Bình Lục,37,Tỉnh Ninh Bình,full
13510,Xã Tràng An,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13504,Xã Bình Lục,37,Tỉnh Ninh Bình,full
13516,Xã Đồng Du,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13504,Xã Bình Lục,37,Tỉnh Ninh Bình,partial
13516,Xã Đồng Du,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13705,Xã Vụ Bản,37,Tỉnh Ninh Bình,partial
13708,Xã Trung Thành,356,Huyện Vụ Bản,36,Tỉnh Nam Định,13705,Xã Vụ Bản,37,Tỉnh Ninh Bình,full
07096,Phường Tràng An,205,Thành phố Đông Triều,22,Tỉnh Quảng Ninh,07090,Phường Đông Triều,22,Tỉnh Quảng Ninh,full
99999,Xã Ma,,,,,13504,Xã Bình Lục,37,Tỉnh Ninh Bình,full
`;
const REGIONS = `gso_code,name,full_name,region6_code,region6_name,region7_code,region7_name
35,Hà Nam,Tỉnh Hà Nam,DBSH,Đồng bằng sông Hồng,DBSH,Đồng bằng sông Hồng
36,Nam Định,Tỉnh Nam Định,DBSH,Đồng bằng sông Hồng,BTB,Bắc Trung Bộ (fixture: made to disagree)
22,Quảng Ninh,Tỉnh Quảng Ninh,TDMNPB,Trung du và miền núi phía Bắc,TDMNPB,Trung du và miền núi phía Bắc
`;

type Files = Partial<Record<(typeof UNIT_FILES)[keyof typeof UNIT_FILES], string>>;

const dirs: string[] = [];
function fixtureDir(overrides: Files = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'datchuan-units-'));
  dirs.push(dir);
  const files: Required<Files> = {
    [UNIT_FILES.before]: BEFORE,
    [UNIT_FILES.after]: AFTER,
    [UNIT_FILES.merges]: MERGES,
    [UNIT_FILES.regions]: REGIONS,
    ...overrides,
  } as Required<Files>;
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function snapshot(db: Db) {
  const k = db.kysely;
  return {
    units: await k.selectFrom('unit').selectAll().orderBy('id').execute(),
    lineage: await k.selectFrom('unit_lineage').selectAll().orderBy('predecessor_id').orderBy('successor_id').execute(),
    attributes: await k.selectFrom('unit_attribute').selectAll().orderBy('id').execute(),
    lists: await k.selectFrom('unit_list').selectAll().orderBy('id').execute(),
  };
}

async function caught(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('resolveUnitsDir', () => {
  it('looks in ../shared/data/units, ./shared/data/units, then ./assets/units', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'datchuan-units-dir-'));
    dirs.push(base);
    const root = path.join(base, 'repo');
    const { dir: none, tried } = resolveUnitsDir(root);
    expect(none).toBeNull();
    expect(tried).toEqual([path.join(base, 'shared/data/units'), path.join(root, 'shared/data/units'), path.join(root, 'assets/units')]);
    const units = path.join(base, 'shared/data/units');
    mkdirSync(units, { recursive: true });
    writeFileSync(path.join(units, UNIT_FILES.before), BEFORE);
    expect(resolveUnitsDir(root).dir).toBe(units);
  });
});

describeEachDialect('unit import (fixture files)', (ctx) => {
  let first: ImportResult;

  it('imports lists, lineage and regions, reporting the unmatched lineage row', async () => {
    first = await importUnits(ctx.db, actor, { dir: fixtureDir() });
    expect(first.counts.lists['2025-03'].provinces).toEqual({ total: 3, added: 3, updated: 0, unchanged: 0 });
    expect(first.counts.lists['2025-03'].districts.added).toBe(4);
    expect(first.counts.lists['2025-03'].communes.added).toBe(5);
    expect(first.counts.lists['2025-07'].provinces.added).toBe(2);
    expect(first.counts.lists['2025-07'].communes.added).toBe(3);
    expect(first.counts.lineage.communes.added).toBe(6);
    // 35→37, 36→37, 22→22
    expect(first.counts.lineage.provinces.added).toBe(3);
    expect(await countUnits(ctx.db.kysely, '2025-03')).toEqual({ province: 3, district: 4, commune: 5 });
    expect(await countUnits(ctx.db.kysely, '2025-07')).toEqual({ province: 2, district: 0, commune: 3 });

    expect(first.unmatched).toHaveLength(1);
    expect(first.unmatched[0]).toMatchObject({ file: UNIT_FILES.merges, row: 8, code: '99999', name: 'Xã Ma' });
    expect(first.unmatched[0]!.reason.vi).toContain('không có trong danh mục 2025-03');
    expect(first.unmatched[0]!.reason.en).toContain('not in list 2025-03');
    expect(first.conflicts).toEqual([]);
    // Cô Tô has no commune (district-only row), and Ninh Bình's region cannot be derived (DBSH vs BTB).
    expect(first.notices.map((n) => n.code)).toEqual(expect.arrayContaining(['207', '37']));

    const tranAn = await findLineageOf(ctx.db.kysely, '13510@2025-03');
    expect(tranAn.successors).toEqual([expect.objectContaining({ id: '13504@2025-07', part: 'full', effectiveOn: '2025-07-01' })]);
    const dongDu = await findLineageOf(ctx.db.kysely, '13516@2025-03');
    expect(dongDu.successors.map((s) => [s.id, s.part])).toEqual([
      ['13504@2025-07', 'partial'],
      ['13705@2025-07', 'partial'],
    ]);
    const hanam = await findLineageOf(ctx.db.kysely, '35@2025-03');
    expect(hanam.successors).toEqual([expect.objectContaining({ id: '37@2025-07', part: 'full' })]);
  });

  it('stores names NFC with folded search keys, parents and validity per list', async () => {
    const rows = await ctx.db.kysely.selectFrom('unit').selectAll().where('id', 'in', ['13510@2025-03', '13504@2025-07', '352@2025-03']).orderBy('id').execute();
    expect(rows).toEqual([
      expect.objectContaining({ id: '13504@2025-07', full_name: 'Xã Bình Lục', parent_id: '37@2025-07', province_id: '37@2025-07', valid_from: '2025-07-01', valid_to: null }),
      expect.objectContaining({
        id: '13510@2025-03',
        name: 'Tràng An'.normalize('NFC'),
        name_folded: 'trang an',
        type: 'Xã',
        level: 'commune',
        parent_id: '352@2025-03',
        province_id: '35@2025-03',
        valid_from: null,
        valid_to: '2025-06-30',
      }),
      expect.objectContaining({ id: '352@2025-03', level: 'district', type: 'Huyện', parent_id: '35@2025-03' }),
    ]);
  });

  it('imports regions on old provinces and derives them for new provinces only when predecessors agree', async () => {
    const attrs = await listAttributes(ctx.db.kysely, ['35@2025-03', '22@2025-03', '37@2025-07', '22@2025-07'], 'region');
    expect(attrs.map((a) => [a.unitId, a.value, a.validFrom, a.validTo, a.source])).toEqual([
      ['22@2025-03', 'TDMNPB', null, '2025-06-30', REGION_SOURCE],
      ['22@2025-07', 'TDMNPB', '2025-07-01', null, DERIVED_REGION_SOURCE],
      ['35@2025-03', 'DBSH', null, '2025-06-30', REGION_SOURCE],
    ]);
    expect(first.counts.regions).toMatchObject({ added: 4, derived: 1, notDerived: 1 });
    const nb = first.notices.find((n) => n.code === '37')!;
    expect(nb.reason.vi).toContain('Không suy ra được vùng');
    expect(nb.reason.en).toContain('former provinces disagree');
  });

  it('records one audit event with counts and the sha256 of each file', async () => {
    const events = await listAudit(ctx.db.kysely, { entity: 'unit_list' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'units.import', actor: 'test:importer', source: 'cli' });
    const after = JSON.parse(events[0]!.after_json!);
    expect(after.files.map((f: { file: string }) => f.file)).toEqual(Object.values(UNIT_FILES));
    expect(after.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.counts.lists['2025-03'].communes.added).toBe(5);
  });

  it('is idempotent: re-importing the same files changes nothing', async () => {
    const before = await snapshot(ctx.db);
    const again = await importUnits(ctx.db, actor, { dir: fixtureDir() });
    expect(again.totals.added).toBe(0);
    expect(again.totals.updated).toBe(0);
    expect(again.totals.removed).toBe(0);
    expect(again.totals.unchanged).toBe(first.totals.added);
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it('dry run reports what would change and writes nothing', async () => {
    const before = await snapshot(ctx.db);
    const audits = (await listAudit(ctx.db.kysely, {})).length;
    const dir = fixtureDir({ [UNIT_FILES.after]: AFTER.replace('Vụ Bản,Xã', 'Vụ Bản Mới,Xã') });
    const r = await importUnits(ctx.db, actor, { dir, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.counts.lists['2025-07'].communes.updated).toBe(1);
    expect(r.conflicts).toHaveLength(2); // the two merges rows still say "Xã Vụ Bản"
    expect(await snapshot(ctx.db)).toEqual(before);
    expect(await listAudit(ctx.db.kysely, {})).toHaveLength(audits);
  });

  it('refuses a file with a missing column and changes nothing', async () => {
    const before = await snapshot(ctx.db);
    const audits = (await listAudit(ctx.db.kysely, {})).length;
    const broken = BEFORE.replace(',district_type,', ',kind,') + '01,Hà Nội,Thành phố,001,Ba Đình,Quận,00001,Phúc Xá,Phường\n';
    const e = await caught(importUnits(ctx.db, actor, { dir: fixtureDir({ [UNIT_FILES.before]: broken }) }));
    expect(e.code).toBe('validation_failed');
    expect(e.details).toMatchObject({ file: UNIT_FILES.before, row: 1, column: 'district_type' });
    expect(e.messageVi).toContain('communes-before-2025-07.csv, dòng 1, cột "district_type"');
    expect(e.message).toContain('communes-before-2025-07.csv, row 1, column "district_type"');
    expect(e.message).toContain('Nothing was written');
    expect(await snapshot(ctx.db)).toEqual(before);
    expect(await listAudit(ctx.db.kysely, {})).toHaveLength(audits);
  });

  it('refuses a missing file, naming it', async () => {
    const dir = fixtureDir();
    rmSync(path.join(dir, UNIT_FILES.regions));
    const e = await caught(importUnits(ctx.db, actor, { dir }));
    expect(e.code).toBe('validation_failed');
    expect(e.message).toContain(UNIT_FILES.regions);
    expect(e.messageVi).toContain('Không đọc được tệp');
  });

  it('rolls the whole import back when a write fails half-way', async () => {
    const before = await snapshot(ctx.db);
    const dir = fixtureDir({
      [UNIT_FILES.after]: AFTER + '37,Ninh Bình,Tỉnh,13999,Mới,Xã\n',
      [UNIT_FILES.merges]: MERGES.replace('13510,Xã Tràng An,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13504,Xã Bình Lục', '13510,Xã Tràng An,352,Huyện Bình Lục,35,Tỉnh Hà Nam,13999,Xã Mới'),
    });
    await expect(
      importUnits(ctx.db, actor, {
        dir,
        onProgress: (p) => {
          if (p.phase === 'write' && p.label === 'unit_lineage' && p.done > 0) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it('reports conflicting rows (same code, other name; missing field; unknown type) and imports the rest', async () => {
    const before = BEFORE + ['35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13510,Tràng An Mới,Xã', '35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13519,,Xã', '35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13522,Bình Mỹ,Làng'].join('\n') + '\n';
    const r = await importUnits(ctx.db, actor, { dir: fixtureDir({ [UNIT_FILES.before]: before }) });
    expect(r.conflicts.map((c) => [c.row, c.code, c.name])).toEqual([
      [8, '13510', 'Tràng An Mới'],
      [9, '13519', ''],
      [10, '13522', 'Bình Mỹ'],
    ]);
    const [dup, missing, type] = r.conflicts;
    expect(dup!.reason.vi).toContain('đã đọc ở dòng 3');
    expect(dup!.reason.en).toContain('Kept row 3');
    expect(missing!.reason.en).toContain('commune_name');
    expect(missing!.details).toMatchObject({ column: 'commune_name' });
    expect(type!.reason.vi).toContain('Loại đơn vị "Làng"');
    expect(type!.reason.en).toContain('Unknown commune type "Làng"');
    // The first Tràng An is kept as it was; nothing else changed.
    expect(r.totals).toMatchObject({ added: 0, updated: 0, removed: 0 });
    const row = await ctx.db.kysely.selectFrom('unit').select('name').where('id', '=', '13510@2025-03').executeTakeFirstOrThrow();
    expect(row.name).toBe('Tràng An');
  });

  it('applies a corrected file: a renamed unit is updated, a dropped link removed', async () => {
    const r = await importUnits(ctx.db, actor, {
      dir: fixtureDir({
        [UNIT_FILES.after]: AFTER.replace('Đông Triều,Phường', 'Đông Triều Mới,Phường'),
        [UNIT_FILES.merges]: MERGES.replace('07096,Phường Tràng An,205,Thành phố Đông Triều,22,Tỉnh Quảng Ninh,07090,Phường Đông Triều,22,Tỉnh Quảng Ninh,full\n', ''),
      }),
    });
    expect(r.counts.lists['2025-07'].communes).toMatchObject({ updated: 1, unchanged: 2 });
    expect(r.counts.lineage.communes.removed).toBe(1);
    // Quảng Ninh no longer has any link, so the province link and the derived region go too.
    expect(r.counts.lineage.provinces.removed).toBe(1);
    expect(r.counts.regions.removed).toBe(1);
    const u = await ctx.db.kysely.selectFrom('unit').selectAll().where('id', '=', '07090@2025-07').executeTakeFirstOrThrow();
    expect([u.name, u.full_name, u.name_folded]).toEqual(['Đông Triều Mới', 'Phường Đông Triều Mới', 'dong trieu moi']);
    // And back.
    const back = await importUnits(ctx.db, actor, { dir: fixtureDir() });
    expect(back.counts.lists['2025-07'].communes.updated).toBe(1);
    expect(back.counts.lineage.communes.added).toBe(1);
  });
});

// ── The real files ──────────────────────────────────────────────────────────────────────────

// The shared reference data when it sits beside the repository, else the copy the product ships.
const REAL_DIR = [path.resolve('../shared/data/units'), path.resolve('assets/units')].find((d) => existsSync(path.join(d, UNIT_FILES.before)))!;
const haveReal = REAL_DIR !== undefined;
if (!haveReal) throw new Error('neither ../shared/data/units nor assets/units has the unit lists');

describeEachDialect('unit import (the real unit lists)', (ctx) => {
  let r: ImportResult;
  beforeAll(async () => {
    if (!haveReal) return;
    const t0 = performance.now();
    r = await importUnits(ctx.db, actor, { dir: REAL_DIR });
    console.info(`real unit import on ${ctx.dialect}: ${Math.round(performance.now() - t0)} ms`);
  }, 60_000);

  it.skipIf(!haveReal)('imports the real counts of both lists', () => {
    const files = Object.fromEntries(r.files.map((f) => [f.file, f.rows]));
    expect(files).toEqual({ [UNIT_FILES.before]: 10_040, [UNIT_FILES.after]: 3_321, [UNIT_FILES.merges]: 10_604, [UNIT_FILES.regions]: 63 });
    expect(r.counts.lists['2025-03'].provinces.added).toBe(63);
    expect(r.counts.lists['2025-03'].districts.added).toBe(696);
    // 10,040 rows: 10,035 communes + 5 island districts without communes (reported as notices).
    expect(r.counts.lists['2025-03'].communes.added).toBe(10_035);
    expect(r.notices.filter((n) => n.file === UNIT_FILES.before)).toHaveLength(5);
    expect(r.counts.lists['2025-07'].provinces.added).toBe(34);
    expect(r.counts.lists['2025-07'].communes.added).toBe(3_321);
    expect(r.conflicts).toEqual([]);
  });

  it.skipIf(!haveReal)('reports the 17 old and 6 new codes of the mapping that are not in the lists', () => {
    // 12 old codes unmatched; the other 5 old codes are island districts, linked district → đặc khu.
    const oldMissing = r.unmatched.filter((u) => u.details?.oldMissing);
    const newMissing = r.unmatched.filter((u) => u.details?.newMissing);
    expect(oldMissing).toHaveLength(12);
    expect(newMissing).toHaveLength(6);
    expect(r.unmatched.every((u) => u.file === UNIT_FILES.merges && typeof u.row === 'number')).toBe(true);
    const viaDistrict = r.notices.filter((n) => n.file === UNIT_FILES.merges && n.row !== null);
    expect(viaDistrict.map((n) => n.code).sort()).toEqual(['318', '471', '498', '536', '755']);
    expect(r.counts.lineage.communes.added).toBe(10_604 - 17 - 6);
    expect(r.counts.lineage.districts.added).toBe(5);
    expect(newMissing[0]!.details?.sameNameInNewList).toEqual(['06978@2025-07']);
  });

  it.skipIf(!haveReal)('links Tràng An, Bình Nghĩa and Đồng Du into the new Bình Lục commune', async () => {
    const tranAn = await findLineageOf(ctx.db.kysely, '13510@2025-03');
    expect(tranAn.successors).toEqual([expect.objectContaining({ id: '13504@2025-07', fullName: 'Xã Bình Lục', part: 'full' })]);
    const binhLuc = await findLineageOf(ctx.db.kysely, '13504@2025-07');
    const names = binhLuc.predecessors.map((p) => p.fullName);
    expect(names).toEqual(expect.arrayContaining(['Xã Tràng An', 'Xã Bình Nghĩa', 'Xã Đồng Du']));
    const ninhBinh = await findLineageOf(ctx.db.kysely, '37@2025-07');
    expect(ninhBinh.predecessors.map((p) => p.id).sort()).toEqual(['35@2025-03', '36@2025-03', '37@2025-03']);
  });

  it.skipIf(!haveReal)('sets regions on the 63 old provinces and derives 27 of the 34 new ones', async () => {
    expect(r.counts.regions).toMatchObject({ added: 90, derived: 27, notDerived: 7 });
    const [hanoi] = await listAttributes(ctx.db.kysely, ['01@2025-07'], 'region');
    expect(hanoi).toMatchObject({ value: 'DBSH', validFrom: '2025-07-01' });
  });

  it.skipIf(!haveReal)('re-imports the real files without changing anything', async () => {
    const again = await importUnits(ctx.db, actor, { dir: REAL_DIR });
    expect(again.totals).toEqual({ added: 0, updated: 0, unchanged: r.totals.added, removed: 0 });
  }, 60_000);
});
