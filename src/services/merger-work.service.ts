/**
 * Việc tồn đọng sau sáp nhập — the open work of communes merged into a new one (1/7/2025): it shows
 * on the successor's board and in its officers' inboxes and reminders (task.service, inbox.service,
 * reminder.service), and the successor's office takes it over or closes it as no longer relevant,
 * several tasks at once, with a reason. Taking over moves the task to the successor (the commune it
 * concerns and, when it was assigned to the old commune, its assignee), keeping the origin on the
 * task; closing cancels it with the reason. One transaction: all or nothing; each task's version is
 * checked; every change is audited and noted in the task's history.
 */
import type { Db } from '../db/database.ts';
import * as repo from '../db/task.repository.ts';
import { listPredecessorsOfUnits } from '../db/unit.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { DomainError, notFound, versionConflict } from '../domain/errors.ts';
import { assertNoProblems, problem, type FieldProblem } from '../domain/field-error.ts';
import { clean } from '../domain/input.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { getTaskBoard, type TaskBoard } from './task.service.ts';
import { getUnit } from './unit.service.ts';

export type MergedWorkAction = 'take_over' | 'close_obsolete';

export interface MergedWorkInput {
  action: MergedWorkAction;
  tasks: Array<{ id: number; version: number }>;
  reason: string;
}

const TASK = { vi: 'nhiệm vụ', en: 'task' };

/** Take over or close, in bulk, open tasks of communes merged into `successorId`; returns the successor's board. */
export async function settleMergedWork(db: Db, actor: Actor, successorId: string, input: MergedWorkInput, date?: string): Promise<TaskBoard> {
  const successor = await getUnit(db.kysely, successorId);
  await authorize(db, actor, 'task.write', successor.id);
  const reason = clean(input.reason);
  const problems: FieldProblem[] = [];
  if (input.action !== 'take_over' && input.action !== 'close_obsolete') problems.push(problem('action', 'Thao tác là "take_over" (tiếp nhận) hoặc "close_obsolete" (đóng vì không còn phù hợp).', 'The action is "take_over" or "close_obsolete".'));
  if (!reason) problems.push(problem('reason', 'Cần nêu lý do (trường "reason"): ghi vào lịch sử từng nhiệm vụ.', 'A reason is required (field "reason"): it goes into each task\'s history.'));
  if (!Array.isArray(input.tasks) || input.tasks.length === 0) problems.push(problem('tasks', 'Chọn ít nhất một nhiệm vụ.', 'Choose at least one task.'));
  assertNoProblems(problems);
  const predecessors = new Map((await listPredecessorsOfUnits(db.kysely, [successor.id])).map((p) => [p.id, p.fullName]));
  const at = new Date().toISOString();
  const on = at.slice(0, 10);
  await db.kysely.transaction().execute(async (trx) => {
    for (const [k, ref] of input.tasks.entries()) {
      const task = await repo.findTask(trx, ref.id);
      if (!task) throw notFound('nhiệm vụ', 'Task', ref.id);
      const from = predecessors.get(task.unit_id);
      if (from === undefined) {
        assertNoProblems([problem(`tasks[${k}]`, `Nhiệm vụ "${task.title}" không thuộc xã đã sáp nhập vào ${successor.fullName}.`, `Task "${task.title}" does not belong to a commune merged into ${successor.fullName}.`)]);
      }
      if (task.status !== 'new' && task.status !== 'in_progress') {
        throw new DomainError('conflict', { vi: `Nhiệm vụ "${task.title}" đã đóng (${task.status}): chỉ việc còn mở mới tiếp nhận hoặc đóng được.`, en: `Task "${task.title}" is already closed (${task.status}): only open work can be taken over or closed.` }, { taskId: task.id });
      }
      const changes =
        input.action === 'take_over'
          ? {
              unit_id: successor.id,
              origin_unit_id: task.unit_id,
              assignee_unit_id: task.assignee_unit_id === task.unit_id ? successor.id : task.assignee_unit_id,
              assignee_name: task.assignee_unit_id === task.unit_id ? successor.fullName : task.assignee_name,
              updated_at: at,
            }
          : { status: 'cancelled', status_reason: reason, updated_at: at };
      if (!(await repo.updateTask(trx, task.id, ref.version, changes))) throw versionConflict(TASK, (await repo.findTask(trx, task.id))!.version, ref.version);
      const text =
        input.action === 'take_over'
          ? `${successor.fullName} tiếp nhận từ ${from} sau sáp nhập: ${reason} / taken over from ${from} after the merger: ${reason}`
          : `Đóng vì không còn phù hợp sau sáp nhập vào ${successor.fullName}: ${reason} / closed as no longer relevant after the merger: ${reason}`;
      await repo.insertTaskUpdate(trx, {
        task_id: task.id,
        kind: input.action === 'take_over' ? 'edit' : 'status',
        reported_on: on,
        at,
        actor: actor.id,
        progress: task.progress,
        status_from: input.action === 'take_over' ? null : task.status,
        status_to: input.action === 'take_over' ? null : 'cancelled',
        text,
        evidence_json: null,
      });
      await recordAudit(trx, actor, {
        action: input.action === 'take_over' ? 'task.take_over' : 'task.close_obsolete',
        entity: 'task',
        entityId: task.id,
        unitId: successor.id,
        before: { unitId: task.unit_id, assigneeUnitId: task.assignee_unit_id, status: task.status, version: task.version },
        after: { ...changes, reason, version: ref.version + 1 },
      });
    }
  });
  return getTaskBoard(db, actor, { unitId: successor.id, ...(date ? { date } : {}) });
}
