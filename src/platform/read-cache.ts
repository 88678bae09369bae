/**
 * Cached reads for the hot dashboards: a result is reused only while the data revision (bumped
 * by every audited write, in the same transaction) is unchanged, so it is never stale. Holds the
 * serialised JSON so a hit costs one revision lookup and no serialisation. Bounded (LRU).
 */
import type { Db } from '../db/database.ts';
import { getRevision } from '../db/meta.repository.ts';

export class RevisionCache {
  private readonly entries = new Map<string, { revision: string; json: string }>();

  constructor(private readonly max = 500) {}

  async json(db: Db, key: string, compute: () => Promise<unknown>): Promise<string> {
    const revision = await getRevision(db.kysely);
    const hit = this.entries.get(key);
    if (hit && hit.revision === revision) {
      // Refresh its place in the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.json;
    }
    const json = JSON.stringify(await compute());
    this.entries.delete(key);
    this.entries.set(key, { revision, json });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return json;
  }

  clear(): void {
    this.entries.clear();
  }
}
