/**
 * Bản đồ toàn quốc — one line per province valid on a date, for the nationwide choropleth: its
 * rural communes (the denominator, as on the overview), how many have a submitted review on or
 * before the date, and their average criteria met on the 19-criterion sets. Provinces with reviews
 * take their figures from the same summary as their overview page, so the map and the overview
 * can never disagree; the others are counted from the unit tree alone. With an actor, a province
 * outside their `summary.read` scope keeps its name and denominator but shows no figures.
 */
import type { Db } from '../db/database.ts';
import * as reviews from '../db/review.repository.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';
import { getTree, type UnitTreeNode } from './unit.service.ts';
import { getUnitSummary, RURAL_COMMUNE_TYPE } from './summary.service.ts';
import { allowed } from './access.service.ts';
import type { Actor } from './actor.ts';

export interface ProvinceMapItem {
  unitId: string;
  code: string;
  name: string;
  /** Rural communes (xã) valid on the date. */
  communes: number;
  reviewed: number;
  /** Percent of `communes` with a submitted review (null when there is no commune). */
  reviewedShare: number | null;
  averageCriteriaMet: number | null;
  below15: number;
}

export interface ProvinceMap {
  date: string;
  listId: string | null;
  isDemo: boolean;
  provinces: ProvinceMapItem[];
}

function ruralCommunes(node: UnitTreeNode, out: string[] = []): string[] {
  for (const c of node.children ?? []) {
    if (c.children) ruralCommunes(c, out);
    else if (c.type === RURAL_COMMUNE_TYPE) out.push(c.id);
  }
  return out;
}

export async function getProvinceMap(db: Db, date: string, actor?: Actor): Promise<ProvinceMap> {
  const tree = await getTree(db, { date });
  const communesOf = new Map(tree.provinces.map((p) => [p.id, ruralCommunes(p)]));
  const all = [...communesOf.values()].flat();
  const latest = await reviews.latestSubmittedReviews(db.kysely, all, date);
  const reviewedUnits = new Set(latest.map((r) => r.unit_id));
  const provinces: ProvinceMapItem[] = [];
  for (const p of tree.provinces) {
    const ids = communesOf.get(p.id) ?? [];
    const base = { unitId: p.id, code: p.code, name: p.name, communes: ids.length };
    if (!ids.some((id) => reviewedUnits.has(id)) || (actor && !(await allowed(db, actor, 'summary.read', p.id)))) {
      provinces.push({ ...base, reviewed: 0, reviewedShare: ids.length ? 0 : null, averageCriteriaMet: null, below15: 0 });
      continue;
    }
    const s = await getUnitSummary(db, p.id, date);
    provinces.push({
      ...base,
      communes: s.denominator.communes,
      reviewed: s.reviewed,
      reviewedShare: s.denominator.communes ? Math.round((s.reviewed / s.denominator.communes) * 1000) / 10 : null,
      averageCriteriaMet: s.averageCriteriaMet,
      below15: s.below15,
    });
  }
  provinces.sort((a, b) => a.code.localeCompare(b.code));
  return { date, listId: tree.listId, isDemo: await isDemoDatabase(db.kysely), provinces };
}
