/**
 * The 2025 merger carried through for work: Tràng An's open tasks (before 1/7/2025) show on the new
 * Bình Lục commune's board with their origin, land in its officer's inbox and reminders, its action
 * plans are listed on the new commune's planning page, and the
 * new commune takes them over (then may report progress) or closes them as no longer relevant, in
 * bulk with a reason — all or nothing, audited, in each task's history. Both databases.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { DomainError } from '../domain/errors.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { ScopeResolver } from './access.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { createCommittee } from './committee.service.ts';
import { addConclusion, createMeeting } from './meeting.service.ts';
import { getTask, getTaskBoard, reportProgress } from './task.service.ts';
import { inboxFor } from './inbox.service.ts';
import { runReminders } from './reminder.service.ts';
import { settleMergedWork } from './merger-work.service.ts';
import { listReminders } from '../db/reminder.repository.ts';
import { createPlan, getCommunePlanning } from './action-plan.service.ts';
import { listDossiers } from './dossier.service.ts';
import { insertDossierFixture } from '../test-support/consultation.ts';

function officer(username: string, role: Role, unitId: string): Actor {
  const principal: Principal = { kind: 'user', userId: 1, username, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: username, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2025-09-01' } };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describeEachDialect('open work of merged communes', (ctx) => {
  let oldCommune = '';
  let successor = '';
  let elsewhere = '';
  let taskIds: number[] = [];
  let newOfficer: Actor;
  let oldOfficer: Actor;

  beforeAll(async () => {
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    oldCommune = u.id;
    successor = (await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07' })).id;
    elsewhere = (await insertCommune(ctx.db.kysely, { code: '13507', name: 'An Ninh' })).id;
    await linkUnits(ctx.db.kysely, oldCommune, successor);
    const c = await createCommittee(ctx.db, SYSTEM_ACTOR, { unitId: u.parent_id!, name: 'Ban Chỉ đạo huyện', periodFrom: '2020-10-01', periodTo: '2025-06-30' });
    const m = await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: c.id, kind: 'working_session', title: 'Làm việc với xã', heldOn: '2023-03-20', unitIds: [oldCommune, elsewhere] });
    const con = await addConclusion(ctx.db, SYSTEM_ACTOR, m.id, {
      text: 'Hoàn thiện các tiêu chí còn thiếu',
      unitId: oldCommune,
      tasks: [
        { title: 'Nâng cấp trường mầm non', assignee: { kind: 'unit', unitId: oldCommune }, dueOn: '2023-09-30' },
        { title: 'Lập hồ sơ đề nghị công nhận', assignee: { kind: 'unit', unitId: oldCommune }, dueOn: '2025-09-10' },
        { title: 'Đề án khu dân cư kiểu mẫu (cũ)', assignee: { kind: 'unit', unitId: oldCommune }, dueOn: '2025-12-31' },
      ],
    });
    taskIds = con.tasks.map((t) => t.id);
    newOfficer = officer('xa.moi', 'commune_officer', successor);
    oldOfficer = officer('xa.cu', 'commune_officer', oldCommune);
  });

  it("shows the predecessor's open tasks on the successor's board, inbox and reminders, with their origin", async () => {
    const board = await getTaskBoard(ctx.db, newOfficer, { unitId: successor, date: '2025-09-05' });
    const shown = board.columns.flatMap((c) => c.tasks);
    expect(shown.map((t) => t.id).sort()).toEqual([...taskIds].sort());
    expect(shown.every((t) => t.mergedInto?.unitId === successor && t.unitName === 'Xã Tràng An')).toBe(true);
    const inbox = await inboxFor(ctx.db, { username: 'xa.moi', unitIds: [successor] }, '2025-09-05');
    expect(inbox.items.map((i) => i.task.id)).toEqual(expect.arrayContaining(taskIds.slice(0, 2)));
    expect(inbox.counts.overdue).toBe(1);
    await runReminders(ctx.db, { date: '2025-09-05' });
    const reminded = await listReminders(ctx.db.kysely, { runOn: '2025-09-05' });
    expect(reminded.filter((r) => r.task_id !== null && taskIds.includes(r.task_id)).map((r) => r.recipient)).toEqual(expect.arrayContaining([`unit:${successor}`]));
    expect(reminded.some((r) => r.recipient === `unit:${oldCommune}`)).toBe(false);
    // The old commune's action plan is listed on the new commune's planning page, naming its origin.
    await createPlan(ctx.db, SYSTEM_ACTOR, { unitId: oldCommune, setId: 'xa-ntm-2021-2025', title: 'Kế hoạch nâng chuẩn trường học' });
    const planning = await getCommunePlanning(ctx.db, newOfficer, successor, '2025-09-05');
    expect(planning.plans).toEqual([]);
    expect(planning.predecessorPlans.map((p) => [p.title, p.unitName])).toEqual([['Kế hoạch nâng chuẩn trường học', 'Xã Tràng An']]);
    // An open recognition dossier of the old commune is listed with the new commune's dossiers.
    const d = await insertDossierFixture(ctx.db, { unitId: oldCommune, review: 'none' });
    const listed = await listDossiers(ctx.db, newOfficer, { unitId: successor, open: true });
    expect(listed.map((x) => [x.id, x.unitName])).toEqual([[d.dossier.id, 'Xã Tràng An']]);
    // Before the merger, the same board is the old commune's alone.
    expect((await getTaskBoard(ctx.db, SYSTEM_ACTOR, { unitId: oldCommune, date: '2023-04-01' })).columns.flatMap((c) => c.tasks).every((t) => t.mergedInto === null)).toBe(true);
  });

  it('refuses without a reason, from the old commune, for work that is not inherited, or on a stale version — changing nothing', async () => {
    const versions = await Promise.all(taskIds.map(async (id) => (await getTask(ctx.db, SYSTEM_ACTOR, id)).version));
    const all = taskIds.map((id, k) => ({ id, version: versions[k]! }));
    expect((await refusal(settleMergedWork(ctx.db, newOfficer, successor, { action: 'take_over', tasks: all, reason: ' ' }))).code).toBe('validation_failed');
    expect((await refusal(settleMergedWork(ctx.db, oldOfficer, successor, { action: 'take_over', tasks: all, reason: 'tiếp nhận' }))).code).toBe('forbidden');
    const stale = [all[0]!, { ...all[1]!, version: all[1]!.version + 3 }];
    expect((await refusal(settleMergedWork(ctx.db, newOfficer, successor, { action: 'take_over', tasks: stale, reason: 'tiếp nhận' }))).code).toBe('version_conflict');
    const first = await getTask(ctx.db, SYSTEM_ACTOR, taskIds[0]!);
    expect([first.unitId, first.version, first.originUnit]).toEqual([oldCommune, versions[0], null]);
    // The old commune's officer cannot report progress on the successor's behalf, nor the new one on the old task yet.
    expect((await refusal(reportProgress(ctx.db, newOfficer, taskIds[0]!, { version: versions[0]!, progress: 10 }))).code).toBe('forbidden');
  });

  it('takes over two tasks (the new commune then reports progress) and closes the third as obsolete, with the reason in each history', async () => {
    const tasks = await Promise.all(taskIds.map((id) => getTask(ctx.db, SYSTEM_ACTOR, id)));
    const board = await settleMergedWork(ctx.db, newOfficer, successor, { action: 'take_over', tasks: tasks.slice(0, 2).map((t) => ({ id: t.id, version: t.version })), reason: 'Xã mới tiếp tục thực hiện' }, '2025-09-05');
    const mine = board.columns.flatMap((c) => c.tasks);
    const taken = mine.filter((t) => taskIds.slice(0, 2).includes(t.id));
    expect(taken.map((t) => [t.unitId, t.originUnit?.unitName, t.assignee.unitId, t.mergedInto])).toEqual([
      [successor, 'Xã Tràng An', successor, null],
      [successor, 'Xã Tràng An', successor, null],
    ]);
    const progressed = await reportProgress(ctx.db, newOfficer, taken[0]!.id, { version: taken[0]!.version, progress: 40, text: 'Đã khởi công' });
    expect(progressed.progress).toBe(40);
    const closed = await settleMergedWork(ctx.db, newOfficer, successor, { action: 'close_obsolete', tasks: [{ id: tasks[2]!.id, version: tasks[2]!.version }], reason: 'Đề án của xã cũ, xã mới lập đề án khác' }, '2025-09-05');
    const cancelled = closed.columns.flatMap((c) => c.tasks).find((t) => t.id === tasks[2]!.id);
    expect(cancelled).toBeUndefined(); // closed work of the old commune no longer shows on the new board
    const third = await getTask(ctx.db, SYSTEM_ACTOR, tasks[2]!.id);
    expect([third.status, third.statusReason]).toEqual(['cancelled', 'Đề án của xã cũ, xã mới lập đề án khác']);
    expect(third.updates.at(-1)!.text).toMatch(/^Đóng vì không còn phù hợp sau sáp nhập vào Xã Bình Lục/);
    const history = (await getTask(ctx.db, SYSTEM_ACTOR, taskIds[0]!)).updates.map((u) => u.text ?? '');
    expect(history.some((t) => t.startsWith('Xã Bình Lục tiếp nhận từ Xã Tràng An sau sáp nhập: Xã mới tiếp tục thực hiện'))).toBe(true);
    const audit = await ctx.db.kysely.selectFrom('audit_event').select(['action', 'entity_id']).where('action', 'in', ['task.take_over', 'task.close_obsolete']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['task.close_obsolete', 'task.take_over', 'task.take_over']);
    // Work of a commune that was not merged into this one is refused by name.
    const other = await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: (await getTask(ctx.db, SYSTEM_ACTOR, taskIds[0]!)).committeeId!, title: 'Họp khác', heldOn: '2023-04-01', unitIds: [elsewhere] });
    const con = await addConclusion(ctx.db, SYSTEM_ACTOR, other.id, { text: 'Việc của xã An Ninh', unitId: elsewhere, tasks: [{ title: 'Việc An Ninh', assignee: { kind: 'unit', unitId: elsewhere }, dueOn: '2025-12-31' }] });
    const e = await refusal(settleMergedWork(ctx.db, newOfficer, successor, { action: 'take_over', tasks: [{ id: con.tasks[0]!.id, version: con.tasks[0]!.version }], reason: 'nhầm' }));
    expect(e.messageVi).toMatch(/không thuộc xã đã sáp nhập vào Xã Bình Lục/);
  });
});
