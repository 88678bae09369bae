/**
 * One worked example per shipped set: a commune, a date, values, and the verdict a committee
 * would read. Also provincial sets completing the national ones (fixtures, not shipped).
 */
import { describe, expect, it } from 'vitest';
import type { CommuneProfile, CriteriaSet, Indicator, IndicatorValue } from '../domain/criteria.ts';
import { indicatorsOf } from '../domain/criteria.ts';
import { compileSet } from '../domain/compiled-set.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import { checkRevocation } from '../domain/revocation.ts';
import type { ResolvedTarget } from '../domain/targets.ts';
import { getCatalog, loadCatalogFrom } from './catalog.ts';
import { indicatorFile, tempSetDir } from './test-fixtures.ts';

const catalog = getCatalog();
const TRANG_AN: CommuneProfile = { code: '13510', name: 'Tràng An', region: 'DBSH' };

/** A value that meets (or just misses) a resolved target. */
function valueFor(ind: Indicator, t: ResolvedTarget, met: boolean): IndicatorValue {
  const v = t.value;
  if (v === null) return null;
  switch (ind.kind) {
    case 'boolean':
      return met ? v : !v;
    case 'none_count':
      return met ? 0 : 2;
    case 'grade': {
      const k = ind.scale!.indexOf(String(v));
      return met ? ind.scale![k]! : ind.scale![k - 1]!;
    }
    case 'ratio': {
      const n = Number(v);
      return met ? { numerator: Math.ceil(n * 2), denominator: 200 } : { numerator: Math.max(0, Math.ceil(n * 2) - 1), denominator: 200 };
    }
    default: {
      const n = Number(v);
      if (t.op === '<=') return met ? n : n + 1;
      return met ? n : n - 1;
    }
  }
}

/** Values for every indicator of a set: met, except the codes in `miss`. */
function valuesFor(set: CriteriaSet, commune: CommuneProfile, asOf: string, miss: ReadonlySet<string> = new Set()): Record<string, IndicatorValue> {
  const compiled = compileSet(set, commune, asOf);
  const values: Record<string, IndicatorValue> = {};
  compiled.indicators.forEach((ind, i) => {
    values[ind.code] = valueFor(ind, compiled.targets[i]!, !miss.has(ind.code));
  });
  return values;
}

describe('demo set ha-nam-nang-cao-2021-2025-minh-hoa: Tràng An on 20/3/2023', () => {
  const set = catalog.get('ha-nam-nang-cao-2021-2025-minh-hoa');
  const miss = new Set(['5.1', '5.4', '8.2', '8.3', '13.2', '13.6', '14.4', '15.1', '15.3', '17.1', '17.10']);
  const values = valuesFor(set, TRANG_AN, '2023-03-20', miss);
  const v = evaluateCommune(set, TRANG_AN, '2023-03-20', values, { recognisedLevels: ['ntm'] });

  it('meets 13/19 criteria and 64/75 indicators', () => {
    expect(v.totals).toMatchObject({ criteriaMet: 13, criteriaTotal: 19, indicatorsMet: 64, indicatorsTotal: 75, notEvaluable: 0, notApplicable: 0 });
    expect(v.unmet.map((c) => c.code)).toEqual(['5', '8', '13', '14', '15', '17']);
    expect(v.meetsStandard).toBe(false);
    expect(v.level).toBeNull();
  });

  it('reads as the committee says it', () => {
    expect(v.summary.vi).toBe(
      'Đạt 13/19 tiêu chí, 64/75 chỉ tiêu; còn 6 tiêu chí, 11 chỉ tiêu chưa đạt: Giáo dục, Thông tin và Truyền thông, Tổ chức sản xuất và phát triển kinh tế nông thôn, Y tế, Hành chính công, Môi trường.',
    );
    expect(v.summary.en).toMatch(/^Meets 13\/19 criteria, 64\/75 indicators; 6 criteria, 11 indicators not yet met: Giáo dục, /);
  });

  it('uses the provincial income target for 2023 and says why', () => {
    const income = v.criteria.find((c) => c.code === '10')!.indicators[0]!;
    expect(income.target.value).toBe(64);
    expect(income.target.basis.override).toBe(true);
    expect(income.target.basis.year).toBe(2023);
    expect(income.verified).toBe(false);
  });

  it('would revoke a recognised advanced commune: 6/19 failing including Môi trường (critical)', () => {
    const r = checkRevocation(v);
    expect(r.triggered).toBe(true);
    expect(r.criticalFailing).toEqual(['17']);
  });

  it('reaches nâng cao once everything is met, given NTM recognition', () => {
    const all = evaluateCommune(set, TRANG_AN, '2023-09-30', valuesFor(set, TRANG_AN, '2023-09-30'), { recognisedLevels: ['ntm'] });
    expect(all.summary.vi).toBe('Đạt 19/19 tiêu chí, 75/75 chỉ tiêu.');
    expect(all.level).toBe('nang-cao');
  });

  it('leaves "(nếu có)" 13.5 out when the commune has no traditional craft', () => {
    const noCraft = evaluateCommune(set, TRANG_AN, '2023-09-30', { ...valuesFor(set, TRANG_AN, '2023-09-30'), has_traditional_craft: false });
    expect(noCraft.totals).toMatchObject({ indicatorsMet: 74, indicatorsTotal: 74, notApplicable: 1 });
  });
});

