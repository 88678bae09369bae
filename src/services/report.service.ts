/**
 * Xuất báo cáo — gathers the data of a report (summaries, commune pages, trends), builds its pure
 * model (src/files/reports/builders) and renders it as xlsx, docx or JSON (the screen). One function
 * per report; `renderReport` picks the format. Read-only: nothing here writes.
 */
import type { Writable } from 'node:stream';
import type { Db } from '../db/database.ts';
import { listProvincesValidOn } from '../db/report.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DomainError } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import type { Report } from '../files/reports/model.ts';
import { writeXlsx, xlsxBuffer } from '../files/reports/xlsx.ts';
import { docxBuffer } from '../files/reports/docx.ts';
import { buildMatrixReport } from '../files/reports/builders/matrix.report.ts';
import { buildUnitSummaryReport } from '../files/reports/builders/unit-summary.report.ts';
import { buildCommuneDetailReport, buildExaminationReport, buildSelfAssessmentReport, type CommuneReportInput } from '../files/reports/builders/commune.report.ts';
import { buildCommuneHistoryReport, buildUnitHistoryReport } from '../files/reports/builders/history.report.ts';
import type { OfficialOptions } from '../files/reports/builders/official.ts';
import { LEVELS } from '../domain/criteria.ts';
import { getUnitSummary, getUnitTrend } from './summary.service.ts';
import { COUNTRY_ID, COUNTRY_NAME, nationalCommuneSummary, rankedProvinces } from './national-summary.service.ts';
import type { UnitSummary } from '../files/reports/inputs.ts';
import { getCommunePage } from './commune-page.service.ts';
import { getReview } from './review.service.ts';
import { getUnit } from './unit.service.ts';
import { dateVi } from '../files/format.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { findUnits } from '../db/unit.repository.ts';
import { FORMER_NAMES, fullNameOn, unitNameOn, type UnitNameParts } from '../domain/unit-names.ts';

export type ReportFormat = 'xlsx' | 'docx' | 'json';
export const REPORT_KINDS = ['matrix', 'summary', 'commune-detail', 'history', 'self-assessment', 'examination'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Formats each report renders to. */
export const REPORT_FORMATS: Readonly<Record<ReportKind, readonly ReportFormat[]>> = {
  matrix: ['xlsx', 'json'],
  summary: ['xlsx', 'docx', 'json'],
  'commune-detail': ['xlsx', 'json'],
  history: ['xlsx', 'json'],
  'self-assessment': ['docx', 'json'],
  examination: ['docx', 'json'],
};

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json; charset=utf-8',
};

export interface ReportRequest {
  kind: ReportKind;
  /** Unit ids: one for most reports; several (or `all`) for a matrix. */
  unitIds: string[];
  date: string;
  reviewId?: number;
  official?: OfficialOptions;
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) {
    throw new DomainError('validation_failed', { vi: `Ngày "${date}" không hợp lệ (cần YYYY-MM-DD).`, en: `Date "${date}" is not a valid YYYY-MM-DD date.` }, { fields: [{ field: 'date' }] });
  }
}

function oneUnit(req: ReportRequest): string {
  if (req.unitIds.length !== 1 || req.unitIds[0] === 'all') {
    throw new DomainError('validation_failed', { vi: 'Báo cáo này cần đúng một đơn vị (unitId).', en: 'This report needs exactly one unit (unitId).' }, { fields: [{ field: 'unitId' }] });
  }
  return req.unitIds[0]!;
}

/** May the actor export reports of these units (`all`: of every unit)? */
async function mayExport(db: Db, actor: Actor | undefined, unitIds: string[]): Promise<void> {
  if (!actor) return;
  if (unitIds.length === 1 && unitIds[0] === 'all') return authorize(db, actor, 'report.export', 'everywhere');
  // The country: only the central office and administrators (as GET /units/VN/summary).
  if (unitIds.includes(COUNTRY_ID)) return authorize(db, actor, 'national.read', 'everywhere');
  for (const id of unitIds) await authorize(db, actor, 'report.export', id);
}

/** The units whose lists' names were not yet in force at some date, by their current full name. */
async function renamedUnits(db: Db): Promise<Map<string, UnitNameParts>> {
  const units = await findUnits(db.kysely, [...new Set(FORMER_NAMES.map((f) => f.unitId))]);
  return new Map(units.map((u) => [u.fullName, { id: u.id, type: u.type, name: u.name }]));
}

/**
 * Names as they were on `date` (the lists keep today's: "Thị xã Kim Bảng" was "Huyện Kim Bảng" in
 * 2023): a summary's unit and the parents its communes are listed under.
 */
