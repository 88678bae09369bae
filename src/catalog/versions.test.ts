/** Versions of a set id: selection by date, the validator's refusals, the hash, the special rule of 211. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import { getCatalog, loadCatalogFrom } from './catalog.ts';
import { baseSetFile, childSetFile, tempSetDir } from './test-fixtures.ts';
import type { Json } from './test-fixtures.ts';

function issuesOf(files: Record<string, unknown>): Array<{ file: string; path: string; vi: string; en: string }> {
  try {
    loadCatalogFrom(tempSetDir(files));
  } catch (e) {
    if (e instanceof DomainError) return (e.details?.issues ?? []) as Array<{ file: string; path: string; vi: string; en: string }>;
    throw e;
  }
  throw new Error('expected the catalogue to be refused');
}

/** Version n of the fixture base set, based on version 1, with the given validity. */
function baseVersion(version: number, validFrom: string, validTo: string | null, extra: Json = {}): Json {
  return childSetFile([{ op: 'override', indicator: '2.1', target: { op: '>=', value: 95 } }], {
    id: 'base', version, name: `Bộ gốc v${version}`, scope: 'national', province: null, basedOn: 'base@1', validFrom, validTo, ...extra,
  });
}

describe('the shipped versions of xa-ntm-2021-2025', () => {
  const catalog = getCatalog();

  it('picks the version valid on the date: 318 as issued until 29/2/2024, amended by 211 from 1/3/2024', () => {
    expect(catalog.versions('xa-ntm-2021-2025').map((s) => [s.version, s.validFrom, s.validTo])).toEqual([
      [1, '2022-03-08', '2024-02-29'],
      [2, '2024-03-01', '2026-02-14'],
    ]);
    expect(catalog.at('xa-ntm-2021-2025', '2024-02-29').version).toBe(1);
    expect(catalog.at('xa-ntm-2021-2025', '2024-03-01').version).toBe(2);
    expect(catalog.get('xa-ntm-2021-2025').version).toBe(2);
    // Outside every version: the nearest earlier one, so the engine names the validity it missed.
    expect(catalog.at('xa-ntm-2021-2025', '2021-01-01').version).toBe(1);
    expect(catalog.setsInForce('2024-06-01', '2021-2025').filter((s) => s.id === 'xa-ntm-2021-2025').map((s) => s.version)).toEqual([2]);
  });

  it('evaluates 15.4 as a percentage before 1/3/2024 and as yes/no after', () => {
    const commune = { code: 'x', name: 'X', region: 'DBSH' as const };
    const before = evaluateCommune(catalog.at('xa-ntm-2021-2025', '2023-06-01'), commune, '2023-06-01', { '15.4': 80 });
    const after = evaluateCommune(catalog.at('xa-ntm-2021-2025', '2024-06-01'), commune, '2024-06-01', { '15.4': true });
    const find = (v: typeof before) => v.criteria.find((c) => c.code === '15')!.indicators.find((i) => i.code === '15.4')!;
    expect([find(before).kind, find(before).status]).toEqual(['percent', 'not_evaluable']);
    expect([find(after).kind, find(after).status, find(after).name]).toEqual(['boolean', 'met', 'Xã triển khai thực hiện sổ khám chữa bệnh điện tử']);
  });

  it('applies 211 special communes from 1/3/2024 without guessing their region, and the 318 rule before', () => {
    const v1 = catalog.at('xa-ntm-2021-2025', '2023-06-01');
    const v2 = catalog.at('xa-ntm-2021-2025', '2024-06-01');
    const road = (v: ReturnType<typeof evaluateCommune>) => v.criteria[1]!.indicators.find((i) => i.code === '2.2')!;
    const old = evaluateCommune(v1, { code: 'x', name: 'X', region: 'DBSH', special: 'dbkk' }, '2023-06-01', { '2.2': 80 });
    expect(road(old).target.basis).toMatchObject({ region: 'TDMNPB', regionVia: 'dbkk' });
    const kv = evaluateCommune(v2, { code: 'x', name: 'X', region: 'DBSH', special: 'dtts_kv23' }, '2024-06-01', { '2.2': 80 });
    expect(road(kv).status).toBe('not_evaluable');
    expect(road(kv).target.basis).toMatchObject({ region: null, regionVia: 'dtts_kv23', missing: 'region' });
    expect(road(kv).reason.en).toContain('does not show which');
    expect(road(kv).reason.vi).toContain('nguồn chưa cho biết vùng nào');
    // The 318 statuses no longer switch region under version 2: the commune's own region applies.
    const dbkk = evaluateCommune(v2, { code: 'x', name: 'X', region: 'DBSH', special: 'dbkk' }, '2024-06-01', { '2.2': 80 });
    expect(road(dbkk).target.basis).toMatchObject({ region: 'DBSH', regionVia: null });
  });
});

