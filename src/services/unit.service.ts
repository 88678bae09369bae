/**
 * Administrative units: read one with its parents, attributes and lineage; search by name without
 * diacritics; list children and the communes under a unit on a date; the whole tree; the commune
 * profile the evaluation engine needs; set an attribute period (audited).
 *
 * Every function takes either the `Db` handle or a `Kysely<Database>` (a transaction included),
 * and returns plain objects. Errors are `DomainError`s with Vietnamese and English messages.
 */
import type { Kysely } from 'kysely';
import { kyselyOf, type Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import * as repo from '../db/unit.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { DomainError, type BilingualMessage } from '../domain/errors.ts';
import { formatDateVi, isIsoDate, todayInVietnam } from '../domain/dates.ts';
import { foldVietnamese } from '../domain/text.ts';
import type { CommuneProfile } from '../domain/criteria.ts';
import {
  ATTRIBUTE_NAMES,
  UNIT_LEVELS,
  UNIT_LISTS,
  UNIT_TYPES,
  dayBefore,
  groupOf,
  isUnitLevel,
  parseAttributeValue,
  parseUnitId,
  periodText,
  periodsOverlap,
  regionOf,
  specialOf,
  toUnitRef,
  unitValidOn,
  type AttributeName,
  type LinkedUnit,
  type Unit,
  type UnitAttribute,
  type UnitLevel,
  type UnitRef,
} from '../domain/unit.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';

export { unitValidOn };
export type { Unit, UnitRef, LinkedUnit, UnitAttribute, UnitLevel, AttributeName };

/** The database handle, or a Kysely instance / transaction. */
export type UnitDb = Db | Kysely<Database>;

/** Run `fn` in a transaction, or in the caller's when `q` already is one. */
function inTransaction<T>(q: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return q.isTransaction ? fn(q) : q.transaction().execute(fn);
}

// ── Errors ────────────────────────────────────────────────────────────────────────────────

function invalid(field: string, message: BilingualMessage, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('validation_failed', message, { fields: [{ field }], ...extra });
}

function checkDate(field: string, value: string | null | undefined, label: BilingualMessage): void {
  if (value === null || value === undefined) return;
  if (!isIsoDate(value)) {
    throw invalid(field, {
      vi: `${label.vi} "${value}" không hợp lệ (cần ngày dạng YYYY-MM-DD).`,
      en: `${label.en} "${value}" is not a valid YYYY-MM-DD date.`,
    });
  }
}

const DATE_LABEL: BilingualMessage = { vi: 'Ngày', en: 'Date' };

/** The unit with this id, or `not_found` (or `validation_failed` for an id without its list). */
async function loadUnit(db: Kysely<Database>, id: string, field = 'unitId'): Promise<Unit> {
  const unit = typeof id === 'string' ? await repo.findUnit(db, id) : undefined;
  if (unit) return unit;
  if (typeof id === 'string' && /^\d{2,5}$/.test(id.trim())) {
    // A bare code: codes are reused between lists, so say which units it could mean.
    const ids = Object.keys(UNIT_LISTS).map((l) => `${id.trim()}@${l}`);
    const found = (await repo.findUnits(db, ids)).map((u) => `${u.id} (${u.fullName})`);
    throw invalid(
      field,
      {
        vi: `Mã "${id}" thiếu phiên bản danh mục: mã được dùng lại giữa các danh mục, hãy dùng <mã>@<danh mục>${found.length ? `, ví dụ ${found.join(' hoặc ')}` : ''}.`,
        en: `Unit id "${id}" lacks its list version: codes are reused between lists, use <code>@<list>${found.length ? `, e.g. ${found.join(' or ')}` : ''}.`,
      },
      { id },
    );
  }
  throw new DomainError(
    'not_found',
    {
      vi: `Không tìm thấy đơn vị hành chính "${id}"${parseUnitId(String(id)) ? '' : ' (mã đơn vị có dạng <mã>@<danh mục>, ví dụ 13510@2025-03)'}.`,
      en: `Administrative unit "${id}" not found${parseUnitId(String(id)) ? '' : ' (unit ids look like <code>@<list>, e.g. 13510@2025-03)'}.`,
    },
    { id, fields: [{ field }] },
  );
}

// ── Reading ───────────────────────────────────────────────────────────────────────────────

/** Một đơn vị — a unit with its parents (nearest first), attributes and lineage. */
export interface UnitDetail extends Unit {
  /** Nearest first: district then province (March 2025 communes), province (others). */
  parents: UnitRef[];
  /** "Xã Tràng An, Huyện Bình Lục, Tỉnh Hà Nam". */
  path: string;
  attributes: UnitAttribute[];
  /** Units this one came from (2025 merges), with the part of each. */
  predecessors: LinkedUnit[];
  /** Units this one went into. */
  successors: LinkedUnit[];
}

async function parentsOf(db: Kysely<Database>, unit: Unit): Promise<UnitRef[]> {
  const ids = [unit.parentId, unit.provinceId].filter((x): x is string => x !== null && x !== unit.id);
  const found = new Map((await repo.findUnits(db, ids)).map((u) => [u.id, u]));
  const out: UnitRef[] = [];
  for (const id of [...new Set(ids)]) {
    const u = found.get(id);
    if (u) out.push(toUnitRef(u));
  }
  return out;
}

function pathOf(unit: { fullName: string }, parents: readonly UnitRef[]): string {
  return [unit.fullName, ...parents.map((p) => p.fullName)].join(', ');
}

export async function getUnit(db: UnitDb, id: string): Promise<UnitDetail> {
  const q = kyselyOf(db);
  const unit = await loadUnit(q, id, 'id');
  const [parents, attributes, lineage] = await Promise.all([parentsOf(q, unit), repo.listAttributes(q, [unit.id]), repo.findLineageOf(q, unit.id)]);
  return { ...unit, parents, path: pathOf(unit, parents), attributes, predecessors: lineage.predecessors, successors: lineage.successors };
}

export interface UnitLineage {
  unit: UnitRef & { listId: string; validFrom: string | null; validTo: string | null };
  predecessors: LinkedUnit[];
  successors: LinkedUnit[];
}

/** Direct predecessors and successors (one step, not transitive). */
export async function getLineage(db: UnitDb, unitId: string): Promise<UnitLineage> {
  const q = kyselyOf(db);
  const unit = await loadUnit(q, unitId);
  const lineage = await repo.findLineageOf(q, unit.id);
  return { unit: { ...toUnitRef(unit), listId: unit.listId, validFrom: unit.validFrom, validTo: unit.validTo }, ...lineage };
}

/** A child in a listing: enough to show and to link. */
export interface UnitListItem extends UnitRef {
  type: string;
  listId: string;
  validFrom: string | null;
  validTo: string | null;
}

function listItem(u: Unit): UnitListItem {
  return { ...toUnitRef(u), type: u.type, listId: u.listId, validFrom: u.validFrom, validTo: u.validTo };
}

/** Direct children of a unit, in code order. */
export async function listChildren(db: UnitDb, parentId: string): Promise<UnitListItem[]> {
  const q = kyselyOf(db);
  const parent = await loadUnit(q, parentId, 'parentId');
  return (await repo.listChildUnits(q, parent.id)).map(listItem);
}

export interface CommuneUnder extends UnitListItem {
  /** Full name of the commune's parent (district, or province in the July 2025 list). */
  parentName: string | null;
}

/**
 * The commune-level units under a province or district that are valid on `date` (a commune gives
 * itself). A unit id names one list version, so this is the unit's own subtree: empty when that
 * list is not in force on `date`.
 */
export async function listCommunesUnder(db: UnitDb, unitId: string, date: string): Promise<CommuneUnder[]> {
  checkDate('date', date, DATE_LABEL);
  if (!date) throw invalid('date', { vi: 'Thiếu ngày.', en: 'A date is required.' });
  const q = kyselyOf(db);
  const unit = await loadUnit(q, unitId);
  return (await repo.listCommunesUnder(q, unit, date)).map((c) => ({ ...listItem(c), parentName: c.parentName }));
}

// ── Search ────────────────────────────────────────────────────────────────────────────────

export interface UnitSearchInput {
  /** Name, with or without diacritics; may start with a unit type ("xã tràng an"). */
  q: string;
  level?: UnitLevel;
  /** Only units valid on this date. */
  date?: string;
  /** Only units in this province (the province itself included). */
  provinceId?: string;
  /** 1–200, default 20. */
  limit?: number;
}

export interface UnitSearchHit extends UnitListItem {
  parents: UnitRef[];
  /** "Xã Tràng An, Huyện Bình Lục, Tỉnh Hà Nam": tells same-named units apart. */
  path: string;
  match: 'exact' | 'prefix' | 'contains';
}

const TYPE_PREFIXES: ReadonlyArray<{ folded: string; type: string }> = [
  ...new Set([...UNIT_TYPES['2025-03'].province, ...UNIT_TYPES['2025-03'].district, ...UNIT_TYPES['2025-03'].commune, ...UNIT_TYPES['2025-07'].commune]),
].map((type) => ({ folded: foldVietnamese(type), type }));

const MATCH: Array<UnitSearchHit['match']> = ['exact', 'prefix', 'contains'];

/**
 * Search by name, diacritics optional: "trang an" finds every Tràng An, each with its parents.
 * Exact folded matches first, then prefix, then contains.
 */
export async function searchUnits(db: UnitDb, input: UnitSearchInput): Promise<UnitSearchHit[]> {
  const raw = typeof input?.q === 'string' ? input.q : '';
  const folded = foldVietnamese(raw);
  if (!folded) throw invalid('q', { vi: 'Cần nhập tên cần tìm.', en: 'A search text (q) is required.' });
  if (raw.length > 100) throw invalid('q', { vi: 'Chuỗi tìm kiếm dài quá 100 ký tự.', en: 'The search text is longer than 100 characters.' });
  if (input.level !== undefined && !isUnitLevel(input.level)) {
    throw invalid('level', { vi: `Cấp "${String(input.level)}" không hợp lệ (cần ${UNIT_LEVELS.join(', ')}).`, en: `Invalid level "${String(input.level)}" (expected ${UNIT_LEVELS.join(', ')}).` });
  }
  checkDate('date', input.date, DATE_LABEL);
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw invalid('limit', { vi: `Giới hạn "${String(limit)}" không hợp lệ (1–200).`, en: `Invalid limit "${String(limit)}" (1–200).` });
  }
  const terms: repo.SearchTerm[] = [{ folded }];
  for (const t of TYPE_PREFIXES) {
    if (folded.startsWith(`${t.folded} `) && folded.length > t.folded.length + 1) terms.push({ folded: folded.slice(t.folded.length + 1), type: t.type });
  }
  const rows = await repo.searchUnitRows(kyselyOf(db), {
    terms,
    limit,
    ...(input.level ? { level: input.level } : {}),
    ...(input.date ? { date: input.date } : {}),
    ...(input.provinceId ? { provinceId: input.provinceId } : {}),
  });
  return rows.map((r) => ({ ...listItem(r), parents: r.parents, path: pathOf(r, r.parents), match: MATCH[r.rank] ?? 'contains' }));
}

