/**
 * Report inputs without a database: Tràng An's review against the demo set (values generated like
 * the demo seed, chosen indicators unmet), a province summary of a few communes, a trend.
 */
import { getCatalog } from '../catalog/catalog.ts';
import type { IndicatorValue, Level } from '../domain/criteria.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import { demoValue, hashSeed, prng } from '../seed/demo-values.ts';
import type { UnitSummary, CommuneStatusRow } from '../files/reports/inputs.ts';
import type { CommuneReportInput } from '../files/reports/builders/commune.report.ts';
import { levelReason } from '../domain/level-status.ts';
import { headlineFigures } from '../services/summary.service.ts';

export const DEMO_SET = 'ha-nam-nang-cao-2021-2025-minh-hoa';

/** Values for a DBSH commune on `date` meeting every indicator except `unmet`. */
export function demoValues(date: string, unmet: readonly string[] = [], seed = 'x'): Record<string, IndicatorValue> {
  const set = getCatalog().get(DEMO_SET);
  const ctx = targetContext(set, { code: 'x', name: 'x', region: 'DBSH' }, Number(date.slice(0, 4)));
  const rnd = prng(hashSeed(seed));
  const out: Record<string, IndicatorValue> = {};
  for (const c of set.criteria) for (const i of c.indicators) out[i.code] = demoValue(i, resolveTarget(i.target, ctx), !unmet.includes(i.code), rnd());
  return out;
}

export function trangAnInput(date = '2023-03-20'): CommuneReportInput {
  const set = getCatalog().get(DEMO_SET);
  const values = demoValues(date, ['5.1', '8.1', '13.1', '14.1', '15.1', '17.1', '5.2', '8.2', '13.2', '14.2', '17.2']);
  const verdict = evaluateCommune(set, { code: '13510', name: 'Tràng An', region: 'DBSH' }, date, values, { recognisedLevels: ['ntm'] as Level[] });
  return {
    unit: { type: 'Xã', name: 'Tràng An', code: '13510', fullName: 'Xã Tràng An', path: 'Xã Tràng An, Huyện Bình Lục, Tỉnh Hà Nam' },
    parent: { type: 'Huyện', name: 'Bình Lục' },
    review: { id: 7, reviewedOn: date, status: 'submitted', isDemo: true },
    set,
    verdict,
    official: { number: '05/BC-UBND', signerName: 'Nguyễn Văn An' },
  };
}

/** A province summary of four communes (one not reviewed). */
export function provinceSummary(date = '2023-03-20'): UnitSummary {
  const set = getCatalog().get(DEMO_SET);
  const row = (code: string, name: string, met: number, status: string | null, level: Level | null): CommuneStatusRow => ({
    unitId: `${code}@2025-03`,
    code,
    name,
    parentName: 'Huyện Bình Lục',
    reviewId: status ? Number(code) : null,
    reviewedOn: status ? date : null,
    setId: status ? DEMO_SET : null,
    criteriaMet: status ? met : null,
    criteriaTotal: status ? 19 : null,
    indicatorsMet: status ? 60 + met : null,
    indicatorsTotal: status ? 75 : null,
    notEvaluable: status ? 0 : null,
    level,
    meetsStandard: status ? met === 19 : null,
    criteriaStatus: status,
    recognisedLevel: 'ntm',
    levelReason: status
      ? levelReason({ setLevel: set.level, requires: set.requires, criteriaMet: met, criteriaTotal: 19, indicatorsMet: 60 + met, indicatorsTotal: 75, meetsStandard: met === 19, level, recognised: ['ntm'] })
      : null,
    setNote: null,
    predecessorCount: 0,
    predecessorRecognitions: [],
    coverage: null,
  });
  const communes = [
    row('13510', 'Tràng An', 13, 'MMMMNMMNMMMMNNNMNMM', null),
    row('13513', 'Bình Nghĩa', 19, 'MMMMMMMMMMMMMMMMMMM', 'nang-cao'),
    row('13516', 'Đồng Du', 16, 'MMMMMMMNMMMMMNMMNMM', null),
    row('13519', 'Tiêu Động', 0, null, null),
  ];
  const summary: Omit<UnitSummary, 'figures'> = {
    unit: { id: '35@2025-03', name: 'Hà Nam', fullName: 'Tỉnh Hà Nam', level: 'province', listId: '2025-03', parentNames: [] },
    date,
    isDemo: true,
    denominator: { communes: 4, asOf: date, listId: '2025-03' },
    reviewed: 3,
    notReviewed: 1,
    byLevel: { ntm: 0, 'nang-cao': 1, 'kieu-mau': 0, 'hien-dai': 0, none: 2 },
    recognisedByLevel: { ntm: 4, 'nang-cao': 0, 'kieu-mau': 0, 'hien-dai': 0, none: 0 },
    recognitionsThisYear: 1,
    averageCriteriaMet: 16,
    below15: 1,
    sets: [
      {
        setId: DEMO_SET,
        setName: set.name,
        level: set.level,
        criteria: set.criteria.map((c) => ({ code: c.code, name: c.name, critical: c.critical })),
        indicatorsTotal: 75,
        communes: 3,
        averageCriteriaMet: 16,
        below15: 1,
        distribution: Array.from({ length: 20 }, (_, k) => ({ criteriaMet: k, communes: [13, 16, 19].filter((x) => x === k).length })),
      },
    ],
    communes,
  };
  return { ...summary, figures: headlineFigures(summary, new Map(communes.map((c) => [c.unitId, new Set(['ntm'] as const)]))) };
}
