/** Provenance of indicators: the file rules (bilingual, naming the field), resolution, and the shipped counts. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorsOf } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { provenanceLine } from '../domain/provenance.ts';
import { getCatalog, loadCatalogFrom, SHIPPED_SETS_DIR } from './catalog.ts';
import { baseSetFile, childSetFile, indicatorFile, tempSetDir } from './test-fixtures.ts';
import type { Json } from './test-fixtures.ts';

const SRC = { number: '1491/QĐ-BGDĐT', date: '2022-06-06', issuer: 'Bộ GDĐT', ref: 'tóm tắt', url: 'https://example.vn/a' };

function withIndicator(ind: Json): Json {
  return baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile(ind)] }] });
}

/** The fixture base set (1.1, 1.2, 2.1) with 1.1 changed. */
function baseWithFirst(ind: Json): Json {
  const base = baseSetFile() as { criteria: Array<{ indicators: Json[] }> };
  base.criteria[0]!.indicators[0] = { ...base.criteria[0]!.indicators[0]!, ...ind };
  return base;
}

function issuesOf(files: Record<string, unknown>): Array<{ path: string; vi: string; en: string }> {
  try {
    loadCatalogFrom(tempSetDir(files));
  } catch (e) {
    if (e instanceof DomainError) return (e.details?.issues ?? []) as Array<{ path: string; vi: string; en: string }>;
    throw e;
  }
  throw new Error('expected the catalogue to be refused');
}

describe('provenance rules in set files', () => {
  const P = '$.criteria[0].indicators[0].provenance';
  const cases: Array<[string, Json, string, string]> = [
    ['official without a source', { verified: true, provenance: { level: 'official', source: null } }, `${P}.source`, 'needs its source document'],
    ['official but not verified', { provenance: { level: 'official', source: SRC } }, `${P}.level`, 'must be verified'],
    ['verified but only secondary', { verified: true, provenance: { level: 'secondary', source: SRC } }, `${P}.level`, 'must be "official"'],
    ['secondary without a source', { provenance: { level: 'secondary', source: null } }, `${P}.source`, 'needs its cited source'],
    ['secondary without an address', { provenance: { level: 'secondary', source: { number: 'x' } } }, `${P}.source`, 'needs its address'],
    ['reconstructed with a source', { provenance: { level: 'reconstructed', source: SRC } }, `${P}.source`, 'has no source'],
    ['an unknown level', { provenance: { level: 'guessed', source: null } }, `${P}.level`, 'one of'],
    ['a bad source date', { provenance: { level: 'secondary', source: { ...SRC, date: '2022-13-01' } } }, `${P}.source.date`, 'YYYY-MM-DD'],
  ];
  it.each(cases)('refuses %s, naming the field in both languages', (_name, ind, path, en) => {
    const issues = issuesOf({ 'base.json': withIndicator(ind) });
    const hit = issues.find((i) => i.path === path);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit!.en).toContain(en);
    expect(hit!.vi.length).toBeGreaterThan(0);
    expect(hit!.vi).not.toBe(hit!.en);
  });

  it('defaults to reconstructed and keeps a secondary source as given', () => {
    const cat = loadCatalogFrom(tempSetDir({ 'base.json': baseWithFirst({ provenance: { level: 'secondary', source: SRC } }) }));
    const [first, second] = indicatorsOf(cat.get('base'));
    expect(first!.provenance).toEqual({ level: 'secondary', source: SRC });
    expect(second!.provenance).toEqual({ level: 'reconstructed', source: null });
    expect(cat.list()[0]!.provenance).toEqual({ official: 0, secondary: 1, reconstructed: 2 });
  });

  it('makes an overridden threshold reconstructed unless the override cites its own source', () => {
    const base = baseWithFirst({ kind: 'percent', target: { op: '>=', value: 80 }, provenance: { level: 'secondary', source: SRC } });
    const child = childSetFile([
      { op: 'override', indicator: '1.1', target: { op: '>=', value: 90 } },
      { op: 'override', indicator: '1.2', target: { op: '>=', value: 70 }, provenance: { level: 'secondary', source: SRC } },
    ]);
    const cat = loadCatalogFrom(tempSetDir({ 'base.json': base, 'child.json': child }));
    const byCode = new Map(indicatorsOf(cat.get('child')).map((i) => [i.code, i.provenance.level]));
    expect(Object.fromEntries(byCode)).toEqual({ '1.1': 'reconstructed', '1.2': 'secondary', '2.1': 'reconstructed' });
  });

  it('refuses an override that claims official without verifying', () => {
    const issues = issuesOf({ 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'override', indicator: '1.1', provenance: { level: 'official', source: SRC } }]) });
    expect(issues.find((i) => i.path === '$.changes[0].provenance.level')?.en).toContain('must be verified');
  });
});

describe('provenance of the shipped sets', () => {
  it('states it explicitly for every indicator written in a shipped file', () => {
    for (const name of readdirSync(SHIPPED_SETS_DIR).filter((n) => n.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(join(SHIPPED_SETS_DIR, name), 'utf8')) as Json & { criteria?: Array<{ indicators: Json[] }>; changes?: Json[] };
      const written = [
        ...(data.criteria ?? []).flatMap((c) => c.indicators),
        ...(data.changes ?? []).flatMap((c) => (c.op === 'add' ? [c.indicator as Json] : c.op === 'split' ? (c.into as Json[]) : [])),
      ];
      for (const ind of written) expect(ind.provenance, `${name} ${String(ind.code)}`).toBeDefined();
    }
  });

  it('claims nothing official (nothing was checked against the official text) and cites every secondary source', () => {
    for (const set of getCatalog().all()) {
      for (const i of indicatorsOf(set)) {
        expect(i.provenance.level).not.toBe('official');
        if (i.provenance.level === 'secondary') expect(i.provenance.source?.url).toMatch(/^https?:\/\//);
      }
    }
  });

  it('says the counts in one line', () => {
    expect(provenanceLine(47, { official: 41, secondary: 6, reconstructed: 0 }).vi).toBe('47 chỉ tiêu, 41 chính thức, 6 thứ cấp, 0 tái dựng');
  });
});
