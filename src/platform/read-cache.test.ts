/**
 * The read cache: a hit only while the data revision is unchanged; the requests that miss together
 * share one computation (right after a write, under load, 50 requests must not each rebuild the
 * summary); a failed computation is not cached. On SQLite and PostgreSQL (the revision is a row).
 */
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { bumpRevision } from '../db/meta.repository.ts';
import { RevisionCache } from './read-cache.ts';

describeEachDialect('read cache', (ctx) => {
  it('computes once for concurrent misses, again after a write; gzip made once per answer', async () => {
    const cache = new RevisionCache();
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 30));
      return { n: computed, text: 'x'.repeat(2000) };
    };
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.json(ctx.db, 'k', compute)));
    expect(computed).toBe(1);
    expect(new Set(first.map((c) => c.json)).size).toBe(1);
    expect(JSON.parse(first[0]!.json)).toMatchObject({ n: 1 });
    expect(await cache.json(ctx.db, 'k', compute)).toBe(first[0]);
    expect(computed).toBe(1);
    expect(first[0]!.gzip()).toBe(first[0]!.gzip());
    expect(gunzipSync(first[0]!.gzip()).toString('utf8')).toBe(first[0]!.json);

    await bumpRevision(ctx.db.kysely);
    const second = await Promise.all(Array.from({ length: 5 }, () => cache.json(ctx.db, 'k', compute)));
    expect(computed).toBe(2);
    expect(JSON.parse(second[4]!.json)).toMatchObject({ n: 2 });
    // Another key is its own computation.
    await cache.json(ctx.db, 'other', compute);
    expect(computed).toBe(3);
  });

  it('a failed computation fails every waiter and is not kept: the next read computes again', async () => {
    const cache = new RevisionCache();
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('database gone');
    };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => cache.json(ctx.db, 'k', failing)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
    const ok = await cache.json(ctx.db, 'k', async () => ({ fine: true }));
    expect(JSON.parse(ok.json)).toEqual({ fine: true });
  });
});
