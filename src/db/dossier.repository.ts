/** Hồ sơ công nhận: dossiers, their append-only transitions, document versions, revocation alerts. */
import type { Kysely, Transaction, Insertable, Updateable } from 'kysely';
import type {
  Database,
  DossierDocumentRow,
  DossierRow,
  DossierTable,
  DossierTransitionRow,
  RecognitionRow,
  RevocationAlertRow,
  RevocationAlertTable,
} from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertDossier(db: Q, row: Insertable<DossierTable>): Promise<DossierRow> {
  return db.insertInto('dossier').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findDossier(db: Q, id: number): Promise<DossierRow | undefined> {
  return db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface DossierQuery {
  unitIds?: readonly string[];
  open?: boolean;
  kind?: 'recognition' | 'revocation';
}

export async function listDossiers(db: Q, q: DossierQuery): Promise<DossierRow[]> {
  let sel = db.selectFrom('dossier').selectAll();
  if (q.unitIds) {
    if (q.unitIds.length === 0) return [];
    sel = sel.where('unit_id', 'in', [...q.unitIds]);
  }
  if (q.open === true) sel = sel.where('closed_on', 'is', null);
  if (q.open === false) sel = sel.where('closed_on', 'is not', null);
  if (q.kind) sel = sel.where('kind', '=', q.kind);
  return sel.orderBy('opened_on', 'desc').orderBy('id', 'desc').limit(2000).execute();
}

/** An open dossier of the same commune, kind and level (only one may run at a time). */
export async function findOpenDossier(db: Q, unitId: string, kind: string, level: string): Promise<DossierRow | undefined> {
  return db
    .selectFrom('dossier')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('kind', '=', kind as DossierRow['kind'])
    .where('level', '=', level)
    .where('closed_on', 'is', null)
    .executeTakeFirst();
}

/** Update at the expected version (bumping it); false when someone else moved first. */
export async function bumpDossier(db: Q, id: number, expected: number, changes: Updateable<DossierTable>): Promise<boolean> {
  const r = await db
    .updateTable('dossier')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function appendTransition(db: Q, row: Omit<DossierTransitionRow, 'id' | 'seq'>): Promise<DossierTransitionRow> {
  const last = await db.selectFrom('dossier_transition').select((eb) => eb.fn.max('seq').as('m')).where('dossier_id', '=', row.dossier_id).executeTakeFirst();
  const seq = Number(last?.m ?? 0) + 1;
  return db.insertInto('dossier_transition').values({ ...row, seq }).returningAll().executeTakeFirstOrThrow();
}

/** The latest move of each of these dossiers. */
export async function lastTransitions(db: Q, dossierIds: readonly number[]): Promise<Map<number, DossierTransitionRow>> {
  if (dossierIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('dossier_transition as t')
    .selectAll('t')
    .where('t.dossier_id', 'in', [...dossierIds])
    .where('t.seq', '=', (eb) => eb.selectFrom('dossier_transition as u').select((u) => u.fn.max('u.seq').as('m')).whereRef('u.dossier_id', '=', 't.dossier_id'))
    .execute();
  return new Map(rows.map((r) => [r.dossier_id, r]));
}

export async function listTransitions(db: Q, dossierId: number): Promise<DossierTransitionRow[]> {
  return db.selectFrom('dossier_transition').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

export async function insertDocument(db: Q, row: Omit<DossierDocumentRow, 'id' | 'version'>): Promise<DossierDocumentRow> {
  const last = await db
    .selectFrom('dossier_document')
    .select((eb) => eb.fn.max('version').as('m'))
    .where('dossier_id', '=', row.dossier_id)
    .where('doc_type', '=', row.doc_type)
    .executeTakeFirst();
  const version = Number(last?.m ?? 0) + 1;
  return db.insertInto('dossier_document').values({ ...row, version }).returningAll().executeTakeFirstOrThrow();
}

export async function listDocuments(db: Q, dossierId: number): Promise<DossierDocumentRow[]> {
  return db.selectFrom('dossier_document').selectAll().where('dossier_id', '=', dossierId).orderBy('doc_type').orderBy('version', 'desc').execute();
}

export async function findDocument(db: Q, id: number): Promise<DossierDocumentRow | undefined> {
  return db.selectFrom('dossier_document').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRecognition(db: Q, id: number): Promise<RecognitionRow | undefined> {
  return db.selectFrom('recognition').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRecognitionOfDossier(db: Q, dossierId: number): Promise<RecognitionRow | undefined> {
  return db.selectFrom('recognition').selectAll().where('dossier_id', '=', dossierId).executeTakeFirst();
}

/** The recognition a dossier's decision created points back to the dossier. */
export async function linkRecognitionToDossier(db: Q, recognitionId: number, dossierId: number): Promise<void> {
  await db.updateTable('recognition').set({ dossier_id: dossierId }).where('id', '=', recognitionId).execute();
}

export async function markRecognitionRevoked(db: Q, id: number, on: string, dossierId: number): Promise<void> {
  await db.updateTable('recognition').set({ revoked_on: on, revoked_by_dossier_id: dossierId }).where('id', '=', id).execute();
}

// ── Revocation alerts ──────────────────────────────────────────────────────────────────────

/** Insert unless this review already raised an alert for this recognition; the row either way. */
export async function insertAlertOnce(db: Q, row: Insertable<RevocationAlertTable>): Promise<{ row: RevocationAlertRow; created: boolean }> {
  const existing = await db
    .selectFrom('revocation_alert')
    .selectAll()
    .where('review_id', '=', row.review_id)
    .where('recognition_id', '=', row.recognition_id)
    .executeTakeFirst();
  if (existing) return { row: existing, created: false };
  return { row: await db.insertInto('revocation_alert').values(row).returningAll().executeTakeFirstOrThrow(), created: true };
}

export async function findAlert(db: Q, id: number): Promise<RevocationAlertRow | undefined> {
  return db.selectFrom('revocation_alert').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAlerts(db: Q, q: { unitIds?: readonly string[]; status?: string }): Promise<RevocationAlertRow[]> {
  let sel = db.selectFrom('revocation_alert').selectAll();
  if (q.unitIds) {
    if (q.unitIds.length === 0) return [];
    sel = sel.where('unit_id', 'in', [...q.unitIds]);
  }
  if (q.status) sel = sel.where('status', '=', q.status as RevocationAlertRow['status']);
  return sel.orderBy('created_at', 'desc').limit(1000).execute();
}

export async function updateAlert(db: Q, id: number, expectedStatus: string, changes: Updateable<RevocationAlertTable>): Promise<boolean> {
  const r = await db
    .updateTable('revocation_alert')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', expectedStatus as RevocationAlertRow['status'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
