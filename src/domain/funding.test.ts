import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { approvedAmountOf, budgetResponseProblems, formatMillion, fundingLineProblems, fundingTotals } from './funding.ts';
import { activeOn, currentMembers, membershipProblems } from './committee.ts';

describe('funding lines: disbursed never exceeds mobilised', () => {
  it('refuses disbursed > mobilised naming the field and the amounts in triệu đồng', () => {
    const p = fundingLineProblems({ source: 'province_budget', planned: 2_000_000_000, mobilised: 1_200_000_000, disbursed: 1_500_000_000 }, 'funding.0');
    expect(p).toHaveLength(1);
    expect(p[0]!.field).toBe('funding.0.disbursed');
    expect(p[0]!.message.vi).toBe('Nguồn "Ngân sách tỉnh": số đã giải ngân (1.500 triệu đồng) vượt số đã huy động (1.200 triệu đồng).');
    expect(p[0]!.message.en).toContain('exceeds mobilised');
  });
  it('refuses negative or fractional amounts and unknown sources; accepts mobilised > planned', () => {
    expect(fundingLineProblems({ source: 'lottery', planned: 1, mobilised: 1, disbursed: 0 }).map((x) => x.field)).toEqual(['funding.source']);
    expect(fundingLineProblems({ source: 'credit', planned: -1, mobilised: 0.5, disbursed: 0 }).map((x) => x.field)).toEqual(['funding.planned', 'funding.mobilised']);
    expect(fundingLineProblems({ source: 'diaspora', planned: 100, mobilised: 300, disbursed: 300 })).toEqual([]);
  });
  it('property: a line is valid exactly when amounts are whole, ≥ 0 and disbursed ≤ mobilised', () => {
    const amt = fc.integer({ min: -5, max: 1_000_000 });
    fc.assert(
      fc.property(amt, amt, amt, (planned, mobilised, disbursed) => {
        const ok = planned >= 0 && mobilised >= 0 && disbursed >= 0 && disbursed <= mobilised;
        expect(fundingLineProblems({ source: 'community', planned, mobilised, disbursed }).length === 0).toBe(ok);
      }),
    );
  });
  it('sums by source in the official order', () => {
    const t = fundingTotals([
      { source: 'community', planned: 10, mobilised: 5, disbursed: 5 },
      { source: 'central_budget', planned: 100, mobilised: 100, disbursed: 40 },
      { source: 'community', planned: 1, mobilised: 1, disbursed: 0 },
    ]);
    expect(t.bySource.map((s) => s.source)).toEqual(['central_budget', 'community']);
    expect(t).toMatchObject({ planned: 111, mobilised: 106, disbursed: 45 });
    expect(formatMillion(2_500_000_000, 'vi')).toBe('2.500');
    expect(formatMillion(2_500_000_000, 'en')).toBe('2,500');
  });
  it('budget responses: partial needs an amount below the request, a rejection needs a reason', () => {
    expect(budgetResponseProblems({ decision: 'approved' }, 100)).toEqual([]);
    expect(budgetResponseProblems({ decision: 'partially_approved', approvedAmount: 100 }, 100)[0]!.field).toBe('approvedAmount');
    expect(budgetResponseProblems({ decision: 'rejected' }, 100)[0]!.field).toBe('responseText');
    expect(budgetResponseProblems({ decision: 'maybe' }, 100)[0]!.field).toBe('decision');
    expect(approvedAmountOf('partially_approved', 100, 60)).toBe(60);
    expect(approvedAmountOf('approved', 100, null)).toBe(100);
    expect(approvedAmountOf('rejected', 100, null)).toBe(0);
  });
});

describe('committee memberships', () => {
  const committee = { periodFrom: '2020-10-01', periodTo: '2025-06-30' };
  const head = { id: 1, personName: 'Nguyễn Văn A', role: 'head' as const, joinedOn: '2020-10-01', leftOn: '2023-06-01' };
  it('one head at a time: a second head overlapping is refused, a successor after the first left is fine', () => {
    const clash = membershipProblems({ personName: 'Trần B', role: 'head', joinedOn: '2023-01-01' }, [head], committee);
    expect(clash[0]!.field).toBe('role');
    expect(clash[0]!.message.vi).toContain('Nguyễn Văn A');
    expect(membershipProblems({ personName: 'Trần B', role: 'head', joinedOn: '2023-06-01' }, [head], committee)).toEqual([]);
  });
  it('dates: left after joined, joined within the committee period', () => {
    expect(membershipProblems({ personName: 'X', role: 'member', joinedOn: '2021-01-01', leftOn: '2020-12-31' }, [], committee)[0]!.field).toBe('leftOn');
    expect(membershipProblems({ personName: 'X', role: 'member', joinedOn: '2019-01-01' }, [], committee)[0]!.field).toBe('joinedOn');
    expect(membershipProblems({ personName: '', role: 'boss', joinedOn: '2021-01-01' }, [], committee).map((p) => p.field)).toEqual(['personName', 'role']);
  });
  it('who is current on a date, heads first', () => {
    expect(activeOn(head, '2023-05-31')).toBe(true);
    expect(activeOn(head, '2023-06-01')).toBe(false);
    const m = [{ role: 'member' as const, joinedOn: '2020-10-01', leftOn: null }, { role: 'deputy' as const, joinedOn: '2020-10-01', leftOn: null }, head];
    expect(currentMembers(m, '2023-03-20').map((x) => x.role)).toEqual(['head', 'deputy', 'member']);
  });
});
