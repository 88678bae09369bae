import { describe, expect, it } from 'vitest';
import type { VerdictStatus } from './criteria.ts';
import { evaluateCommune } from './evaluation.ts';
import { checkRevocation, checkRevocationFromStatuses } from './revocation.ts';
import type { CriterionStatusInput } from './revocation.ts';
import { criteriaSet, criterion, indicator } from '../test-support/criteria.ts';

/** `total` criteria of which `failing` are not met; the first failing one is critical when asked. */
function statuses(total: number, failing: number, criticalFailing: boolean, extra: VerdictStatus[] = []): CriterionStatusInput[] {
  const list: CriterionStatusInput[] = [];
  for (let i = 0; i < total; i++) {
    list.push({ code: String(i + 1), status: i < failing ? 'not_met' : 'met', critical: criticalFailing && i === 0 });
  }
  // A critical criterion that is met never counts.
  if (!criticalFailing) list[total - 1] = { ...list[total - 1]!, critical: true };
  extra.forEach((status, k) => list.push({ code: `x${k}`, status, critical: false }));
  return list;
}

describe('revocation rule (Decision 18/2022/QĐ-TTg): boundaries on 100 criteria', () => {
  it.each([
    [29, true, false, 'none'],
    [29, false, false, 'none'],
    [30, true, true, 'share_30_with_critical'],
    [30, false, false, 'none'],
    [49, true, true, 'share_30_with_critical'],
    [49, false, false, 'none'],
    [50, true, true, 'share_50'],
    [50, false, true, 'share_50'],
  ] as const)('%i%% failing, critical among them: %s → triggered %s', (failing, critical, triggered, rule) => {
    const r = checkRevocationFromStatuses(statuses(100, failing, critical));
    expect(r.triggered).toBe(triggered);
    expect(r.rule).toBe(rule);
    expect(r.failingShare).toBeCloseTo(failing / 100);
    expect(r.criticalFailing).toEqual(critical ? ['1'] : []);
  });
});

describe('revocation rule on 19 criteria (exact shares, no rounding)', () => {
  it.each([
    [5, true, false], // 26.3%
    [6, true, true], // 31.6%
    [6, false, false],
    [9, true, true], // 47.4%
    [9, false, false],
    [10, false, true], // 52.6%
  ] as const)('%i/19 failing, critical %s → %s', (failing, critical, triggered) => {
    expect(checkRevocationFromStatuses(statuses(19, failing, critical)).triggered).toBe(triggered);
  });

  it('treats exactly 3/10 as 30% and 5/10 as 50%', () => {
    expect(checkRevocationFromStatuses(statuses(10, 3, true)).rule).toBe('share_30_with_critical');
    expect(checkRevocationFromStatuses(statuses(10, 2, true)).rule).toBe('none');
    expect(checkRevocationFromStatuses(statuses(10, 5, false)).rule).toBe('share_50');
    expect(checkRevocationFromStatuses(statuses(10, 4, false)).rule).toBe('none');
  });
});

describe('not evaluable and not applicable criteria', () => {
  it('does not count not-evaluable criteria as failing, but keeps them in the denominator and says so', () => {
    // 2 failing of 10 counted (+ 1 not evaluable = 11): 18% → no revocation.
    const r = checkRevocationFromStatuses(statuses(10, 2, true, ['not_evaluable']));
    expect(r.triggered).toBe(false);
    expect(r.criteriaCounted).toBe(11);
    expect(r.notEvaluable).toEqual(['x0']);
    expect(r.reason.vi).toContain('1 tiêu chí chưa đánh giá được');
    expect(r.reason.en).toContain('1 criteria not evaluable');
  });

  it('leaves not-applicable criteria out of the denominator', () => {
    // 3 failing of 10 counted, plus 2 not applicable: still 30%.
    const r = checkRevocationFromStatuses(statuses(10, 3, true, ['not_applicable', 'not_applicable']));
    expect(r.criteriaCounted).toBe(10);
    expect(r.triggered).toBe(true);
  });

  it('never triggers on an empty list', () => {
    expect(checkRevocationFromStatuses([]).triggered).toBe(false);
  });
});

describe('checkRevocation on a verdict', () => {
  it('uses the critical flags of the set and explains in both languages', () => {
    const set = criteriaSet([
      criterion('10', [indicator({ code: '10' })], { name: 'Thu nhập', critical: true }),
      criterion('11', [indicator({ code: '11' })]),
      criterion('12', [indicator({ code: '12' })]),
    ]);
    const v = evaluateCommune(set, { code: 'x', name: 'X' }, '2023-01-01', { '10': false, '11': true, '12': true });
    const r = checkRevocation(v);
    expect(r.triggered).toBe(true);
    expect(r.rule).toBe('share_30_with_critical');
    expect(r.reason.vi).toBe('Thu hồi: 1/3 tiêu chí (33,33%) không đạt, từ 30% đến dưới 50%, có tiêu chí bắt buộc: 10. Thu nhập.');
    expect(r.reason.en).toBe('Revoke: 1/3 criteria (33.33%) not met, 30% to under 50%, including critical: 10. Thu nhập.');
    const noCritical = checkRevocation(evaluateCommune(set, { code: 'x', name: 'X' }, '2023-01-01', { '10': true, '11': false, '12': true }));
    expect(noCritical.triggered).toBe(false);
    expect(noCritical.reason.en).toContain('none is critical');
  });
});
