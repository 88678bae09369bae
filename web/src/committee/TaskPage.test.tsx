// @vitest-environment jsdom
/** The task page's progress report: the percent typed the Vietnamese way, a wrong one said on its field. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { TaskDetail } from '../api/committee.ts';
import TaskPage from './TaskPage.tsx';
import { fakeApi, renderAt } from '../test-utils.tsx';

afterEach(() => cleanup());
// antd's text area watches its size; jsdom has no ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const n = (vi: string) => ({ vi, en: vi });
const task: TaskDetail = {
  id: 5,
  meetingId: null,
  meetingTitle: null,
  meetingOn: null,
  conclusionId: null,
  conclusionSeq: null,
  conclusionText: null,
  committeeId: null,
  committeeName: null,
  unitId: '13510@2025-03',
  unitName: 'Xã Tràng An',
  originUnit: null,
  mergedInto: null,
  title: 'Hoàn thiện đường trục xã',
  description: null,
  assignee: { kind: 'unit', kindLabel: n('Đơn vị'), name: 'Xã Tràng An', unitId: '13510@2025-03', username: null, memberId: null },
  setId: null,
  targets: { criteria: [], indicators: [] },
  targetIndicators: [],
  dueOn: '2023-06-30',
  priority: 'normal',
  priorityLabel: n('Bình thường'),
  status: 'in_progress',
  shownStatus: 'in_progress',
  shownStatusLabel: n('Đang thực hiện'),
  overdue: false,
  dueSoon: false,
  daysLeft: 30,
  progress: 40,
  completedOn: null,
  returnedAt: null,
  statusReason: null,
  overdueSince: null,
  orphaned: false,
  proposal: { proposed: false, reason: null, reviewId: null, reviewedOn: null, met: [], remaining: [] },
  allowedTransitions: [],
  isDemo: true,
  version: 3,
  createdBy: 'x',
  createdAt: '2023-03-01T00:00:00Z',
  updatedAt: '2023-03-01T00:00:00Z',
  mayReport: true,
  date: '2023-05-31',
  updates: [],
} as TaskDetail;

describe('TaskPage progress', () => {
  it('sends "90,0" as 90 and says on the field that "92,5" is not a whole percent, sending nothing', async () => {
    const calls = fakeApi([
      { url: /\/api\/v1\/tasks\/5\?/, respond: () => ({ body: task }) },
      { method: 'POST', url: /\/api\/v1\/tasks\/5\/progress/, respond: () => ({ body: { ...task, version: 4, progress: 90 } }) },
    ]);
    renderAt(<TaskPage />, { url: '/tasks/5?date=2023-05-31', path: '/tasks/:taskId' });
    await screen.findByTestId('task-page');
    const field = screen.getByRole('textbox', { name: /Tỷ lệ hoàn thành/ });
    fireEvent.change(field, { target: { value: '92,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    expect((await screen.findByRole('alert')).textContent).toContain('số nguyên từ 0 đến 100');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.change(field, { target: { value: '90,0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect((calls.find((c) => c.method === 'POST')!.body as { progress: number }).progress).toBe(90);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
