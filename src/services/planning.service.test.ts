import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { seedDemoData, TRANG_AN, DEMO_PROVINCE_BEFORE, DEMO_PROVINCE_AFTER, DEMO_SET_ID } from '../seed/demo.ts';
import { DEMO_DISTRICT } from '../seed/demo-committee.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { ScopeResolver } from './access.service.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { isDomainError } from '../domain/errors.ts';
import { listMeetings } from './meeting.service.ts';
import { listAuditTrail } from './audit.service.ts';
import { allocateForUnit, buildUnitAllocation, deleteCostDefault, getGapAnalysis, getPriorities, listCostDefaults, listProposals, saveProposal, setCostDefault, withFixed } from './planning.service.ts';
import { communeGap } from '../domain/planning/gaps.ts';

const DAY = '2023-03-20';

function officer(username: string, role: Role, unitId: string | null): Actor {
  const principal: Principal = { kind: 'user', userId: 1, username, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: username, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2026-12-03' } };
}

async function refused(p: Promise<unknown>): Promise<{ code: string; vi: string; en: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const details = (e.details ?? {}) as { fields?: Array<{ field: string }> };
    return { code: e.code, vi: e.messageVi, en: e.message, fields: (details.fields ?? []).map((f) => f.field) };
  }
  throw new Error('expected a refusal');
}

