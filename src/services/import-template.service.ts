/**
 * Mẫu Excel — the template a commune or province officer downloads, fills and uploads: for a
 * criteria set, a set of communes (a commune, every rural commune under a district or province,
 * or `all`) and a review date. Targets shown are those that apply to each commune (its region,
 * group and special status on that date); values can be prefilled from the latest review.
 */
import { PassThrough, type Writable } from 'node:stream';
import type { Db } from '../db/database.ts';
import { listCommunesWithParents, listProvincesValidOn, type UnitWithParents } from '../db/report.repository.ts';
import * as reviews from '../db/review.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CommuneProfile, CriteriaSet, IndicatorValue } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { formatDateVi, isIsoDate, withinPeriod } from '../domain/dates.ts';
import { contextKey, resolveTarget, targetContext, type ResolvedTarget } from '../domain/targets.ts';
import { UNIT_LISTS, unitValidOn, type UnitListId } from '../domain/unit.ts';
import { fileStem } from '../files/reports/model.ts';
import { MAX_COMMUNE_SHEETS, writeTemplate, type TemplateLayout, type TemplateUnit } from '../files/imports/template.ts';
import { RURAL_COMMUNE_TYPE } from './summary.service.ts';
import { getUnit } from './unit.service.ts';
import { authorize } from './access.service.ts';
import { profilesOf } from './evaluation.service.ts';
import type { Actor } from './actor.ts';

export interface TemplateRequest {
  setId: string;
  /** Communes, districts, provinces (their rural communes), or `['all']`. */
  unitIds: string[];
  date: string;
  layout?: TemplateLayout;
  /** `latest`: write in the values of each commune's latest review of this set on or before the date. */
  prefill?: 'none' | 'latest';
  /** Also wards and towns (phường, thị trấn), not only rural communes (xã). */
  includeUrban?: boolean;
}

export interface TemplateOptions {
  /** With an actor: refused unless it may import data for the units. */
  actor?: Actor;
  /** Values to write in, per commune (the benchmark fills a national workbook this way). */
  values?: (unit: TemplateUnit, set: CriteriaSet) => Readonly<Record<string, IndicatorValue>> | undefined;
}

/** The unit list in force on a date. */
export function listIdOn(date: string): UnitListId {
  for (const [id, l] of Object.entries(UNIT_LISTS) as Array<[UnitListId, (typeof UNIT_LISTS)[UnitListId]]>) if (withinPeriod(date, l.validFrom, l.validTo)) return id;
  return '2025-07';
}

function invalid(field: string, vi: string, en: string): DomainError {
  return new DomainError('validation_failed', { vi, en }, { fields: [{ field }] });
}

/** The communes a template covers, in the order they are listed. */
export async function communesFor(db: Db, unitIds: string[], date: string, includeUrban = false): Promise<{ communes: UnitWithParents[]; scopeName: string }> {
  const rural = (c: UnitWithParents) => includeUrban || c.type === RURAL_COMMUNE_TYPE;
  if (unitIds.length === 0) throw invalid('unitId', 'Cần chọn ít nhất một đơn vị.', 'At least one unit is needed.');
  if (unitIds.length === 1 && unitIds[0] === 'all') {
    const provinces = await listProvincesValidOn(db.kysely, date);
    const all = await listCommunesWithParents(db.kysely, date);
    const order = new Map(provinces.map((p, i) => [p.id, i]));
    return {
      communes: all.filter(rural).sort((a, b) => (order.get(a.provinceId ?? '') ?? 0) - (order.get(b.provinceId ?? '') ?? 0) || a.code.localeCompare(b.code)),
      scopeName: 'Toàn quốc',
    };
  }
  const out: UnitWithParents[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const id of unitIds) {
    const unit = await getUnit(db, id);
    names.push(unit.fullName);
    if (!unitValidOn(unit, date)) {
      throw new DomainError('unit_not_valid_on_date', { vi: `${unit.fullName} không có hiệu lực ngày ${formatDateVi(date)}.`, en: `${unit.fullName} is not valid on ${date}.` }, { unitId: id, date });
    }
    const provinceId = unit.level === 'province' ? unit.id : (unit.provinceId ?? undefined);
    const pool = await listCommunesWithParents(db.kysely, date, provinceId);
    const chosen =
      unit.level === 'commune' ? pool.filter((c) => c.id === unit.id) : pool.filter((c) => rural(c) && (unit.level === 'province' || c.parentId === unit.id));
    for (const c of chosen) if (!seen.has(c.id)) (seen.add(c.id), out.push(c));
  }
  return { communes: out, scopeName: names.join(', ') };
}

