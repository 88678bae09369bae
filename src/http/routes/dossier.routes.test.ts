/**
 * The dossier routes over HTTP: opening on a submitted review, uploads checked by content, two
 * officers moving the same dossier at once (one wins, the other gets 409), role and scope refusals,
 * and Word drafts. The revocation alerts: revocation-alert.routes.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { submittedReview } from '../../test-support/committee.ts';
import { placeholderPdf } from '../../seed/demo-dossier.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

process.env.DATCHUAN_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'datchuan-dossier-http-'));

describeEachDialect('dossier routes', (ctx) => {
  let app: App;
  let xa1: SignedIn;
  let xa2: SignedIn;
  let viewer: SignedIn;
  let reviewId = 0;
  const unitId = '13510@2025-03';
  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    reviewId = (await submittedReview(ctx.db, unitId, '2023-09-30', [])).id;
    xa1 = await signIn(app, { username: 'xa-mot', role: 'commune_officer', unitId });
    xa2 = await signIn(app, { username: 'xa-hai', role: 'commune_officer', unitId });
    viewer = await signIn(app, { username: 'nguoi-xem', role: 'viewer', unitId: null });
  });

  it('opens a dossier, takes uploads by content, and lets only one of two racing officers move it', async () => {
    const opened = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: xa1, payload: { unitId, level: 'nang-cao', baseReviewId: reviewId } });
    expect(opened.statusCode).toBe(201);
    const d = opened.json() as { id: number; version: number; procedure: string; state: string };
    expect(d).toMatchObject({ procedure: 'two-level', state: 'commune_preparing' });

    const fake = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/documents/self_assessment_report?filename=bao-cao.pdf`, headers: { ...xa1, 'content-type': 'application/pdf' }, payload: Buffer.from('<html>not a pdf</html>') });
    expect(fake.statusCode).toBe(400);
    expect((fake.json() as { error: { message_vi: string } }).error.message_vi).toContain('PDF');
    const up = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/documents/self_assessment_report?filename=${encodeURIComponent('Báo cáo tự đánh giá.pdf')}`, headers: { ...xa1, 'content-type': 'application/octet-stream' }, payload: placeholderPdf('Bao cao') });
    expect(up.statusCode).toBe(201);
    const afterUpload = up.json() as { version: number; documents: Array<{ type: string; versions: Array<{ url: string; filename: string; createdBy: string }> }> };
    const doc = afterUpload.documents.find((x) => x.type === 'self_assessment_report')!.versions[0]!;
    expect(doc).toMatchObject({ filename: 'Báo cáo tự đánh giá.pdf', createdBy: 'xa-mot' });
    const file = await app.inject({ method: 'GET', url: doc.url, headers: viewer });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');

    const body = { action: 'open_consultation', version: afterUpload.version };
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: xa1, payload: body }),
      app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: xa2, payload: body }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = (a.statusCode === 409 ? a : b).json() as { error: { code: string; details: { currentVersion: number } } };
    expect(['version_conflict', 'transition_refused']).toContain(loser.error.code);
    const now = (await app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}`, headers: viewer })).json() as { state: string; transitions: unknown[]; publicUrl: string; actions: Array<{ allowed: boolean; reason: { vi: string } }> };
    expect(now.state).toBe('commune_consultation');
    expect(now.transitions).toHaveLength(2);
    expect(now.publicUrl).toBe(`/cong-khai/ho-so/${d.id}`);
    // A viewer sees the actions, all disabled with the reason.
    expect(now.actions.every((x) => !x.allowed && x.reason.vi.length > 5)).toBe(true);
  });

  it('refuses viewers and anonymous callers, unknown actions and unknown document types, with bilingual messages', async () => {
    const list = (await app.inject({ method: 'GET', url: `/api/v1/dossiers?unitId=${unitId}`, headers: viewer })).json() as { items: Array<{ id: number; version: number }> };
    const d = list.items[0]!;
    const asViewer = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: viewer, payload: { action: 'close_consultation', version: d.version } });
    expect(asViewer.statusCode).toBe(403);
    const anon = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}` });
    expect(anon.statusCode).toBe(401);
    const unknown = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: xa1, payload: { action: 'skip_to_decision', version: d.version } });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as { error: { message_vi: string; message: string } }).error).toMatchObject({ message_vi: expect.stringContaining('không tồn tại'), message: expect.stringContaining('Unknown action') });
    const skip = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/actions`, headers: xa1, payload: { action: 'decide', version: d.version } });
    expect(skip.statusCode).toBe(409);
    expect((skip.json() as { error: { code: string; details: { refusal: string } } }).error).toMatchObject({ code: 'transition_refused', details: { refusal: 'not_allowed_here' } });
    const badType = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/documents/anything`, headers: { ...xa1, 'content-type': 'application/pdf' }, payload: placeholderPdf('x') });
    expect(badType.statusCode).toBe(400);
    const extra = await app.inject({ method: 'PUT', url: `/api/v1/dossiers/${d.id}/declarations`, headers: xa1, payload: { version: d.version, satisfactionRate: 140 } });
    expect(extra.statusCode).toBe(400);
    expect((extra.json() as { error: { message_vi: string } }).error.message_vi).toContain('0 đến 100');
  });

  it('generates the Word drafts', async () => {
    const d = ((await app.inject({ method: 'GET', url: `/api/v1/dossiers?unitId=${unitId}`, headers: viewer })).json() as { items: Array<{ id: number }> }).items[0]!;
    const draft = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/drafts/submission_letter`, headers: xa1 });
    expect(draft.statusCode).toBe(200);
    expect(draft.headers['content-type']).toContain('wordprocessingml');
    expect(draft.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const selfReport = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/drafts/self_assessment_report`, headers: xa1 });
    expect(selfReport.statusCode).toBe(200);
    const none = await app.inject({ method: 'GET', url: `/api/v1/dossiers/${d.id}/drafts/satisfaction_survey`, headers: xa1 });
    expect(none.statusCode).toBe(400);
  });
});