export async function summaryNamedOn(db: Db, s: UnitSummary, date: string): Promise<UnitSummary> {
  const renamed = await renamedUnits(db);
  if (renamed.size === 0) return s;
  const on = (full: string) => fullNameOn(full, date, renamed);
  const self = renamed.get(s.unit.fullName);
  const unit = self ? unitNameOn(self, date) : { name: s.unit.name, fullName: s.unit.fullName };
  return {
    ...s,
    unit: { ...s.unit, name: unit.name, fullName: unit.fullName, parentNames: s.unit.parentNames.map(on) },
    communes: s.communes.map((c) => (c.parentName ? { ...c, parentName: on(c.parentName) } : c)),
  };
}

/** A unit's path ("Xã Nguyễn Úy, Thị xã Kim Bảng, Tỉnh Hà Nam") with the names in force on `date`. */
async function pathOn(db: Db, path: string, date: string): Promise<string> {
  const renamed = await renamedUnits(db);
  return path
    .split(', ')
    .map((p) => fullNameOn(p, date, renamed))
    .join(', ');
}

/** Ma trận: one unit, several, or `all` (every province valid on the date: the national matrix). */
export async function matrixReport(db: Db, unitIds: string[], date: string, onProgress?: (done: number, total: number) => void, actor?: Actor): Promise<Report> {
  checkDate(date);
  await mayExport(db, actor, unitIds);
  const ids = unitIds.length === 1 && unitIds[0] === 'all' ? (await listProvincesValidOn(db.kysely, date)).map((u) => u.id) : unitIds;
  if (ids.length === 0) throw new DomainError('validation_failed', { vi: 'Cần ít nhất một đơn vị.', en: 'At least one unit is needed.' }, { fields: [{ field: 'unitId' }] });
  const summaries: UnitSummary[] = [];
  for (const [i, id] of ids.entries()) {
    summaries.push(await summaryNamedOn(db, await getUnitSummary(db, id, date), date));
    onProgress?.(i + 1, ids.length);
  }
  const scopeName = unitIds[0] === 'all' ? 'Toàn quốc' : summaries.map((s) => s.unit.fullName).join(', ');
  return buildMatrixReport({ scopeName, date, summaries });
}

export async function summaryReport(db: Db, unitId: string, date: string, official?: OfficialOptions): Promise<Report> {
  checkDate(date);
  const summary = await summaryNamedOn(db, await getUnitSummary(db, unitId, date), date);
  const unit = await getUnit(db, unitId);
  const parentRef = unit.parents[0];
  const parent = parentRef ? await getUnit(db, parentRef.id) : null;
  return buildUnitSummaryReport({
    summary,
    unit: unitNameOn(unit, date),
    parent: parent ? unitNameOn(parent, date) : null,
    official,
  });
}

/** Báo cáo tổng hợp toàn quốc: the unit summary's workbook and Word report for the country (`VN`). */
export async function nationalSummaryReport(db: Db, date: string, official?: OfficialOptions): Promise<Report> {
  checkDate(date);
  const { provinces, summary, byProvince } = await nationalCommuneSummary(db, date);
  const ranked = rankedProvinces(provinces, byProvince);
  const above = (c: Record<string, number>, from: number) => LEVELS.slice(from).reduce((n, l) => n + (c[l] ?? 0), 0);
  return buildUnitSummaryReport({
    summary: await summaryNamedOn(db, summary, date),
    unit: { type: '', name: COUNTRY_NAME.name },
    parent: null,
    official,
    national: {
      provinces: ranked.map((p) => ({ fullName: p.fullName, denominator: p.denominator, reviewed: p.reviewed, atNtm: above(p.byLevel, 0), atAdvanced: above(p.byLevel, 1), recognisedNtm: above(p.recognisedByLevel, 0) })),
    },
  });
}

