import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import type { Db } from '../db/database.ts';
import { recordAudit, recordSecurityAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { createReview, updateReviewValues } from './review.service.ts';
import { listAuditTrail, monthsBefore, purgeExpiredAudit, verifyAuditChain } from './audit.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { buildApp, type App } from '../http/app.ts';
import { login, createTestUser, testSecurity } from '../test-support/http.ts';

const officer: Actor = { id: 'can-bo-xa', source: 'web', ip: '10.0.0.9' };

/** Switch the append-only triggers off, as someone with direct database access could. */
async function bypassTriggers(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await sql`ALTER TABLE audit_event DISABLE TRIGGER USER`.execute(db.kysely);
  else {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_update`.execute(db.kysely);
    await sql`DROP TRIGGER IF EXISTS audit_event_no_delete`.execute(db.kysely);
  }
}

async function someHistory(db: Db): Promise<number> {
  const unit = await insertCommune(db.kysely, { code: '13510', name: 'Tràng An' });
  const code = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
  const r = await createReview(db, officer, { unitId: unit.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [code]: { value: true } } });
  await updateReviewValues(db, officer, r.id, { version: 1, values: { [code]: { value: false } } });
  for (let i = 0; i < 5; i++) await recordSecurityAudit(db.kysely, officer, { action: 'login.success', entity: 'user', entityId: 1 });
  return r.id;
}

describeEachDialect('audit trail: hash chain, append-only, retention', (ctx) => {
  it('chains every write; the chain verifies', async () => {
    await someHistory(ctx.db);
    const rows = await ctx.db.kysely.selectFrom('audit_event').selectAll().orderBy('seq').execute();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.prev_hash).toBe('');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const update = rows.find((r) => r.action === 'review.values.update')!;
    expect(update).toMatchObject({ actor: 'can-bo-xa', source: 'web', ip: '10.0.0.9', entity: 'review' });
    expect(JSON.parse(update.before_json!)).not.toEqual(JSON.parse(update.after_json!));
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.checked).toBe(rows.length);
  });

  it('refuses UPDATE and DELETE on the audit table in the database itself', async () => {
    await expect(ctx.db.kysely.updateTable('audit_event').set({ actor: 'ai-do' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.kysely.deleteFrom('audit_event').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    if (ctx.dialect === 'postgres') await expect(sql`TRUNCATE audit_event`.execute(ctx.db.kysely)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it('keeps one chain when many writers record at once', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => recordAudit(ctx.db.kysely, { ...officer, id: `writer-${i}` }, { action: 'test.parallel', entity: 'test', entityId: i })));
    const report = await verifyAuditChain(ctx.db);
    expect(report.problems).toEqual([]);
    const seqs = (await ctx.db.kysely.selectFrom('audit_event').select('seq').execute()).map((r) => r.seq!);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('shows the viewer only units in scope, filters by unit, user, entity and date, and keeps administrators out', async () => {
    const app: App = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    await insertCommune(ctx.db.kysely, { code: '00004', name: 'Phúc Xá', provinceCode: '01', provinceName: 'Hà Nội', districtCode: '001', districtName: 'Ba Đình' });
    try {
      const office = await login(app, (await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' })).username, 'mot-cum-tu-du-dai-de-nho');
      const other = await login(app, (await createTestUser(app, { role: 'province_office', unitId: '01@2025-03' })).username, 'mot-cum-tu-du-dai-de-nho');
      const admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, 'mot-cum-tu-du-dai-de-nho');
      const auditor = await login(app, (await createTestUser(app, { role: 'auditor', unitId: null })).username, 'mot-cum-tu-du-dai-de-nho');
      const r = await app.inject({ method: 'GET', url: '/api/v1/audit?unitId=35@2025-03&entity=review', headers: office });
      expect(r.statusCode).toBe(200);
      const items = (r.json() as { items: Array<{ unitId: string; actor: string; before: unknown; after: unknown }> }).items;
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((i) => i.unitId === '13510@2025-03')).toBe(true);
      const byActor = (await app.inject({ method: 'GET', url: '/api/v1/audit?unitId=13510@2025-03&actor=can-bo-xa&from=2020-01-01&to=2099-12-31', headers: office })).json() as { items: unknown[] };
      expect(byActor.items.length).toBeGreaterThanOrEqual(2);
      const none = (await app.inject({ method: 'GET', url: '/api/v1/audit?unitId=13510@2025-03&from=2099-01-01', headers: office })).json() as { items: unknown[] };
      expect(none.items).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/audit?unitId=13510@2025-03', headers: other })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/v1/audit', headers: office })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/v1/audit?unitId=13510@2025-03', headers: admin })).statusCode).toBe(403);
      const all = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=500', headers: auditor });
      expect(all.statusCode).toBe(200);
      expect((all.json() as { items: Array<{ action: string }> }).items.some((i) => i.action === 'login.success')).toBe(true);
      const v = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
      expect(v.json()).toMatchObject({ ok: true });
      // No route changes or deletes audit rows.
      for (const route of app.datchuan.routes) if (route.url.startsWith('/api/v1/audit')) expect(route.method).toBe('GET');
    } finally {
      await app.close();
    }
  });
});

describeEachDialect('audit trail: tampering is detected', (ctx) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase(ctx.dialect));
    await someHistory(db);
    await bypassTriggers(db);
  });
  afterAll(async () => drop());

  it('reports the row whose content was changed directly in the database', async () => {
    const victim = await db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'review.values.update').executeTakeFirstOrThrow();
    await db.kysely.updateTable('audit_event').set({ after_json: JSON.stringify({ forged: true }) }).where('id', '=', victim.id).execute();
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ id: victim.id, problem: expect.stringContaining('changed') }));
    // Put it back: intact again.
    await db.kysely.updateTable('audit_event').set({ after_json: victim.after_json }).where('id', '=', victim.id).execute();
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('reports a removed row, a row recomputed to hide a change, and rows cut from the end', async () => {
    const rows = await db.kysely.selectFrom('audit_event').selectAll().orderBy('seq').execute();
    const middle = rows[3]!;
    await db.kysely.deleteFrom('audit_event').where('id', '=', middle.id).execute();
    const gone = await verifyAuditChain(db);
    expect(gone.ok).toBe(false);
    expect(gone.problems.map((p) => p.id)).toContain(rows[4]!.id);
    await db.kysely.insertInto('audit_event').values(middle).execute();
    expect((await verifyAuditChain(db)).ok).toBe(true);
    // A forger who recomputes the hash of the changed row still breaks the next link.
    const { auditHash } = await import('../db/audit.repository.ts');
    const forged = { ...rows[2]!, actor: 'nguoi-khac' };
    await db.kysely.updateTable('audit_event').set({ actor: forged.actor, hash: auditHash(forged, forged.seq!, forged.prev_hash!) }).where('id', '=', forged.id).execute();
    const relinked = await verifyAuditChain(db);
    expect(relinked.problems.map((p) => p.id)).toContain(rows[3]!.id);
    await db.kysely.updateTable('audit_event').set({ actor: rows[2]!.actor, hash: rows[2]!.hash }).where('id', '=', rows[2]!.id).execute();
    const last = rows.at(-1)!;
    await db.kysely.deleteFrom('audit_event').where('id', '=', last.id).execute();
    const cut = await verifyAuditChain(db);
    expect(cut.ok).toBe(false);
    expect(cut.problems[0]!.problem).toContain('chain head');
  });
});

describeEachDialect('audit trail: retention keeps the chain verifiable', (ctx) => {
  it('deletes rows past the retention period as a prefix, records the purge and an anchor, and still verifies', async () => {
    const now = new Date('2026-11-27T00:00:00Z');
    const old = (m: number) => monthsBefore(now, m).toISOString();
    for (const m of [30, 20, 14, 13]) await recordSecurityAudit(ctx.db.kysely, SYSTEM_ACTOR, { action: 'test.old', entity: 'test', entityId: m }, old(m));
    for (const m of [11, 2]) await recordSecurityAudit(ctx.db.kysely, SYSTEM_ACTOR, { action: 'test.recent', entity: 'test', entityId: m }, old(m));
    const r = await purgeExpiredAudit(ctx.db, now, 12);
    expect(r.deleted).toBe(4);
    const left = await ctx.db.kysely.selectFrom('audit_event').select(['action', 'seq']).orderBy('seq').execute();
    expect(left.map((l) => l.action)).toEqual(['test.recent', 'test.recent', 'audit.purge']);
    const report = await verifyAuditChain(ctx.db);
    expect(report).toMatchObject({ ok: true, firstSeq: 5, anchor: { seq: 5 } });
    // Nothing to purge: no event; a later purge moves the anchor and the chain still verifies.
    expect((await purgeExpiredAudit(ctx.db, now, 12)).deleted).toBe(0);
    const later = new Date('2027-11-01T00:00:00Z');
    expect((await purgeExpiredAudit(ctx.db, later, 12)).deleted).toBe(2);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, anchor: { seq: 7 } });
    // Moving the anchor by hand to hide deleted rows is caught: it no longer matches the purge record.
    await ctx.db.kysely
      .updateTable('app_meta')
      .set({ value: JSON.stringify({ seq: 8, prevHash: 'x', purgedAt: later.toISOString(), purgedThroughAt: later.toISOString() }) })
      .where('key', '=', 'audit_chain_anchor')
      .execute();
    expect((await verifyAuditChain(ctx.db)).ok).toBe(false);
  });

  it('lists the trail without an actor restriction for the CLI', async () => {
    const r = await listAuditTrail(ctx.db, SYSTEM_ACTOR, { limit: 2 });
    expect(r.items).toHaveLength(2);
    expect(r.nextBeforeSeq).not.toBeNull();
  });
});
