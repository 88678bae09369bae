import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { isDomainError } from '../domain/errors.ts';
import { buildApp, type App } from '../http/app.ts';
import { signIn, testSecurity } from '../test-support/http.ts';
import { createReview, submitReview } from './review.service.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { attachmentPath, cleanFilename, detectKind, getAttachment, listAttachments, MAX_ATTACHMENT_BYTES, uploadAttachment } from './attachment.service.ts';
import type { Actor } from './actor.ts';

const officer: Actor = { id: 'can-bo-xa', source: 'web', ip: '127.0.0.1' };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
/** Just enough of a ZIP for the type check: local headers naming the OOXML parts. */
function ooxml(part: string): Buffer {
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(part)]);
}

it('detects the type from the content, not the name', () => {
  expect(detectKind(PDF)).toBe('pdf');
  expect(detectKind(PNG)).toBe('png');
  expect(detectKind(JPEG)).toBe('jpeg');
  expect(detectKind(ooxml('word/document.xml'))).toBe('docx');
  expect(detectKind(ooxml('xl/workbook.xml'))).toBe('xlsx');
  expect(detectKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBeNull(); // any other zip
  expect(detectKind(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
  expect(detectKind(Buffer.from('MZ\x90\x00'))).toBeNull();
});

it('cleans file names (no folders, no control characters, NFC, the extension of the content) and names nameless files', () => {
  expect(cleanFilename('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
  expect(cleanFilename('../../etc/cron.d/x.pdf', 'pdf')).toBe('x.pdf');
  expect(cleanFilename('a\r\nSet-Cookie: x=1.pdf', 'pdf')).toBe('a__Set-Cookie_ x=1.pdf');
  expect(cleanFilename('hoa-don\u202Efdp.exe', 'pdf')).toBe('hoa-don_fdp.exe.pdf');
  expect(cleanFilename('trang.html', 'pdf')).toBe('trang.html.pdf');
  expect(cleanFilename('.htaccess', 'png')).toBe('htaccess.png');
  expect(cleanFilename('anh.JPEG', 'jpeg')).toBe('anh.JPEG');
  expect(cleanFilename('../..', 'xlsx')).toBe('minh-chung.xlsx');
  expect(Array.from(cleanFilename('Đ'.repeat(500), 'docx'))).toHaveLength(200);
  expect(cleanFilename('C:\\tmp\\Quyết định 123.pdf', 'pdf')).toBe('Quyết định 123.pdf'.normalize('NFC'));
  expect(cleanFilename('a\u0000b"c.pdf', 'pdf')).toBe('a_b_c.pdf');
  expect(cleanFilename('', 'jpeg')).toBe('minh-chung.jpg');
  expect(cleanFilename('Quye\u0302\u0301t.pdf', 'pdf')).toBe('Quy\u1ebft.pdf');
});

describeEachDialect('attachments', (ctx) => {
  let dir = '';
  let reviewId = 0;
  let app: App;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-att-'));
    const c = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    reviewId = (await createReview(ctx.db, officer, { unitId: c.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20' })).id;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a file once under its SHA-256, lists it and audits the upload', async () => {
    const a = await uploadAttachment(ctx.db, officer, { reviewId, indicatorCode: '5.1', filename: 'Quyết định 15.pdf', data: PDF }, dir);
    expect(a).toMatchObject({ reviewId, indicatorCode: '5.1', filename: 'Quyết định 15.pdf', contentType: 'application/pdf', size: PDF.length, createdBy: 'can-bo-xa' });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.url).toBe(`/api/v1/attachments/${a.id}`);
    expect(readFileSync(attachmentPath(dir, a.sha256)).equals(PDF)).toBe(true);
    const again = await uploadAttachment(ctx.db, officer, { reviewId, filename: 'ban-sao.pdf', data: PDF }, dir);
    expect(again.sha256).toBe(a.sha256);
    expect(again.id).not.toBe(a.id);
    expect((await listAttachments(ctx.db, reviewId)).map((x) => x.filename)).toEqual(['Quyết định 15.pdf', 'ban-sao.pdf']);
    const got = await getAttachment(ctx.db, a.id, dir);
    expect(got.path).toBe(attachmentPath(dir, a.sha256));
    const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'attachment.create').where('entity_id', '=', String(a.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('can-bo-xa');
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ reviewId, sha256: a.sha256, contentType: 'application/pdf' });
  });

  it('refuses other content, empty and oversized files, in Vietnamese and English', async () => {
    for (const [data, code] of [
      [Buffer.from('<html></html>'), 'validation_failed'],
      [Buffer.alloc(0), 'validation_failed'],
      [Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES)]), 'payload_too_large'],
    ] as const) {
      const e = await uploadAttachment(ctx.db, officer, { reviewId, filename: 'x.pdf', data }, dir).catch((x: unknown) => x);
      expect(isDomainError(e) && e.code).toBe(code);
      if (isDomainError(e)) {
        expect(e.messageVi.length).toBeGreaterThan(5);
        expect(e.message.length).toBeGreaterThan(5);
        expect(e.message).not.toBe(e.messageVi);
      }
    }
  });

  it('takes no new file on a submitted review, and says which review is missing', async () => {
    const c = await insertCommune(ctx.db.kysely, { code: '13511', name: 'Đồn Xá' });
    const r = await createReview(ctx.db, officer, { unitId: c.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20' });
    await submitReview(ctx.db, officer, r.id, { version: r.version });
    const e = await uploadAttachment(ctx.db, officer, { reviewId: r.id, data: PNG }, dir).catch((x: unknown) => x);
    expect(isDomainError(e) && e.code).toBe('conflict');
    const missing = await uploadAttachment(ctx.db, officer, { reviewId: 987654, data: PNG }, dir).catch((x: unknown) => x);
    expect(isDomainError(missing) && missing.code).toBe('not_found');
  });

  it('uploads over HTTP as a raw body, serves it back with its type, refuses a disguised file', async () => {
    const saved = process.env.DATCHUAN_DATA_DIR;
    process.env.DATCHUAN_DATA_DIR = dir;
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    const h = await signIn(app, { role: 'commune_officer', unitId: '13510@2025-03' });
    const up = await app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${reviewId}/attachments?indicator=17.1&filename=${encodeURIComponent('Ảnh hiện trạng.png')}`,
      headers: { ...h, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(up.statusCode, up.body).toBe(201);
    const info = up.json() as { id: number; url: string; filename: string; contentType: string };
    expect(info).toMatchObject({ filename: 'Ảnh hiện trạng.png', contentType: 'image/png' });
    const down = await app.inject({ method: 'GET', url: info.url, headers: h });
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(String(down.headers['content-disposition'])).toContain("filename*=UTF-8''%E1%BA%A2nh");
    expect(down.rawPayload.equals(PNG)).toBe(true);
    const list = await app.inject({ method: 'GET', url: `/api/v1/reviews/${reviewId}/attachments`, headers: h });
    expect((list.json() as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(3);
    const fake = await app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${reviewId}/attachments?filename=evil.pdf`,
      headers: { ...h, 'content-type': 'application/pdf' },
      payload: Buffer.from('<script>alert(1)</script>'),
    });
    expect(fake.statusCode).toBe(400);
    const err = fake.json() as { error: { code: string; message_vi: string; details: { fields: Array<{ field: string }> } } };
    expect(err.error.code).toBe('validation_failed');
    expect(err.error.details.fields[0]!.field).toBe('file');
    expect(err.error.message_vi).toContain('PDF');
    if (saved === undefined) delete process.env.DATCHUAN_DATA_DIR;
    else process.env.DATCHUAN_DATA_DIR = saved;
  });
});
