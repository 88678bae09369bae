import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorsOf } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { compileSet } from '../domain/compiled-set.ts';
import { getCatalog, loadCatalogFrom, SHIPPED_SETS_DIR } from './catalog.ts';
import { tempSetDir } from './test-fixtures.ts';

const DEMO = 'ha-nam-nang-cao-2021-2025-minh-hoa';

describe('the shipped catalogue', () => {
  const catalog = getCatalog();

  it('lists the five sets (six versions) with the catalog-list contract', () => {
    const list = catalog.list();
    expect(list.map((s) => [s.id, s.phase, s.level, s.basedOn, s.criteria, s.indicators, s.verified])).toEqual([
      ['xa-ntm-2021-2025', '2021-2025', 'ntm', null, 19, 56, false],
      ['xa-ntm-2021-2025', '2021-2025', 'ntm', 'xa-ntm-2021-2025', 19, 56, false],
      ['xa-ntm-nang-cao-2021-2025', '2021-2025', 'nang-cao', null, 19, 29, false],
      ['xa-ntm-kieu-mau-2021-2025', '2021-2025', 'kieu-mau', null, 3, 3, false],
      [DEMO, '2021-2025', 'nang-cao', 'xa-ntm-nang-cao-2021-2025', 19, 75, false],
      ['xa-ntm-2026-2030', '2026-2030', 'ntm', null, 10, 0, false],
    ]);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'name', 'phase', 'level', 'basedOn', 'criteria', 'indicators', 'verified', 'validFrom', 'validTo', 'decision']));
      expect(s.decision.number.length).toBeGreaterThan(0);
    }
  });

  it('cites the decisions', () => {
    const d = (id: string) => catalog.get(id).decision;
    expect(catalog.get('xa-ntm-2021-2025', 1).decision).toMatchObject({ number: '318/QĐ-TTg', date: '2022-03-08', appendix: 'Phụ lục I' });
    expect(d('xa-ntm-2021-2025')).toMatchObject({ number: '211/QĐ-TTg', date: '2024-03-01' });
    expect(d('xa-ntm-nang-cao-2021-2025')).toMatchObject({ number: '318/QĐ-TTg', date: '2022-03-08', appendix: 'Phụ lục II' });
    expect(d('xa-ntm-kieu-mau-2021-2025')).toMatchObject({ number: '319/QĐ-TTg', date: '2022-03-08' });
    expect(d('xa-ntm-2026-2030')).toMatchObject({ number: '51/2025/QĐ-TTg', date: '2025-12-29', appendix: 'Phụ lục I' });
    expect(catalog.get('xa-ntm-2026-2030').validFrom).toBe('2026-02-15');
  });

  it('keeps every draft indicator unverified and gives each a source', () => {
    for (const set of catalog.all()) {
      for (const i of indicatorsOf(set)) {
        expect(i.verified).toBe(false);
        expect(i.source.decision.length).toBeGreaterThan(0);
      }
    }
  });

  it('flags the critical criteria of each set', () => {
    const critical = (id: string) => catalog.get(id).criteria.filter((c) => c.critical).map((c) => `${c.code} ${c.name}`);
    expect(critical('xa-ntm-2021-2025')).toEqual(['10 Thu nhập', '17 Môi trường và an toàn thực phẩm', '19 Quốc phòng và An ninh']);
    expect(critical('xa-ntm-nang-cao-2021-2025')).toEqual(['10 Thu nhập', '17 Môi trường', '18 Chất lượng môi trường sống', '19 Quốc phòng và An ninh']);
    expect(critical(DEMO)).toEqual(critical('xa-ntm-nang-cao-2021-2025'));
  });

  it('sets prerequisites: advanced requires NTM, model requires advanced', () => {
    expect(catalog.get('xa-ntm-nang-cao-2021-2025').requires).toEqual(['ntm']);
    expect(catalog.get(DEMO).requires).toEqual(['ntm']);
    expect(catalog.get('xa-ntm-kieu-mau-2021-2025').requires).toEqual(['nang-cao']);
  });

  it('labels the demo set as demo, with exactly 19 criteria and 75 indicators', () => {
    const demo = catalog.get(DEMO);
    expect(demo.demo).toBe(true);
    expect(demo.name).toBe('Bộ tiêu chí xã NTM nâng cao tỉnh Hà Nam giai đoạn 2021–2025 (minh họa — dữ liệu demo)');
    expect([demo.validFrom, demo.validTo]).toEqual(['2022-01-01', '2025-12-31']);
    expect(demo.criteria).toHaveLength(19);
    expect(indicatorsOf(demo)).toHaveLength(75);
    const unmetPool = ['5', '8', '13', '14', '15', '17'].map((c) => demo.criteria.find((x) => x.code === c)!.indicators.length);
    expect(unmetPool.every((n) => n >= 1)).toBe(true);
    expect(unmetPool.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(11);
  });

  it('makes every demo indicator evaluable for a DBSH commune in 2022–2025', () => {
    const demo = catalog.get(DEMO);
    for (const date of ['2022-01-01', '2023-03-20', '2024-06-30', '2025-12-31']) {
      const compiled = compileSet(demo, { code: 'x', name: 'X', region: 'DBSH' }, date);
      const unset = compiled.targets.flatMap((t, i) => (t.value === null ? [compiled.indicators[i]!.code] : []));
      expect(unset, date).toEqual([]);
    }
  });

  it('throws unknown_criteria_set naming the id in both languages', () => {
    try {
      catalog.get('xa-khong-co');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const d = e as DomainError;
      expect(d.code).toBe('unknown_criteria_set');
      expect(d.messageVi).toContain('Không có bộ tiêu chí "xa-khong-co"');
      expect(d.message).toContain('Unknown criteria set "xa-khong-co"');
    }
    expect(catalog.has('xa-khong-co')).toBe(false);
    expect(catalog.has(DEMO)).toBe(true);
  });

  it('finds the sets in force on a date', () => {
    expect(catalog.setsInForce('2023-03-20').map((s) => s.id)).toEqual(['xa-ntm-2021-2025', 'xa-ntm-nang-cao-2021-2025', 'xa-ntm-kieu-mau-2021-2025', DEMO]);
    expect(catalog.setsInForce('2026-03-01').map((s) => s.id)).toEqual(['xa-ntm-2026-2030']);
    expect(catalog.setsInForce('2023-03-20', '2026-2030')).toEqual([]);
  });

  it('freezes the resolved sets', () => {
    expect(Object.isFrozen(catalog.get(DEMO).criteria[0]!.indicators[0]!.target)).toBe(true);
  });
});

describe('content hash', () => {
  it('is a stable SHA-256 across loads', () => {
    const a = loadCatalogFrom(SHIPPED_SETS_DIR);
    const b = loadCatalogFrom(SHIPPED_SETS_DIR);
    expect(a.hash(DEMO)).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash(DEMO)).toBe(a.hash(DEMO));
    expect(new Set(a.ids().map((id) => a.hash(id))).size).toBe(a.ids().length);
  });

  it('changes for a set and the sets resting on it when its file changes', () => {
    const dir = tempSetDir({}, { withShipped: true });
    const before = loadCatalogFrom(dir);
    const file = join(dir, 'xa-ntm-nang-cao-2021-2025.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"name": "Tỷ lệ nghèo đa chiều"', '"name": "Tỷ lệ hộ nghèo đa chiều"'));
    const after = loadCatalogFrom(dir);
    expect(after.hash('xa-ntm-nang-cao-2021-2025')).not.toBe(before.hash('xa-ntm-nang-cao-2021-2025'));
    expect(after.hash(DEMO)).not.toBe(before.hash(DEMO));
    expect(after.hash('xa-ntm-2021-2025')).toBe(before.hash('xa-ntm-2021-2025'));
  });
});
