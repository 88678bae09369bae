/**
 * Công khai minh bạch — the transparency portal: which communes are recognised at which level
 * (revoked decisions stay listed, marked, but never count as the current level), and which
 * dossiers are open for residents' comments. Public data: no actor, no personal data.
 */
import type { Db } from '../db/database.ts';
import * as repo from '../db/consultation.repository.ts';
import { PROCEDURES, stepOf, type ProcedureId } from '../domain/dossier-workflow.ts';
import { LEVELS, type Level } from '../domain/criteria.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import { compareVietnamese, foldVietnamese } from '../domain/text.ts';
import { closesOnFor } from './consultation.service.ts';
import { levelName } from '../domain/criteria.ts';

export interface PublicRecognitionRow {
  unitId: string;
  name: string;
  provinceId: string;
  provinceName: string;
  currentLevel: string | null;
  currentLevelName: BilingualMessage | null;
  recognitions: { level: string; levelName: BilingualMessage; decisionNo: string; decidedOn: string; revokedOn: string | null }[];
}

export interface RecognitionQuery {
  /** A province; a province formed by the 2025 merger also lists its predecessors' communes. */
  provinceId?: string | null;
  /** Part of the commune's name, with or without accents ("trang an" finds "Tràng An"). */
  q?: string | null;
}

function rank(level: string): number {
  return LEVELS.indexOf(level as Level);
}

/** One row per commune with any recognition; current level = the highest not revoked. */
export async function publicRecognitions(db: Db, query: RecognitionQuery = {}): Promise<PublicRecognitionRow[]> {
  let provinceIds: string[] | undefined;
  if (query.provinceId) provinceIds = [query.provinceId, ...(await repo.predecessorIds(db.kysely, query.provinceId))];
  const folded = query.q ? foldVietnamese(query.q) : '';
  const rows = await repo.listRecognitionsWithUnits(db.kysely, { provinceIds, folded: folded || undefined });
  const byUnit = new Map<string, PublicRecognitionRow>();
  for (const r of rows) {
    let out = byUnit.get(r.unit_id);
    if (!out) {
      out = { unitId: r.unit_id, name: r.unit_name, provinceId: r.province_id ?? '', provinceName: r.province_name ?? '', currentLevel: null, currentLevelName: null, recognitions: [] };
      byUnit.set(r.unit_id, out);
    }
    out.recognitions.push({ level: r.level, levelName: levelName(r.level), decisionNo: r.decision_no, decidedOn: r.decided_on, revokedOn: r.revoked_on });
    if (r.revoked_on === null && (out.currentLevel === null || rank(r.level) > rank(out.currentLevel))) {
      out.currentLevel = r.level;
      out.currentLevelName = levelName(r.level);
    }
  }
  return [...byUnit.values()].sort((a, b) => compareVietnamese(a.provinceName, b.provinceName) || compareVietnamese(a.name, b.name) || a.unitId.localeCompare(b.unitId));
}

export interface OpenConsultation {
  dossierId: number;
  unitId: string;
  unitName: string;
  provinceName: string;
  level: string;
  levelName: BilingualMessage;
  stage: string;
  stageName: BilingualMessage;
  openedOn: string;
  closesOn: string | null;
}

/** Dossiers open for comments on `today` (at a consultation step, not closed, period not over), soonest closing first. */
export async function listOpenConsultations(db: Db, today: string): Promise<OpenConsultation[]> {
  const states = [...new Set(Object.values(PROCEDURES).flatMap((p) => p.steps.filter((s) => s.publicConsultation).map((s) => s.id)))];
  const out: OpenConsultation[] = [];
  for (const d of await repo.listDossiersInStates(db.kysely, states)) {
    const step = stepOf(d.procedure as ProcedureId, d.state);
    if (!step?.publicConsultation) continue;
    const closesOn = closesOnFor(step, d.state_since);
    if (closesOn !== null && today > closesOn) continue;
    out.push({
      dossierId: d.id,
      unitId: d.unit_id,
      unitName: d.unit_name,
      provinceName: d.province_name ?? '',
      level: d.level,
      levelName: levelName(d.level),
      stage: d.state,
      stageName: step.name,
      openedOn: d.state_since,
      closesOn,
    });
  }
  return out.sort((a, b) => (a.closesOn ?? '9999').localeCompare(b.closesOn ?? '9999') || a.dossierId - b.dossierId);
}
