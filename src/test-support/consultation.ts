/**
 * Test support for the public consultation and the transparency portal: a commune, a base
 * review and a dossier row in a chosen state, written directly with Kysely (the dossier service
 * is built separately), plus recognitions.
 */
import type { Db } from '../db/database.ts';
import type { DossierRow, RecognitionRow, ReviewRow } from '../db/schema.ts';
import { insertCommune, type CommuneFixture } from './factories.ts';
import type { ProcedureId } from '../domain/dossier-workflow.ts';
import { spreadIndicators, submittedReview, TEST_SET_ID } from './committee.ts';

export interface DossierFixture {
  /** An existing commune; otherwise one is created from `commune`. */
  unitId?: string;
  commune?: CommuneFixture;
  procedure?: ProcedureId;
  state?: string;
  stateSince?: string;
  level?: string;
  closedOn?: string | null;
  /**
   * The base review: `'bare'` (default) a submitted review row without values; `{ unmetCriteria }`
   * a review with values where one indicator of each listed criterion is not met.
   */
  review?: 'bare' | 'none' | { unmetCriteria: string[]; date?: string };
  /** Moves already made (the append-only log), e.g. into and out of the consultation. */
  transitions?: { action: string; from: string | null; to: string; onDate: string }[];
}

export interface DossierFixtureResult {
  dossier: DossierRow;
  unitId: string;
  review: ReviewRow | null;
}

async function bareReview(db: Db, unitId: string, date: string): Promise<ReviewRow> {
  const at = new Date().toISOString();
  return db.kysely
    .insertInto('review')
    .values({
      unit_id: unitId,
      set_id: TEST_SET_ID,
      reviewed_on: date,
      status: 'submitted',
      title: null,
      note: null,
      version: 1,
      is_demo: 0,
      created_by: 'test',
      created_at: at,
      updated_at: at,
      submitted_by: 'test',
      submitted_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A dossier (default: two-level procedure, in `commune_consultation` since 2026-11-30, level nâng cao). */
export async function insertDossierFixture(db: Db, f: DossierFixture = {}): Promise<DossierFixtureResult> {
  const unitId = f.unitId ?? (await insertCommune(db.kysely, f.commune ?? {})).id;
  let review: ReviewRow | null = null;
  const spec = f.review ?? 'bare';
  if (spec === 'bare') review = await bareReview(db, unitId, '2023-03-20');
  else if (spec !== 'none') {
    const detail = await submittedReview(db, unitId, spec.date ?? '2023-03-20', spreadIndicators(spec.unmetCriteria));
    review = (await db.kysely.selectFrom('review').selectAll().where('id', '=', detail.id).executeTakeFirstOrThrow()) ?? null;
  }
  const at = new Date().toISOString();
  const state = f.state ?? 'commune_consultation';
  const dossier = await db.kysely
    .insertInto('dossier')
    .values({
      unit_id: unitId,
      kind: 'recognition',
      level: f.level ?? 'nang-cao',
      set_id: TEST_SET_ID,
      procedure: f.procedure ?? 'two-level',
      state,
      state_since: f.stateSince ?? '2026-11-30',
      base_review_id: review?.id ?? null,
      recognition_id: null,
      alert_id: null,
      satisfaction_rate: null,
      satisfaction_required: 95,
      no_construction_debt: null,
      security_ok: null,
      deadline: null,
      deadline_task_id: null,
      deadline_note: null,
      opened_on: '2026-11-01',
      closed_on: f.closedOn ?? null,
      is_demo: 0,
      version: 1,
      created_by: 'test',
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  let seq = 0;
  for (const t of f.transitions ?? []) {
    seq += 1;
    await db.kysely
      .insertInto('dossier_transition')
      .values({ dossier_id: dossier.id, seq, action: t.action, from_state: t.from, to_state: t.to, on_date: t.onDate, actor: 'test', actor_role: 'commune_officer', comment: null, at })
      .execute();
  }
  return { dossier, unitId, review };
}

/** A recognition decision of a commune (optionally revoked). */
export async function insertRecognitionFixture(
  db: Db,
  r: { unitId: string; level: string; decisionNo: string; decidedOn: string; revokedOn?: string | null },
): Promise<RecognitionRow> {
  return db.kysely
    .insertInto('recognition')
    .values({
      unit_id: r.unitId,
      level: r.level,
      set_id: null,
      decision_no: r.decisionNo,
      decided_on: r.decidedOn,
      signer: null,
      note: null,
      is_demo: 0,
      created_at: new Date().toISOString(),
      dossier_id: null,
      revoked_on: r.revokedOn ?? null,
      revoked_by_dossier_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