/** Targets of every indicator for each commune, computed once per distinct region/group. */
export function targetsFor(set: CriteriaSet, profiles: Map<string, CommuneProfile>, date: string): Map<string, ReadonlyMap<string, ResolvedTarget>> {
  const year = Number(date.slice(0, 4));
  const byContext = new Map<string, ReadonlyMap<string, ResolvedTarget>>();
  const out = new Map<string, ReadonlyMap<string, ResolvedTarget>>();
  for (const [id, p] of profiles) {
    const ctx = targetContext(set, p, year);
    const key = contextKey(ctx);
    let targets = byContext.get(key);
    if (!targets) {
      targets = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, resolveTarget(i.target, ctx)] as const));
      byContext.set(key, targets);
    }
    out.set(id, targets);
  }
  return out;
}

async function latestValues(db: Db, setId: string, unitIds: string[], date: string): Promise<Map<string, Record<string, IndicatorValue>>> {
  const out = new Map<string, Record<string, IndicatorValue>>();
  const rows = (await reviews.listReviewsOfUnits(db.kysely, unitIds)).filter((r) => r.set_id === setId && r.reviewed_on <= date);
  const latest = new Map<string, number>();
  for (const r of rows) if (!latest.has(r.unit_id)) latest.set(r.unit_id, r.id);
  const values = await reviews.currentValuesOfReviews(db.kysely, [...latest.values()]);
  for (const [unitId, reviewId] of latest) {
    out.set(unitId, Object.fromEntries((values.get(reviewId) ?? []).map((v) => [v.indicator_code, JSON.parse(v.value_json) as IndicatorValue])));
  }
  return out;
}

/** Write the template for `req` to `out`; returns its file name and size in communes. */
export async function writeTemplateFor(db: Db, req: TemplateRequest, out: Writable, opts: TemplateOptions = {}): Promise<{ fileName: string; communes: number }> {
  if (!isIsoDate(req.date)) throw invalid('date', `Ngày "${req.date}" không hợp lệ (cần YYYY-MM-DD).`, `Date "${req.date}" is not a valid YYYY-MM-DD date.`);
  const catalog = getCatalog();
  const set = catalog.get(req.setId);
  if (!withinPeriod(req.date, set.validFrom, set.validTo)) {
    throw new DomainError(
      'date_outside_set_validity',
      {
        vi: `Ngày ${formatDateVi(req.date)} nằm ngoài thời gian áp dụng của bộ tiêu chí "${set.name}" (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `Date ${req.date} is outside the validity of criteria set "${set.id}" (${set.validFrom} – ${set.validTo ?? 'now'}).`,
      },
      { fields: [{ field: 'date' }] },
    );
  }
  const layout = req.layout ?? 'matrix';
  if (opts.actor) {
    if (req.unitIds.length === 1 && req.unitIds[0] === 'all') await authorize(db, opts.actor, 'data.import', 'everywhere');
    else for (const id of req.unitIds) await authorize(db, opts.actor, 'data.import', id);
  }
  const { communes, scopeName } = await communesFor(db, req.unitIds, req.date, req.includeUrban ?? false);
  if (communes.length === 0) throw invalid('unitId', `Không có xã nào của ${scopeName} có hiệu lực ngày ${formatDateVi(req.date)}.`, `${scopeName} has no rural commune valid on ${req.date}.`);
  if (layout !== 'matrix' && communes.length > MAX_COMMUNE_SHEETS) {
    throw invalid('layout', `Mẫu "mỗi xã một trang" chỉ dùng cho tối đa ${MAX_COMMUNE_SHEETS} xã (có ${communes.length}); hãy dùng mẫu ma trận.`, `One sheet per commune is limited to ${MAX_COMMUNE_SHEETS} communes (got ${communes.length}); use the matrix layout.`);
  }
  const profiles = await profilesOf(db.kysely, communes, req.date);
  const targets = targetsFor(set, profiles, req.date);
  const prefilled = req.prefill === 'latest' ? await latestValues(db, set.id, communes.map((c) => c.id), req.date) : null;
  const units: TemplateUnit[] = communes.map((c) => ({ id: c.id, code: c.code, name: c.name, fullName: c.fullName, parentName: c.parentName, targets: targets.get(c.id)! }));
  await writeTemplate(
    {
      set,
      setHash: catalog.hash(set.id),
      listId: listIdOn(req.date),
      date: req.date,
      layout,
      scopeName,
      units,
      prefill: opts.values ? (u) => opts.values!(u, set) : prefilled ? (u) => prefilled.get(u.id) : undefined,
      generatedAt: new Date().toISOString(),
      demo: set.demo,
    },
    out,
  );
  return { fileName: `${fileStem('mau-nhap-lieu', scopeName.length > 60 ? 'nhieu-don-vi' : scopeName, set.id, req.date)}.xlsx`, communes: communes.length };
}

/** The template as a Buffer (HTTP downloads of ordinary size). */
export async function templateBuffer(db: Db, req: TemplateRequest, opts: TemplateOptions = {}): Promise<{ body: Buffer; fileName: string; communes: number }> {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pass.on('end', resolve);
    pass.on('error', reject);
  });
  const r = await writeTemplateFor(db, req, pass, opts);
  await ended;
  return { body: Buffer.concat(chunks), ...r };
}