// ── Tree ──────────────────────────────────────────────────────────────────────────────────

export interface UnitTreeNode {
  id: string;
  code: string;
  name: string;
  type: string;
  /** Absent on leaves. */
  children?: UnitTreeNode[];
}

export interface UnitTree {
  /** The list shown (null when a date spans none). */
  listId: string | null;
  date: string | null;
  counts: Record<UnitLevel, number>;
  provinces: UnitTreeNode[];
}

/**
 * Provinces → districts → communes of one list (`listId`) or of the units valid on `date`
 * (default: today in Vietnam). Compact: id, code, name, type, children.
 */
export async function getTree(db: UnitDb, input: { listId?: string; date?: string } = {}): Promise<UnitTree> {
  const listId = input.listId || undefined;
  if (listId !== undefined && !(listId in UNIT_LISTS)) {
    throw invalid('listId', { vi: `Danh mục "${listId}" không có (cần ${Object.keys(UNIT_LISTS).join(', ')}).`, en: `Unknown list "${listId}" (expected ${Object.keys(UNIT_LISTS).join(', ')}).` });
  }
  checkDate('date', input.date || null, DATE_LABEL);
  const date = input.date || (listId ? null : todayInVietnam());
  const units = listId ? await repo.listUnitsOfLists(kyselyOf(db), [listId], date ? { validOn: date } : {}) : await repo.listUnitsValidOn(kyselyOf(db), date!);
  const nodes = new Map<string, UnitTreeNode>();
  for (const u of units) nodes.set(u.id, { id: u.id, code: u.code, name: u.name, type: u.type });
  const provinces: UnitTreeNode[] = [];
  const counts: Record<UnitLevel, number> = { province: 0, district: 0, commune: 0 };
  for (const u of units) {
    counts[u.level]++;
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else if (u.level === 'province') provinces.push(node);
  }
  const lists = [...new Set(units.map((u) => u.listId))];
  return { listId: listId ?? (lists.length === 1 ? lists[0]! : null), date, counts, provinces };
}

