/**
 * The change channel between application servers: a change announced on one connection reaches
 * the listener of another (PostgreSQL `NOTIFY`), per channel; on SQLite both ends are no-ops.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { announceChange, listenForChanges, type ChangeChannel } from './change-channel.ts';
import { ScopeResolver, invalidateLocalScopes } from '../services/access.service.ts';

describeEachDialect('change channel', (ctx) => {
  it('delivers each channel to its handler (PostgreSQL); nothing on SQLite', async () => {
    const heard: ChangeChannel[] = [];
    const listener = listenForChanges(ctx.db, { auth: () => heard.push('auth'), sets: () => heard.push('sets'), units: () => heard.push('units') }, () => {});
    await listener.ready;
    heard.length = 0; // the (re)connection calls every handler once
    try {
      await announceChange(ctx.db, 'units');
      await announceChange(ctx.db, 'auth');
      const until = Date.now() + 5000;
      while (ctx.dialect === 'postgres' && heard.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual(ctx.dialect === 'postgres' ? ['units', 'auth'] : []);
    } finally {
      await listener.stop();
    }
  });

  it('a unit-list change empties the scope cache: the next look-up reads the database again', async () => {
    const scopes = new ScopeResolver();
    const unit = (await ctx.db.kysely.selectFrom('unit').select('id').executeTakeFirst())?.id ?? 'VN-none';
    const first = scopes.keys(ctx.db, unit);
    expect(scopes.keys(ctx.db, unit)).toBe(first);
    invalidateLocalScopes();
    const second = scopes.keys(ctx.db, unit);
    expect(second).not.toBe(first);
    expect(await second).toEqual(await first);
  });
});
