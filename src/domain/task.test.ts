import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateCommune } from './evaluation.ts';
import { criteriaSet, criterion, indicator } from '../test-support/criteria.ts';
import {
  TASK_STATUSES,
  TASK_TRANSITIONS,
  allowedTransitions,
  completionProposal,
  daysUntil,
  effectiveStatus,
  isDueSoon,
  nextStatus,
  normaliseTargets,
  targetProblems,
  targetedIndicators,
  taskFieldProblems,
  type StoredTaskStatus,
} from './task.ts';
import { DomainError } from './errors.ts';

const set = criteriaSet([
  criterion('5', [indicator({ code: '5.1' }), indicator({ code: '5.2' })]),
  criterion('8', [indicator({ code: '8.1' }), indicator({ code: '8.2', applicableIf: { flag: 'has_craft' } })]),
  criterion('17', [indicator({ code: '17.1' })]),
]);
const commune = { code: '13510', name: 'Tràng An', region: 'DBSH' as const, group: null, special: null };

function verdict(values: Record<string, boolean>) {
  // Flags ("has_craft") are answered in the same map.
  return evaluateCommune(set, commune, '2023-09-30', values);
}

describe('task status on a date (quá hạn is computed, never stored)', () => {
  it('a task due 30/9 is overdue on 1/10, not on 30/9', () => {
    expect(effectiveStatus('new', '2023-09-30', '2023-09-30')).toBe('new');
    expect(effectiveStatus('in_progress', '2023-09-30', '2023-10-01')).toBe('overdue');
    expect(effectiveStatus('new', '2023-09-30', '2023-10-01')).toBe('overdue');
  });
  it('done and cancelled tasks are never overdue', () => {
    expect(effectiveStatus('done', '2023-09-30', '2024-01-01')).toBe('done');
    expect(effectiveStatus('cancelled', '2023-09-30', '2024-01-01')).toBe('cancelled');
  });
  it('due soon = open and due within 7 days, today included', () => {
    expect(isDueSoon('new', '2023-09-30', '2023-09-23')).toBe(true);
    expect(isDueSoon('new', '2023-09-30', '2023-09-22')).toBe(false);
    expect(isDueSoon('new', '2023-09-30', '2023-09-30')).toBe(true);
    expect(isDueSoon('new', '2023-09-30', '2023-10-01')).toBe(false);
    expect(isDueSoon('done', '2023-09-30', '2023-09-29')).toBe(false);
    expect(daysUntil('2023-10-01', '2023-09-30')).toBe(1);
    expect(daysUntil('2023-03-20', '2023-09-30')).toBe(-194);
  });
  it('property: overdue exactly when open and due date < today', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2022, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...TASK_STATUSES), day, day, (s, due, today) => {
        const shown = effectiveStatus(s, due, today);
        expect(shown === 'overdue').toBe((s === 'new' || s === 'in_progress') && due < today);
        if (shown !== 'overdue') expect(shown).toBe(s);
      }),
    );
  });
});

describe('task status machine', () => {
  it.each([
    ['new', 'start', 'in_progress'],
    ['new', 'complete', 'done'],
    ['in_progress', 'complete', 'done'],
    ['in_progress', 'cancel', 'cancelled'],
    ['done', 'return', 'in_progress'],
    ['cancelled', 'reopen', 'new'],
  ] as const)('%s --%s--> %s', (from, t, to) => {
    expect(nextStatus(from, t)).toBe(to);
    expect(allowedTransitions(from)).toContain(t);
  });
  it('refuses every other transition with a conflict naming the status', () => {
    let refused = 0;
    for (const from of TASK_STATUSES) {
      for (const t of TASK_TRANSITIONS) {
        if (allowedTransitions(from).includes(t)) continue;
        refused++;
        expect(() => nextStatus(from as StoredTaskStatus, t)).toThrow(DomainError);
        try {
          nextStatus(from, t);
        } catch (e) {
          expect((e as DomainError).code).toBe('conflict');
          expect((e as DomainError).messageVi).toMatch(/trạng thái/);
        }
      }
    }
    expect(refused).toBe(13);
  });
});