describe('versions in set files', () => {
  it('loads two versions with disjoint periods and selects by date', () => {
    const cat = loadCatalogFrom(tempSetDir({ 'base.json': baseSetFile({ validTo: '2023-12-31' }), 'base.v2.json': baseVersion(2, '2024-01-01', '2025-12-31') }));
    expect(cat.at('base', '2023-12-31').version).toBe(1);
    const v2 = cat.at('base', '2024-01-01');
    expect([v2.version, v2.basedOn, v2.basedOnVersion]).toEqual([2, 'base', 1]);
    expect(cat.list().map((s) => [s.id, s.version, s.status])).toEqual([['base', 1, 'published'], ['base', 2, 'published']]);
  });

  it('refuses overlapping validity periods, naming the field and both versions in both languages', () => {
    const issues = issuesOf({ 'base.json': baseSetFile({ validTo: '2024-06-30' }), 'base.v2.json': baseVersion(2, '2024-01-01', null) });
    const hit = issues.find((i) => i.path === '$.validFrom');
    expect(hit?.file).toContain('base.v2.json');
    expect(hit?.en).toContain('version 2 (from 2024-01-01) overlaps version 1 (2022-01-01 – 2024-06-30)');
    expect(hit?.vi).toContain('trùng với phiên bản 1');
  });

  it('refuses an open-ended version followed by another', () => {
    const issues = issuesOf({ 'base.json': baseSetFile({ validTo: null }), 'base.v2.json': baseVersion(2, '2030-01-01', null) });
    expect(issues.some((i) => i.path === '$.validFrom' && i.en.includes('overlaps'))).toBe(true);
  });

  it('refuses a cycle in basedOn between versions', () => {
    const issues = issuesOf({
      'base.json': baseVersion(1, '2022-01-01', '2022-12-31', { basedOn: 'base@2' }),
      'base.v2.json': baseVersion(2, '2023-01-01', null, { basedOn: 'base@1' }),
    });
    const hit = issues.find((i) => i.path === '$.basedOn' && i.en.includes('circular'));
    expect(hit?.en).toMatch(/base@\d → base@\d → base@\d/);
    expect(hit?.vi).toContain('tham chiếu vòng');
  });

  it('refuses versions with different criteria, an unknown version, a duplicate version and a misnamed file', () => {
    const v2 = baseSetFile({ version: 2, validFrom: '2026-01-01', validTo: null, criteria: [{ code: '1', name: 'Quy hoạch', critical: false, indicators: [{ code: '1.1', name: 'x', kind: 'boolean', target: { op: 'is', value: true }, source: { decision: 't' }, verified: false }] }] });
    expect(issuesOf({ 'base.json': baseSetFile(), 'base.v2.json': v2 }).find((i) => i.path === '$.criteria')?.en).toContain('must share phase, level and criteria');
    expect(issuesOf({ 'base.json': baseSetFile(), 'child.json': childSetFile([], { basedOn: 'base@3' }) }).find((i) => i.path === '$.basedOn')?.en).toContain('no criteria set "base@3"');
    expect(issuesOf({ 'base.json': baseSetFile(), 'base.v1.json': baseSetFile() }).find((i) => i.path === '$.id')?.en).toContain('must be named "base.json"');
  });

  it('resolves a bare basedOn to the version in force on the provincial set\'s start', () => {
    const files = { 'base.json': baseSetFile({ validTo: '2023-12-31' }), 'base.v2.json': baseVersion(2, '2024-01-01', null) };
    const late = loadCatalogFrom(tempSetDir({ ...files, 'child.json': childSetFile([], { validFrom: '2024-02-01' }) }));
    expect(late.get('child').basedOnVersion).toBe(2);
    const early = loadCatalogFrom(tempSetDir({ ...files, 'child.json': childSetFile([], { validFrom: '2022-02-01' }) }));
    expect(early.get('child').basedOnVersion).toBe(1);
  });

  it('changes the hash of the id when a version is added (cached verdicts are recomputed)', () => {
    const one = loadCatalogFrom(tempSetDir({ 'base.json': baseSetFile({ validTo: '2023-12-31' }) }));
    const two = loadCatalogFrom(tempSetDir({ 'base.json': baseSetFile({ validTo: '2023-12-31' }), 'base.v2.json': baseVersion(2, '2024-01-01', null) }));
    expect(one.hash('base')).not.toBe(two.hash('base'));
    expect(one.hash('base')).toMatch(/^[0-9a-f]{64}$/);
  });
});
