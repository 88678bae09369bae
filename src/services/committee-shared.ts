/**
 * Small helpers shared by the committee, meeting, task and action-plan services: optimistic-lock
 * conflicts, required versions, text cleaning, JSON columns, unit names.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { grantActiveOn, roleHas } from '../domain/policy.ts';
import { allowed, authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { findUnits } from '../db/unit.repository.ts';
import { DomainError } from '../domain/errors.ts';
import { nfc } from '../domain/text.ts';
import { isIsoDate, todayInVietnam } from '../domain/dates.ts';
import { problem, fieldError } from '../domain/field-error.ts';

/** 409 with the current version: someone else wrote first. */
export function versionConflict(entity: { vi: string; en: string }, current: number, expected: number): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `${entity.vi} đã được người khác sửa (phiên bản hiện tại ${current}, bạn đang sửa phiên bản ${expected}). Hãy tải lại rồi sửa tiếp.`,
      en: `The ${entity.en} was changed by someone else (current version ${current}, you edited version ${expected}). Reload and try again.`,
    },
    { currentVersion: current, expectedVersion: expected },
  );
}

/** Trimmed NFC text, or null for empty / missing. */
export function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = nfc(s);
  return t === '' ? null : t;
}

export function parseJson<T>(s: string | null | undefined, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** The date a read is "as of": the one asked for, else today in Vietnam. */
export function asOf(date: string | null | undefined): string {
  if (date === undefined || date === null || date === '') return todayInVietnam();
  if (!isIsoDate(date)) throw fieldError([problem('date', `Ngày "${date}" không hợp lệ (cần YYYY-MM-DD).`, `Date "${date}" is not a valid YYYY-MM-DD date.`)]);
  return date;
}

/** Full names of units by id ("Xã Tràng An"), for lists. */
export async function unitNames(db: Kysely<Database>, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => typeof x === 'string'))];
  const units = await findUnits(db, list);
  return new Map(units.map((u) => [u.id, u.fullName]));
}

/** Evidence or attachment reference (a document, photo or link). */
export interface DocumentRef {
  title: string;
  url?: string | null;
}

export function cleanRefs(refs: readonly DocumentRef[] | null | undefined): DocumentRef[] {
  return (refs ?? []).map((r) => ({ title: nfc(r.title), url: r.url ? r.url.trim() : null })).filter((r) => r.title !== '');
}

/**
 * May the actor read what a committee of `committeeUnitId` does? Yes when they may read that unit
 * (its office, the province above), when the committee steers one of their own units (a commune
 * officer reads the district committee that visits the commune), or when one of `aboutUnitIds`
 * (the communes a meeting reviewed) is theirs to read.
 */
export async function assertCommitteeRead(db: Db | Kysely<Database>, actor: Actor, committeeUnitId: string, aboutUnitIds: readonly string[] = []): Promise<void> {
  if (await allowed(db, actor, 'committee.read', committeeUnitId)) return;
  for (const u of aboutUnitIds) if (await allowed(db, actor, 'committee.read', u)) return;
  const access = actor.access;
  if (access) {
    const p = access.principal;
    const units =
      p.kind === 'user'
        ? p.grants.filter((g) => g.unitId !== null && grantActiveOn(g, access.today()) && roleHas(g.role, 'committee.read')).map((g) => g.unitId!)
        : p.kind === 'token' && p.actions.includes('committee.read')
          ? (p.unitIds ?? [])
          : [];
    for (const u of units) if ((await access.scopes.keys(db, u)).write.has(committeeUnitId)) return;
  }
  await authorize(db, actor, 'committee.read', committeeUnitId);
}
