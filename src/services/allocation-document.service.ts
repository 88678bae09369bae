/**
 * Phương án phân bổ kinh phí thành văn bản — a budget allocation (issue 15) as the files the
 * steering committee works from: the workbook (src/files/plans/allocation-workbook.ts) and the
 * one-page Word note in the Decree 30/2020 layout (src/files/plans/allocation-note.ts). Computed
 * like `POST /plans/allocation` (`allocateWhatIf`: the same authorisation, validation and figures);
 * a read, so nothing is audited. Demo databases say so in both files, as the reports do.
 */
import type { Db } from '../db/database.ts';
import { listCommittees } from '../db/committee.repository.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';
import { unitNameOn } from '../domain/unit-names.ts';
import { allocationFileStem, allocationWorkbook } from '../files/plans/allocation-workbook.ts';
import { allocationNote } from '../files/plans/allocation-note.ts';
import type { Actor } from './actor.ts';
import { allocateWhatIf, type UnitAllocationRequest } from './planning.service.ts';
import { getUnit } from './unit.service.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface AllocationFile {
  fileName: string;
  contentType: string;
  buffer: Buffer;
}

type Request = UnitAllocationRequest & { fixed?: Record<string, string[]> };

/** The allocation as a workbook: summary, chosen actions, communes, what was left out. */
export async function allocationWorkbookFile(db: Db, actor: Actor, req: Request): Promise<AllocationFile> {
  const a = await allocateWhatIf(db, actor, req);
  const buffer = await allocationWorkbook(a, { generatedAt: new Date().toISOString(), fixed: req.fixed ?? {}, demo: await isDemoDatabase(db.kysely) });
  return { fileName: `${allocationFileStem(a)}.xlsx`, contentType: XLSX_CONTENT_TYPE, buffer };
}

/**
 * The allocation as the one-page proposal of the unit's steering committee (its name as recorded
 * for the period of the date, else "Ban Chỉ đạo các chương trình mục tiêu quốc gia <unit>"), the
 * unit named as it was on the date.
 */
export async function allocationNoteFile(db: Db, actor: Actor, req: Request): Promise<AllocationFile> {
  const a = await allocateWhatIf(db, actor, req);
  const unit = await getUnit(db.kysely, req.unitId);
  const committee = (await listCommittees(db.kysely, [req.unitId])).find((c) => c.period_from <= a.date && (c.period_to === null || c.period_to >= a.date));
  const buffer = await allocationNote(a, {
    unit: unitNameOn(unit, a.date),
    committeeName: committee?.name ?? null,
    generatedAt: new Date().toISOString(),
    fixed: req.fixed ?? {},
    demo: await isDemoDatabase(db.kysely),
  });
  return { fileName: `${allocationFileStem(a)}.docx`, contentType: DOCX_CONTENT_TYPE, buffer };
}
