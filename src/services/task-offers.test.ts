/**
 * A task page offers exactly what its reader may do: every transition in `allowedTransitions`
 * succeeds for that reader, every other one the task's state allows answers 403 and changes
 * nothing; `mayReport` likewise for progress. Readers: the commune's officer, the officer of the
 * commune it merged into (reads the history, may not rewrite it), the district committee's office,
 * a committee member of the province, a viewer, the assignee account. Both databases.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { DomainError } from '../domain/errors.ts';
import { ScopeResolver } from './access.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { createCommittee } from './committee.service.ts';
import { addConclusion, createMeeting } from './meeting.service.ts';
import { getTask, reportProgress, transitionTask } from './task.service.ts';
import { TASK_TRANSITIONS, allowedTransitions, type StoredTaskStatus, type TaskTransition } from '../domain/task.ts';

function reader(username: string, role: Role, unitId: string | null): Actor {
  const principal: Principal = { kind: 'user', userId: 1, username, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: username, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2023-04-01' } };
}

/** The task's state reached by `path` from new (as the system), so every transition gets tried. */
const PATHS: ReadonlyArray<readonly TaskTransition[]> = [[], ['start'], ['complete'], ['cancel']];

describeEachDialect('task page offers only what the reader may do', (ctx) => {
  let oldCommune = '';
  let meetingId = 0;
  const readers: Actor[] = [];

  beforeAll(async () => {
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    oldCommune = u.id;
    const merged = await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07' });
    await linkUnits(ctx.db.kysely, oldCommune, merged.id);
    const c = await createCommittee(ctx.db, SYSTEM_ACTOR, { unitId: u.parent_id!, name: 'Ban Chỉ đạo huyện', periodFrom: '2020-10-01', periodTo: '2025-06-30' });
    meetingId = (await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: c.id, kind: 'working_session', title: 'Làm việc với xã', heldOn: '2023-03-20', unitIds: [oldCommune] })).id;
    readers.push(
      reader('xa.cu', 'commune_officer', oldCommune),
      reader('xa.moi', 'commune_officer', merged.id),
      reader('huyen', 'district_office', u.parent_id!),
      reader('hoidong.tinh', 'committee_member', merged.parent_id!),
      reader('xem', 'viewer', null),
      reader('nguoi.giao', 'viewer', merged.id),
    );
  });

  async function newTask(path: readonly TaskTransition[]): Promise<number> {
    const c = await addConclusion(ctx.db, SYSTEM_ACTOR, meetingId, {
      unitId: oldCommune,
      text: 'Hoàn thành tiêu chí Giáo dục.',
      tasks: [{ title: 'Hoàn thành tiêu chí số 5', assignee: { kind: 'person', name: 'Người được giao', username: 'nguoi.giao' }, dueOn: '2023-09-30' }],
    });
    const id = c.tasks[0]!.id;
    for (const tr of path) {
      const t = await getTask(ctx.db, SYSTEM_ACTOR, id);
      await transitionTask(ctx.db, SYSTEM_ACTOR, id, { transition: tr, version: t.version, reason: 'Lý do thử' });
    }
    return id;
  }

  it('every offered transition succeeds, every other one is refused and changes nothing', async () => {
    let offered = 0;
    let refusedCount = 0;
    for (const path of PATHS) {
      for (const who of readers) {
        const probe = await getTask(ctx.db, who, await newTask(path));
        const stateAllows = allowedTransitions(probe.status as StoredTaskStatus);
        expect(probe.allowedTransitions.every((t) => stateAllows.includes(t))).toBe(true);
        for (const tr of TASK_TRANSITIONS.filter((t) => stateAllows.includes(t))) {
          const id = await newTask(path);
          const before = await getTask(ctx.db, SYSTEM_ACTOR, id);
          const attempt = transitionTask(ctx.db, who, id, { transition: tr, version: before.version, reason: 'Lý do thử' });
          if (probe.allowedTransitions.includes(tr)) {
            offered++;
            await expect(attempt, `${who.id} ${tr}`).resolves.toMatchObject({ id });
          } else {
            refusedCount++;
            const e = await attempt.then(() => null, (x: unknown) => x);
            expect(e, `${who.id} ${tr} should be refused`).toBeInstanceOf(DomainError);
            expect((e as DomainError).status).toBe(403);
            expect((await getTask(ctx.db, SYSTEM_ACTOR, id)).version).toBe(before.version);
          }
        }
      }
    }
    // The grid has both sides: some readers may, some may not.
    expect(offered).toBeGreaterThan(5);
    expect(refusedCount).toBeGreaterThan(5);
  });

  it('offers progress reports only to whoever may send them', async () => {
    const id = await newTask([]);
    for (const who of readers) {
      const t = await getTask(ctx.db, who, id);
      const attempt = reportProgress(ctx.db, who, id, { version: (await getTask(ctx.db, SYSTEM_ACTOR, id)).version, progress: 10, text: 'Đang làm' });
      if (t.mayReport) await expect(attempt, who.id).resolves.toMatchObject({ id });
      else await expect(attempt, who.id).rejects.toMatchObject({ status: 403 });
    }
    const offeredTo = [];
    for (const who of readers) if ((await getTask(ctx.db, who, id)).mayReport) offeredTo.push(who.id);
    // The old commune's officer and the assignee report; the merged commune's officer only reads the history.
    expect(offeredTo).toContain('xa.cu');
    expect(offeredTo).toContain('nguoi.giao');
    expect(offeredTo).not.toContain('xa.moi');
    expect(offeredTo).not.toContain('xem');
  });
});