describe('national set xa-ntm-2021-2025 (318 App. I), version 1 (8/3/2022 – 29/2/2024)', () => {
  const set = catalog.get('xa-ntm-2021-2025', 1);

  it('evaluates the items with known targets and leaves the rest to the province', () => {
    const values: Record<string, IndicatorValue> = {};
    for (const i of indicatorsOf(set)) {
      // A compound (criterion 5) is entered condition by condition.
      if (i.kind === 'compound') for (const c of i.conditions ?? []) values[`${i.code}.${c.code}`] = 100;
      else values[i.code] = i.kind === 'boolean' ? true : i.kind === 'none_count' ? 0 : i.kind === 'grade' ? 'hoàn thành tốt nhiệm vụ' : i.target.op === '<=' ? 1 : 100;
    }
    const v = evaluateCommune(set, TRANG_AN, '2023-03-20', values, { recognisedLevels: [] });
    // 3.1 (≥80%) and criterion 5 (compound) are sourced since issue 13: 36 met, 20 left to the province.
    expect(v.totals).toMatchObject({ indicatorsTotal: 56, indicatorsMet: 36, notEvaluable: 20 });
    const road = v.criteria[1]!.indicators.find((i) => i.code === '2.2')!;
    expect(road.status).toBe('not_evaluable');
    expect(road.reason.vi).toContain('ngưỡng do tỉnh quy định');
    expect(road.reason.en).toContain('to be set by the province');
    const party = v.criteria.find((c) => c.code === '18')!.indicators.find((i) => i.code === '18.2')!;
    expect([party.kind, party.status]).toEqual(['grade', 'met']);
    expect(v.level).toBeNull();
  });

  it('needs a region for regional targets, and uses TDMNPB for a đặc biệt khó khăn commune', () => {
    const noRegion = evaluateCommune(set, { code: 'x', name: 'X' }, '2023-03-20', { '2.2': 80 });
    expect(noRegion.criteria[1]!.indicators[1]!.target.basis.missing).toBe('region');
    const dbkk = evaluateCommune(set, { code: 'x', name: 'X', region: 'DBSH', special: 'dbkk' }, '2023-03-20', { '2.2': 80 });
    expect(dbkk.criteria[1]!.indicators[1]!.target.basis).toMatchObject({ region: 'TDMNPB', regionVia: 'dbkk', missing: 'value' });
  });
});

