/**
 * Administrative units (đơn vị hành chính) and their history: pure types and helpers, no I/O.
 *
 * A unit's identity is its statistics-office code **plus** the list version it belongs to
 * (`13510@2025-03`), never the code alone: 3,315 codes of the July 2025 list existed before with
 * another meaning.
 */
import { isIsoDate, withinPeriod } from './dates.ts';
import { REGION_CODES, SPECIAL_STATUSES, type CommuneGroup, type RegionCode, type SpecialStatus } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';

/** Cấp hành chính — level: tỉnh (province), huyện (district, until 30/6/2025), xã (commune). */
export type UnitLevel = 'province' | 'district' | 'commune';
export const UNIT_LEVELS: readonly UnitLevel[] = ['province', 'district', 'commune'];

/** Danh mục ĐVHC — a version of the unit list. */
export type UnitListId = '2025-03' | '2025-07';

/** The two list versions the importer knows, with their validity. */
export const UNIT_LISTS: Readonly<Record<UnitListId, { name: BilingualMessage; validFrom: string | null; validTo: string | null; levels: readonly UnitLevel[] }>> = Object.freeze({
  '2025-03': {
    name: { vi: 'Danh mục ĐVHC ngày 1/3/2025 (trước 1/7/2025)', en: 'Unit list as of 1 March 2025 (before 1 July 2025)' },
    validFrom: null,
    validTo: '2025-06-30',
    levels: ['province', 'district', 'commune'],
  },
  '2025-07': {
    name: { vi: 'Danh mục ĐVHC từ 1/7/2025 (hai cấp)', en: 'Unit list from 1 July 2025 (two levels)' },
    validFrom: '2025-07-01',
    validTo: null,
    levels: ['province', 'commune'],
  },
});

/**
 * A list as a sentence names it, mid-sentence: "danh mục đơn vị hành chính trước 1/7/2025" rather
 * than its id "2025-03" (issue 14.5). An unknown id is shown as given.
 */
export function unitListText(listId: string): BilingualMessage {
  if (listId === '2025-03') return { vi: 'danh mục đơn vị hành chính trước 1/7/2025', en: 'the unit list before 1 July 2025' };
  if (listId === '2025-07') return { vi: 'danh mục đơn vị hành chính từ 1/7/2025', en: 'the unit list from 1 July 2025' };
  return { vi: `danh mục đơn vị hành chính "${listId}"`, en: `unit list "${listId}"` };
}

/** The day the 2025 merges took effect. */
export const MERGE_EFFECTIVE_ON = '2025-07-01';

/** Loại đơn vị — the Vietnamese unit types allowed at each level of each list. */
export const UNIT_TYPES: Readonly<Record<UnitListId, Readonly<Record<UnitLevel, readonly string[]>>>> = Object.freeze({
  '2025-03': {
    province: ['Tỉnh', 'Thành phố'],
    district: ['Huyện', 'Quận', 'Thị xã', 'Thành phố'],
    commune: ['Xã', 'Phường', 'Thị trấn'],
  },
  '2025-07': {
    province: ['Tỉnh', 'Thành phố'],
    district: [],
    commune: ['Xã', 'Phường', 'Đặc khu'],
  },
});

/** Code shape per level: 2-digit province, 3-digit district, 5-digit commune. */
export const CODE_PATTERN: Readonly<Record<UnitLevel, RegExp>> = Object.freeze({
  province: /^\d{2}$/,
  district: /^\d{3}$/,
  commune: /^\d{5}$/,
});

/** A unit as the application sees it (mapped from its row at the repository edge). */
export interface Unit {
  /** `<code>@<listId>`, e.g. `13510@2025-03`. */
  id: string;
  listId: string;
  code: string;
  /** Tên — "Tràng An" (NFC). */
  name: string;
  /** Type and name as people write it — "Xã Tràng An". */
  fullName: string;
  /** Loại — Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu. */
  type: string;
  level: UnitLevel;
  parentId: string | null;
  provinceId: string | null;
  /** First day of validity; null = unknown (the March 2025 list). */
  validFrom: string | null;
  /** Last day of validity; null = still valid. */
  validTo: string | null;
}

/** The few fields that name a unit: what lists and links carry. */
export interface UnitRef {
  id: string;
  code: string;
  name: string;
  fullName: string;
  level: UnitLevel;
}

/** Phần sáp nhập — `full`: the whole old unit went into the new one; `partial`: it was split. */
export type LineagePart = 'full' | 'partial';

/** A link of the 2025 reorganisation, seen from one side. */
export interface LinkedUnit extends UnitRef {
  listId: string;
  type: string;
  validFrom: string | null;
  validTo: string | null;
  part: LineagePart;
  effectiveOn: string;
}

/** Thuộc tính — attributes that drive thresholds. */
export type AttributeName = 'region' | 'group' | 'special';
export const ATTRIBUTE_NAMES: readonly AttributeName[] = ['region', 'group', 'special'];

/** One attribute period of a unit. `value` null means "explicitly none at this level". */
export interface UnitAttribute {
  id: number;
  unitId: string;
  name: AttributeName;
  value: string | null;
  validFrom: string | null;
  validTo: string | null;
  source: string;
  createdAt: string;
}

