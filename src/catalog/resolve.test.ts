import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { loadCatalogFrom } from './catalog.ts';
import { baseSetFile, childSetFile, indicatorFile, tempSetDir } from './test-fixtures.ts';
import type { Json } from './test-fixtures.ts';

function loadError(files: Record<string, unknown>): DomainError {
  try {
    loadCatalogFrom(tempSetDir(files));
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected the catalogue to be refused');
}

interface IssueDetail {
  file: string;
  path: string;
  vi: string;
  en: string;
}
/** A percent condition of a compound indicator. */
const COND = (code: string, value = 100) => ({ code, name: `Điều kiện ${code}`, kind: 'percent', target: { op: '>=', value } });
const issuesOf = (e: DomainError) => (e.details?.issues ?? []) as IssueDetail[];

describe('schema validation on load: file, JSON path and problem', () => {
  const cases: Array<[string, Json | string, string, string]> = [
    ['a wrong comparator for the kind', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ target: { op: '>=', value: true } })] }] }), '$.criteria[0].indicators[0].target.op', 'comparator ">=" does not fit kind boolean'],
    ['a percent target over 100', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'percent', target: { op: '>=', value: 120 } })] }] }), '$.criteria[0].indicators[0].target.value', 'from 0 to 100'],
    ['a grade target off the scale', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'grade', scale: ['a', 'b'], target: { op: '>=', value: 'c' } })] }] }), '$.criteria[0].indicators[0].target.value', 'on the scale'],
    ['a grade without scale', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'grade', target: { op: '>=', value: 'a' } })] }] }), '$.criteria[0].indicators[0].scale', 'needs a "scale"'],
    ['a none_count target other than 0', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'none_count', target: { op: '=', value: 2 } })] }] }), '$.criteria[0].indicators[0].target.value', 'must be 0'],
    ['an unknown region', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'percent', target: { op: '>=', value: { byRegion: { HN: 90 } } } })] }] }), '$.criteria[0].indicators[0].target.value.byRegion.HN', 'is not a region code'],
    ['a typo in a field name', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ verifed: true })] }] }), '$.criteria[0].indicators[0].verifed', 'unknown field "verifed"'],
    ['a missing source', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ source: undefined })] }] }), '$.criteria[0].indicators[0].source', 'required field is missing'],
    ['a duplicate indicator code', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile(), indicatorFile()] }] }), '$.criteria[0].indicators[1].code', 'duplicate indicator code "1.1"'],
    ['a criterion without indicators or pendingIndicators', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [] }] }), '$.criteria[0].indicators', 'needs "pendingIndicators"'],
    ['a bad date', baseSetFile({ validFrom: '2022-02-30' }), '$.validFrom', 'not a valid YYYY-MM-DD date'],
    ['a demo set not saying so', baseSetFile({ demo: true }), '$.name', '"minh họa" or "demo"'],
    ['an undeclared flag', baseSetFile({ flags: [], criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ applicableIf: { flag: 'has_craft' } })] }] }), '$.criteria[0].indicators[0].applicableIf.flag', 'is not declared'],
    ['a reserved flag code', baseSetFile({ flags: [{ code: 'constructor', name: 'x' }] }), '$.flags[0].code', 'reserved'],
    ['a compound without conditions', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'compound' })] }] }), '$.criteria[0].indicators[0].conditions', 'needs "conditions"'],
    ['conditions on a non-compound', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ conditions: [COND('a'), COND('b')] })] }] }), '$.criteria[0].indicators[0].conditions', 'only compound indicators'],
    ['a condition percentage over 100', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'compound', conditions: [COND('a'), COND('b', 120)] })] }] }), '$.criteria[0].indicators[0].conditions[1].target.value', 'from 0 to 100'],
    ['a duplicate condition code', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'compound', conditions: [COND('a'), COND('a')] })] }] }), '$.criteria[0].indicators[0].conditions[1].code', 'duplicate condition code "a"'],
    ['a target by an undeclared attribute', baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'percent', target: { op: '>=', value: { byAttribute: { attribute: 'so_truong', bands: [{ max: 3, value: 50 }] } } } })] }] }), '$.criteria[0].indicators[0].target.value.byAttribute.attribute', 'is not declared in "attributes"'],
    ['an attribute band with max below min', baseSetFile({ attributes: [{ code: 'so_truong', name: 'x' }], criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'percent', target: { op: '>=', value: { byAttribute: { attribute: 'so_truong', bands: [{ min: 4, max: 3, value: 50 }] } } } })] }] }), '$.criteria[0].indicators[0].target.value.byAttribute.bands[0].max', 'max is below min'],
    ['malformed JSON', '{ "id": "base", }', '$', 'line 1'],
  ];

  it.each(cases)('refuses %s', (_label, content, path, en) => {
    const e = loadError({ 'base.json': content });
    expect(e.code).toBe('invalid_catalog');
    const issue = issuesOf(e).find((i) => i.path === path);
    expect(issue, JSON.stringify(issuesOf(e))).toBeDefined();
    expect(issue!.en).toContain(en);
    expect(issue!.vi.length).toBeGreaterThan(0);
    expect(issue!.file).toMatch(/base\.json$/);
    // The one-line message names the file, the path and the problem in both languages.
    expect(e.messageVi).toContain('base.json');
    expect(e.message).toContain('base.json');
  });

  it('refuses a file whose name is not its id', () => {
    const e = loadError({ 'other.json': baseSetFile() });
    expect(issuesOf(e)[0]!.en).toContain('the file must be named "base.json"');
  });

  it('reports every problem, not only the first', () => {
    const e = loadError({ 'base.json': baseSetFile({ phase: '2020', level: 'gold' }) });
    expect(issuesOf(e).map((i) => i.path)).toEqual(['$.phase', '$.level']);
    expect(e.message).toContain('(and 1 more)');
    expect(e.messageVi).toContain('(và 1 lỗi khác)');
  });
});