describe('national set xa-ntm-nang-cao-2021-2025 (318 App. II)', () => {
  const set = catalog.get('xa-ntm-nang-cao-2021-2025');

  it('reports the criteria whose indicators are not transcribed as not evaluable, with the reason', () => {
    const v = evaluateCommune(set, TRANG_AN, '2023-03-20', { '1.1': true, '1.2': true }, { recognisedLevels: ['ntm'] });
    const pending = v.criteria.filter((c) => c.indicators.length === 0);
    expect(pending.map((c) => c.code)).toEqual(['8', '13', '15', '16', '17', '18']);
    for (const c of pending) {
      expect(c.status).toBe('not_evaluable');
      expect(c.reason.vi).toContain('bộ tiêu chí cấp tỉnh cần bổ sung');
    }
    expect(v.criteria[0]!.status).toBe('met');
    expect(v.prerequisites.satisfied).toBe(true);
    // Not evaluable is not failing: no revocation on missing data.
    expect(checkRevocation(v).triggered).toBe(false);
  });
});

describe('model conditions xa-ntm-kieu-mau-2021-2025 (319)', () => {
  it('derives income from the advanced target: unknown nationally, so not evaluable', () => {
    const set = catalog.get('xa-ntm-kieu-mau-2021-2025');
    const v = evaluateCommune(set, TRANG_AN, '2024-06-30', { '1': 90, '2': 1, '3': true }, { recognisedLevels: ['nang-cao'] });
    expect(v.criteria.map((c) => c.status)).toEqual(['not_evaluable', 'met', 'met']);
    expect(v.criteria[0]!.indicators[0]!.target.basis.derivedFrom).toEqual({ setId: 'xa-ntm-nang-cao-2021-2025', indicator: '10', factor: 1.1 });
    expect(v.prerequisites).toEqual({ required: ['nang-cao'], held: ['nang-cao'], missing: [], satisfied: true });
    expect(v.level).toBeNull();
  });

  it('reaches kiểu mẫu with a provincial advanced income and the advanced level held', () => {
    const dir = tempSetDir(
      {
        'tinh-nang-cao.json': {
          formatVersion: 1, id: 'tinh-nang-cao', name: 'Bộ NTM nâng cao tỉnh (thử)', phase: '2021-2025', level: 'nang-cao', scope: 'provincial',
          province: { code: '99', name: 'Tỉnh thử' }, decision: { number: '1/QĐ-UBND', date: '2022-06-01' }, validFrom: '2022-06-01', validTo: '2025-12-31',
          basedOn: 'xa-ntm-nang-cao-2021-2025',
          changes: [{ op: 'override', indicator: '10', target: { op: '>=', value: { byYear: { '2024': 70 } } } }],
        },
        'tinh-kieu-mau.json': {
          formatVersion: 1, id: 'tinh-kieu-mau', name: 'Xã NTM kiểu mẫu tỉnh (thử)', phase: '2021-2025', level: 'kieu-mau', scope: 'provincial',
          province: { code: '99', name: 'Tỉnh thử' }, decision: { number: '2/QĐ-UBND', date: '2022-06-01' }, validFrom: '2022-06-01', validTo: '2025-12-31',
          basedOn: 'xa-ntm-kieu-mau-2021-2025',
          changes: [{ op: 'override', indicator: '1', target: { op: '>=', value: { derived: { set: 'tinh-nang-cao', indicator: '10', factor: 1.1 } } } }],
        },
      },
      { withShipped: true },
    );
    const set = loadCatalogFrom(dir).get('tinh-kieu-mau');
    const low = evaluateCommune(set, TRANG_AN, '2024-06-30', { '1': 76.9, '2': 2, '3': true }, { recognisedLevels: ['nang-cao'] });
    expect(low.criteria[0]!.indicators[0]!.target.value).toBe(77);
    expect(low.criteria[0]!.status).toBe('not_met');
    const ok = evaluateCommune(set, TRANG_AN, '2024-06-30', { '1': 77, '2': 2, '3': true }, { recognisedLevels: ['nang-cao'] });
    expect(ok.level).toBe('kieu-mau');
    expect(evaluateCommune(set, TRANG_AN, '2024-06-30', { '1': 77, '2': 2, '3': true }, { recognisedLevels: ['ntm'] }).level).toBeNull();
  });
});

