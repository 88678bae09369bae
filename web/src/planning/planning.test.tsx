// @vitest-environment jsdom
/**
 * Decision support in the browser: the what-if recomputed from the server's candidates (fixed
 * indicators out, the greedy plan of the pure domain), money in triệu đồng and gap shares the
 * Vietnamese way, the strings in both languages; the what-if panel recomputing as the budget is
 * typed while the server's plan is fetched; a default cost saved over someone else's change (409).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { interpolate } from '../i18n/index.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';
import type { UnitDetail } from '../api/types.ts';
import type { UnitAllocation } from './api.ts';
import { baseInput, compactFixed, dongOfMillions, recompute, toggleFixed, withFixed } from './whatif.ts';
import { formatShare, millions } from './format.ts';
import { histogram } from './GapsChart.tsx';
import { PLANNING_STRINGS } from './strings.ts';
import { AllocationSection } from './AllocationSection.tsx';
import { CostDefaultsSection, mayEditDefaults } from './CostDefaultsSection.tsx';

afterEach(() => cleanup());

const M = 1_000_000;
/** Three communes: A needs 1.1 and 2.1 (one planned action each), B needs 3.1 (no action), C has a value pending. */
const alloc: Pick<UnitAllocation, 'communes' | 'candidates'> = {
  communes: [
    { id: 'A', name: 'Xã A', nextLevel: 'nang-cao', unmet: ['1.1', '2.1'], pending: 0, fundedCodes: [], inAllocation: true },
    { id: 'B', name: 'Xã B', nextLevel: 'nang-cao', unmet: ['3.1'], pending: 0, fundedCodes: ['4.1'], inAllocation: true },
    { id: 'C', name: 'Xã C', nextLevel: 'nang-cao', unmet: ['5.1'], pending: 1, fundedCodes: [], inAllocation: false },
  ],
  candidates: [
    { id: 'plan:1', commune: 'A', communeName: 'Xã A', closes: ['1.1'], cost: 50 * M, source: 'plan', name: 'Làm đường', planItemId: 1, targetOn: '2023-08-31' },
    { id: 'default:A:2.1', commune: 'A', communeName: 'Xã A', closes: ['2.1'], cost: 300 * M, source: 'default', name: 'Theo chi phí mặc định của tỉnh', planItemId: null, targetOn: null },
  ],
};

describe('the what-if, recomputed in the browser', () => {
  it('builds the input from the communes with nothing pending and every candidate', () => {
    const input = baseInput(alloc, 100 * M);
    expect(input.communes.map((c) => c.id)).toEqual(['A', 'B']);
    expect(input.actions.map((a) => a.id)).toEqual(['plan:1', 'default:A:2.1']);
  });

  it('takes fixed indicators out of the communes and the actions, as the server does', () => {
    const input = withFixed(baseInput(alloc, 100 * M), { A: ['2.1'] });
    expect(input.communes[0]!.unmet).toEqual(['1.1']);
    expect(input.actions.map((a) => a.id)).toEqual(['plan:1']);
  });

  it('follows the budget and the fixed indicators', () => {
    expect(recompute(alloc, 100 * M, {}).plan).toMatchObject({ communesReaching: 0, indicatorsClosed: 1, cost: 50 * M });
    expect(recompute(alloc, 400 * M, {}).plan).toMatchObject({ communesReaching: 1, indicatorsClosed: 2, cost: 350 * M, reaching: ['A'] });
    // B's only indicator fixed: it reaches its level without spending.
    const b = recompute(alloc, 100 * M, { B: ['3.1'] });
    expect(b.plan.reaching).toEqual(['B']);
    expect(b.freeReaching).toEqual(['B']);
    expect(b.open).toBe(2);
  });

  it('reads the budget in triệu đồng and sends only the communes with fixed indicators', () => {
    expect(dongOfMillions(1250.5)).toBe(1_250_500_000);
    expect(dongOfMillions(0)).toBeNull();
    expect(dongOfMillions(-5)).toBeNull();
    expect(dongOfMillions(null)).toBeNull();
    const f = toggleFixed(toggleFixed(toggleFixed({}, 'A', '2.1', true), 'A', '1.1', true), 'B', '3.1', true);
    expect(compactFixed(toggleFixed(f, 'B', '3.1', false))).toEqual({ A: ['1.1', '2.1'] });
  });
});

describe('numbers and words', () => {
  it('shows money in triệu đồng and gap shares with one decimal, the Vietnamese way', () => {
    expect(millions(1_234_500_000, 'vi')).toBe('1.234,5');
    expect(millions(1_234_500_000, 'en')).toBe('1,234.5');
    expect(formatShare(0.25, 'vi')).toBe('25,0 %');
    expect(formatShare(0.0526, 'vi')).toBe('5,3 %');
    expect(formatShare(null, 'vi')).toBe('—');
  });

  it('has the same keys and placeholders in both languages', () => {
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(PLANNING_STRINGS.en).sort()).toEqual(Object.keys(PLANNING_STRINGS.vi).sort());
    for (const k of Object.keys(PLANNING_STRINGS.vi) as Array<keyof typeof PLANNING_STRINGS.vi>) expect(ph(PLANNING_STRINGS.en[k]), k).toEqual(ph(PLANNING_STRINGS.vi[k]));
  });

  it('counts communes by criteria to go for the chart', () => {
    expect(histogram([{ criteriaToGo: 2, name: 'A' }, { criteriaToGo: 0, name: 'B' }, { criteriaToGo: 2, name: 'C' }])).toEqual([
      { toGo: 0, communes: 1, names: ['B'] },
      { toGo: 1, communes: 0, names: [] },
      { toGo: 2, communes: 2, names: ['A', 'C'] },
    ]);
  });
});

