import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../domain/errors.ts';
import { DERIVED_REGION_SOURCE, REGION_SOURCE, UNIT_FILES, parseCsv, parseUnitFile, planUnitLists, type UnitListTables } from './unit-list.ts';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and blank lines, with line numbers', () => {
    const t = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n1,2\r\n', 'f.csv', ['a', 'b']);
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['1', '2'] },
    ]);
  });

  it('refuses a missing column, naming file, row and column in both languages', () => {
    const e = (() => {
      try {
        parseCsv('a,c\n1,2\n', 'f.csv', ['a', 'b']);
      } catch (err) {
        return err as DomainError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('validation_failed');
    expect(e.details).toEqual({ file: 'f.csv', row: 1, column: 'b' });
    expect(e.messageVi).toContain('thiếu cột "b"');
    expect(e.message).toContain('missing column "b"');
  });

  it('refuses a row with the wrong number of fields and an unclosed quote', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'f.csv')).toThrow(/f\.csv, row 3.*1 fields but the header has 2/);
    expect(() => parseCsv('a,b\n"1,2\n', 'f.csv')).toThrow(/unclosed quote/);
  });
});


describe('planUnitLists', () => {
  // Hà Nam and Nam Định become Ninh Bình; one row of each file is wrong in its own way.
  const tables = (): UnitListTables => ({
    before: parseUnitFile(
      UNIT_FILES.before,
      `province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13510,Tràng An,Xã
36,Nam Định,Tỉnh,356,Vụ Bản,Huyện,13708,Trung Thành,Xã
35,Hà Nam,Tỉnh,352,Bình Lục,Huyện,13510,Tràng An Mới,Xã
`,
    ),
    after: parseUnitFile(UNIT_FILES.after, `province_code,province_name,province_type,commune_code,commune_name,commune_type\n37,Ninh Bình,Tỉnh,13504,Bình Lục,Xã\n`),
    merges: parseUnitFile(
      UNIT_FILES.merges,
      `old_commune_code,old_commune_name,new_commune_code,new_commune_name,part
13510,Xã Tràng An,13504,Xã Bình Lục,full
13708,Xã Trung Thành,13504,Xã Bình Lục,full
99999,Xã Ma,13504,Xã Bình Lục,full
`,
    ),
    regions: parseUnitFile(UNIT_FILES.regions, `gso_code,name,region7_code\n35,Hà Nam,DBSH\n36,Nam Định,DBSH\n`),
  });

  it('builds unit, lineage and region records, and reports each problem with its file and row', () => {
    const plan = planUnitLists(tables());
    expect([...plan.units.keys()].sort()).toEqual(['13504@2025-07', '13510@2025-03', '13708@2025-03', '352@2025-03', '356@2025-03', '35@2025-03', '36@2025-03', '37@2025-07']);
    expect(plan.units.get('13510@2025-03')).toMatchObject({ line: 2, file: UNIT_FILES.before, row: { name: 'Tràng An', full_name: 'Xã Tràng An', parent_id: '352@2025-03', province_id: '35@2025-03' } });
    expect([...plan.lineage.values()].map((l) => [l.predecessor_id, l.successor_id, l.part, l.kind])).toEqual([
      ['13510@2025-03', '13504@2025-07', 'full', 'communes'],
      ['13708@2025-03', '13504@2025-07', 'full', 'communes'],
      ['35@2025-03', '37@2025-07', 'full', 'provinces'],
      ['36@2025-03', '37@2025-07', 'full', 'provinces'],
    ]);
    expect([...plan.regions.values()].map((r) => [r.unitId, r.value, r.source])).toEqual([
      ['35@2025-03', 'DBSH', REGION_SOURCE],
      ['36@2025-03', 'DBSH', REGION_SOURCE],
      ['37@2025-07', 'DBSH', DERIVED_REGION_SOURCE],
    ]);
    expect(plan.conflicts).toEqual([expect.objectContaining({ file: UNIT_FILES.before, row: 4, code: '13510', name: 'Tràng An Mới' })]);
    expect(plan.conflicts[0]!.reason.en).toContain('Kept row 2');
    expect(plan.unmatched).toEqual([expect.objectContaining({ file: UNIT_FILES.merges, row: 4, code: '99999' })]);
    expect(plan.unmatched[0]!.reason.vi).toContain('không có trong danh mục 2025-03');
  });
});