describe('national set xa-ntm-2026-2030 (51/2025)', () => {
  const set = catalog.get('xa-ntm-2026-2030');

  it('has 10 criteria, no transcribed indicators, and evaluates to not evaluable with the reason', () => {
    expect(set.criteria.map((c) => c.name)).toEqual([
      'Quy hoạch', 'Hạ tầng kinh tế - xã hội', 'Phát triển kinh tế nông thôn', 'Đào tạo nguồn nhân lực nông thôn', 'Văn hóa, giáo dục, y tế',
      'Giảm nghèo và an sinh xã hội', 'Khoa học công nghệ và chuyển đổi số', 'Môi trường và cảnh quan nông thôn',
      'Xây dựng hệ thống chính trị và hành chính công', 'Tiếp cận pháp luật và an ninh, quốc phòng',
    ]);
    const v = evaluateCommune(set, { code: '13504', name: 'Bình Lục', group: 2 }, '2026-03-01', {});
    expect(v.totals).toMatchObject({ criteriaMet: 0, criteriaTotal: 10, criteriaNotEvaluable: 10, indicatorsTotal: 0 });
    expect(v.criteria[0]!.reason.en).toContain('Decision 51/2025/QĐ-TTg');
    expect(v.summary.vi).toMatch(/^Đạt 0\/10 tiêu chí, 0\/0 chỉ tiêu; còn 10 tiêu chí/);
  });

  it('lets a provincial set add indicators with commune-group targets', () => {
    const changes = set.criteria.map((c) => ({
      op: 'add',
      criterion: c.code,
      indicator: indicatorFile({ code: `${c.code}.1`, name: `Chỉ tiêu ${c.code}.1`, kind: 'percent', unit: '%', target: { op: '>=', value: { byGroup: { '1': 95, '2': 90, '3': 80 } } } }),
    }));
    const dir = tempSetDir(
      {
        'tinh-2026.json': {
          formatVersion: 1, id: 'tinh-2026', name: 'Bộ NTM tỉnh 2026–2030 (thử)', phase: '2026-2030', level: 'ntm', scope: 'provincial',
          province: { code: '37', name: 'Ninh Bình' }, decision: { number: '3/QĐ-UBND', date: '2026-03-01' }, validFrom: '2026-03-01', validTo: '2030-12-31',
          basedOn: 'xa-ntm-2026-2030', changes,
        },
      },
      { withShipped: true },
    );
    const prov = loadCatalogFrom(dir).get('tinh-2026');
    const values = Object.fromEntries(prov.criteria.map((c) => [`${c.code}.1`, 85]));
    const g3 = evaluateCommune(prov, { code: 'x', name: 'X', group: 3 }, '2026-06-30', values);
    const g2 = evaluateCommune(prov, { code: 'x', name: 'X', group: 2 }, '2026-06-30', values);
    const none = evaluateCommune(prov, { code: 'x', name: 'X' }, '2026-06-30', values);
    expect(g3.totals).toMatchObject({ criteriaMet: 10, indicatorsMet: 10, indicatorsTotal: 10 });
    expect(g3.level).toBe('ntm');
    expect(g2.totals.criteriaMet).toBe(0);
    expect(g2.criteria[0]!.indicators[0]!.target.basis.text.vi).toContain('nhóm xã 2');
    expect(none.totals.notEvaluable).toBe(10);
    expect(prov.criteria.every((c) => c.pendingIndicators === null)).toBe(true);
  });
});