describe('basedOn resolution', () => {
  it('applies override, add (after), split, remove and criterion changes in order', () => {
    const dir = tempSetDir({
      'base.json': baseSetFile(),
      'child.json': childSetFile([
        { op: 'override', indicator: '1.2', target: { op: '>=', value: 95 }, source: { decision: '2/QĐ-UBND' } },
        { op: 'add', criterion: '1', after: '1.1', indicator: indicatorFile({ code: '1.3', name: 'Mới' }) },
        { op: 'split', indicator: '2.1', into: [indicatorFile({ code: '2.1', name: 'Đường xã' }), indicatorFile({ code: '2.2', name: 'Đường thôn', kind: 'none_count', target: { op: '=', value: 0 } })] },
        { op: 'remove', indicator: '1.1' },
        { op: 'criterion', criterion: '2', name: 'Giao thông nông thôn', critical: false },
      ]),
    });
    const c = loadCatalogFrom(dir);
    const child = c.get('child');
    expect(child.criteria.map((x) => x.indicators.map((i) => [i.code, i.origin]))).toEqual([
      [['1.3', 'added'], ['1.2', 'override']],
      [['2.1', 'split'], ['2.2', 'split']],
    ]);
    const t = child.criteria[0]!.indicators[1]!.target;
    expect(t).toEqual({ op: '>=', value: 95, setBy: 'child', override: true, derivedFrom: null });
    expect(child.criteria[1]!.name).toBe('Giao thông nông thôn');
    expect(child.criteria[1]!.critical).toBe(false);
    expect(child.lineage).toEqual(['base', 'child']);
    // Inherited from the base when not restated.
    expect(child.specialRegion).toEqual({ dbkk: 'TDMNPB' });
    expect(child.flags.map((f) => f.code)).toEqual(['has_craft']);
    // The base is untouched.
    expect(c.get('base').criteria[0]!.indicators.map((i) => i.code)).toEqual(['1.1', '1.2']);
  });

  it('follows chains of any depth', () => {
    const dir = tempSetDir({
      'base.json': baseSetFile(),
      'child.json': childSetFile([{ op: 'override', indicator: '2.1', target: { op: '>=', value: 95 } }]),
      'grandchild.json': childSetFile([{ op: 'add', criterion: '2', indicator: indicatorFile({ code: '2.9' }) }], { id: 'grandchild', basedOn: 'child' }),
    });
    const g = loadCatalogFrom(dir).get('grandchild');
    expect(g.lineage).toEqual(['base', 'child', 'grandchild']);
    expect(g.criteria[1]!.indicators.map((i) => [i.code, i.target.value, i.target.setBy])).toEqual([
      ['2.1', 95, 'child'],
      ['2.9', true, 'grandchild'],
    ]);
  });

  it.each([
    ['an unknown base', { 'child.json': childSetFile([], { basedOn: 'nowhere' }) }, '$.basedOn', 'no criteria set "nowhere"'],
    ['a cycle', { 'a.json': childSetFile([], { id: 'a', basedOn: 'b' }), 'b.json': childSetFile([], { id: 'b', basedOn: 'a' }) }, '$.basedOn', 'circular reference'],
    ['a phase differing from the base', { 'base.json': baseSetFile(), 'child.json': childSetFile([], { phase: '2026-2030' }) }, '$.phase', 'differs from base set base'],
    ['an override of an unknown indicator', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'override', indicator: '9.9', target: { op: 'is', value: true } }]) }, '$.changes[0].indicator', 'no indicator "9.9"'],
    ['an override target unfit for the kind', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'override', indicator: '1.1', target: { op: '>=', value: 3 } }]) }, '$.changes[0].target.op', 'does not fit kind boolean'],
    ['an add with a duplicate code', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'add', criterion: '1', indicator: indicatorFile({ code: '2.1' }) }]) }, '$.changes[0].indicator.code', 'already exists'],
    ['an add to an unknown criterion', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'add', criterion: '7', indicator: indicatorFile({ code: '7.1' }) }]) }, '$.changes[0].criterion', 'no criterion "7"'],
    ['an add after an unknown indicator', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'add', criterion: '1', after: '1.9', indicator: indicatorFile({ code: '1.5' }) }]) }, '$.changes[0].after', 'no indicator "1.9"'],
    ['removing every indicator of a criterion', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'remove', indicator: '2.1' }]) }, '$.changes', 'criterion "2" has no indicators left'],
    ['an unknown change op', { 'base.json': baseSetFile(), 'child.json': childSetFile([{ op: 'rename', indicator: '2.1' }]) }, '$.changes[0].op', 'unknown change op "rename"'],
    ['criteria in a based set', { 'base.json': baseSetFile(), 'child.json': childSetFile([], { criteria: [] }) }, '$.criteria', 'lists "changes", not "criteria"'],
    ['a derived target on its own set', { 'base.json': baseSetFile({ criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'number', target: { op: '>=', value: { derived: { set: 'base', indicator: '1.1', factor: 1.1 } } } })] }] }) }, '$.criteria[0].indicators[0].target.value.derived.set', 'circular reference'],
    ['a derived target from an unknown indicator', { 'base.json': baseSetFile(), 'model.json': baseSetFile({ id: 'model', criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'number', target: { op: '>=', value: { derived: { set: 'base', indicator: '9.9', factor: 1.1 } } } })] }] }) }, '$.criteria[0].indicators[0].target.value.derived.indicator', 'has no indicator "9.9"'],
    ['a derived target on a boolean', { 'base.json': baseSetFile(), 'model.json': baseSetFile({ id: 'model', criteria: [{ code: '1', name: 'A', critical: false, indicators: [indicatorFile({ kind: 'number', target: { op: '>=', value: { derived: { set: 'base', indicator: '1.1', factor: 1.1 } } } })] }] }) }, '$.criteria[0].indicators[0].target.value.derived.indicator', 'is not numeric'],
  ] as const)('refuses %s', (_label, files, path, en) => {
    const e = loadError(files);
    const issue = issuesOf(e).find((i) => i.path === path && i.en.includes(en));
    expect(issue, JSON.stringify(issuesOf(e))).toBeDefined();
  });
});

describe('derived targets', () => {
  it('multiplies every known leaf by the factor and keeps unknown ones unknown', () => {
    const dir = tempSetDir({
      'base.json': baseSetFile({
        criteria: [{ code: '10', name: 'Thu nhập', critical: true, indicators: [indicatorFile({ code: '10', kind: 'number', target: { op: '>=', value: { byRegion: { DBSH: { byYear: { '2023': 60 } }, TN: null } } } })] }],
      }),
      'model.json': baseSetFile({
        id: 'model',
        level: 'kieu-mau',
        criteria: [{ code: '1', name: 'Thu nhập', critical: false, indicators: [indicatorFile({ code: '1', kind: 'number', target: { op: '>=', value: { derived: { set: 'base', indicator: '10', factor: 1.1 } } } })] }],
      }),
    });
    const t = loadCatalogFrom(dir).get('model').criteria[0]!.indicators[0]!.target;
    expect(t.value).toEqual({ byRegion: { DBSH: { byYear: { '2023': 66 } }, TN: null } });
    expect(t.derivedFrom).toEqual({ setId: 'base', indicator: '10', factor: 1.1 });
  });
});