const me = (may: string[]) => ({
  url: /\/api\/v1\/auth\/me/,
  respond: () => ({ body: { authenticated: true, demo: true, user: { id: 1, username: 'tinh.ninhbinh', displayName: 'VP tỉnh', grants: [{ role: 'province_office', unitId: '37@2025-07', validFrom: null, validTo: null }], mfaEnabled: false, isDemo: true, landing: null }, may, stage: 'active' } }),
});

const unit = { id: '352@2025-03', name: 'Bình Lục', fullName: 'Huyện Bình Lục', level: 'district', provinceId: '35@2025-03', parents: [], validFrom: null, validTo: '2025-06-30', predecessors: [], successors: [] } as unknown as UnitDetail;

describe('the what-if panel', () => {
  it('recomputes the counts as the budget is typed, then shows the server’s plan', async () => {
    const calls = fakeApi([
      me(['plan.read']),
      {
        method: 'POST',
        url: /\/api\/v1\/plans\/allocation$/,
        respond: (req) => {
          const b = req.body as { budget: number };
          const summary = { vi: `Máy chủ: kinh phí ${b.budget / M} triệu`, en: 'server' };
          return {
            body: {
              unit: { id: unit.id, name: unit.fullName },
              date: '2023-03-20',
              deadline: null,
              budget: b.budget,
              input: { budget: b.budget, communes: [], actions: [] },
              result: { status: 'optimal', gap: 0, communesReaching: 0, indicatorsClosed: 1, cost: 50 * M, chosen: ['plan:1'], reaching: [], budget: b.budget, remaining: b.budget - 50 * M, greedy: { communesReaching: 0, indicatorsClosed: 1, cost: 50 * M, chosen: ['plan:1'], reaching: [] }, solveMs: 3, greedyMs: 1, summary, comparison: summary, note: null },
              candidates: alloc.candidates,
              communes: alloc.communes,
              leftOut: [{ commune: 'C', communeName: 'Xã C', code: null, reason: { vi: '1 chỉ tiêu chưa đánh giá được', en: 'pending' } }],
            },
          };
        },
      },
    ]);
    renderAt(<AllocationSection unit={unit} date="2023-03-20" gaps={null} />);
    await waitFor(() => expect(screen.getByTestId('live-closed').textContent).toBe('2'));
    fireEvent.change(screen.getByLabelText('Kinh phí (triệu đồng)'), { target: { value: '100' } });
    // At once, before the server answers.
    expect(screen.getByTestId('live-closed').textContent).toBe('1');
    expect(screen.getByTestId('live-cost').textContent).toBe('50');
    expect(screen.getByTestId('optimal-computing').textContent).toContain('đang tính phương án tối ưu…');
    await waitFor(() => expect(screen.getByTestId('optimal-result').getAttribute('data-state')).toBe('ready'), { timeout: 3000 });
    expect(screen.getByTestId('optimal-summary').textContent).toBe('Máy chủ: kinh phí 100 triệu');
    expect(within(screen.getByTestId('chosen-actions')).getByText('Kế hoạch của xã')).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.at(-1)!.body).toEqual({ unitId: unit.id, date: '2023-03-20', budget: 100 * M });
    // An amount that is not one: said beside the field, nothing sent.
    fireEvent.change(screen.getByLabelText('Kinh phí (triệu đồng)'), { target: { value: 'abc' } });
    expect(screen.getByRole('alert').textContent).toContain('Kinh phí phải là số dương');
    // No proposal form without committee.write.
    expect(screen.queryByTestId('save-proposal')).toBeNull();
  });
});

