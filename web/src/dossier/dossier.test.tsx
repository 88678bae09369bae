// @vitest-environment jsdom
/**
 * The dossier page against a fake API: a refused action is a disabled button with its reason;
 * steps, preconditions, documents and the timeline are shown from the server's data; an action
 * answered 409 shows the conflict message and reloads the dossier; the list shows risk in words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import DossierPage, { ActionButtons } from './DossierPage.tsx';
import DossierListPage from './DossierListPage.tsx';
import CommuneDossiers from './CommuneDossiers.tsx';
import type { CommunePageData, UnitDetail } from '../api/types.ts';
import { fakeApi, renderAt } from '../test-utils.tsx';
import type { DossierDetail, DossierListItem } from '../api/dossier.ts';

afterEach(() => cleanup());

// antd's Steps asks for the screen size (jsdom has no matchMedia).
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
// …and antd's modal and select watch their size.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const n = (vi: string, en = vi) => ({ vi, en });

function item(over: Partial<DossierListItem> = {}): DossierListItem {
  return {
    id: 3,
    unitId: '13504@2025-07',
    unitName: 'Xã Bình Lục',
    kind: 'recognition',
    level: 'ntm',
    levelName: n('Nông thôn mới', 'New rural'),
    procedure: 'two-level',
    procedureName: n('Hai cấp: xã → tỉnh (từ 1/7/2025)'),
    state: 'commune_consultation',
    stateName: n('Công khai, lấy ý kiến nhân dân'),
    stepRole: 'commune_officer',
    closed: false,
    stateSince: '2026-11-20',
    dueOn: '2026-12-11',
    workingDaysLeft: 2,
    stepRisk: 'at_risk',
    deadline: '2026-12-09',
    deadlineDaysLeft: -3,
    deadlineRisk: 'overdue',
    version: 4,
    openedOn: '2026-11-10',
    closedOn: null,
    ...over,
  };
}

function detail(over: Partial<DossierDetail> = {}): DossierDetail {
  return {
    ...item(),
    setId: 'ninh-binh-ntm-2026',
    baseReview: { id: 11, date: '2026-11-05', criteriaMet: 19, criteriaTotal: 19, indicatorsMet: 75, indicatorsTotal: 75, criteriaNotMet: [] },
    steps: [
      { id: 'commune_preparing', name: n('Xã tự đánh giá, lập hồ sơ'), role: 'commune_officer', limitDays: null, publicConsultation: false, status: 'done', enteredOn: '2026-11-10', dueOn: null },
      { id: 'commune_consultation', name: n('Công khai, lấy ý kiến nhân dân'), role: 'commune_officer', limitDays: 15, publicConsultation: true, status: 'current', enteredOn: '2026-11-20', dueOn: '2026-12-11' },
      { id: 'commune_finalising', name: n('Khảo sát sự hài lòng, họp xã, lập tờ trình'), role: 'commune_officer', limitDays: 20, publicConsultation: false, status: 'pending', enteredOn: null, dueOn: null },
    ],
    preconditions: [
      { code: 'set_met', met: true, name: n('Đạt đủ tiêu chí'), detail: n('19/19 tiêu chí') },
      { code: 'satisfaction', met: false, name: n('Tỷ lệ hài lòng'), detail: n('Chưa kê khai (yêu cầu ≥ 90%)') },
    ],
    satisfactionRate: null,
    satisfactionRequired: 90,
    noConstructionDebt: null,
    securityOk: true,
    documents: [
      {
        type: 'self_assessment_report',
        name: n('Báo cáo kết quả tự đánh giá'),
        requiredNow: true,
        requiredAt: ['commune_preparing'],
        draft: true,
        versions: [{ id: 21, version: 1, filename: 'bao-cao.pdf', contentType: 'application/pdf', size: 1000, note: null, createdBy: 'xa.binhluc', createdAt: '2026-11-12T02:00:00Z', url: '/api/v1/dossier-documents/21' }],
      },
      { type: 'satisfaction_survey', name: n('Kết quả lấy ý kiến sự hài lòng của người dân'), requiredNow: false, requiredAt: ['commune_finalising'], draft: false, versions: [] },
    ],
    transitions: [
      { seq: 1, action: 'open_consultation', actionName: n('Công khai, lấy ý kiến'), from: 'commune_preparing', fromName: n('Xã tự đánh giá, lập hồ sơ'), to: 'commune_consultation', toName: n('Công khai, lấy ý kiến nhân dân'), onDate: '2026-11-20', actor: 'xa.binhluc', actorRole: 'commune_officer', comment: 'Niêm yết tại nhà văn hóa', at: '2026-11-20T02:30:00Z' },
    ],
    actions: [
      { action: 'close_consultation', name: n('Kết thúc lấy ý kiến'), to: 'commune_finalising', needsComment: false, returnTo: [], allowed: false, reason: n('Thời gian lấy ý kiến chưa đủ 15 ngày (đến 11/12/2026).', 'The consultation period has not ended (until 11/12/2026).') },
      { action: 'withdraw', name: n('Rút / dừng hồ sơ'), to: 'withdrawn', needsComment: true, returnTo: [], allowed: true, reason: null },
    ],
    consultationOpen: true,
    publicUrl: '/cong-khai/ho-so/3',
    commentCounts: { pending: 1, published: 0, rejected: 0 },
    recognition: null,
    alertId: null,
    ...over,
  };
}

describe('ActionButtons', () => {
  it('disables an action the reader may not take, with the reason as its description', () => {
    const d = detail();
    renderAt(<ActionButtons actions={d.actions} onPick={() => {}} />);
    const close = screen.getByRole('button', { name: 'Kết thúc lấy ý kiến' }) as HTMLButtonElement;
    expect(close.disabled).toBe(true);
    expect(close.getAttribute('title')).toBe('Thời gian lấy ý kiến chưa đủ 15 ngày (đến 11/12/2026).');
    const described = document.getElementById(close.getAttribute('aria-describedby')!)!;
    expect(described.textContent).toContain('Thời gian lấy ý kiến chưa đủ 15 ngày');
    const withdraw = screen.getByRole('button', { name: 'Rút / dừng hồ sơ' }) as HTMLButtonElement;
    expect(withdraw.disabled).toBe(false);
  });
});

describe('DossierPage', () => {
  it('shows steps, preconditions, documents, the public link and the timeline', async () => {
    fakeApi([
      { url: /\/api\/v1\/dossiers\/3$/, respond: () => ({ body: detail() }) },
      { url: /\/api\/v1\/dossiers\/3\/comments$/, respond: () => ({ body: { items: [] } }) },
    ]);
    renderAt(<DossierPage />, { url: '/dossiers/3', path: '/dossiers/:dossierId' });
    await screen.findByTestId('dossier-page');
    expect(screen.getByTestId('dossier-state').textContent).toBe('Công khai, lấy ý kiến nhân dân');
    const steps = screen.getByTestId('dossier-steps');
    expect(steps.querySelector('[data-step="commune_consultation"]')!.getAttribute('data-status')).toBe('current');
    expect(steps.textContent).toContain('Hạn 11/12/2026');
    const pre = screen.getByTestId('preconditions');
    expect(pre.querySelector('[data-code="satisfaction"]')!.textContent).toContain('✗');
    expect(pre.querySelector('[data-code="satisfaction"]')!.textContent).toContain('Chưa đạt');
    const docs = screen.getByTestId('dossier-documents');
    expect(within(docs).getByRole('link', { name: /Bản 1: bao-cao.pdf — xa.binhluc, 12\/11\/2026/ })).toBeTruthy();
    expect(screen.getByTestId('draft-self_assessment_report').getAttribute('href')).toBe('/api/v1/dossiers/3/drafts/self_assessment_report');
    expect(screen.queryByTestId('draft-satisfaction_survey')).toBeNull();
    expect(screen.getByTestId('public-link').textContent).toContain('/cong-khai/ho-so/3');
    expect(screen.getByTestId('dossier-timeline').textContent).toMatch(/xa\.binhluc.*20\/11\/2026 \d\d:\d\d/);
    expect(screen.getByTestId('deadline-countdown').textContent).toContain('quá hạn 3 ngày');
  });

  it('on a version conflict says so and reloads the dossier', async () => {
    let version = 4;
    let reads = 0;
    const calls = fakeApi([
      {
        url: /\/api\/v1\/dossiers\/3$/,
        respond: () => {
          reads++;
          return { body: detail({ version }) };
        },
      },
      { url: /\/api\/v1\/dossiers\/3\/comments$/, respond: () => ({ body: { items: [] } }) },
      {
        method: 'PUT',
        url: /\/api\/v1\/dossiers\/3\/declarations$/,
        respond: () => {
          version = 5;
          return { status: 409, body: { error: { code: 'version_conflict', message: 'Version conflict', message_vi: 'Xung đột phiên bản' } } };
        },
      },
    ]);
    renderAt(<DossierPage />, { url: '/dossiers/3', path: '/dossiers/:dossierId' });
    await screen.findByTestId('dossier-page');
    fireEvent.change(screen.getByRole('textbox', { name: /Tỷ lệ người dân hài lòng/ }), { target: { value: '92,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu kê khai' }));
    await screen.findByTestId('version-conflict');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ version: 4, satisfactionRate: 92.5, noConstructionDebt: null, securityOk: true });
    await waitFor(() => expect(screen.getByTestId('dossier-page').getAttribute('data-version')).toBe('5'));
    expect(reads).toBeGreaterThanOrEqual(2);
    // Still said after the reload, once, at the top.
    expect(screen.getAllByTestId('version-conflict')).toHaveLength(1);
    expect(screen.getByTestId('version-conflict').textContent).toContain('vừa được người khác cập nhật');
  });

  it('reads the satisfaction rate "92,5" as 92.5, and says on the field when it is not a number (sending nothing)', async () => {
    const calls = fakeApi([
      { url: /\/api\/v1\/dossiers\/3$/, respond: () => ({ body: detail() }) },
      { url: /\/api\/v1\/dossiers\/3\/comments$/, respond: () => ({ body: { items: [] } }) },
      { method: 'PUT', url: /\/api\/v1\/dossiers\/3\/declarations$/, respond: () => ({ body: detail({ version: 5, satisfactionRate: 92.5 }) }) },
    ]);
    renderAt(<DossierPage />, { url: '/dossiers/3', path: '/dossiers/:dossierId' });
    await screen.findByTestId('dossier-page');
    const field = screen.getByRole('textbox', { name: /Tỷ lệ người dân hài lòng/ });
    fireEvent.change(field, { target: { value: '92,5 x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu kê khai' }));
    expect((await screen.findByRole('alert')).textContent).toContain('phải là một số, ví dụ 92,5');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    fireEvent.change(field, { target: { value: '92,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu kê khai' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect((calls.find((c) => c.method === 'PUT')!.body as { satisfactionRate: number }).satisfactionRate).toBe(92.5);
    await waitFor(() => expect((screen.getByRole('textbox', { name: /Tỷ lệ người dân hài lòng/ }) as HTMLInputElement).value).toBe('92,5'));
  });
});

describe('DossierListPage', () => {
  it('shows the step due date with working days and risk in words, and the committee countdown', async () => {
    fakeApi([
      { url: /\/api\/v1\/dossiers\?open=1$/, respond: () => ({ body: { items: [item(), item({ id: 4, unitName: 'Xã Tràng An', stepRisk: 'overdue', workingDaysLeft: -3, deadline: '2026-12-20', deadlineDaysLeft: 12, deadlineRisk: 'ok' })] } }) },
      { url: /\/api\/v1\/revocation-alerts/, respond: () => ({ body: { items: [] } }) },
    ]);
    renderAt(<DossierListPage />, { url: '/dossiers' });
    const table = await screen.findByTestId('dossier-list');
    const first = table.querySelector('tr[data-dossier-id="3"]')!;
    expect(first.textContent).toContain('11/12/2026');
    expect(first.textContent).toContain('còn 2 ngày làm việc');
    expect(first.textContent).toContain('Sắp đến hạn');
    expect(first.textContent).toContain('quá hạn 3 ngày');
    const second = table.querySelector('tr[data-dossier-id="4"]')!;
    expect(second.textContent).toContain('Quá hạn');
    expect(second.textContent).toContain('còn 12 ngày');
  });
});

describe('Revocation alerts', () => {
  const alert = {
    id: 7,
    unitId: '13510@2025-03',
    unitName: 'Xã Tràng An',
    reviewId: 40,
    reviewDate: '2026-06-30',
    recognitionId: 77,
    level: 'nang-cao',
    levelName: n('xã nông thôn mới nâng cao'),
    decisionNo: '3456/QĐ-UBND',
    rule: 'criteria_not_met',
    failingCriteria: ['2', '17'],
    reason: n('Rà soát ngày 30/06/2026 không còn đạt 2 tiêu chí.'),
    status: 'open' as const,
    dossierId: null,
    createdAt: '2026-07-01T01:00:00Z',
  };

  it('opens a revocation dossier from an alert, and dismisses one only with a note', async () => {
    const calls = fakeApi([
      { url: /\/api\/v1\/dossiers\?open=1$/, respond: () => ({ body: { items: [] } }) },
      { url: /\/api\/v1\/revocation-alerts\?status=open$/, respond: () => ({ body: { items: [alert] } }) },
      { method: 'POST', url: /\/revocation-alerts\/7\/open-dossier$/, respond: () => ({ status: 201, body: detail({ id: 12, kind: 'revocation' }) }) },
      { method: 'POST', url: /\/revocation-alerts\/7\/dismiss$/, respond: () => ({ body: { ...alert, status: 'dismissed' } }) },
    ]);
    const { router } = renderAt(<DossierListPage />, { url: '/dossiers' });
    const panel = await screen.findByTestId('revocation-alerts');
    expect(within(panel).getByRole('heading').textContent).toContain('Cảnh báo thu hồi công nhận');
    expect(panel.textContent).toContain('Tiêu chí không đạt: 2, 17');
    fireEvent.click(within(panel).getByRole('button', { name: 'Bỏ qua' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Bỏ qua' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Cần nêu lý do bỏ qua.');
    expect(calls.some((c) => c.url.endsWith('/dismiss'))).toBe(false);
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: 'Đã khắc phục, chờ rà soát quý sau' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Bỏ qua' }));
    await waitFor(() => expect(calls.find((c) => c.url.endsWith('/dismiss'))?.body).toEqual({ note: 'Đã khắc phục, chờ rà soát quý sau' }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Lập hồ sơ thu hồi' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/dossiers/12'));
  });
});

describe('Return and decide', () => {
  it('return needs reasons and sends the target step; decide sends number, date and signer', async () => {
    const actions: DossierDetail['actions'] = [
      { action: 'return', name: n('Trả lại hồ sơ (nêu lý do)'), to: 'commune_finalising', needsComment: true, returnTo: [{ id: 'commune_finalising', name: n('Khảo sát sự hài lòng, họp xã, lập tờ trình') }, { id: 'commune_preparing', name: n('Xã tự đánh giá, lập hồ sơ') }], allowed: true, reason: null },
      { action: 'decide', name: n('Ban hành quyết định'), to: 'recognised', needsComment: false, returnTo: [], allowed: true, reason: null },
    ];
    const calls = fakeApi([
      { url: /\/api\/v1\/dossiers\/3$/, respond: () => ({ body: detail({ actions, state: 'awaiting_decision', version: 9 }) }) },
      { url: /\/api\/v1\/dossiers\/3\/comments$/, respond: () => ({ body: { items: [] } }) },
      { method: 'POST', url: /\/api\/v1\/dossiers\/3\/actions$/, respond: () => ({ body: detail({ actions, version: 10 }) }) },
    ]);
    renderAt(<DossierPage />, { url: '/dossiers/3', path: '/dossiers/:dossierId' });
    await screen.findByTestId('dossier-page');
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại hồ sơ (nêu lý do)' }));
    let dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Trả lại hồ sơ')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /Xác nhận/ }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Cần nhập lý do.');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Lý do trả lại' }), { target: { value: 'Thiếu biên bản họp có biểu quyết.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /Xác nhận/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ action: 'return', version: 9, comment: 'Thiếu biên bản họp có biểu quyết.', returnTo: 'commune_finalising' });

    fireEvent.click(screen.getByRole('button', { name: 'Ban hành quyết định' }));
    await waitFor(() => expect(screen.getByTestId('action-modal').getAttribute('data-action')).toBe('decide'));
    dialog = screen.getByTestId('action-modal').closest('[role="dialog"]') as HTMLElement;
    fireEvent.click(within(dialog).getByRole('button', { name: /Xác nhận/ }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Nhập đủ số quyết định');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Số quyết định' }), { target: { value: '123/QĐ-UBND' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Người ký' }), { target: { value: 'Chủ tịch UBND tỉnh' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /Xác nhận/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    const body = calls.filter((c) => c.method === 'POST')[1]!.body as { action: string; decision: { decisionNo: string; decidedOn: string; signer: string } };
    expect(body.action).toBe('decide');
    expect(body.decision.decisionNo).toBe('123/QĐ-UBND');
    expect(body.decision.signer).toBe('Chủ tịch UBND tỉnh');
    expect(body.decision.decidedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('CommuneDossiers', () => {
  const unit = { id: '13504@2025-07', fullName: 'Xã Bình Lục' } as unknown as UnitDetail;
  const review = (id: number, reviewedOn: string, relation: 'self' | 'predecessor' = 'self') => ({ id, reviewedOn, relation, status: 'submitted', setId: 'ha-nam-nang-cao', criteriaMet: 17, criteriaTotal: 19 });
  const page = { history: [review(532, '2025-12-15'), review(531, '2025-09-30'), review(272, '2025-06-20', 'predecessor')], recognitions: [] } as unknown as CommunePageData;

  it("opens a dossier on the latest submitted review at its set's level, and links to the open one on a conflict", async () => {
    let conflict = false;
    const calls = fakeApi([
      { url: /\/api\/v1\/dossiers\?unitId=/, respond: () => ({ body: { items: [] } }) },
      { url: /\/api\/v1\/criteria-sets$/, respond: () => ({ body: { items: [{ id: 'ha-nam-nang-cao', name: 'NC', level: 'nang-cao' }] } }) },
      {
        method: 'POST',
        url: /\/api\/v1\/dossiers$/,
        respond: () =>
          conflict
            ? { status: 409, body: { error: { code: 'conflict', message: 'already open', message_vi: 'Xã Bình Lục đã có hồ sơ đang xử lý (số 2).', details: { dossierId: 2 } } } }
            : { status: 201, body: detail({ id: 15 }) },
      },
    ]);
    const { router } = renderAt(<CommuneDossiers unit={unit} page={page} />, { url: '/units/13504@2025-07' });
    expect(screen.getByTestId('dossiers-link').getAttribute('href')).toBe('/dossiers?unitId=13504%402025-07&open=all');
    await waitFor(() => expect(calls.some((c) => c.url.includes('criteria-sets'))).toBe(true));
    fireEvent.click(screen.getByTestId('new-dossier'));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByText('NTM nâng cao')).toBeTruthy());
    conflict = true;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lập hồ sơ' }));
    const link = await within(dialog).findByTestId('existing-dossier');
    expect(link.textContent).toBe('Mở hồ sơ số 2');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ unitId: '13504@2025-07', level: 'nang-cao', baseReviewId: 532, setId: 'ha-nam-nang-cao' });
    conflict = false;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lập hồ sơ' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/dossiers/15'));
  });
});
