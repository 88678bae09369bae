import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { insertRecognition } from '../db/recognition.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import { isDomainError } from '../domain/errors.ts';
import { demoValue } from '../seed/demo-values.ts';
import { createReview, submitReview, type ValueInput } from './review.service.ts';
import { getUnitSummary, getUnitTrend } from './summary.service.ts';
import { getCommunePage } from './commune-page.service.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { SYSTEM_ACTOR } from './actor.ts';

/** Values meeting all indicators except every indicator of the first `failCriteria` criteria. */
function valuesFailing(failCriteria: number): Record<string, ValueInput> {
  const s = getCatalog().get(DEMO_SET_ID);
  const ctx = targetContext(s, { code: 'x', name: 'x', region: 'DBSH' }, 2023);
  const out: Record<string, ValueInput> = {};
  s.criteria.forEach((c, k) => {
    for (const i of c.indicators) out[i.code] = { value: demoValue(i, resolveTarget(i.target, ctx), k >= failCriteria, 0.3) };
  });
  return out;
}

async function submitted(db: Parameters<typeof createReview>[0], unitId: string, date: string, failCriteria: number) {
  const r = await createReview(db, SYSTEM_ACTOR, { unitId, setId: DEMO_SET_ID, reviewedOn: date, values: valuesFailing(failCriteria) });
  return submitReview(db, SYSTEM_ACTOR, r.id, { version: r.version });
}

describeEachDialect('unit summary', (ctx) => {
  beforeAll(async () => {
    const k = ctx.db.kysely;
    const a = await insertCommune(k, { code: '13510', name: 'Tràng An' });
    const b = await insertCommune(k, { code: '13504', name: 'Bình Nghĩa' });
    await insertCommune(k, { code: '13516', name: 'Đồng Du' });
    const c = await insertCommune(k, { code: '13600', name: 'Thanh Hà', districtCode: '353', districtName: 'Thanh Liêm' });
    const n = await insertCommune(k, { code: '13504', name: 'Bình Lục', listId: '2025-07' });
    await linkUnits(k, a.id, n.id);
    await linkUnits(k, b.id, n.id);
    await submitted(ctx.db, a.id, '2023-03-20', 6); // 13/19
    await submitted(ctx.db, a.id, '2023-09-30', 0); // 19/19
    await submitted(ctx.db, b.id, '2023-03-01', 5); // 14/19: below 15
    await submitted(ctx.db, c.id, '2022-12-01', 2); // 17/19
    // A draft never counts, nor a review after the date asked.
    await createReview(ctx.db, SYSTEM_ACTOR, { unitId: c.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-10', values: valuesFailing(19) });
    await insertRecognition(k, { unitId: a.id, level: 'ntm', setId: null, decisionNo: '01/QĐ-UBND', decidedOn: '2019-12-20', signer: null, note: null, isDemo: false, at: new Date().toISOString() });
    await insertRecognition(k, { unitId: a.id, level: 'nang-cao', setId: DEMO_SET_ID, decisionNo: '02/QĐ-UBND', decidedOn: '2023-11-15', signer: null, note: null, isDemo: false, at: new Date().toISOString() });
  });

  it('gives per-commune status, averages, below-15 and distribution on a date', async () => {
    const s = await getUnitSummary(ctx.db, '35@2025-03', '2023-06-30');
    expect(s.denominator).toEqual({ communes: 4, asOf: '2023-06-30', listId: '2025-03' });
    expect(s.reviewed).toBe(3);
    expect(s.notReviewed).toBe(1);
    const byName = Object.fromEntries(s.communes.map((c) => [c.name, c]));
    expect(byName['Tràng An']).toMatchObject({ criteriaMet: 13, criteriaTotal: 19, indicatorsTotal: 75, reviewedOn: '2023-03-20', recognisedLevel: 'ntm' });
    expect(byName['Tràng An']!.criteriaStatus).toBe('NNNNNNMMMMMMMMMMMMM');
    expect(byName['Bình Nghĩa']!.criteriaMet).toBe(14);
    expect(byName['Thanh Hà']!.criteriaMet).toBe(17);
    expect(byName['Đồng Du']!.reviewId).toBeNull();
    expect(s.averageCriteriaMet).toBe(14.7);
    expect(s.below15).toBe(2);
    const dist = s.sets[0]!.distribution;
    expect(dist.reduce((n, d) => n + d.communes, 0)).toBe(3);
    expect(dist.find((d) => d.criteriaMet === 13)!.communes).toBe(1);
    expect(s.recognisedByLevel.ntm).toBe(1);
    expect(s.recognisedByLevel.none).toBe(3);
  });

  it('moves with the date: later reviews and recognitions count only from their day', async () => {
    const s = await getUnitSummary(ctx.db, '35@2025-03', '2023-12-31');
    const ta = s.communes.find((c) => c.name === 'Tràng An')!;
    expect(ta.criteriaMet).toBe(19);
    expect(ta.meetsStandard).toBe(true);
    expect(ta.recognisedLevel).toBe('nang-cao');
    expect(s.recognitionsThisYear).toBe(1);
    const district = await getUnitSummary(ctx.db, '352@2025-03', '2023-12-31');
    expect(district.denominator.communes).toBe(3);
    const trend = await getUnitTrend(ctx.db, '35@2025-03', '2023-12-31');
    expect(trend.map((p) => p.date)).toEqual(['2022-12-01', '2023-03-01', '2023-03-20', '2023-09-30']);
    expect(trend.map((p) => p.reviewed)).toEqual([1, 2, 3, 3]);
  });

  it('refuses a unit on a date it did not exist, pointing to its predecessors', async () => {
    try {
      await getUnitSummary(ctx.db, '13504@2025-07', '2023-03-20');
      throw new Error('expected an error');
    } catch (e) {
      if (!isDomainError(e)) throw e;
      expect(e.code).toBe('unit_not_valid_on_date');
      expect((e.details as { alternatives: Array<{ id: string }> }).alternatives.map((a) => a.id).sort()).toEqual(['13504@2025-03', '13510@2025-03']);
    }
  });

  it("builds a commune page with the committee sentence and the predecessors' history", async () => {
    const p = await getCommunePage(ctx.db, '13510@2025-03', '2023-03-20');
    expect(p.evaluation!.totals).toMatchObject({ criteriaMet: 13, criteriaTotal: 19, indicatorsTotal: 75 });
    expect(p.summaryLine!.vi).toMatch(/^Đạt 13\/19 tiêu chí, \d+\/75 chỉ tiêu; còn 6 tiêu chí/);
    expect(p.recognitions.map((r) => r.level)).toEqual(['ntm']);
    const merged = await getCommunePage(ctx.db, '13504@2025-07', '2025-12-31');
    expect(merged.review).toBeNull();
    expect(merged.unit.predecessors.map((x) => x.id).sort()).toEqual(['13504@2025-03', '13510@2025-03']);
    expect(merged.history.filter((h) => h.relation === 'predecessor').length).toBe(3);
    expect(merged.recognitions.map((r) => r.level).sort()).toEqual(['nang-cao', 'ntm']);
  });
});