describe('default costs', () => {
  const row = { code: '18.4', name: 'Tỷ lệ hộ có nhà tiêu hợp vệ sinh', criterion: '18', criterionName: 'Môi trường', unit: '% hộ', cost: 300 * M, days: 90, note: null, setBy: 'tinh.ninhbinh', setAt: '2026-12-01T01:00:00Z', version: 1 };
  it('says a concurrent change in Vietnamese and keeps what was typed', async () => {
    const puts: unknown[] = [];
    fakeApi([
      me(['plan.read', 'plan.defaults.write']),
      { url: /\/api\/v1\/plans\/cost-defaults\?/, respond: () => ({ body: { province: { id: '37@2025-07', name: 'Tỉnh Ninh Bình' }, set: { id: 'nb', name: 'Bộ NB' }, items: [row], filled: 1, total: 1 } }) },
      {
        method: 'PUT',
        url: /\/api\/v1\/plans\/cost-defaults$/,
        respond: (req) => {
          puts.push(req.body);
          return { status: 409, body: { error: { code: 'version_conflict', message: 'changed', message_vi: 'Chi phí mặc định đã được người khác sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1). Hãy tải lại rồi sửa tiếp.', details: { currentVersion: 2, expectedVersion: 1 } } } };
        },
      },
    ]);
    renderAt(<CostDefaultsSection unitId="37@2025-07" sets={[{ id: 'nb', name: 'Bộ NB', communes: 3, short: new Set(['18.4']) }]} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sửa chỉ tiêu 18.4' }));
    const cost = screen.getByLabelText(/^Chi phí \(triệu đồng\)/) as HTMLInputElement;
    expect(cost.value).toBe('300');
    fireEvent.change(cost, { target: { value: '1.250,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu 18.4' }));
    expect((await screen.findByTestId('default-error-18.4')).textContent).toContain('đã được người khác sửa');
    expect(puts[0]).toMatchObject({ code: '18.4', cost: 1_250_500_000, days: 90, version: 1 });
    expect((screen.getByLabelText(/^Chi phí \(triệu đồng\)/) as HTMLInputElement).value).toBe('1.250,5');
    // Saving again states the version now stored.
    fireEvent.click(screen.getByRole('button', { name: 'Lưu 18.4' }));
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]).toMatchObject({ version: 2 });
  });

  it('a province office without a grant on the province whose defaults these are sees the table read-only', async () => {
    fakeApi([me(['plan.read', 'plan.defaults.write']), { url: /\/api\/v1\/plans\/cost-defaults\?/, respond: () => ({ body: { province: { id: '35@2025-03', name: 'Tỉnh Hà Nam' }, set: { id: 'hn', name: 'Bộ HN' }, items: [row], filled: 1, total: 75 } }) }]);
    renderAt(<CostDefaultsSection unitId="35@2025-03" sets={[{ id: 'hn', name: 'Bộ HN', communes: 14, short: new Set(['18.4']) }]} />);
    expect((await screen.findByTestId('defaults-read-only')).textContent).toContain('Tỉnh Hà Nam');
    expect(screen.queryByRole('button', { name: /Sửa/ })).toBeNull();
    expect(interpolate(PLANNING_STRINGS.vi['def.of'], { province: 'Tỉnh Hà Nam', set: 'Bộ HN', filled: 0, total: 75 })).toBe('Tỉnh Hà Nam · Bộ HN: đã đặt 0/75 chỉ tiêu');
  });

  it('a district of a province merged on 1/7/2025: the defaults are the province it went into, editable by that office', async () => {
    const calls = fakeApi([
      me(['plan.read', 'plan.defaults.write']),
      { url: /\/api\/v1\/plans\/cost-defaults\?/, respond: () => ({ body: { province: { id: '37@2025-07', name: 'Tỉnh Ninh Bình' }, set: { id: 'hn', name: 'Bộ HN' }, items: [row], filled: 1, total: 75 } }) },
      { method: 'PUT', url: /\/api\/v1\/plans\/cost-defaults$/, respond: (req) => ({ body: { ...row, ...(req.body as object), version: 2 } }) },
    ]);
    renderAt(<CostDefaultsSection unitId="352@2025-03" sets={[{ id: 'hn', name: 'Bộ HN', communes: 14, short: new Set(['18.4']) }]} />);
    expect((await screen.findByTestId('defaults-filled')).textContent).toBe('Tỉnh Ninh Bình · Bộ HN: đã đặt 1/75 chỉ tiêu');
    expect(await screen.findByRole('button', { name: 'Sửa chỉ tiêu 18.4' })).toBeTruthy();
    expect(screen.queryByTestId('defaults-read-only')).toBeNull();
    expect(calls.some((c) => c.url.includes('unitId=352%402025-03') || c.url.includes('unitId=352@2025-03'))).toBe(true);
    // The write names the province whose defaults these are.
    fireEvent.click(screen.getByRole('button', { name: 'Sửa chỉ tiêu 18.4' }));
    fireEvent.click(screen.getByRole('button', { name: 'Lưu 18.4' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ unitId: '37@2025-07', setId: 'hn', code: '18.4', version: 1 }));
  });

  it('may edit: a province office grant in force on the province of the answer', () => {
    const g = (unitId: string | null, validTo: string | null = null) => ({ role: 'province_office', unitId, validFrom: null, validTo });
    expect(mayEditDefaults(true, [g('37@2025-07')], '37@2025-07', '2026-12-03')).toBe(true);
    expect(mayEditDefaults(true, [g('37@2025-07')], '35@2025-03', '2026-12-03')).toBe(false);
    expect(mayEditDefaults(true, [g(null)], '35@2025-03', '2026-12-03')).toBe(true);
    expect(mayEditDefaults(true, [g('35@2025-03', '2025-06-30')], '35@2025-03', '2026-12-03')).toBe(false);
    expect(mayEditDefaults(false, [g('37@2025-07')], '37@2025-07', '2026-12-03')).toBe(false);
    expect(mayEditDefaults(true, [g('37@2025-07')], null, '2026-12-03')).toBe(false);
  });
});