// ── Commune profile ───────────────────────────────────────────────────────────────────────

function pickValid(attrs: readonly UnitAttribute[], unitId: string, name: AttributeName, date: string): UnitAttribute | undefined {
  const valid = attrs.filter((a) => a.unitId === unitId && a.name === name && unitValidOn(a, date));
  // Latest start wins if periods ever overlap.
  return valid.sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? '') || a.id - b.id).at(-1);
}

/**
 * What the evaluation engine needs about a commune on `date`: region, group and special status,
 * each from the commune, else its district, else its province, valid on that date.
 */
export async function getCommuneProfile(db: UnitDb, unitId: string, date: string): Promise<CommuneProfile> {
  checkDate('date', date, DATE_LABEL);
  if (!date) throw invalid('date', { vi: 'Thiếu ngày.', en: 'A date is required.' });
  const q = kyselyOf(db);
  const unit = await loadUnit(q, unitId);
  if (unit.level !== 'commune') {
    throw invalid('unitId', { vi: `"${unit.fullName}" (${unit.id}) không phải đơn vị cấp xã.`, en: `"${unit.fullName}" (${unit.id}) is not a commune-level unit.` });
  }
  if (!unitValidOn(unit, date)) {
    const lineage = await repo.findLineageOf(q, unit.id);
    const next = unit.validTo !== null && date > unit.validTo ? lineage.successors : lineage.predecessors;
    throw new DomainError(
      'unit_not_valid_on_date',
      {
        vi: `${unit.fullName} (${unit.id}) không có hiệu lực ngày ${formatDateVi(date)} (hiệu lực ${periodText(unit.validFrom, unit.validTo, 'vi')})${next.length ? `; xem: ${next.map((n) => `${n.fullName} (${n.id})`).join(', ')}` : ''}.`,
        en: `${unit.fullName} (${unit.id}) is not valid on ${date} (valid ${periodText(unit.validFrom, unit.validTo, 'en')})${next.length ? `; see: ${next.map((n) => `${n.fullName} (${n.id})`).join(', ')}` : ''}.`,
      },
      { unitId: unit.id, date, see: next.map((n) => n.id) },
    );
  }
  const chain = [unit.id, ...[unit.parentId, unit.provinceId].filter((x): x is string => x !== null && x !== unit.id)];
  const attrs = await repo.listAttributes(q, chain);
  const resolve = (name: AttributeName): string | null => {
    for (const id of [...new Set(chain)]) {
      const a = pickValid(attrs, id, name, date);
      if (a) return a.value;
    }
    return null;
  };
  return { code: unit.code, name: unit.name, region: regionOf(resolve('region')), group: groupOf(resolve('group')), special: specialOf(resolve('special')) };
}