describe('task fields (bad input refused with the field named)', () => {
  const ok = { title: 'Hoàn thiện hồ sơ', assignee: { kind: 'unit', name: 'UBND xã Tràng An', unitId: '13510@2025-03' }, dueOn: '2023-09-30' };
  it('accepts a complete task', () => {
    expect(taskFieldProblems(ok, { meetingOn: '2023-03-20', requireAll: true })).toEqual([]);
  });
  it('refuses a task without assignee or due date', () => {
    const p = taskFieldProblems({ title: 'x' }, { meetingOn: '2023-03-20', requireAll: true });
    expect(p.map((x) => x.field)).toEqual(['assignee', 'dueOn']);
    expect(p[0]!.message.vi).toContain('người thực hiện');
    expect(p[1]!.message.en).toContain('due date');
  });
  it('refuses a due date before the meeting', () => {
    const p = taskFieldProblems({ ...ok, dueOn: '2023-03-19' }, { meetingOn: '2023-03-20', requireAll: true });
    expect(p).toHaveLength(1);
    expect(p[0]!.field).toBe('dueOn');
    expect(p[0]!.message.vi).toBe('Thời hạn 19/03/2023 trước ngày họp 20/03/2023: thời hạn phải từ ngày họp trở đi.');
    expect(taskFieldProblems({ ...ok, dueOn: '2023-03-20' }, { meetingOn: '2023-03-20', requireAll: true })).toEqual([]);
  });
  it('refuses impossible dates, unknown kinds, a unit assignee without its unit, bad progress', () => {
    expect(taskFieldProblems({ ...ok, dueOn: '2023-02-30' }, { meetingOn: null, requireAll: true })[0]!.field).toBe('dueOn');
    expect(taskFieldProblems({ ...ok, assignee: { kind: 'robot', name: 'x' } }, { meetingOn: null, requireAll: true })[0]!.field).toBe('assignee.kind');
    expect(taskFieldProblems({ ...ok, assignee: { kind: 'unit', name: 'x' } }, { meetingOn: null, requireAll: true })[0]!.field).toBe('assignee.unitId');
    expect(taskFieldProblems({ progress: 101 }, { meetingOn: null, requireAll: false })[0]!.field).toBe('progress');
    expect(taskFieldProblems({ progress: 50 }, { meetingOn: null, requireAll: false })).toEqual([]);
  });
});

describe('targets and the completion proposal', () => {
  const targets = normaliseTargets({ criteria: ['5', '5'], indicators: [' 8.1 '] });
  it('normalises, expands criteria in set order and names unknown codes', () => {
    expect(targets).toEqual({ criteria: ['5'], indicators: ['8.1'] });
    expect(targetedIndicators(targets, set)).toEqual(['5.1', '5.2', '8.1']);
    expect(targetProblems({ criteria: ['99'], indicators: ['5.9'] }, set).map((p) => p.field)).toEqual(['targets.criteria', 'targets.indicators']);
  });
  const task = { status: 'in_progress' as const, setId: 'test-set', targets };
  it('proposes completion when every targeted indicator is met in the latest review', () => {
    const v = verdict({ '5.1': true, '5.2': true, '8.1': true, '17.1': false });
    const p = completionProposal(task, set, { id: 7, reviewedOn: '2023-09-30', setId: 'test-set', verdict: v });
    expect(p.proposed).toBe(true);
    expect(p.met).toEqual(['5.1', '5.2', '8.1']);
    expect(p.reason!.vi).toBe('Bản rà soát ngày 30/09/2023: cả 3 chỉ tiêu nhiệm vụ hướng tới đã đạt (5.1, 5.2, 8.1). Đề nghị xác nhận hoàn thành.');
  });
  it('does not propose while one is unmet, names what remains', () => {
    const v = verdict({ '5.1': true, '5.2': false, '8.1': true });
    const p = completionProposal(task, set, { id: 7, reviewedOn: '2023-09-30', setId: 'test-set', verdict: v });
    expect(p.proposed).toBe(false);
    expect(p.remaining).toEqual(['5.2']);
  });
  it('never proposes for closed tasks, tasks without targets, another set, or no review', () => {
    const v = verdict({ '5.1': true, '5.2': true, '8.1': true });
    const ref = { id: 7, reviewedOn: '2023-09-30', setId: 'test-set', verdict: v };
    expect(completionProposal({ ...task, status: 'done' }, set, ref).proposed).toBe(false);
    expect(completionProposal({ ...task, targets: { criteria: [], indicators: [] } }, set, ref).proposed).toBe(false);
    expect(completionProposal(task, set, { ...ref, setId: 'other' }).proposed).toBe(false);
    expect(completionProposal(task, set, null).proposed).toBe(false);
  });
  it('a not-applicable target does not block, but one met indicator is needed', () => {
    const onlyNa = { status: 'new' as const, setId: 'test-set', targets: { criteria: [], indicators: ['8.2'] } };
    const both = { status: 'new' as const, setId: 'test-set', targets: { criteria: [], indicators: ['8.1', '8.2'] } };
    const v = verdict({ '8.1': true, has_craft: false });
    expect(v.criteria[1]!.indicators[1]!.status).toBe('not_applicable');
    const ref = { id: 1, reviewedOn: '2023-09-30', setId: 'test-set', verdict: v };
    expect(completionProposal(onlyNa, set, ref).proposed).toBe(false);
    expect(completionProposal(both, set, ref).proposed).toBe(true);
  });
});
