// @vitest-environment jsdom
/**
 * The review form against a fake API that evaluates with the real engine and the real catalogue:
 * fields by kind, instant evaluation, autosave with If-Match, the server's errors on their field,
 * the conflict message, submit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { execFileSync } from 'node:child_process';
import { evaluateCommune } from '../../../src/domain/evaluation.ts';
import type { CriteriaSet, IndicatorValue } from '../../../src/domain/criteria.ts';
import ReviewPage from './ReviewPage.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';

// The catalogue reads its files through import.meta.url, which jsdom's environment does not give
// as a file URL: load the resolved demo set in a plain Node process instead.
const set = JSON.parse(
  execFileSync('npx', ['tsx', '-e', "import('./src/catalog/catalog.ts').then((m) => process.stdout.write(JSON.stringify(m.getCatalog().get('ha-nam-nang-cao-2021-2025-minh-hoa'))))"], { encoding: 'utf8' }),
) as CriteriaSet;
const profile = { code: '13510', name: 'Tràng An', region: 'DBSH' as const, group: null, special: null };
const indicators = set.criteria.flatMap((c) => c.indicators);
const percent = indicators.find((i) => i.kind === 'percent' && i.target.op === '>=' && typeof i.target.value === 'number')!;
const ratio = indicators.find((i) => i.kind === 'ratio')!;

function reviewWith(values: Record<string, IndicatorValue>, version: number, status: 'draft' | 'submitted' = 'draft') {
  return {
    id: 7,
    unitId: '13510@2025-03',
    unitName: 'Xã Tràng An',
    setId: set.id,
    setName: set.name,
    warnings: [] as Array<{ vi: string; en: string }>,
    reviewedOn: '2023-03-20',
    status,
    title: null,
    note: null,
    version,
    isDemo: true,
    createdBy: 'x',
    createdAt: '2026-11-27T00:00:00Z',
    updatedAt: '2026-11-27T00:00:00Z',
    submittedBy: null,
    submittedAt: status === 'submitted' ? '2026-11-27T01:00:00Z' : null,
    values: Object.entries(values).map(([code, value], i) => ({ code, value, note: null, evidence: evidence[code] ?? [], seq: i + 1, enteredBy: 'x', enteredAt: '2026-11-27T00:00:00Z' })),
    evaluation: evaluateCommune(set, profile, '2023-03-20', values),
  };
}

let stored: Record<string, IndicatorValue>;
let evidence: Record<string, Array<{ title: string; url: string | null }>>;
let version: number;
let conflictNext = false;

beforeEach(() => {
  stored = {};
  evidence = {};
  version = 1;
  conflictNext = false;
});
afterEach(() => cleanup());

function api(extra: Parameters<typeof fakeApi>[0] = []) {
  return fakeApi([
    ...extra,
    { url: /\/api\/v1\/reviews\/7$/, respond: () => ({ body: reviewWith(stored, version), headers: { ETag: `"${version}"` } }) },
    { url: /\/criteria-sets\/.*\/definition\?date=\d{4}-\d{2}-\d{2}$/, respond: () => ({ body: set }) },
    {
      method: 'PATCH',
      url: /\/api\/v1\/reviews\/7\/values$/,
      respond: (req) => {
        if (conflictNext) {
          // Someone else saved first: the server is one version ahead, with their value.
          conflictNext = false;
          version++;
          stored[ratio.code] = { numerator: 1, denominator: 4 };
          const current = reviewWith(stored, version);
          return { status: 409, body: { error: { code: 'version_conflict', message: 'changed', message_vi: 'Bản rà soát đã được người khác sửa.', details: { currentVersion: version, expectedVersion: version - 1, current } } } };
        }
        if (req.headers['if-match'] !== `"${version}"`) return { status: 409, body: { error: { code: 'version_conflict', message: 'stale', message_vi: 'cũ' } } };
        const values = (req.body as { values: Record<string, { value: IndicatorValue; evidence?: Array<{ title: string; url: string | null }> }> }).values;
        const bad = Object.entries(values).find(([, v]) => v.value !== null && typeof v.value === 'object' && v.value.numerator > v.value.denominator);
        if (bad) {
          return {
            status: 400,
            body: { error: { code: 'invalid_value', message: 'Invalid', message_vi: `Giá trị chỉ tiêu "${bad[0]}" không hợp lệ`, details: { fields: [{ field: `values.${bad[0]}`, message: 'the numerator must not exceed the denominator', message_vi: 'tử số không được lớn hơn mẫu số' }] } } },
          };
        }
        for (const [k, v] of Object.entries(values)) {
          stored[k] = v.value;
          if (v.evidence) evidence[k] = v.evidence;
        }
        version++;
        return { body: reviewWith(stored, version) };
      },
    },
    { method: 'POST', url: /\/api\/v1\/reviews\/7\/submit$/, respond: () => ({ body: reviewWith(stored, ++version, 'submitted') }) },
  ]);
}

// Rendering 75 fields in jsdom is slow on a busy machine: generous time per test.
describe('ReviewPage', { timeout: 90_000 }, () => {
  it('generates labelled inputs by kind, evaluates as you type, autosaves with If-Match', async () => {
    const calls = api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    // Every indicator has an input reachable by its label.
    const pField = document.querySelector(`.ind-field[data-indicator="${percent.code}"]`) as HTMLElement;
    const pInput = within(pField).getByLabelText(new RegExp(percent.name.slice(0, 20).replace(/[()]/g, '.')));
    expect(pInput.getAttribute('inputmode')).toBe('decimal');
    const rField = document.querySelector(`.ind-field[data-indicator="${ratio.code}"]`) as HTMLElement;
    expect(within(rField).getByLabelText('Tử số')).toBeTruthy();
    expect(within(rField).getByLabelText('Mẫu số')).toBeTruthy();
    expect(screen.getByTestId('live-totals').textContent).toContain('chỉ tiêu đạt 0/');

    fireEvent.change(pInput, { target: { value: String(percent.target.value).replace('.', ',') } });
    await waitFor(() => expect(pField.getAttribute('data-status')).toBe('met'));
    expect(screen.getByTestId('live-totals').textContent).toContain('chỉ tiêu đạt 1/');
    await waitFor(() => expect(screen.getByTestId('save-state').textContent).toMatch(/Đã lưu lúc/), { timeout: 3000 });
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers['if-match']).toBe('"1"');
    expect(patch.body).toEqual({ values: { [percent.code]: { value: percent.target.value, note: null, evidence: [] } } });
    expect(screen.getByTestId('saved-summary').textContent).toContain('1/');
  });

  it("shows the server's refusal on the field, in Vietnamese, and the conflict message", async () => {
    api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    const rField = document.querySelector(`.ind-field[data-indicator="${ratio.code}"]`) as HTMLElement;
    fireEvent.change(within(rField).getByLabelText('Tử số'), { target: { value: '5' } });
    fireEvent.change(within(rField).getByLabelText('Mẫu số'), { target: { value: '4' } });
    const err = await screen.findByTestId(`field-error-${ratio.code}`, undefined, { timeout: 3000 });
    expect(err.textContent).toContain('tử số không được lớn hơn mẫu số');
    expect(within(rField).getByLabelText('Tử số').getAttribute('aria-invalid')).toBe('true');
    expect(within(rField).getByLabelText('Tử số').getAttribute('aria-describedby')).toContain(err.id);
    // Fixed: the error goes, the value is saved.
    fireEvent.change(within(rField).getByLabelText('Tử số'), { target: { value: '3' } });
    await waitFor(() => expect(screen.queryByTestId(`field-error-${ratio.code}`)).toBeNull());
    await waitFor(() => expect(stored[ratio.code]).toEqual({ numerator: 3, denominator: 4 }), { timeout: 3000 });
    // Someone else saved meanwhile: both values side by side; keep mine, saved over their version.
    conflictNext = true;
    fireEvent.change(within(rField).getByLabelText('Tử số'), { target: { value: '2' } });
    const conflict = await screen.findByTestId('version-conflict', undefined, { timeout: 3000 });
    expect(conflict.textContent).toContain('người khác sửa');
    const row = within(conflict).getByRole('row', { name: new RegExp(ratio.code.replace('.', '\\.')) });
    expect(row.textContent).toContain('2/4');
    expect(row.textContent).toContain('1/4');
    await act(async () => {
      fireEvent.click(within(conflict).getByRole('button', { name: 'Lưu theo lựa chọn' }));
    });
    await waitFor(() => expect(screen.queryByTestId('version-conflict')).toBeNull());
    await waitFor(() => expect(stored[ratio.code]).toEqual({ numerator: 2, denominator: 4 }), { timeout: 3000 });
    // Or take theirs: the field shows their value, nothing of mine is sent.
    conflictNext = true;
    fireEvent.change(within(rField).getByLabelText('Tử số'), { target: { value: '3' } });
    const again = await screen.findByTestId('version-conflict', undefined, { timeout: 3000 });
    const theirs = within(again).getAllByRole('radio')[1]!;
    fireEvent.click(theirs);
    await act(async () => {
      fireEvent.click(within(again).getByRole('button', { name: 'Lưu theo lựa chọn' }));
    });
    await waitFor(() => expect(screen.queryByTestId('version-conflict')).toBeNull());
    expect((within(rField).getByLabelText('Tử số') as HTMLInputElement).value).toBe('1');
    expect(stored[ratio.code]).toEqual({ numerator: 1, denominator: 4 });
  });

  it('one refused value does not stop the others from saving: they are saved, it keeps its error', async () => {
    const calls = api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    const pField = document.querySelector(`.ind-field[data-indicator="${percent.code}"]`) as HTMLElement;
    const rField = document.querySelector(`.ind-field[data-indicator="${ratio.code}"]`) as HTMLElement;
    // Within one autosave: a good percent and a ratio the server refuses (5/4).
    fireEvent.change(pField.querySelector('input')!, { target: { value: '92,5' } });
    fireEvent.change(within(rField).getByLabelText('Tử số'), { target: { value: '5' } });
    fireEvent.change(within(rField).getByLabelText('Mẫu số'), { target: { value: '4' } });
    await waitFor(() => expect(stored[percent.code]).toBe(92.5), { timeout: 3000 });
    expect(stored[ratio.code]).toBeUndefined();
    expect((await screen.findByTestId(`field-error-${ratio.code}`)).textContent).toContain('tử số không được lớn hơn mẫu số');
    expect(screen.getByTestId('save-error').textContent).toContain('Đã lưu các giá trị khác; 1 giá trị có lỗi');
    // Another change saves without sending the refused value again.
    const before = calls.filter((c) => c.method === 'PATCH').length;
    fireEvent.change(pField.querySelector('input')!, { target: { value: '93' } });
    await waitFor(() => expect(stored[percent.code]).toBe(93), { timeout: 3000 });
    const later = calls.filter((c) => c.method === 'PATCH').slice(before);
    expect(later.every((c) => !(ratio.code in (c.body as { values: object }).values))).toBe(true);
    expect(screen.getByTestId(`field-error-${ratio.code}`)).toBeTruthy();
  });

  it('submitting asks first, with the saved totals and level it will submit; going back submits nothing', async () => {
    const calls = api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    const pField = document.querySelector(`.ind-field[data-indicator="${percent.code}"]`) as HTMLElement;
    fireEvent.change(pField.querySelector('input')!, { target: { value: String(percent.target.value).replace('.', ',') } });
    fireEvent.click(screen.getByRole('button', { name: 'Nộp bản rà soát' }));
    const dialog = await screen.findByRole('alertdialog', undefined, { timeout: 3000 });
    // The unsaved change was saved first; what is listed is what the server holds.
    expect(stored[percent.code]).toBe(percent.target.value);
    const saved = reviewWith(stored, version).evaluation;
    expect(within(dialog).getByTestId('confirm-totals').textContent).toBe(
      `Tiêu chí đạt ${saved.totals.criteriaMet}/${saved.totals.criteriaTotal} · chỉ tiêu đạt ${saved.totals.indicatorsMet}/${saved.totals.indicatorsTotal}`,
    );
    expect(saved.totals.indicatorsMet).toBe(1);
    expect(within(dialog).getByTestId('confirm-level').textContent).toContain('Mức đạt sẽ ghi nhận: Chưa đạt mức nào');
    expect(within(dialog).getByTestId('confirm-empty').textContent).toMatch(/^\d+ chỉ tiêu chưa nhập giá trị/);
    expect(dialog.textContent).toContain('không sửa được nữa');
    expect(document.activeElement?.textContent).toBe('Xác nhận nộp');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Quay lại sửa' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Nộp bản rà soát' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Xác nhận nộp' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST' && c.url.endsWith('/submit'))).toHaveLength(1));
  });

  it('"Hủy bản nháp": only on a draft, only for review.write; asks first (keeping is the default), then DELETE with If-Match and back to the commune', async () => {
    const may = (actions: string[]) => ({ url: /\/api\/v1\/auth\/me$/, respond: () => ({ body: { may: actions } }) });
    const deleted = { method: 'DELETE', url: /\/api\/v1\/reviews\/7$/, respond: () => ({ body: { id: 7, unitId: '13510@2025-03', setId: set.id, reviewedOn: '2023-03-20', valueVersions: 0, attachments: 0 } }) };
    // A reader: no button.
    api([may(['review.read'])]);
    const first = renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    await waitFor(() => expect(first.qc.getQueryData(['auth', 'me'])).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Hủy bản nháp' })).toBeNull();
    cleanup();

    const calls = api([may(['review.read', 'review.write']), deleted]);
    const { router } = renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    fireEvent.click(await screen.findByRole('button', { name: 'Hủy bản nháp' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Hủy bản nháp rà soát Xã Tràng An ngày 20/03/2023?');
    expect(document.activeElement?.textContent).toBe('Giữ bản nháp');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Giữ bản nháp' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Hủy bản nháp' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Xác nhận hủy bản nháp' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/units/13510@2025-03'));
    const del = calls.filter((c) => c.method === 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0]!.headers['if-match']).toBe('"1"');
    cleanup();

    // A submitted review: no button, whoever reads it.
    fakeApi([may(['review.read', 'review.write']), { url: /\/api\/v1\/reviews\/7$/, respond: () => ({ body: reviewWith(stored, 2, 'submitted'), headers: { ETag: '"2"' } }) }, { url: /\/criteria-sets\/.*\/definition\?date=\d{4}-\d{2}-\d{2}$/, respond: () => ({ body: set }) }]);
    const third = renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    await waitFor(() => expect(third.qc.getQueryData(['auth', 'me'])).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Hủy bản nháp' })).toBeNull();
  });

  it('an attached file can be taken off its indicator, and the change is saved', async () => {
    stored = { [percent.code]: 95 };
    evidence = { [percent.code]: [{ title: 'Biên bản 1.pdf', url: '/api/v1/attachments/1' }, { title: 'Ảnh 2.jpg', url: '/api/v1/attachments/2' }] };
    const calls = api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    const list = screen.getByTestId(`evidence-${percent.code}`);
    fireEvent.click(within(list).getByRole('button', { name: 'Gỡ minh chứng Biên bản 1.pdf khỏi chỉ tiêu' }));
    expect(within(list).queryByText('Biên bản 1.pdf')).toBeNull();
    await waitFor(() => expect(evidence[percent.code]).toEqual([{ title: 'Ảnh 2.jpg', url: '/api/v1/attachments/2' }]), { timeout: 3000 });
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ values: { [percent.code]: { value: 95, note: null, evidence: [{ title: 'Ảnh 2.jpg', url: '/api/v1/attachments/2' }] } } });
    expect(stored[percent.code]).toBe(95);
  });

  it('an error appearing under the field being typed in is scrolled into view (above the phone summary); others do not move the page', async () => {
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    try {
      api();
      renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
      await screen.findByTestId('review-page');
      const rField = document.querySelector(`.ind-field[data-indicator="${ratio.code}"]`) as HTMLElement;
      const num = within(rField).getByLabelText('Tử số');
      fireEvent.change(num, { target: { value: '5' } });
      fireEvent.change(within(rField).getByLabelText('Mẫu số'), { target: { value: '4' } });
      num.focus();
      const err = await screen.findByTestId(`field-error-${ratio.code}`, undefined, { timeout: 3000 });
      expect(scrolled).toContain(err);
      // Typed elsewhere: the error shows, the page stays.
      scrolled.length = 0;
      fireEvent.change(num, { target: { value: '6' } });
      (document.querySelector(`.ind-field[data-indicator="${percent.code}"] input`) as HTMLInputElement).focus();
      await waitFor(() => expect(screen.getByTestId('save-error')).toBeTruthy(), { timeout: 3000 });
      await waitFor(() => expect(screen.queryByTestId(`field-error-${ratio.code}`)).toBeTruthy());
      expect(scrolled).toHaveLength(0);
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
  });

  it('a half-typed number is kept in the field, flagged, and not sent', async () => {
    const calls = api();
    renderAt(<ReviewPage />, { url: '/reviews/7', path: '/reviews/:reviewId' });
    await screen.findByTestId('review-page');
    const pField = document.querySelector(`.ind-field[data-indicator="${percent.code}"]`) as HTMLElement;
    const input = pField.querySelector('input')!;
    fireEvent.change(input, { target: { value: 'chín mươi' } });
    expect((await within(pField).findByRole('alert')).textContent).toContain('Chưa phải là số');
    await new Promise((r) => setTimeout(r, 900));
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    expect(input.value).toBe('chín mươi');
  });
});
