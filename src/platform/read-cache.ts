/**
 * Cached reads for the hot dashboards: a result is reused only while the data revision (bumped
 * by every audited write, in the same transaction) is unchanged, so it is never stale. Holds the
 * serialised JSON so a hit costs one revision lookup and no serialisation. Bounded (LRU).
 */
import { gzipSync } from 'node:zlib';
import type { Db } from '../db/database.ts';
import { getRevision } from '../db/meta.repository.ts';

/** A cached answer: its JSON text and, made on first demand, the same text gzipped. */
export class CachedJson {
  private gzipped: Buffer | null = null;
  constructor(readonly json: string) {}
  /** Compressed once per revision, not per request (level 6: ≈ 12× smaller for a summary). */
  gzip(): Buffer {
    this.gzipped ??= gzipSync(this.json);
    return this.gzipped;
  }
}

export class RevisionCache {
  private readonly entries = new Map<string, { revision: string; value: CachedJson }>();
  private readonly inFlight = new Map<string, Promise<CachedJson>>();

  constructor(private readonly max = 500) {}

  async json(db: Db, key: string, compute: () => Promise<unknown>): Promise<CachedJson> {
    const revision = await getRevision(db.kysely);
    const hit = this.entries.get(key);
    if (hit && hit.revision === revision) {
      // Refresh its place in the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    // One computation per key and revision: the requests that miss together (right after a
    // write, under load) wait for the first one's answer instead of each computing it again.
    const flightKey = `${revision}\u0000${key}`;
    const flying = this.inFlight.get(flightKey);
    if (flying) return flying;
    const flight = (async () => {
      const value = new CachedJson(JSON.stringify(await compute()));
      this.entries.delete(key);
      this.entries.set(key, { revision, value });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
      return value;
    })();
    this.inFlight.set(flightKey, flight);
    try {
      return await flight;
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
