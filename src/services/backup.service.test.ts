/**
 * Backup drill: data → encrypted backup file → restore into an empty database → identical rows,
 * on SQLite and on PostgreSQL (pg_dump/pg_restore). A changed byte or the wrong key is refused
 * before anything is restored.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDialect, TEST_AUDIT_KEY } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { testSecurity } from '../test-support/http.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { createReview, updateReviewValues } from './review.service.ts';
import { createAuthContext } from './auth.service.ts';
import { createUser } from './user.service.ts';
import { backupDatabase, restoreDatabase } from './backup.service.ts';
import { BACKUP_MAGIC } from '../platform/backup-crypto.ts';
import { verifyAuditChain } from './audit.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';

const TABLES = ['unit', 'unit_lineage', 'unit_attribute', 'review', 'indicator_value', 'review_evaluation', 'audit_event', 'app_user', 'role_grant', 'app_meta'] as const;

async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows = (await sql.raw(`SELECT * FROM ${t}`).execute(db.kysely)).rows as Array<Record<string, unknown>>;
    out[t] = rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
  }
  return out;
}

const hasPgTools = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;

describeEachDialect('encrypted backup and restore', (ctx) => {
  const key = randomBytes(32);
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-backup-test-'));
    const unit = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    const code = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
    const r = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: unit.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [code]: { value: true, note: 'Ghi chú có dấu: Tràng An' } } });
    await updateReviewValues(ctx.db, SYSTEM_ACTOR, r.id, { version: 1, values: { [code]: { value: false } } });
    await createUser(createAuthContext(ctx.db, testSecurity()), SYSTEM_ACTOR, { username: 'sao-luu', displayName: 'Sao Lưu', grants: [{ role: 'viewer', unitId: '35@2025-03' }] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(ctx.dialect === 'sqlite' || hasPgTools)('restores an encrypted backup to identical data', async () => {
    const file = path.join(dir, `b-${ctx.dialect}.enc`);
    const res = await backupDatabase(ctx.db, file, undefined, { encryptKey: key });
    expect(res.encrypted).toBe(true);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)).toBe(true);
    // Nothing readable inside.
    expect(bytes.includes(Buffer.from('Tràng An'))).toBe(false);
    expect(bytes.includes(Buffer.from('sao-luu'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format'))).toBe(false);

    const target = await createTestDatabase(ctx.dialect, { migrated: false });
    let targetUrl = target.db.url;
    let restored: Db;
    if (ctx.dialect === 'sqlite') {
      await target.drop();
      targetUrl = `sqlite:${path.join(dir, 'restored.sqlite')}`;
      await restoreDatabase(targetUrl, file, { key });
      restored = openDatabase(targetUrl, { auditKey: TEST_AUDIT_KEY });
    } else {
      await restoreDatabase(targetUrl, file, { key });
      restored = target.db;
    }
    try {
      expect(await snapshot(restored)).toEqual(await snapshot(ctx.db));
      expect((await verifyAuditChain(restored)).ok).toBe(true);
    } finally {
      if (ctx.dialect === 'sqlite') await restored.close();
      else await target.drop();
    }
  });

  it.runIf(ctx.dialect === 'sqlite' || hasPgTools)('refuses a changed file and the wrong key, restoring nothing', async () => {
    const file = path.join(dir, `t-${ctx.dialect}.enc`);
    await backupDatabase(ctx.db, file, undefined, { encryptKey: key });
    const target = `sqlite:${path.join(dir, `never-${ctx.dialect}.sqlite`)}`;
    await expect(restoreDatabase(target, file, { key: randomBytes(32) })).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('different key') });
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    const tampered = path.join(dir, `tampered-${ctx.dialect}.enc`);
    writeFileSync(tampered, bytes);
    const e = (await restoreDatabase(target, tampered, { key }).catch((x: unknown) => x)) as { code: string; messageVi: string; message: string };
    expect(e.code).toBe('validation_failed');
    expect(e.messageVi).toContain('bị hỏng hoặc đã bị sửa đổi');
    expect(e.message).toContain('corrupt or has been altered');
    await expect(restoreDatabase(target, file)).rejects.toMatchObject({ message: expect.stringContaining('DATCHUAN_BACKUP_KEY') });
    expect(spawnSync('test', ['-e', target.slice(7)]).status).not.toBe(0);
  });
});