/** The commune, its review (the one asked for, else the latest submitted, else the latest draft) and verdict. */
async function communeInput(db: Db, unitId: string, date: string, reviewId: number | undefined, official?: OfficialOptions): Promise<CommuneReportInput> {
  checkDate(date);
  const unit = await getUnit(db, unitId);
  if (unit.level !== 'commune') {
    throw new DomainError('validation_failed', { vi: `"${unit.fullName}" không phải đơn vị cấp xã.`, en: `"${unit.fullName}" is not a commune-level unit.` }, { fields: [{ field: 'unitId' }] });
  }
  const parentRef = unit.parents[0];
  const parent = parentRef ? await getUnit(db, parentRef.id) : null;
  let review: CommuneReportInput['review'];
  let verdict: CommuneReportInput['verdict'];
  let setId: string;
  if (reviewId !== undefined) {
    const r = await getReview(db, reviewId);
    if (r.unitId !== unit.id) throw new DomainError('validation_failed', { vi: `Bản rà soát ${reviewId} không thuộc ${unit.fullName}.`, en: `Review ${reviewId} is not a review of ${unit.fullName}.` }, { fields: [{ field: 'reviewId' }] });
    review = { id: r.id, reviewedOn: r.reviewedOn, status: r.status, isDemo: r.isDemo };
    verdict = r.evaluation;
    setId = r.setId;
  } else {
    const page = await getCommunePage(db, unitId, date);
    const chosen = page.review ?? page.draft;
    if (!chosen) {
      throw new DomainError('not_found', { vi: `${unit.fullName} chưa có bản rà soát nào đến ngày ${dateVi(date)}.`, en: `${unit.fullName} has no review on or before ${date}.` }, { unitId, date });
    }
    const full = page.review && page.evaluation ? null : await getReview(db, chosen.id);
    review = { id: chosen.id, reviewedOn: chosen.reviewedOn, status: chosen.status, isDemo: chosen.isDemo };
    verdict = full ? full.evaluation : page.evaluation!;
    setId = chosen.setId;
  }
  // Named as on the review's date (a commune's district may have been renamed since).
  const on = review.reviewedOn;
  return {
    unit: { ...unitNameOn(unit, on), code: unit.code, path: await pathOn(db, unit.path, on) },
    parent: parent ? unitNameOn(parent, on) : null,
    review,
    set: getCatalog().get(setId),
    verdict,
    official,
  };
}

export async function historyReport(db: Db, unitId: string, date: string): Promise<Report> {
  checkDate(date);
  const unit = await getUnit(db, unitId);
  if (unit.level === 'commune') {
    const page = await getCommunePage(db, unitId, date);
    return buildCommuneHistoryReport({ unitName: unit.fullName, to: date, history: page.history, demo: page.history.some((h) => h.isDemo) });
  }
  const points = await getUnitTrend(db, unitId, date);
  const summary = points.length ? await getUnitSummary(db, unitId, points.at(-1)!.date) : null;
  return buildUnitHistoryReport({ unitName: unit.fullName, to: date, points, demo: summary?.isDemo ?? false });
}

/** Build the model of any report. With an actor: refused unless it may export reports of the units. */
export async function buildReport(db: Db, req: ReportRequest, actor?: Actor): Promise<Report> {
  await mayExport(db, actor, req.unitIds);
  switch (req.kind) {
    case 'matrix':
      return matrixReport(db, req.unitIds, req.date);
    case 'summary':
      return oneUnit(req) === COUNTRY_ID ? nationalSummaryReport(db, req.date, req.official) : summaryReport(db, oneUnit(req), req.date, req.official);
    case 'history':
      return historyReport(db, oneUnit(req), req.date);
    case 'commune-detail':
      return buildCommuneDetailReport(await communeInput(db, oneUnit(req), req.date, req.reviewId, req.official));
    case 'self-assessment':
      return buildSelfAssessmentReport(await communeInput(db, oneUnit(req), req.date, req.reviewId, req.official));
    case 'examination':
      return buildExaminationReport(await communeInput(db, oneUnit(req), req.date, req.reviewId, req.official));
  }
}

export function checkFormat(kind: ReportKind, format: ReportFormat): void {
  if (!REPORT_FORMATS[kind].includes(format)) {
    throw new DomainError(
      'validation_failed',
      { vi: `Báo cáo "${kind}" không xuất được dạng ${format} (có: ${REPORT_FORMATS[kind].join(', ')}).`, en: `Report "${kind}" has no ${format} form (available: ${REPORT_FORMATS[kind].join(', ')}).` },
      { fields: [{ field: 'format' }] },
    );
  }
}

export interface RenderedReport {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Render a report model to bytes. */
export async function renderReport(report: Report, format: ReportFormat): Promise<RenderedReport> {
  const body = format === 'xlsx' ? await xlsxBuffer(report) : format === 'docx' ? await docxBuffer(report) : Buffer.from(JSON.stringify(report));
  return { body, contentType: CONTENT_TYPES[format], fileName: `${report.fileName}.${format}` };
}

/** Build and render in one go (what the API and CLI call). */
export async function exportReport(db: Db, req: ReportRequest, format: ReportFormat, actor?: Actor): Promise<RenderedReport> {
  checkFormat(req.kind, format);
  return renderReport(await buildReport(db, req, actor), format);
}

/** Stream a spreadsheet report to `out` (large matrices: rows are written as they go). */
export async function streamXlsxReport(report: Report, out: Writable): Promise<void> {
  await writeXlsx(report, out);
}
