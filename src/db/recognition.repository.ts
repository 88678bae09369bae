/** Recognitions (quyết định công nhận): the official level a commune was granted. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, RecognitionRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewRecognition {
  unitId: string;
  level: string;
  setId: string | null;
  decisionNo: string;
  decidedOn: string;
  signer: string | null;
  note: string | null;
  isDemo: boolean;
  at: string;
}

export async function insertRecognition(db: Q, r: NewRecognition): Promise<RecognitionRow> {
  return db
    .insertInto('recognition')
    .values({
      unit_id: r.unitId,
      level: r.level,
      set_id: r.setId,
      decision_no: r.decisionNo,
      decided_on: r.decidedOn,
      signer: r.signer,
      note: r.note,
      is_demo: r.isDemo ? 1 : 0,
      created_at: r.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listRecognitionsOfUnits(db: Q, unitIds: string[]): Promise<RecognitionRow[]> {
  if (unitIds.length === 0) return [];
  const out: RecognitionRow[] = [];
  for (let i = 0; i < unitIds.length; i += 900) {
    out.push(
      ...(await db
        .selectFrom('recognition')
        .selectAll()
        .where('unit_id', 'in', unitIds.slice(i, i + 900))
        .orderBy('decided_on', 'asc')
        .execute()),
    );
  }
  return out;
}