describeEachDialect('decision support: gaps, priorities, defaults, allocation', (ctx) => {
  beforeAll(async () => {
    await seedDemoData(ctx.db, SYSTEM_ACTOR);
  }, 240_000);

  it('tells how far Tràng An was on 20/3/2023: 11 indicators in 6 criteria to the advanced level', async () => {
    const a = await getGapAnalysis(ctx.db, SYSTEM_ACTOR, DEMO_DISTRICT, DAY);
    const ta = a.communes.find((c) => c.id === TRANG_AN)!;
    expect(ta.nextLevel).toBe('nang-cao');
    expect(ta.criteriaToGo).toBe(6);
    expect(ta.indicatorsToGo).toBe(11);
    expect(ta.pending).toBe(0);
    expect(new Set(ta.unmet.map((u) => u.criterion))).toEqual(new Set(['5', '8', '13', '14', '15', '17']));
    expect(ta.sentence.vi).toBe('Tràng An: còn 11 chỉ tiêu ở 6 tiêu chí để đạt xã nông thôn mới nâng cao.');
    for (const u of ta.unmet.filter((x) => x.gap !== null && typeof x.target.value === 'number' && x.target.value !== 0)) {
      expect(u.gapShare).toBeCloseTo(u.gap! / Math.abs(u.target.value as number), 3);
    }
    // Ranked by closeness: criteria to go never decreases among those not there yet.
    const short = a.communes.filter((c) => c.nextLevel !== null);
    for (let i = 1; i < short.length; i++) expect(short[i]!.criteriaToGo).toBeGreaterThanOrEqual(short[i - 1]!.criteriaToGo);
    expect(a.communes.length + a.notReviewed.length).toBe(a.denominator);
    expect(a.nearlyThere.every((id) => a.communes.find((c) => c.id === id)!.criteriaToGo <= 2)).toBe(true);
  });

  it('does not count a commune whose set lacks thresholds as reachable by money (2026, Ninh Bình)', async () => {
    const a = await getGapAnalysis(ctx.db, SYSTEM_ACTOR, DEMO_PROVINCE_AFTER, '2026-12-03');
    const waiting = a.communes.filter((c) => c.criteriaPending > 0);
    expect(waiting.length).toBeGreaterThan(0);
    for (const c of waiting) {
      expect(c.sentence.vi).toMatch(/tiêu chí chưa đánh giá được \(chưa có chỉ tiêu hoặc ngưỡng\)/);
      expect(a.nearlyThere).not.toContain(c.id);
    }
    const alloc = await buildUnitAllocation(ctx.db, SYSTEM_ACTOR, { unitId: DEMO_PROVINCE_AFTER, date: '2026-12-03', budget: 1_000_000_000 });
    for (const c of waiting) {
      expect(alloc.input.communes.map((x) => x.id)).not.toContain(c.id);
      expect(alloc.leftOut.some((l) => l.commune === c.id && l.code === null)).toBe(true);
    }
  });

  it('is the same analysis for the province as for its district, commune by commune', async () => {
    const province = await getGapAnalysis(ctx.db, SYSTEM_ACTOR, DEMO_PROVINCE_BEFORE, DAY);
    const district = await getGapAnalysis(ctx.db, SYSTEM_ACTOR, DEMO_DISTRICT, DAY);
    for (const c of district.communes) expect(province.communes.find((p) => p.id === c.id)).toEqual(c);
    expect(province.denominator).toBeGreaterThan(district.denominator);
  });

  it('refuses a malformed date naming the field', async () => {
    const r = await refused(getGapAnalysis(ctx.db, SYSTEM_ACTOR, DEMO_DISTRICT, '20/03/2023'));
    expect(r.code).toBe('validation_failed');
    expect(r.fields).toContain('date');
  });

  it('ranks what Tràng An should do first, with costs from its action plan where it has one', async () => {
    const p = await getPriorities(ctx.db, SYSTEM_ACTOR, TRANG_AN, DAY, 'cheapest');
    expect(p.items).toHaveLength(11);
    const planned = p.items.filter((i) => i.estimate.source === 'plan');
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((i) => i.estimate.actionIds.length > 0 && i.estimate.cost! > 0)).toBe(true);
    // The other indicators take the demo province default (seeded), never an invented figure.
    expect(p.items.filter((i) => i.estimate.source === 'default').every((i) => i.estimate.setBy === 'tinh.ninhbinh')).toBe(true);
    expect(p.knownCost).toBe(p.items.reduce((n, i) => n + (i.estimate.cost ?? 0), 0));
    // Cheapest: whole criteria in order of their cost to complete.
    const costOf = (code: string) => p.items.filter((i) => i.criterion === code).reduce((n, i) => n + (i.estimate.cost ?? Infinity), 0);
    const order = [...new Set(p.items.map((i) => i.criterion))];
    for (let k = 1; k < order.length; k++) expect(costOf(order[k]!)).toBeGreaterThanOrEqual(costOf(order[k - 1]!));
    expect(p.items[0]!.why.vi).toMatch(/rẻ nhất để thêm một tiêu chí đạt/);

    const soon = await getPriorities(ctx.db, SYSTEM_ACTOR, TRANG_AN, DAY, 'soonest');
    const days = soon.items.map((i) => i.estimate.days ?? -1);
    for (let k = 1; k < days.length; k++) expect(days[k]!).toBeLessThanOrEqual(days[k - 1]!);
    expect(soon.reachableOn).not.toBeNull();
  });

  it('keeps default costs per province with who set them, refuses bad values and stale versions', async () => {
    // Hà Nam (before 1/7/2025) went into Ninh Bình: Ninh Bình's office keeps the defaults for both.
    const actor = officer('tinh.hanam', 'province_office', DEMO_PROVINCE_AFTER);
    expect((await refused(setCostDefault(ctx.db, officer('cu.hanam', 'province_office', DEMO_PROVINCE_BEFORE), { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: '1.1', cost: 1_000_000, days: null }))).code).toBe('forbidden');
    const before = await listCostDefaults(ctx.db, actor, DEMO_PROVINCE_BEFORE, DEMO_SET_ID);
    expect(before.province.id).toBe(DEMO_PROVINCE_AFTER);
    expect(before.province.name).toMatch(/Ninh Bình/);
    const item = before.items.find((i) => i.version !== null)!;
    const changed = await setCostDefault(ctx.db, actor, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: item.code, cost: 123_000_000, days: 90, version: item.version! });
    expect(changed).toMatchObject({ cost: 123_000_000, days: 90, setBy: 'tinh.hanam', version: item.version! + 1 });
    const stale = await refused(setCostDefault(ctx.db, actor, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: item.code, cost: 1_000_000, days: 10, version: item.version! }));
    expect(stale.code).toBe('version_conflict');
    const bad = await refused(setCostDefault(ctx.db, actor, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: item.code, cost: -5, days: 0, version: item.version! + 1 }));
    expect(bad.fields).toEqual(['cost', 'days']);
    expect(bad.vi).toMatch(/Chi phí phải là số đồng nguyên dương/);
    const unknown = await refused(setCostDefault(ctx.db, actor, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: '99.9', cost: 1_000_000, days: null }));
    expect(unknown.fields[0]).toBe('code');
    const commune = officer('xa.test', 'commune_officer', TRANG_AN);
    expect((await refused(setCostDefault(ctx.db, commune, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: item.code, cost: 1_000_000, days: null, version: item.version! + 1 }))).code).toBe('forbidden');
    const after = await listCostDefaults(ctx.db, actor, DEMO_PROVINCE_BEFORE, DEMO_SET_ID);
    expect(after.items.find((i) => i.code === item.code)!.cost).toBe(123_000_000);
    const audit = await listAuditTrail(ctx.db, SYSTEM_ACTOR, { entity: 'indicator_cost_default', limit: 5 });
    expect(audit.items.some((e) => e.action === 'cost_default.update' && e.actor === 'tinh.hanam')).toBe(true);
    await deleteCostDefault(ctx.db, actor, { provinceId: DEMO_PROVINCE_BEFORE, setId: DEMO_SET_ID, code: item.code, version: item.version! + 1 });
    expect((await listCostDefaults(ctx.db, actor, DEMO_PROVINCE_BEFORE, DEMO_SET_ID)).items.find((i) => i.code === item.code)!.version).toBeNull();
  });

  it('allocates a district budget from the action plans: never worse than greedy, within budget, what is left out named', async () => {
    const a = await allocateForUnit(ctx.db, SYSTEM_ACTOR, { unitId: DEMO_DISTRICT, date: DAY, budget: 6_000_000_000, deadline: '2023-09-30' });
    expect(a.result.cost).toBeLessThanOrEqual(6_000_000_000);
    expect(a.result.communesReaching).toBeGreaterThanOrEqual(a.result.greedy.communesReaching);
    expect(a.result.summary.vi).toMatch(/xã đạt chuẩn/);
    const chosen = new Set(a.result.chosen);
    expect(a.candidates.filter((c) => chosen.has(c.id)).reduce((n, c) => n + c.cost, 0)).toBe(a.result.cost);
    // Tràng An's plan: an action fully mobilised already counts as closing for free.
    const ta = a.communes.find((c) => c.id === TRANG_AN)!;
    expect(ta.fundedCodes.length + ta.unmet.length).toBeLessThanOrEqual(11);
    expect(a.candidates.some((c) => c.commune === TRANG_AN && c.source === 'plan')).toBe(true);
    for (const c of a.candidates) expect(c.cost).toBeGreaterThan(0);
    // More budget never reaches fewer communes.
    const more = await allocateForUnit(ctx.db, SYSTEM_ACTOR, { unitId: DEMO_DISTRICT, date: DAY, budget: 30_000_000_000, deadline: '2023-09-30' });
    expect(more.result.communesReaching).toBeGreaterThanOrEqual(a.result.communesReaching);
    // What-if: marking every indicator of a commune fixed makes it reach without spending.
    const target = a.input.communes.find((c) => c.unmet.length > 0)!;
    const fixed = withFixed(a.input, { [target.id]: target.unmet });
    expect(fixed.communes.find((c) => c.id === target.id)!.unmet).toEqual([]);
    expect(fixed.actions.every((x) => x.commune !== target.id || x.closes.length > 0)).toBe(true);
  });

  it('refuses a zero budget and a deadline before the date, naming the fields in both languages', async () => {
    const r = await refused(buildUnitAllocation(ctx.db, SYSTEM_ACTOR, { unitId: DEMO_DISTRICT, date: DAY, budget: 0, deadline: '2023-01-01' }));
    expect(r.fields).toEqual(['budget', 'deadline']);
    expect(r.vi).toMatch(/Kinh phí phải là số đồng nguyên dương/);
    expect(r.en).toMatch(/budget must be a positive whole number/);
  });

  it('saves an allocation as a proposal on the committee meeting, solved again on the server', async () => {
    const [m] = await listMeetings(ctx.db, SYSTEM_ACTOR, { unitId: TRANG_AN });
    const p = await saveProposal(ctx.db, SYSTEM_ACTOR, m!.id, { unitId: DEMO_DISTRICT, date: DAY, budget: 6_000_000_000, deadline: '2023-09-30' });
    expect(p.title).toMatch(/Phương án phân bổ 6\.000 triệu đồng/);
    expect(p.chosen.map((c) => c.id).sort()).toEqual([...p.result.chosen].sort());
    const list = await listProposals(ctx.db, SYSTEM_ACTOR, m!.id);
    expect(list.map((x) => x.id)).toContain(p.id);
  });
});

describe('communeGap', () => {
  it('counts a commune whose set level is reached as there, with no next level', () => {
    const v = {
      setId: 's',
      setLevel: 'ntm',
      asOf: '2026-01-01',
      commune: { code: '1', name: 'A' },
      context: { region: null, regionVia: null, group: null, year: 2026 },
      criteria: [],
      totals: { criteriaMet: 1, criteriaTotal: 1, criteriaNotEvaluable: 0, criteriaNotApplicable: 0, indicatorsMet: 1, indicatorsTotal: 1, notEvaluable: 0, notApplicable: 0 },
      meetsStandard: true,
      level: 'ntm',
      prerequisites: { required: [], held: [], missing: [], satisfied: true },
      unmet: [],
      unknownCodes: [],
      summary: { vi: '', en: '' },
    } as const;
    const g = communeGap(v as never, { id: 'x', name: 'A', parentName: null, reviewId: 1, setName: 'S' });
    expect(g.nextLevel).toBeNull();
    expect(g.sentence.vi).toMatch(/đã đạt chuẩn/);
  });
});
