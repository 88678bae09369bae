/**
 * Spreadsheet import and report downloads: the .xlsx goes up as the request body (the server checks
 * it by content); reports and templates come down as plain GET links (the session cookie rides along).
 */
import { apiUrl, postFile } from './client.ts';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface ImportProblem {
  severity: 'error' | 'warning';
  code: string;
  sheet: string | null;
  cell: string | null;
  row: number | null;
  value: string | null;
  message: Bilingual;
}

export interface ImportRow {
  sheet: string;
  row: number;
  unitId: string | null;
  unitName: string | null;
  reviewedOn: string | null;
  action: 'create' | 'update' | 'unchanged' | 'skip' | 'error';
  reviewId: number | null;
  values: number;
  changed: number;
  errors: number;
}

export interface ImportResult {
  fileName: string | null;
  fileHash: string;
  fileSize: number;
  source: 'template' | 'hand-made';
  setId: string | null;
  setName: string | null;
  dryRun: boolean;
  committed: boolean;
  status: 'draft' | 'submitted';
  sheets: Array<{ name: string; layout: string; rows: number }>;
  counts: { rows: number; create: number; update: number; unchanged: number; skipped: number; withErrors: number };
  errors: number;
  warnings: number;
  problems: ImportProblem[];
  problemsTruncated: boolean;
  rows: ImportRow[];
  rowsTruncated: boolean;
  ms: number;
}

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
