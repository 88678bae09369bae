// @vitest-environment jsdom
/** Component tests of the overview parts: the matrix (names, keyboard, virtual rows, print), the map's fallback, the print source. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CriteriaMatrix, FIRST_ROWS, VIRTUAL_FROM } from './CriteriaMatrix.tsx';
import { AfterFirstPaint } from './AfterFirstPaint.tsx';
import { syntheticMatrix } from '../pages/MatrixBenchPage.tsx';
import { PrintSource } from './PrintView.tsx';
import UnitMap, { criteriaPieces } from './UnitMap.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';
import type { UnitDetail, UnitSummary } from '../api/types.ts';

afterEach(() => cleanup());

describe('CriteriaMatrix', () => {
  it('names every cell by criterion and status, with a symbol, and opens a reviewed cell', () => {
    const { set, rows } = syntheticMatrix(5);
    rows[4] = { ...rows[4]!, reviewId: null, criteriaStatus: null, criteriaMet: null };
    const open = vi.fn();
    renderAt(<CriteriaMatrix set={set} rows={rows} date="2023-03-20" linkTo={(id) => `/units/${id}`} onOpenCell={open} />);
    const table = screen.getByTestId('criteria-matrix');
    expect(within(table).getByText(/20\/03\/2023/)).toBeTruthy();
    const row = screen.getByRole('row', { name: /Xã Thử 1\b/ });
    const first = rows[0]!.criteriaStatus![0]!;
    const word = { M: 'Đạt', N: 'Chưa đạt', E: 'Chưa đánh giá được', A: 'Không áp dụng' }[first]!;
    const cell = within(row).getByRole('button', { name: `Tiêu chí 1: Tiêu chí thử 1: ${word}` });
    expect(cell.textContent).toMatch(/[✓✗?–]/);
    fireEvent.click(cell);
    expect(open).toHaveBeenCalledWith(rows[0]!.unitId, '1');
    // A commune without a review: no button, "Chưa rà soát" marks.
    const last = screen.getByRole('row', { name: /Xã Thử 5\b/ });
    expect(within(last).queryAllByRole('button')).toHaveLength(0);
    expect(within(last).getAllByRole('img', { name: /Chưa rà soát/ })).toHaveLength(19);
  });

  it('is one tab stop moved with the arrow keys', () => {
    const { set, rows } = syntheticMatrix(3);
    renderAt(<CriteriaMatrix set={set} rows={rows} date="2023-03-20" linkTo={() => '#'} onOpenCell={() => {}} />);
    const tabbable = screen.getByTestId('criteria-matrix').querySelectorAll('button[tabindex="0"]');
    expect(tabbable).toHaveLength(1);
    const start = tabbable[0] as HTMLElement;
    start.focus();
    fireEvent.keyDown(start, { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('data-cell')).toBe('0:1');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('data-cell')).toBe('1:1');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.getAttribute('data-cell')).toBe('1:18');
    expect(screen.getByTestId('criteria-matrix').querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
  });

  it(`renders only the rows in view from ${VIRTUAL_FROM} communes on, and every row when printing`, () => {
    const { set, rows } = syntheticMatrix(1000);
    const { unmount } = renderAt(<CriteriaMatrix set={set} rows={rows} date="2025-06-30" linkTo={() => '#'} onOpenCell={() => {}} />);
    const drawn = screen.getByTestId('criteria-matrix').querySelectorAll('tbody tr[data-unit-id]').length;
    expect(drawn).toBeGreaterThanOrEqual(5);
    expect(drawn).toBeLessThan(100);
    expect(screen.getByText('1000/1000 xã')).toBeTruthy();
    unmount();
    const some = rows.slice(0, VIRTUAL_FROM + 20);
    renderAt(<CriteriaMatrix set={set} rows={some} date="2025-06-30" linkTo={() => '#'} onOpenCell={() => {}} printAll />);
    expect(screen.getByTestId('criteria-matrix').querySelectorAll('tbody tr[data-unit-id]')).toHaveLength(some.length);
  });

  it(`draws the first ${FIRST_ROWS} rows at once and the others after the first paint; every row at once when printing`, async () => {
    const { set, rows } = syntheticMatrix(100);
    const { unmount } = renderAt(<CriteriaMatrix set={set} rows={rows} date="2025-06-30" linkTo={() => '#'} onOpenCell={() => {}} />);
    const drawn = () => screen.getByTestId('criteria-matrix').querySelectorAll('tbody tr[data-unit-id]').length;
    expect(drawn()).toBe(FIRST_ROWS);
    expect(screen.getByText('100/100 xã')).toBeTruthy();
    await waitFor(() => expect(drawn()).toBe(100), { timeout: 10_000 });
    expect(screen.getByTestId('criteria-matrix').closest('[data-complete]')?.getAttribute('data-complete')).toBe('true');
    // In code order, the last commune last.
    const last = screen.getByTestId('criteria-matrix').querySelectorAll('tbody tr[data-unit-id]')[99]!;
    expect(last.getAttribute('data-unit-id')).toBe(rows[99]!.unitId);
    unmount();
    renderAt(<CriteriaMatrix set={set} rows={rows} date="2025-06-30" linkTo={() => '#'} onOpenCell={() => {}} printAll />);
    expect(drawn()).toBe(100);
  });

  it('filters by name without accents', () => {
    const { set, rows } = syntheticMatrix(3);
    rows[1] = { ...rows[1]!, name: 'Tràng An' };
    renderAt(<CriteriaMatrix set={set} rows={rows} date="2023-03-20" linkTo={() => '#'} />);
    fireEvent.change(screen.getByLabelText('Lọc theo tên xã'), { target: { value: 'trang an' } });
    expect(screen.getByTestId('criteria-matrix').querySelectorAll('tbody tr[data-unit-id]')).toHaveLength(1);
    expect(screen.getByText('1/3 xã')).toBeTruthy();
  });
});

describe('AfterFirstPaint', () => {
  it('shows the stand-in first and the part once the first render is painted; the part at once when eager', async () => {
    renderAt(
      <AfterFirstPaint fallback={<span>chờ</span>}>
        <span>phần sau</span>
      </AfterFirstPaint>,
    );
    expect(screen.getByText('chờ')).toBeTruthy();
    expect(screen.queryByText('phần sau')).toBeNull();
    await waitFor(() => expect(screen.getByText('phần sau')).toBeTruthy(), { timeout: 5_000 });
    expect(screen.queryByText('chờ')).toBeNull();
    cleanup();
    renderAt(
      <AfterFirstPaint eager fallback={<span>chờ</span>}>
        <span>phần sau</span>
      </AfterFirstPaint>,
    );
    expect(screen.getByText('phần sau')).toBeTruthy();
  });
});

describe('UnitMap', () => {
  it('gives the list, not a broken map, for a unit without commune boundaries', async () => {
    fakeApi([]);
    const unit = { id: '35@2025-03', code: '35', name: 'Hà Nam', fullName: 'Tỉnh Hà Nam', level: 'province', listId: '2025-03', parents: [], predecessors: [], successors: [], validFrom: null, validTo: '2025-06-30' } as unknown as UnitDetail;
    const summary = {
      date: '2023-03-20',
      communes: [
        { unitId: '13510@2025-03', code: '13510', name: 'Tràng An', setId: 's', criteriaMet: 13, criteriaTotal: 19 },
        { unitId: '13511@2025-03', code: '13511', name: 'Đồn Xá', setId: null, criteriaMet: null, criteriaTotal: null },
      ],
    } as unknown as UnitSummary;
    renderAt(<UnitMap unit={unit} summary={summary} set={null} />);
    expect((await screen.findByTestId('map-fallback')).textContent).toContain('Tỉnh Hà Nam');
    const table = screen.getByTestId('map-table');
    expect(table.hasAttribute('open')).toBe(true);
    expect(within(table).getByRole('link', { name: 'Tràng An' }).getAttribute('href')).toBe('/units/13510@2025-03?date=2023-03-20');
    expect(within(table).getByText('13/19')).toBeTruthy();
    expect(within(table).getByText('Chưa rà soát')).toBeTruthy();
  });

  it('has four classes for x/19 criteria that end at the full count', () => {
    expect(criteriaPieces(19).map((p) => p.label)).toEqual(['< 15', '15–16', '17–18', '19']);
  });
});

describe('PrintSource', () => {
  it('states the date of the figures and the demo mark', async () => {
    fakeApi([{ url: /\/health/, respond: () => ({ body: { status: 'ok', dialect: 'sqlite', demo: true } }) }]);
    renderAt(<PrintSource isDemo={false} date="2023-03-20" />);
    expect(screen.getByTestId('print-source').textContent).toContain('20/03/2023');
    await waitFor(() => expect(screen.getByTestId('print-demo').textContent).toContain('DỮ LIỆU MINH HỌA'));
  });
});