export function unitId(code: string, listId: string): string {
  return `${code}@${listId}`;
}

/** `13510@2025-03` → { code, listId }; null when the id is not of that shape. */
export function parseUnitId(id: string): { code: string; listId: string } | null {
  const m = /^(\d{2,5})@(\d{4}-\d{2})$/.exec(id);
  return m ? { code: m[1]!, listId: m[2]! } : null;
}

/** Is the unit valid (in force) on `date`? Open ends are unbounded. */
export function unitValidOn(unit: { validFrom: string | null; validTo: string | null }, date: string): boolean {
  return withinPeriod(date, unit.validFrom, unit.validTo);
}

export function toUnitRef(u: Unit | UnitRef): UnitRef {
  return { id: u.id, code: u.code, name: u.name, fullName: u.fullName, level: u.level };
}

/** Names are stored NFC with single spaces. */
export function normaliseName(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function fullNameOf(type: string, name: string): string {
  return `${type} ${name}`;
}

/** The ISO day before `date` (used to close a period when the next one starts). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** "01/03/2025 – 30/06/2025", with "…" for an unknown start and "nay"/"now" for an open end. */
export function periodText(from: string | null, to: string | null, lang: 'vi' | 'en'): string {
  const f = (d: string | null, open: string) => (d === null ? open : lang === 'vi' ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : d);
  return `${f(from, '…')} – ${f(to, lang === 'vi' ? 'nay' : 'now')}`;
}

/** Do two closed-or-open periods share at least one day? */
export function periodsOverlap(a: { validFrom: string | null; validTo: string | null }, b: { validFrom: string | null; validTo: string | null }): boolean {
  const aFromLeB = a.validFrom === null || b.validTo === null || a.validFrom <= b.validTo;
  const bFromLeA = b.validFrom === null || a.validTo === null || b.validFrom <= a.validTo;
  return aFromLeB && bFromLeA;
}

const SPECIAL_VALUES: readonly string[] = SPECIAL_STATUSES;

/**
 * Check an attribute value and return its stored form (null for `special=none`), or the message
 * that says what is wrong.
 */
export function parseAttributeValue(name: AttributeName, raw: string | null): { ok: true; value: string | null } | { ok: false; message: BilingualMessage } {
  const v = raw === null ? '' : raw.trim();
  if (name === 'region') {
    const up = v.toUpperCase();
    if ((REGION_CODES as readonly string[]).includes(up)) return { ok: true, value: up };
    return {
      ok: false,
      message: {
        vi: `Giá trị vùng "${v}" không hợp lệ: cần một trong ${REGION_CODES.join(', ')}.`,
        en: `Invalid region "${v}": expected one of ${REGION_CODES.join(', ')}.`,
      },
    };
  }
  if (name === 'group') {
    if (v === '1' || v === '2' || v === '3') return { ok: true, value: v };
    return { ok: false, message: { vi: `Nhóm xã "${v}" không hợp lệ: cần 1, 2 hoặc 3.`, en: `Invalid commune group "${v}": expected 1, 2 or 3.` } };
  }
  const low = v.toLowerCase();
  if (SPECIAL_VALUES.includes(low)) return { ok: true, value: low };
  if (low === 'none') return { ok: true, value: null };
  return {
    ok: false,
    message: {
      vi: `Diện đặc biệt "${v}" không hợp lệ: cần dbkk (đặc biệt khó khăn), atk (an toàn khu), dtts_kv23 (khu vực II, III vùng DTTS&MN), bai_ngang_dbkk (ĐBKK bãi ngang ven biển, hải đảo), atk_huyen_ngheo (ATK thuộc huyện nghèo) hoặc none (không).`,
      en: `Invalid special status "${v}": expected dbkk (extremely difficult), atk (revolutionary safe zone), dtts_kv23 (area II/III, ethnic-minority and mountain regions), bai_ngang_dbkk (extremely difficult coastal/island), atk_huyen_ngheo (safe zone of a poor district) or none.`,
    },
  };
}

/** Typed readings of stored attribute values (for the commune profile). */
export function regionOf(value: string | null | undefined): RegionCode | null {
  return value && (REGION_CODES as readonly string[]).includes(value) ? (value as RegionCode) : null;
}
export function groupOf(value: string | null | undefined): CommuneGroup | null {
  return value === '1' || value === '2' || value === '3' ? (Number(value) as CommuneGroup) : null;
}
export function specialOf(value: string | null | undefined): SpecialStatus | null {
  return value && (SPECIAL_STATUSES as readonly string[]).includes(value) ? (value as SpecialStatus) : null;
}

export function isUnitLevel(s: unknown): s is UnitLevel {
  return typeof s === 'string' && (UNIT_LEVELS as readonly string[]).includes(s);
}

export function isIsoDateOrNull(s: string | null | undefined): boolean {
  return s === null || s === undefined || isIsoDate(s);
}

export const LEVEL_NAMES: Readonly<Record<UnitLevel, BilingualMessage>> = Object.freeze({
  province: { vi: 'tỉnh', en: 'province' },
  district: { vi: 'huyện', en: 'district' },
  commune: { vi: 'xã', en: 'commune' },
});