// ── Setting an attribute ──────────────────────────────────────────────────────────────────

export interface SetUnitAttributeInput {
  unitId: string;
  name: AttributeName;
  /** region: TDMNPB…DBSCL; group: 1/2/3; special: dbkk, atk or none (explicitly none here). */
  value: string | null;
  /** First day, YYYY-MM-DD. */
  validFrom: string;
  /** Last day, YYYY-MM-DD; omitted = open (or until the unit / the next period ends). */
  validTo?: string | null;
  /** Where the value comes from (a decision number…); default the actor. */
  source?: string;
}

export interface SetUnitAttributeResult {
  /** The period as stored. */
  attribute: UnitAttribute;
  /** Earlier periods closed the day before this one starts, as stored now. */
  closed: UnitAttribute[];
  /** The period with the same start that this one corrected, as it was. */
  replaced: UnitAttribute | null;
  /** Nothing to do: the same period and value were already there. */
  unchanged: boolean;
}

const ATTRIBUTE_LABEL: Record<AttributeName, BilingualMessage> = {
  region: { vi: 'vùng', en: 'region' },
  group: { vi: 'nhóm xã', en: 'commune group' },
  special: { vi: 'diện đặc biệt', en: 'special status' },
};

function describePeriod(a: { value: string | null; validFrom: string | null; validTo: string | null }, lang: 'vi' | 'en'): string {
  return `${a.value ?? (lang === 'vi' ? 'không' : 'none')} (${periodText(a.validFrom, a.validTo, lang)})`;
}

