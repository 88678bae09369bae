/**
 * A backup is the database and every stored file (issue 18.5): evidence and dossier documents are in
 * the (encrypted) backup, a restore into an empty database and an empty file folder answers every
 * download with the same bytes, and a backup with a changed or missing file is refused before
 * anything is restored — on SQLite and PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, TEST_AUDIT_KEY } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { insertDossierFixture } from '../test-support/consultation.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { insertDocument } from '../db/dossier.repository.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { isDomainError } from '../domain/errors.ts';
import { createReview } from './review.service.ts';
import { getAttachment, storeUpload, uploadAttachment } from './attachment.service.ts';
import { getDocumentFile } from './dossier-document.service.ts';
import { backupDatabase, checkStoredFiles, restoreDatabase } from './backup.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';

const PDF = (s: string) => Buffer.from(`%PDF-1.4\n% ${s}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
const hasPgTools = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;

/** Every download the product offers for stored files: id → SHA-256 of the bytes, or the refusal code. */
async function downloads(db: Db, dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const read = async (key: string, f: () => Promise<string>) => {
    try {
      out[key] = createHash('sha256').update(readFileSync(await f())).digest('hex');
    } catch (e) {
      out[key] = isDomainError(e) ? `refused:${e.code}` : `error:${(e as Error).message}`;
    }
  };
  for (const a of await db.kysely.selectFrom('attachment').select('id').orderBy('id').execute()) await read(`attachment ${a.id}`, async () => (await getAttachment(db, a.id, dir, SYSTEM_ACTOR)).path);
  for (const d of await db.kysely.selectFrom('dossier_document').select('id').orderBy('id').execute()) await read(`document ${d.id}`, async () => (await getDocumentFile(db, SYSTEM_ACTOR, d.id, dir)).path);
  return out;
}

describeEachDialect('backup and restore carry every stored file', (ctx) => {
  const key = randomBytes(32);
  let dir = '';
  let files = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-backup-files-'));
    files = path.join(dir, 'attachments');
    const unit = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    const review = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: unit.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20' });
    await uploadAttachment(ctx.db, SYSTEM_ACTOR, { reviewId: review.id, indicatorCode: null, filename: 'Quyết định 15.pdf', data: PDF('quyet dinh') }, files);
    await uploadAttachment(ctx.db, SYSTEM_ACTOR, { reviewId: review.id, indicatorCode: null, filename: 'ảnh.png', data: PNG }, files);
    const { dossier } = await insertDossierFixture(ctx.db, { unitId: unit.id });
    for (const t of ['to-trinh', 'bao-cao']) {
      const s = storeUpload(PDF(t), `${t}.pdf`, files);
      await insertDocument(ctx.db.kysely, { dossier_id: dossier.id, doc_type: t, sha256: s.sha256, filename: s.filename, content_type: s.contentType, size: s.size, note: null, created_by: 'test', created_at: new Date().toISOString() });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function restoreInto(file: string, target: string): Promise<{ db: Db; close(): Promise<void> }> {
    if (ctx.dialect === 'sqlite') {
      const url = `sqlite:${path.join(dir, `${path.basename(target)}.sqlite`)}`;
      await restoreDatabase(url, file, { key, attachmentDir: target });
      const db = openDatabase(url, { auditKey: TEST_AUDIT_KEY });
      return { db, close: () => db.close() };
    }
    const t = await createTestDatabase('postgres', { migrated: false });
    await restoreDatabase(t.db.url, file, { key, attachmentDir: target });
    return { db: t.db, close: () => t.drop() };
  }

  it.runIf(ctx.dialect === 'sqlite' || hasPgTools)('restores every evidence file and dossier document: each download answers the same bytes', async () => {
    const before = await downloads(ctx.db, files);
    expect(Object.keys(before)).toHaveLength(4);
    expect(Object.values(before).every((v) => /^[0-9a-f]{64}$/.test(v))).toBe(true);
    const file = path.join(dir, `all-${ctx.dialect}.backup.enc`);
    const r = await backupDatabase(ctx.db, file, undefined, { encryptKey: key, attachmentDir: files });
    expect(r).toMatchObject({ encrypted: true, files: 4 });
    // Encrypted together: no file's bytes readable inside.
    expect(readFileSync(file).includes(PDF('quyet dinh'))).toBe(false);

    const target = path.join(dir, `restored-${ctx.dialect}`);
    const restored = await restoreInto(file, target);
    try {
      expect(await downloads(restored.db, target)).toEqual(before);
      expect(await checkStoredFiles(restored.db, target)).toEqual({ referenced: 4, missing: [] });
    } finally {
      await restored.close();
    }
  });

  it.runIf(ctx.dialect === 'sqlite' || hasPgTools)('refuses a backup whose file part was changed, restoring nothing', async () => {
    const file = path.join(dir, `plain-${ctx.dialect}.backup`);
    await backupDatabase(ctx.db, file, undefined, { attachmentDir: files });
    const bytes = readFileSync(file);
    const at = bytes.indexOf(PDF('quyet dinh'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 12] = bytes[at + 12]! ^ 0xff;
    writeFileSync(file, bytes);
    const target = path.join(dir, `never-${ctx.dialect}`);
    const url = `sqlite:${path.join(dir, `never-${ctx.dialect}.sqlite`)}`;
    const e = await restoreDatabase(url, file, { attachmentDir: target }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('does not match its checksum') });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(url.slice(7))).toBe(false);
  });

  it('refuses to back up when a file the database refers to is missing from the store, naming it', async () => {
    const empty = path.join(dir, 'empty-store');
    const e = await backupDatabase(ctx.db, path.join(dir, `x-${ctx.dialect}.backup`), undefined, { attachmentDir: empty }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('missing from the file store') });
    // A lost dossier document is a named 404, not a 500.
    const d = await ctx.db.kysely.selectFrom('dossier_document').select('id').limit(1).executeTakeFirstOrThrow();
    await expect(getDocumentFile(ctx.db, SYSTEM_ACTOR, d.id, empty)).rejects.toMatchObject({ code: 'not_found' });
  });
});
