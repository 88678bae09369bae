// @vitest-environment jsdom
/**
 * The criteria-set pages: targets in words ("92,5"), "Tạo dự thảo" only for who may write, the
 * four-eyes verify button never offered to the officer who entered the indicator (and why), a
 * target by commune group typed the Vietnamese way, and the API's field problems beside the field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AuthoredSummary, AuthoredVersion } from '../api/criteria-authoring.ts';
import CriteriaSetsPage from './CriteriaSetsPage.tsx';
import SetVersionPage from './SetVersionPage.tsx';
import { targetText } from './parts.tsx';
import { fieldKeyOf } from './IndicatorForm.tsx';
import { CATALOG_STRINGS } from './strings.ts';
import { interpolate } from '../i18n/index.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';

afterEach(() => cleanup());

const me = (username: string | null, may: string[]) => ({
  url: /\/api\/v1\/auth\/me/,
  respond: () => ({
    body: username
      ? { authenticated: true, demo: true, user: { id: 1, username, displayName: username, grants: [{ role: 'province_office', unitId: '37@2025-07', validFrom: null, validTo: null }], mfaEnabled: false, isDemo: true, landing: null }, may, stage: 'done' }
      : { authenticated: false, demo: true, may },
  }),
});

const counts = { criteria: 10, indicators: 1, verifiedIndicators: 0, verified: false, criticalCriteria: [], pendingCriteria: [], targetsUnset: 0, byKind: { percent: 1 }, provenance: { official: 0, secondary: 1, reconstructed: 0 } };

const indicator = {
  code: '2.1',
  name: 'Tỷ lệ km đường xã được nhựa hóa',
  kind: 'percent',
  unit: '%',
  target: { op: '>=', value: { byGroup: { '1': 100, '2': 92.5, '3': 80 } }, setBy: 'ninh-binh', override: false, derivedFrom: null },
  scale: null,
  conditions: null,
  applicableIf: null,
  zeroDenominator: 'not_evaluable',
  source: { decision: '51/2025/QĐ-TTg', appendix: 'Phụ lục I', url: null, note: null },
  verified: false,
  provenance: { level: 'secondary', source: { number: '51/2025/QĐ-TTg', date: '2025-12-29', issuer: 'Thủ tướng Chính phủ', ref: 'Phụ lục I', url: 'https://example.gov.vn/51' } },
  note: null,
  definedIn: 'ninh-binh',
  origin: 'added',
};

const version = {
  setId: 'ninh-binh',
  setVersion: 1,
  status: 'draft',
  name: 'Bộ tiêu chí xã NTM tỉnh Ninh Bình',
  provinceId: '37@2025-07',
  basedOn: 'xa-ntm-2026-2030',
  validFrom: '2026-02-15',
  validTo: '2030-12-31',
  supersededOn: null,
  counts,
  awaitingVerification: 1,
  demo: false,
  version: 4,
  createdBy: 'tinh.ninhbinh',
  createdAt: '2026-12-01T01:00:00Z',
  updatedAt: '2026-12-01T01:00:00Z',
  publishedBy: null,
  publishedAt: null,
  reevaluation: null,
  document: {},
  resolved: {
    id: 'ninh-binh',
    decision: { number: 'Dự thảo', date: '2026-12-01', appendix: null, issuer: null, url: null },
    criteria: [
      { code: '1', name: 'Quy hoạch', group: null, critical: false, nameVerified: false, indicators: [], pendingIndicators: { vi: 'Chưa nhập.', en: 'Not entered.' } },
      { code: '2', name: 'Hạ tầng kinh tế - xã hội', group: null, critical: true, nameVerified: false, indicators: [indicator], pendingIndicators: null },
    ],
  },
  problems: [],
  indicators: {
    '2.1': {
      editedBy: 'tinh.ninhbinh',
      editedAt: '2026-12-01T01:00:00Z',
      sourceCopy: { sha256: 'ab', filename: 'QD51.pdf', contentType: 'application/pdf', size: 40, uploadedBy: 'tinh.ninhbinh', uploadedAt: '2026-12-01T01:00:00Z' },
      verifiedBy: null,
      verifiedAt: null,
    },
  },
  diffFromBase: null,
  diffFromPrevious: null,
} as unknown as AuthoredVersion;

const s = (key: keyof typeof CATALOG_STRINGS.vi, params?: Record<string, string | number>) => interpolate(CATALOG_STRINGS.vi[key], params);

describe('targets in words', () => {
  it('reads a single value and a table by commune group, with Vietnamese decimals', () => {
    expect(targetText('>=', 92.5, '%', 'vi', s)).toBe('≥ 92,5 %');
    expect(targetText('>=', { byGroup: { '1': 100, '2': 92.5, '3': 80 } }, null, 'vi', s)).toBe('Nhóm 1: ≥ 100; Nhóm 2: ≥ 92,5; Nhóm 3: ≥ 80');
    expect(targetText('is', true, null, 'vi', s)).toBe('Đạt');
    expect(targetText('>=', null, null, 'vi', s)).toBe('tỉnh quy định (chưa đặt)');
  });
  it('finds the form field an API problem names', () => {
    expect(fieldKeyOf('changes[0].indicator.target.value.byGroup.3')).toBe('target');
    expect(fieldKeyOf('edit.indicator.provenance.source')).toBe('number');
    expect(fieldKeyOf('changes[0].indicator.provenance.source.url')).toBe('url');
    expect(fieldKeyOf('edit.indicator.code')).toBe('code');
    expect(fieldKeyOf('basedOn')).toBeNull();
  });
});

describe('the list of sets', () => {
  const shipped = [
    { id: 'xa-ntm-2026-2030', name: 'Bộ tiêu chí quốc gia 2026–2030', phase: '2026-2030', level: 'ntm', basedOn: null, criteria: 10, indicators: 47, verified: false, verifiedIndicators: 41, scope: 'national', demo: false, validFrom: '2026-02-15', validTo: '2030-12-31', decision: { number: '51/2025/QĐ-TTg', date: '2025-12-29', appendix: null, issuer: null, url: null }, version: 1, status: 'published', provenance: { official: 41, secondary: 6, reconstructed: 0 } },
  ];
  const authored: AuthoredSummary[] = [{ ...(version as unknown as AuthoredSummary) }];
  const routes = [
    { url: /\/api\/v1\/criteria-sets\/authored/, respond: () => ({ body: { items: authored } }) },
    { url: /\/api\/v1\/criteria-sets$/, respond: () => ({ body: { items: shipped } }) },
  ];

  it('names every set with its counts and status; a viewer gets no "Tạo dự thảo"', async () => {
    fakeApi([me('xem', ['catalog.read']), ...routes]);
    renderAt(<CriteriaSetsPage />, { url: '/bo-tieu-chi' });
    expect(await screen.findByText('47 chỉ tiêu, 41 chính thức, 6 thứ cấp, 0 tái dựng')).toBeTruthy();
    const mine = await screen.findByTestId('authored-sets');
    expect(within(mine).getByText('1 chỉ tiêu, 0 chính thức, 1 thứ cấp, 0 tái dựng')).toBeTruthy();
    expect(within(mine).getByText('Dự thảo')).toBeTruthy();
    expect(within(mine).getByText('15/02/2026 – 31/12/2030')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('create-draft')).toBeNull());
  });

  it('speaks English when asked', async () => {
    fakeApi([me('tinh.ninhbinh', ['catalog.read', 'catalog.write']), ...routes]);
    renderAt(<CriteriaSetsPage />, { url: '/bo-tieu-chi', lang: 'en' });
    expect(await screen.findByText('47 indicators, 41 official, 6 secondary, 0 reconstructed')).toBeTruthy();
    expect((await screen.findByTestId('create-draft')).textContent).toBe('Create a draft');
    expect(screen.getAllByText('Draft').length).toBeGreaterThan(0);
  });

  it('offers "Tạo dự thảo" to an officer who may write the catalogue', async () => {
    fakeApi([me('tinh.ninhbinh', ['catalog.read', 'catalog.write']), ...routes]);
    renderAt(<CriteriaSetsPage />, { url: '/bo-tieu-chi' });
    expect(await screen.findByTestId('create-draft')).toBeTruthy();
  });
});

describe('the version page', () => {
  const at = { url: '/bo-tieu-chi/ninh-binh/1', path: '/bo-tieu-chi/:setId/:version' };

  it('never offers the verify button to the officer who entered the indicator, and says why', async () => {
    fakeApi([me('tinh.ninhbinh', ['catalog.read', 'catalog.write']), { url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: version }) }]);
    renderAt(<SetVersionPage />, at);
    const queue = await screen.findByTestId('verification-queue');
    expect(await within(queue).findByTestId('verify-own')).toBeTruthy();
    expect(within(queue).queryByRole('button', { name: /Xác minh/ })).toBeNull();
    // The tree: the target per group, the provenance with its source, who entered it.
    const ind = screen.getByTestId('indicator-2.1');
    expect(within(ind).getByTestId('target').textContent).toBe('Nhóm 1: ≥ 100 %; Nhóm 2: ≥ 92,5 %; Nhóm 3: ≥ 80 %');
    expect(within(ind).getByTestId('provenance-badge').textContent).toContain('thứ cấp');
    expect(ind.textContent).toContain('51/2025/QĐ-TTg, 29/12/2025, Thủ tướng Chính phủ, Phụ lục I');
    expect(ind.textContent).toContain('Người nhập: tinh.ninhbinh');
    expect(screen.getByText('Tiêu chí bắt buộc')).toBeTruthy();
  });

  it('lets a second officer verify, sending the version read', async () => {
    const calls = fakeApi([
      me('tinh.ninhbinh.kiemtra', ['catalog.read', 'catalog.write']),
      { url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: version }) },
      {
        method: 'POST',
        url: /\/indicators\/2\.1\/verify$/,
        respond: () => ({ body: { ...version, version: 5, indicators: { '2.1': { ...version.indicators['2.1']!, verifiedBy: 'tinh.ninhbinh.kiemtra', verifiedAt: '2026-12-02T01:00:00Z' } } } }),
      },
    ]);
    renderAt(<SetVersionPage />, at);
    fireEvent.click(await screen.findByRole('button', { name: 'Xác minh chỉ tiêu 2.1' }));
    expect((await screen.findByTestId('verified-notice')).textContent).toContain('Đã xác minh chỉ tiêu 2.1');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ version: 4 });
    expect(post.headers['if-match']).toBe('"4"');
    expect(screen.getByTestId('verified-by').textContent).toContain('tinh.ninhbinh.kiemtra');
  });

  it('sends a target by commune group typed "92,5" and shows the API field problem beside the target', async () => {
    const calls = fakeApi([
      me('tinh.ninhbinh', ['catalog.read', 'catalog.write']),
      { url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: version }) },
      {
        method: 'PATCH',
        url: /\/criteria-sets\/ninh-binh\/versions\/1$/,
        respond: () => ({
          status: 400,
          body: { error: { code: 'validation_failed', message: 'invalid', message_vi: 'Dữ liệu không hợp lệ', details: { fields: [{ field: 'changes[0].indicator.target.value.byGroup.1', message: 'a percent is 0–100', message_vi: 'ngưỡng tỷ lệ phải là số từ 0 đến 100' }] } } },
        }),
      },
    ]);
    renderAt(<SetVersionPage />, at);
    fireEvent.click(await screen.findByTestId('add-indicator-1'));
    const form = screen.getByTestId('indicator-form');
    const f = within(form);
    fireEvent.change(f.getByLabelText('Mã chỉ tiêu'), { target: { value: '1.1' } });
    fireEvent.change(f.getByLabelText('Tên chỉ tiêu'), { target: { value: 'Có quy hoạch chung xã' } });
    fireEvent.click(f.getByLabelText('Theo nhóm xã (1, 2, 3)'));
    fireEvent.change(f.getByLabelText('Nhóm 1'), { target: { value: '120' } });
    fireEvent.change(f.getByLabelText('Nhóm 2'), { target: { value: '92,5' } });
    fireEvent.change(f.getByLabelText('Nhóm 3'), { target: { value: '1.000' } });
    fireEvent.change(f.getByLabelText('Số văn bản'), { target: { value: '51/2025/QĐ-TTg' } });
    fireEvent.change(f.getByLabelText('Ngày ban hành (dd/mm/yyyy)'), { target: { value: '29/12/2025' } });
    fireEvent.click(f.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    expect((await f.findByTestId('field-error-target')).textContent).toContain('từ 0 đến 100');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    const edit = (patch.body as { version: number; edit: { op: string; criterion: string; indicator: Record<string, any> } }).edit;
    expect((patch.body as { version: number }).version).toBe(4);
    expect(edit.op).toBe('put');
    expect(edit.criterion).toBe('1');
    expect(edit.indicator.target).toEqual({ op: '>=', value: { byGroup: { '1': 120, '2': 92.5, '3': 1000 } } });
    expect(edit.indicator.verified).toBe(false);
    expect(edit.indicator.provenance).toEqual({ level: 'secondary', source: { number: '51/2025/QĐ-TTg', date: '2025-12-29', issuer: null, ref: null, url: null } });
    expect(f.getByLabelText('Nhóm 1').getAttribute('aria-invalid')).toBe('true');
  });

  it('edits the name and validity with dates typed dd/mm/yyyy', async () => {
    const calls = fakeApi([
      me('tinh.ninhbinh', ['catalog.read', 'catalog.write']),
      { url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: version }) },
      { method: 'PATCH', url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: { ...version, version: 5, validFrom: '2026-03-01', validTo: null } }) },
    ]);
    renderAt(<SetVersionPage />, at);
    const form = within(await screen.findByTestId('header-form'));
    fireEvent.change(form.getByLabelText('Có hiệu lực từ (dd/mm/yyyy)'), { target: { value: '1/3/2026' } });
    fireEvent.change(form.getByLabelText('Đến hết ngày (dd/mm/yyyy, để trống: không thời hạn)'), { target: { value: '' } });
    fireEvent.click(form.getByRole('button', { name: 'Lưu' }));
    expect((await form.findByRole('status')).textContent).toContain('Đã lưu');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ version: 4, edit: { op: 'header', name: 'Bộ tiêu chí xã NTM tỉnh Ninh Bình', validFrom: '2026-03-01', validTo: null } });
    expect(screen.getByText('01/03/2026 – không thời hạn')).toBeTruthy();
  });

  it('refuses a target that is not a number before sending anything', async () => {
    const calls = fakeApi([me('tinh.ninhbinh', ['catalog.read', 'catalog.write']), { url: /\/criteria-sets\/ninh-binh\/versions\/1$/, respond: () => ({ body: version }) }]);
    renderAt(<SetVersionPage />, at);
    fireEvent.click(await screen.findByTestId('add-indicator-1'));
    const f = within(screen.getByTestId('indicator-form'));
    fireEvent.change(f.getByLabelText('Mã chỉ tiêu'), { target: { value: '1.1' } });
    fireEvent.change(f.getByLabelText('Tên chỉ tiêu'), { target: { value: 'Có quy hoạch' } });
    fireEvent.change(f.getByLabelText('Giá trị ngưỡng'), { target: { value: 'chín mươi' } });
    fireEvent.click(f.getByRole('button', { name: 'Lưu chỉ tiêu' }));
    expect((await f.findByTestId('field-error-target')).textContent).toContain('phải là số');
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });
});
