/**
 * Links and uploaded files as an auditor would probe them (issue 17.3), on both databases:
 * evidence and meeting links only `http(s)` (or a file on this server); an uploaded file's name
 * never carries a path, a line break or a misleading extension into storage or the
 * `Content-Disposition` header; every uploaded file is served with `nosniff`, inline only when it
 * is a PDF or an image.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadServiceSettings } from '../config.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { signIn, testSecurity, type SignedIn } from '../test-support/http.ts';
import { buildApp, type App } from './app.ts';

type Json = Record<string, any>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');

describeEachDialect('links and uploaded files', (ctx) => {
  let app: App;
  let dir = '';
  let officer: SignedIn;
  let office: SignedIn;
  let communeId = '';
  let district = '';
  let reviewId = 0;
  const code = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-uploads-'));
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), services: loadServiceSettings({ DATCHUAN_DATA_DIR: dir }) });
    const u = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    communeId = u.id;
    district = u.parent_id!;
    officer = await signIn(app, { role: 'commune_officer', unitId: communeId });
    office = await signIn(app, { role: 'district_office', unitId: district });
    const r = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: officer, payload: { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20' } });
    expect(r.statusCode, r.body).toBe(201);
    reviewId = (r.json() as Json).id;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (table: 'review' | 'indicator_value' | 'meeting') => Number((await ctx.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses javascript:, data: and protocol-relative evidence links naming the field, and keeps http(s) ones', async () => {
    const before = { review: await count('review'), values: await count('indicator_value') };
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x']) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/reviews',
        headers: officer,
        payload: { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-21', values: { [code]: { value: true, evidence: [{ title: 'Quyết định', url }] } } },
      });
      expect([url, created.statusCode]).toEqual([url, 400]);
      expect(created.json()).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: `values.${code}.evidence[0].url` }] } } });
      const patched = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${reviewId}/values`, headers: officer, payload: { version: 1, values: { [code]: { value: true, evidence: [{ title: 'x', url }] } } } });
      expect([url, patched.statusCode]).toEqual([url, 400]);
      expect(patched.json()).toMatchObject({ error: { details: { fields: [{ field: `values.${code}.evidence[0].url` }] } } });
    }
    expect({ review: await count('review'), values: await count('indicator_value') }).toEqual(before);
    const ok = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reviews/${reviewId}/values`,
      headers: officer,
      payload: { version: 1, values: { [code]: { value: true, evidence: [{ title: 'Quyết định 123', url: 'https://ninhbinh.gov.vn/qd-123.pdf' }, { title: 'Ảnh', url: '/api/v1/attachments/1' }] } } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses a javascript: link among a meeting\'s attachments', async () => {
    const c = await app.inject({ method: 'POST', url: '/api/v1/committees', headers: office, payload: { unitId: district, name: 'Ban Chỉ đạo huyện Bình Lục', periodFrom: '2020-10-01' } });
    expect(c.statusCode, c.body).toBe(201);
    const before = await count('meeting');
    const m = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: office,
      payload: { committeeId: (c.json() as Json).id, title: 'Họp', heldOn: '2023-03-20', attachments: [{ title: 'Biên bản', url: 'https://x.vn/bb.pdf' }, { title: 'Bấm', url: 'JAVASCRIPT:alert(1)' }] },
    });
    expect(m.statusCode).toBe(400);
    expect(m.json()).toMatchObject({ error: { details: { fields: [{ field: 'attachments[1].url' }] } } });
    expect(await count('meeting')).toBe(before);
  });

  async function upload(filename: string, data: Buffer, type: string) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/reviews/${reviewId}/attachments?filename=${encodeURIComponent(filename)}`, headers: { ...officer, 'content-type': type }, payload: data });
    expect(res.statusCode, res.body).toBe(201);
    const info = res.json() as { url: string; filename: string };
    const down = await app.inject({ method: 'GET', url: info.url, headers: officer });
    expect(down.statusCode).toBe(200);
    return { info, down };
  }

  it('stores and serves a sanitised name: no folders, no line breaks, the extension of the content', async () => {
    const traversal = await upload('../../etc/cron.d/x.pdf', PDF, 'application/pdf');
    expect(traversal.info.filename).toBe('x.pdf');
    expect(traversal.down.headers['content-disposition']).toBe('inline; filename="x.pdf"; filename*=UTF-8\'\'x.pdf');

    const crlf = await upload('bao-cao\r\nSet-Cookie: a=1\r\n.pdf', PDF, 'application/pdf');
    expect(crlf.info.filename).not.toMatch(/[\r\n]/);
    expect(crlf.down.headers['set-cookie']).toBeUndefined();
    expect(String(crlf.down.headers['content-disposition'])).not.toMatch(/[\r\n]/);
    expect(crlf.down.headers['content-disposition']).toMatch(/^inline; filename="bao-cao__Set-Cookie_ a=1__\.pdf"; /);

    const disguised = await upload('trang-chu.html', PDF, 'application/octet-stream');
    expect(disguised.info.filename).toBe('trang-chu.html.pdf');
    expect(disguised.down.headers['content-type']).toBe('application/pdf');

    const bidi = await upload('anh\u202Egnp.exe', PNG, 'image/png');
    expect(bidi.info.filename).toBe('anh_gnp.exe.png');
    expect(String(bidi.down.headers['content-disposition'])).toContain('filename="anh_gnp.exe.png"');
  });

  it('serves every uploaded file with nosniff; PDF and images inline, anything else as an attachment', async () => {
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml word/document.xml', 'latin1')]);
    const cases = [
      { data: PDF, type: 'application/pdf', name: 'a.pdf', disposition: 'inline' },
      { data: PNG, type: 'image/png', name: 'b.png', disposition: 'inline' },
      { data: docx, type: 'application/octet-stream', name: 'c.docx', disposition: 'attachment' },
    ];
    for (const c of cases) {
      const { down } = await upload(c.name, c.data, c.type);
      expect(down.headers['x-content-type-options']).toBe('nosniff');
      expect(String(down.headers['content-disposition']).split(';')[0]).toBe(c.disposition);
      expect(down.headers['cache-control']).toBe('no-store');
    }
  });
  it('answers a wrong upload type with a plain sentence naming the files it takes, not a MIME type (issue 14.5)', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/reviews/${reviewId}/attachments?filename=a.txt`, headers: { ...officer, 'content-type': 'application/zip' }, payload: 'hello' });
    expect(res.statusCode).toBe(415);
    const err = res.json<Json>().error;
    expect(err.message_vi).toContain('PDF');
    expect(err.message_vi).toContain('Word');
    expect(err.message_vi).not.toContain('application/json');
    expect(err.message).toContain('PDF');
    const form = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: { ...officer, 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(form.statusCode).toBe(415);
    expect(form.json<Json>().error.message_vi).not.toContain('cần application/json');
  });
});