/**
 * Set region, group or special status on a unit for a period. A period that started earlier and
 * is still running is closed the day before; an open-ended new period stops the day before a later
 * one; a period with the same start is corrected. Anything else that overlaps is refused
 * (`conflict`). Validated, audited, one transaction.
 */
export async function setUnitAttribute(db: UnitDb, actor: Actor, input: SetUnitAttributeInput): Promise<SetUnitAttributeResult> {
  const q = kyselyOf(db);
  if (!input || typeof input.unitId !== 'string' || !input.unitId) throw invalid('unitId', { vi: 'Thiếu mã đơn vị.', en: 'A unit id is required.' });
  if (!(ATTRIBUTE_NAMES as readonly string[]).includes(input.name)) {
    throw invalid('name', {
      vi: `Thuộc tính "${String(input.name)}" không có (cần region, group hoặc special).`,
      en: `Unknown attribute "${String(input.name)}" (expected region, group or special).`,
    });
  }
  const parsed = parseAttributeValue(input.name, input.value);
  if (!parsed.ok) throw invalid('value', parsed.message);
  const value = parsed.value;
  if (!input.validFrom) throw invalid('validFrom', { vi: 'Thiếu ngày bắt đầu hiệu lực.', en: 'A start date (validFrom) is required.' });
  checkDate('validFrom', input.validFrom, { vi: 'Ngày bắt đầu', en: 'Start date' });
  checkDate('validTo', input.validTo, { vi: 'Ngày kết thúc', en: 'End date' });
  const from = input.validFrom;
  const explicitTo = input.validTo ?? null;
  if (explicitTo !== null && explicitTo < from) {
    throw invalid('validTo', {
      vi: `Ngày kết thúc ${formatDateVi(explicitTo)} trước ngày bắt đầu ${formatDateVi(from)}.`,
      en: `End date ${explicitTo} is before start date ${from}.`,
    });
  }
  const source = (input.source ?? actor.id).trim() || actor.id;

  await authorize(q, actor, 'unit.write', input.unitId);
  return inTransaction(q, async (trx) => {
    const unit = await loadUnit(trx, input.unitId);
    const label = ATTRIBUTE_LABEL[input.name];
    const validity = { vi: periodText(unit.validFrom, unit.validTo, 'vi'), en: periodText(unit.validFrom, unit.validTo, 'en') };
    if (!unitValidOn(unit, from)) {
      throw invalid('validFrom', {
        vi: `Ngày bắt đầu ${formatDateVi(from)} nằm ngoài thời gian hiệu lực của ${unit.fullName} (${validity.vi}).`,
        en: `Start date ${from} is outside the validity of ${unit.fullName} (${validity.en}).`,
      });
    }
    if (explicitTo !== null && unit.validTo !== null && explicitTo > unit.validTo) {
      throw invalid('validTo', {
        vi: `Ngày kết thúc ${formatDateVi(explicitTo)} sau ngày ${unit.fullName} hết hiệu lực (${formatDateVi(unit.validTo)}).`,
        en: `End date ${explicitTo} is after ${unit.fullName} ceased to exist (${unit.validTo}).`,
      });
    }
    let to: string | null = explicitTo ?? unit.validTo;

    const existing = await repo.listAttributes(trx, [unit.id], input.name);
    const sameStart = existing.find((e) => e.validFrom === from) ?? null;
    const others = existing.filter((e) => e !== sameStart);

    // Later periods: an open-ended new period stops the day before the next one; an explicit end may not overlap.
    const later = others.filter((e) => e.validFrom !== null && e.validFrom > from).sort((a, b) => a.validFrom!.localeCompare(b.validFrom!));
    const next = later[0];
    if (next && (to === null || to >= next.validFrom!)) {
      if (explicitTo !== null) {
        throw new DomainError(
          'conflict',
          {
            vi: `Khoảng ${describePeriod({ value, validFrom: from, validTo: explicitTo }, 'vi')} chồng lên ${label.vi} ${describePeriod(next, 'vi')} đã có của ${unit.fullName}: đặt ngày kết thúc trước ${formatDateVi(next.validFrom!)}.`,
            en: `Period ${describePeriod({ value, validFrom: from, validTo: explicitTo }, 'en')} overlaps the existing ${label.en} ${describePeriod(next, 'en')} of ${unit.fullName}: end it before ${next.validFrom}.`,
          },
          { fields: [{ field: 'validTo' }], existing: next },
        );
      }
      to = dayBefore(next.validFrom!);
    }
    // Earlier periods still running on `from` are closed the day before; one that runs past the new end would need a split.
    const toClose: UnitAttribute[] = [];
    for (const e of others) {
      if (e.validFrom !== null && e.validFrom > from) continue;
      if (!periodsOverlap(e, { validFrom: from, validTo: to })) continue;
      if (to !== null && (e.validTo === null || e.validTo > to)) {
        throw new DomainError(
          'conflict',
          {
            vi: `Khoảng ${describePeriod({ value, validFrom: from, validTo: to }, 'vi')} nằm trong ${label.vi} ${describePeriod(e, 'vi')} đã có của ${unit.fullName}: đặt từng khoảng riêng (kết thúc khoảng cũ trước, rồi đặt khoảng mới).`,
            en: `Period ${describePeriod({ value, validFrom: from, validTo: to }, 'en')} falls inside the existing ${label.en} ${describePeriod(e, 'en')} of ${unit.fullName}: set the periods one by one (end the existing one first).`,
          },
          { fields: [{ field: 'validFrom' }], existing: e },
        );
      }
      toClose.push(e);
    }

    if (sameStart && sameStart.value === value && sameStart.validTo === to && toClose.length === 0) {
      return { attribute: sameStart, closed: [], replaced: null, unchanged: true };
    }

    const closeOn = dayBefore(from);
    for (const e of toClose) await repo.updateAttribute(trx, e.id, { validTo: closeOn });
    const closed = toClose.map((e) => ({ ...e, validTo: closeOn }));
    let attribute: UnitAttribute;
    if (sameStart) {
      await repo.updateAttribute(trx, sameStart.id, { value, validTo: to, source });
      attribute = { ...sameStart, value, validTo: to, source };
    } else {
      attribute = await repo.insertAttribute(trx, { unitId: unit.id, name: input.name, value, validFrom: from, validTo: to, source, createdAt: new Date().toISOString() });
    }
    await recordAudit(trx, actor, {
      action: sameStart ? 'unit_attribute.correct' : 'unit_attribute.set',
      entity: 'unit_attribute',
      entityId: attribute.id,
      unitId: unit.id,
      before: { replaced: sameStart, closed: toClose },
      after: { attribute, closed },
    });
    return { attribute, closed, replaced: sameStart, unchanged: false };
  });
}

/** Attribute periods of a unit (all names, oldest first). */
export async function listUnitAttributes(db: UnitDb, unitId: string): Promise<UnitAttribute[]> {
  const q = kyselyOf(db);
  const unit = await loadUnit(q, unitId);
  return repo.listAttributes(q, [unit.id]);
}

