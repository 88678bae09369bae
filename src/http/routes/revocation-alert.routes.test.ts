/** The revocation alerts over HTTP: readers of dossiers list them (none while every recognised commune still meets the rule). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

describeEachDialect('revocation alert routes', (ctx) => {
  let app: App;
  let viewer: SignedIn;
  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    viewer = await signIn(app, { username: 'nguoi-xem', role: 'viewer', unitId: null });
  });
  afterAll(async () => app.close());

  it('lists revocation alerts', async () => {
    const alerts = await app.inject({ method: 'GET', url: '/api/v1/revocation-alerts?status=open', headers: viewer });
    expect(alerts.statusCode).toBe(200);
    expect((alerts.json() as { items: unknown[] }).items).toEqual([]);
  });
});
