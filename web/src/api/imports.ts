/**
 * Spreadsheet import and report downloads: the .xlsx goes up as the request body (the server checks
 * it by content); reports and templates come down as plain GET links (the session cookie rides along).
 */
import type { Static } from 'typebox';
import { apiUrl, postFile } from './client.ts';

// The HTTP contract's types (type-only: nothing of the server reaches the bundle).
import type { Bilingual as BilingualSchema } from '../../../src/http/schemas/common.schema.ts';
import type { ImportProblemSchema, ImportResultSchema, ImportRowSchema } from '../../../src/http/schemas/import.schema.ts';

export type ImportProblem = Static<typeof ImportProblemSchema>;
export type ImportResult = Static<typeof ImportResultSchema>;
export type ImportRow = Static<typeof ImportRowSchema>;
export type Bilingual = Static<typeof BilingualSchema>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Check (dryRun) or commit an .xlsx. A refused commit throws ApiError with `details.problems`. */
export async function uploadWorkbook(file: File, opts: { dryRun: boolean; setId?: string | null; date?: string | null; status?: 'draft' | 'submitted'; expectHash?: string | null }): Promise<ImportResult> {
  const url = apiUrl('/imports/xlsx', {
    dryRun: String(opts.dryRun),
    setId: opts.setId,
    date: opts.date,
    status: opts.status,
    expectHash: opts.expectHash,
    fileName: file.name,
  });
  return postFile<ImportResult>(url, file, XLSX_TYPE);
}

export type ReportKind = 'matrix' | 'summary' | 'commune-detail' | 'history' | 'self-assessment' | 'examination';

export function reportUrl(kind: ReportKind, unitId: string, date: string, format: 'xlsx' | 'docx' | 'json'): string {
  return apiUrl(`/reports/${kind}`, { unitId, date, format });
}

export function templateUrl(setId: string, unitId: string, date: string, layout: 'matrix' | 'per-commune' = 'matrix', prefill = false): string {
  return apiUrl('/templates', { setId, unitId, date, layout, prefill: prefill ? 'latest' : undefined });
}
