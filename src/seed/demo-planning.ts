/**
 * Chi phí mặc định minh họa — the demo province offices' default cost and time per indicator, so
 * that priorities and the budget allocation have something to work with where a commune has no
 * action plan. Every figure is a demo value, marked as such in its note, not a cost norm from any
 * document: a real province enters its own (`datchuan plan defaults set`, or the web page).
 * Deterministic: the same indicator gets the same figures everywhere.
 */
import type { Db } from '../db/database.ts';
import { insertCostDefault } from '../db/planning.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { Actor } from '../services/actor.ts';
import { hashSeed, prng } from './demo-values.ts';

const NOTE = 'DEMO / MINH HỌA: mức giả định cho dữ liệu demo, không phải định mức chi phí chính thức.';
const M = 1_000_000;

/** Criteria that are built (roads, schools, water…) cost more and take longer than organising ones. */
const BUILT = new Set(['2', '3', '4', '5', '6', '7', '9', '17']);

/** Seed the defaults of `setIds` for each province; returns the rows written. */
export async function seedDemoCostDefaults(db: Db, author: Actor, provinces: readonly string[], setIds: readonly string[]): Promise<number> {
  const at = new Date().toISOString();
  let rows = 0;
  await db.kysely.transaction().execute(async (trx) => {
    for (const provinceId of provinces) {
      for (const setId of setIds) {
        const set = getCatalog().get(setId);
        for (const c of set.criteria) {
          for (const i of c.indicators) {
            const rnd = prng(hashSeed(`${setId}|${i.code}`));
            const built = BUILT.has(c.code);
            // Rounded to 10 million đồng and 15 days, as people would write them.
            const cost = Math.round((built ? 300 + rnd() * 2_700 : 40 + rnd() * 360) / 10) * 10 * M;
            const days = Math.round((built ? 150 + rnd() * 210 : 45 + rnd() * 135) / 15) * 15;
            const row = await insertCostDefault(trx, {
              province_id: provinceId,
              set_id: setId,
              indicator_code: i.code,
              cost,
              days,
              note: NOTE,
              is_demo: 1,
              version: 1,
              created_by: author.id,
              created_at: at,
              updated_at: at,
              updated_by: author.id,
            });
            await recordAudit(trx, author, { action: 'cost_default.create', entity: 'indicator_cost_default', entityId: `${provinceId}|${setId}|${i.code}`, unitId: provinceId, after: row }, at);
            rows++;
          }
        }
      }
    }
  });
  return rows;
}
