/**
 * The keyed audit chain (issue 18.4): a rewrite rehashed without the key fails `verify`; no row in
 * the data switches the delete trigger off; a published anchor catches a chain rewritten or cut
 * back after it, even with the head fixed; an old unkeyed chain upgrades and stays verifiable.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDialect, TEST_AUDIT_KEY } from '../test-support/dialects.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { auditHash, recordAudit, recordSecurityAudit } from '../db/audit.repository.ts';
import { getRevision } from '../db/meta.repository.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { currentAnchor, publishAnchor, purgeExpiredAudit, readLastAnchor, verifyAuditChain } from './audit.service.ts';

async function write(db: Db, n: number, action = 'test.event', at?: string): Promise<void> {
  for (let i = 0; i < n; i++) await recordSecurityAudit(db.kysely, SYSTEM_ACTOR, { action, entity: 'test', entityId: i }, at);
}

/** Take the triggers away, as someone with the database owner's rights can. */
async function bypassTriggers(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await sql`ALTER TABLE audit_event DISABLE TRIGGER USER`.execute(db.kysely);
  else {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_update`.execute(db.kysely);
    await sql`DROP TRIGGER IF EXISTS audit_event_no_delete`.execute(db.kysely);
  }
}

/** Rewrite every row from `fromSeq` with plain SHA-256 and fix the head: the attack of issue 18.4. */
async function rewriteAndRehash(db: Db, fromSeq: number, change: { actor: string }, head: { keyedFrom?: number; keyId?: string } = {}): Promise<void> {
  const rows = await db.kysely.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  let prev = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? '';
  for (const r of rows.filter((x) => x.seq! >= fromSeq)) {
    const forged = { ...r, ...change, prev_hash: prev };
    const hash = auditHash(forged, r.seq!, prev);
    await db.kysely.updateTable('audit_event').set({ actor: forged.actor, prev_hash: prev, hash }).where('id', '=', r.id).execute();
    prev = hash;
  }
  const last = rows.at(-1)!;
  await db.kysely.updateTable('app_meta').set({ value: JSON.stringify({ seq: last.seq, hash: prev, ...head }) }).where('key', '=', 'audit_chain_head').execute();
}

describeEachDialect('audit chain: keyed, no switch in the data, anchors', (ctx) => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-anchor-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keys every row: rows rewritten and rehashed without the key fail verify', async () => {
    const { db, drop } = await createTestDatabase(ctx.dialect);
    const file = path.join(dir, `${ctx.dialect}-rehash.jsonl`);
    try {
      await write(db, 6);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, keyedFrom: 1 });
      const a = await publishAnchor(db, file);
      await write(db, 2);
      await bypassTriggers(db);
      // Rows after the anchor rewritten, the head still saying "keyed": the keyed hashes do not match.
      await rewriteAndRehash(db, 7, { actor: 'nguoi-khac' }, { keyedFrom: 1, keyId: a.keyId! });
      const r = await verifyAuditChain(db);
      expect(r.ok).toBe(false);
      expect(r.problems).toContainEqual(expect.objectContaining({ seq: 7, problem: expect.stringContaining('keyed hash') }));
      // Everything rewritten as an unkeyed chain, keying erased from the head: the published anchor names it.
      await rewriteAndRehash(db, 1, { actor: 'nguoi-khac' });
      const all = await verifyAuditChain(db, { anchorFile: file });
      expect(all.ok).toBe(false);
      expect(all.problems.map((p) => p.problem).join('\n')).toMatch(/keying started at seq never, the published anchor says 1/);
      expect(all.problems.map((p) => p.problem).join('\n')).toMatch(/differs from the published anchor/);
    } finally {
      await drop();
    }
  });

  it('has no row that switches the delete trigger off', async () => {
    const { db, drop } = await createTestDatabase(ctx.dialect);
    try {
      await write(db, 2);
      await db.kysely.insertInto('app_meta').values({ key: 'audit_purge_in_progress', value: 'x' }).execute();
      await expect(db.kysely.deleteFrom('audit_event').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
      expect((await db.kysely.selectFrom('audit_event').select('seq').execute()).length).toBe(2);
      // Retention still deletes its prefix, and the trigger is back afterwards.
      await write(db, 2, 'test.recent', new Date().toISOString());
      const r = await purgeExpiredAudit(db, new Date(Date.now() + 400 * 86400_000), 12);
      expect(r.deleted).toBeGreaterThan(0);
      expect((await verifyAuditChain(db)).ok).toBe(true);
      await expect(db.kysely.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
    } finally {
      await drop();
    }
  });

  it('checks the last published anchor: a rewrite or a cut after it is named even with the head fixed', async () => {
    const { db, drop } = await createTestDatabase(ctx.dialect);
    const file = path.join(dir, `${ctx.dialect}-anchors.jsonl`);
    try {
      await write(db, 5);
      const a = await publishAnchor(db, file);
      expect(a).toMatchObject({ seq: 5, keyedFrom: 1 });
      expect(a.mac).toMatch(/^[0-9a-f]{64}$/);
      await write(db, 2);
      expect(await verifyAuditChain(db, { anchorFile: file })).toMatchObject({ ok: true, publishedAnchor: { seq: 5 } });

      // Cut the last four rows and move the head back: the database alone cannot tell.
      await bypassTriggers(db);
      const rows = await db.kysely.selectFrom('audit_event').selectAll().orderBy('seq').execute();
      await db.kysely.deleteFrom('audit_event').where('seq', '>', 3).execute();
      await db.kysely.updateTable('app_meta').set({ value: JSON.stringify({ seq: 3, hash: rows[2]!.hash, keyedFrom: 1, keyId: a.keyId }) }).where('key', '=', 'audit_chain_head').execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);
      const cut = await verifyAuditChain(db, { anchorFile: file });
      expect(cut.ok).toBe(false);
      expect(cut.problems.map((p) => p.problem).join('\n')).toMatch(/before the published anchor/);

      // An edited anchor (moved back to seq 3) is not signed with the key.
      const forged = { ...readLastAnchor(file)!, seq: 3, hash: rows[2]!.hash! };
      writeFileSync(file, `${JSON.stringify(forged)}\n`, { flag: 'a' });
      const edited = await verifyAuditChain(db, { anchorFile: file });
      expect(edited.problems.map((p) => p.problem).join('\n')).toMatch(/not signed with this audit key/);
    } finally {
      await drop();
    }
  });

  it('upgrades an unkeyed chain: old rows stay verifiable, keying starts at the next row, unkeyed writes are refused after', async () => {
    const { db: keyed, drop } = await createTestDatabase(ctx.dialect);
    // The same database through a handle without a key: what an existing installation wrote.
    const plain = ctx.dialect === 'sqlite' ? keyed : openDatabase(keyed.url);
    try {
      if (ctx.dialect === 'sqlite') {
        // One in-memory database: swap the handle's plugins by writing through a keyless Kysely.
        const { Kysely, SqliteDialect } = await import('kysely');
        const k = new Kysely<any>({ dialect: new SqliteDialect({ database: keyed.sqlite! }) });
        for (let i = 0; i < 3; i++) await recordSecurityAudit(k, SYSTEM_ACTOR, { action: 'old.event', entity: 'test', entityId: i });
      } else await write(plain, 3, 'old.event');
      expect(await verifyAuditChain(plain)).toMatchObject({ ok: true, keyedFrom: null });
      await write(keyed, 3, 'new.event');
      const r = await verifyAuditChain(keyed);
      expect(r).toMatchObject({ ok: true, keyedFrom: 4, checked: 6 });
      const anchor = await currentAnchor(keyed);
      expect(anchor).toMatchObject({ seq: 6, keyedFrom: 4 });
      // Without the key (or with another) nobody extends the keyed chain.
      if (ctx.dialect === 'postgres') {
        await expect(write(plain, 1)).rejects.toThrow(/DATCHUAN_AUDIT_KEY is not configured/);
        const other = openDatabase(keyed.url, { auditKey: Buffer.alloc(32, 9) });
        try {
          await expect(write(other, 1)).rejects.toThrow(/not the key the audit chain was written with/);
          expect((await verifyAuditChain(other)).ok).toBe(false);
        } finally {
          await other.close();
        }
      }
      expect((await verifyAuditChain(keyed)).ok).toBe(true);
      expect(TEST_AUDIT_KEY.length).toBe(32);
    } finally {
      if (plain !== keyed) await plain.close();
      await drop();
    }
  });

  it('bumps the data revision once per audited data transaction and not for security events; several rows in one transaction stay one chain', async () => {
    const { db, drop } = await createTestDatabase(ctx.dialect);
    try {
      const rev = async () => Number(await getRevision(db.kysely));
      const r0 = await rev();
      await recordAudit(db.kysely, SYSTEM_ACTOR, { action: 'test.data', entity: 'test', entityId: 1 });
      expect(await rev()).toBe(r0 + 1);
      await recordSecurityAudit(db.kysely, SYSTEM_ACTOR, { action: 'test.security', entity: 'test', entityId: 1 });
      expect(await rev()).toBe(r0 + 1);
      await db.kysely.transaction().execute(async (trx) => {
        await recordSecurityAudit(trx, SYSTEM_ACTOR, { action: 'test.security', entity: 'test', entityId: 2 });
        for (let i = 0; i < 3; i++) await recordAudit(trx, SYSTEM_ACTOR, { action: 'test.data', entity: 'test', entityId: i });
      });
      expect(await rev()).toBe(r0 + 2);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 6 });
    } finally {
      await drop();
    }
  });

  it('writes anchors as one JSON line each, never rewriting the file', async () => {
    const { db, drop } = await createTestDatabase(ctx.dialect);
    const file = path.join(dir, `${ctx.dialect}-lines.jsonl`);
    try {
      await write(db, 1);
      await publishAnchor(db, file);
      await write(db, 1);
      await publishAnchor(db, file);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
      expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    } finally {
      await drop();
    }
  });
});
