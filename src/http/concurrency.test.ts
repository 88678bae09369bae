/**
 * Two people editing the same review over HTTP at the same moment: exactly one write wins, the
 * other gets 409 with the current state (every current value, who entered it, the version), and
 * after choosing, retries with the new version. Nothing is silently overwritten or lost.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { buildApp, type App } from './app.ts';
import { signIn, testSecurity, type SignedIn } from '../test-support/http.ts';

describeEachDialect('concurrent editing over HTTP', (ctx) => {
  let app: App;
  let a: SignedIn;
  let b: SignedIn;
  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    a = await signIn(app, { username: 'can-bo-a', role: 'commune_officer', unitId: '13510@2025-03' });
    b = await signIn(app, { username: 'can-bo-b', role: 'province_office', unitId: '35@2025-03' });
  });

  it('lets one of two racing writers win; the other gets 409 with the current values, chooses, and retries', async () => {
    const codes = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators.map((i) => i.code);
    const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: a, payload: { unitId: '13510@2025-03', setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [codes[0]!]: { value: true } } } });
    const id = (created.json() as { id: number }).id;
    for (let round = 0; round < 5; round++) {
      const version = (await app.inject({ method: 'GET', url: `/api/v1/reviews/${id}`, headers: a })).headers.etag!;
      const [ra, rb] = await Promise.all([
        app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, headers: { ...a, 'if-match': version }, payload: { values: { [codes[0]!]: { value: false, note: `A${round}` } } } }),
        app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, headers: { ...b, 'if-match': version }, payload: { values: { [codes[0]!]: { value: true, note: `B${round}` } } } }),
      ]);
      const statuses = [ra.statusCode, rb.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = ra.statusCode === 409 ? ra : rb;
      const winnerNote = ra.statusCode === 200 ? `A${round}` : `B${round}`;
      const err = (loser.json() as { error: { code: string; message_vi: string; details: { currentVersion: number; expectedVersion: number; current: { version: number; values: Array<{ code: string; note: string | null; enteredBy: string }> } } } }).error;
      expect(err.code).toBe('version_conflict');
      expect(err.message_vi).toContain('người khác');
      expect(err.details.current.version).toBe(err.details.currentVersion);
      const theirs = err.details.current.values.find((v) => v.code === codes[0])!;
      expect(theirs.note).toBe(winnerNote);
      expect(['can-bo-a', 'can-bo-b']).toContain(theirs.enteredBy);
      // The loser keeps their value and retries with the version they were shown.
      const loserHeaders = loser === ra ? a : b;
      const retry = await app.inject({
        method: 'PATCH',
        url: `/api/v1/reviews/${id}/values`,
        headers: { ...loserHeaders, 'if-match': `"${err.details.currentVersion}"` },
        payload: { values: { [codes[0]!]: { value: loser === ra, note: `${loser === ra ? 'A' : 'B'}${round}-kept` } } },
      });
      expect(retry.statusCode).toBe(200);
    }
    // Every write of every round is in the history: 1 + 5 rounds × (winner + retried loser).
    const history = (await app.inject({ method: 'GET', url: `/api/v1/reviews/${id}/history?code=${codes[0]}`, headers: a })).json() as { items: Array<{ note: string | null }> };
    expect(history.items).toHaveLength(11);
    for (let round = 0; round < 5; round++) {
      const notes = history.items.map((h) => h.note);
      expect(notes.some((n) => n === `A${round}` || n === `A${round}-kept`)).toBe(true);
      expect(notes.some((n) => n === `B${round}` || n === `B${round}-kept`)).toBe(true);
    }
    const audit = await ctx.db.kysely.selectFrom('audit_event').select('actor').where('entity', '=', 'review').where('entity_id', '=', String(id)).where('action', '=', 'review.values.update').execute();
    expect(audit).toHaveLength(10);
  });
});
