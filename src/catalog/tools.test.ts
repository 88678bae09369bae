import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSet } from './counts.ts';
import { getCatalog, loadCatalogFrom, SHIPPED_SETS_DIR } from './catalog.ts';
import { diffSets, formatDiff } from './diff.ts';
import { lintSetFile } from './lint.ts';
import { baseSetFile, childSetFile, indicatorFile, tempSetDir } from './test-fixtures.ts';

describe('diffSets', () => {
  it('shows what a provincial set changed against its base', () => {
    const dir = tempSetDir({
      'base.json': baseSetFile(),
      'child.json': childSetFile([
        { op: 'override', indicator: '1.2', target: { op: '>=', value: 95 } },
        { op: 'add', criterion: '1', indicator: indicatorFile({ code: '1.3', name: 'Mới' }) },
        { op: 'remove', indicator: '1.1' },
        { op: 'criterion', criterion: '2', critical: false },
      ]),
    });
    const c = loadCatalogFrom(dir);
    const d = diffSets(c.get('base'), c.get('child'));
    expect(d.indicators.added.map((i) => i.code)).toEqual(['1.3']);
    expect(d.indicators.removed.map((i) => i.code)).toEqual(['1.1']);
    expect(d.indicators.changed).toEqual([{ criterion: '1', code: '1.2', name: 'Tỷ lệ', changes: [{ field: 'target', from: { op: '>=', value: { byRegion: {} } }, to: { op: '>=', value: 95 } }] }]);
    expect(d.thresholdOverrides).toEqual([{ code: '1.2', name: 'Tỷ lệ', from: { op: '>=', value: { byRegion: {} } }, to: { op: '>=', value: 95 }, setBy: 'child' }]);
    expect(d.criteria.changed).toEqual([{ code: '2', name: 'Giao thông', changes: [{ field: 'critical', from: true, to: false }] }]);
    expect(formatDiff(d)).toContain('+ 1.3 [boolean] Mới');
  });

  it('counts the demo set changes: 46 indicators added, 29 kept (3 of them replaced in place)', () => {
    const cat = getCatalog();
    const d = diffSets(cat.get('xa-ntm-nang-cao-2021-2025'), cat.get('ha-nam-nang-cao-2021-2025-minh-hoa'));
    expect(d.indicators.added).toHaveLength(46);
    expect(d.indicators.removed).toHaveLength(0);
    expect(d.counts).toEqual({ from: { criteria: 19, indicators: 29 }, to: { criteria: 19, indicators: 75 } });
    expect(d.thresholdOverrides.find((o) => o.code === '10')!.to).toEqual({ op: '>=', value: { byYear: { '2022': 59, '2023': 64, '2024': 68, '2025': 73 } } });
  });

  it('is empty between a set and itself', () => {
    const s = getCatalog().get('xa-ntm-2021-2025');
    const d = diffSets(s, s);
    expect([d.indicators.added, d.indicators.removed, d.indicators.changed, d.thresholdOverrides]).toEqual([[], [], [], []]);
  });
});

describe('lintSetFile', () => {
  it('passes every shipped file, with warnings for unverified items and unset targets', () => {
    for (const id of getCatalog().ids()) {
      const r = lintSetFile(join(SHIPPED_SETS_DIR, `${id}.json`));
      expect(r.errors, id).toEqual([]);
      expect(r.setId).toBe(id);
    }
    const basic = lintSetFile(join(SHIPPED_SETS_DIR, 'xa-ntm-2021-2025.json'));
    expect(basic.warnings.map((w) => w.message.en)).toEqual([
      '56/56 indicators not verified against the official text (verified: false)',
      expect.stringMatching(/^20 indicators have no threshold \(to be set by the province\)/),
    ]);
  });

  it('reports schema errors with file and path', () => {
    const dir = tempSetDir({ 'base.json': baseSetFile({ validTo: '2021-01-01' }) });
    const r = lintSetFile(join(dir, 'base.json'), { catalogDir: dir });
    expect(r.errors.map((e) => [e.path, e.message.en])).toEqual([['$.validTo', 'validTo is before validFrom']]);
    expect(r.errors[0]!.file).toMatch(/base\.json$/);
  });

  it('resolves a provincial file against the catalogue and warns about numbering and validity', () => {
    const dir = tempSetDir({
      'base.json': baseSetFile(),
      'child.json': childSetFile([{ op: 'add', criterion: '1', indicator: indicatorFile({ code: '2.7' }) }], { validFrom: '2021-06-01' }),
    });
    const r = lintSetFile(join(dir, 'child.json'), { catalogDir: dir });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.path)).toEqual(expect.arrayContaining(['$.changes[0].indicator.code', '$.validFrom']));
    expect(r.counts?.indicators).toBe(4);
  });

  it('reports resolution errors of the linted file only', () => {
    const dir = tempSetDir({ 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'remove', indicator: '7.7' }]) });
    const r = lintSetFile(join(dir, 'child.json'), { catalogDir: dir });
    expect(r.errors.map((e) => e.path)).toEqual(['$.changes[0].indicator']);
  });
});

describe('countSet', () => {
  it('counts indicators by kind, unset targets and pending criteria', () => {
    const c = countSet(getCatalog().get('ha-nam-nang-cao-2021-2025-minh-hoa'));
    expect(c).toMatchObject({ criteria: 19, indicators: 75, verifiedIndicators: 0, verified: false, targetsUnset: 0, pendingCriteria: [] });
    expect(Object.values(c.byKind).reduce((a, b) => a + b)).toBe(75);
    expect(c.byKind.grade).toBe(2);
    const n2026 = countSet(getCatalog().get('xa-ntm-2026-2030'));
    expect(n2026).toMatchObject({ indicators: 0, verified: false });
    expect(n2026.pendingCriteria).toHaveLength(10);
  });
});
