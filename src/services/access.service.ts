/**
 * Authorisation in services: `authorize(db, actor, action, unit)` resolves the unit's scope keys
 * (its ancestors; for reads also its merge lineage) and asks the policy table
 * (src/domain/policy.ts). Every service that reads or writes unit data calls it with the unit
 * the data belongs to; HTTP routes additionally declare their action (checked before the body is
 * even read). An actor without `access` is a trusted in-process caller (CLI, jobs, seed).
 *
 * Read keys of a unit X (a grant on unit G covers X for reading when G is among them):
 *   the ancestors-or-self of X, of X's predecessors and successors (transitively, each direction
 *   on its own — never predecessor-of-successor, which would reach unrelated merged siblings), and
 *   of the successors of X's ancestors (a new province's office reads the old districts).
 * Write keys: the ancestors-or-self of X only.
 */
import type { Kysely } from 'kysely';
import { kyselyOf, type Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { lineageNeighbours, parentsOf } from '../db/scope.repository.ts';
import { unitName } from '../db/unit.repository.ts';
import { ACTIONS, decide, type Action, type DenyReason, type Target, type UnitScopeKeys, grantActiveOn, roleHas } from '../domain/policy.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from './actor.ts';

type Q = Kysely<Database>;

const MAX_DEPTH = 6;

async function ancestorsOrSelf(db: Q, ids: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>(ids);
  let frontier = [...out];
  for (let i = 0; i < MAX_DEPTH && frontier.length; i++) {
    const parents = await parentsOf(db, frontier);
    frontier = [];
    for (const p of parents.values()) if (p && !out.has(p)) (out.add(p), frontier.push(p));
  }
  return out;
}

/** Follow the lineage from `start` in one direction, transitively. */
async function lineageClosure(db: Q, start: readonly string[], direction: 'pred' | 'succ'): Promise<Set<string>> {
  const out = new Set<string>();
  let frontier = [...start];
  for (let i = 0; i < MAX_DEPTH && frontier.length; i++) {
    const links = await lineageNeighbours(db, frontier);
    const set = new Set(frontier);
    frontier = [];
    for (const l of links) {
      const next = direction === 'pred' ? (set.has(l.successor_id) ? l.predecessor_id : null) : set.has(l.predecessor_id) ? l.successor_id : null;
      if (next && !out.has(next) && !start.includes(next)) (out.add(next), frontier.push(next));
    }
  }
  return out;
}

export async function computeScopeKeys(db: Db | Q, unitId: string): Promise<UnitScopeKeys> {
  const q = kyselyOf(db);
  const write = await ancestorsOrSelf(q, [unitId]);
  const strictAncestors = [...write].filter((u) => u !== unitId);
  const related = new Set<string>([
    ...(await lineageClosure(q, [unitId], 'pred')),
    ...(await lineageClosure(q, [unitId], 'succ')),
    ...(strictAncestors.length ? await lineageClosure(q, strictAncestors, 'succ') : []),
  ]);
  const read = new Set<string>([...write, ...(await ancestorsOrSelf(q, related))]);
  return { write, read };
}

let scopeEpoch = 0;

/**
 * Forget every scope cached in this process: after a unit-list import here, or one announced by
 * another server (`NOTIFY datchuan_units`, src/db/change-channel.ts).
 */
export function invalidateLocalScopes(): void {
  scopeEpoch++;
}

/**
 * Scope keys by unit, cached per application for a minute (units and lineage change only with an
 * import of the unit lists, which empties every server's cache: `invalidateLocalScopes`).
 */
export class ScopeResolver {
  private readonly cache = new Map<string, { keys: Promise<UnitScopeKeys>; at: number; epoch: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 5000,
  ) {}

  keys(db: Db | Q, unitId: string): Promise<UnitScopeKeys> {
    const now = Date.now();
    const hit = this.cache.get(unitId);
    if (hit && hit.epoch === scopeEpoch && now - hit.at < this.ttlMs) return hit.keys;
    const keys = computeScopeKeys(db, unitId);
    keys.catch(() => this.cache.delete(unitId));
    this.cache.set(unitId, { keys, at: now, epoch: scopeEpoch });
    if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!);
    return keys;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** `unitName` is how the refusal names the unit ("Xã Tràng An"); its id when not given. */
export function deniedError(reason: DenyReason, action: Action, unitId?: string | null, unitName?: string): DomainError {
  const shown = unitName ?? unitId;
  const label = ACTIONS[action].label;
  switch (reason) {
    case 'unauthenticated':
      return new DomainError('unauthenticated', { vi: 'Bạn cần đăng nhập để dùng chức năng này.', en: 'You need to sign in to use this.' }, { action });
    case 'not_for_tokens':
      return new DomainError('forbidden', { vi: `Khóa API không được dùng để ${label.vi}.`, en: `API tokens cannot be used to ${label.en}.` }, { action, reason });
    case 'no_permission':
      return new DomainError('forbidden', { vi: `Tài khoản của bạn không có quyền ${label.vi}.`, en: `Your account may not ${label.en}.` }, { action, reason });
    case 'out_of_scope':
      return new DomainError(
        'forbidden',
        {
          vi: `Bạn không có quyền ${label.vi} của ${shown ?? 'đơn vị này'}: đơn vị nằm ngoài phạm vi được phân quyền.`,
          en: `You may not ${label.en} for ${shown ?? 'this unit'}: it is outside the units you were granted.`,
        },
        { action, reason, ...(unitId ? { unitId } : {}) },
      );
  }
}

/**
 * Refuse unless the actor may perform `action` on `unit`: a unit id, `anywhere` (the route-level
 * gate: on at least one unit) or `everywhere` (unfiltered lists). Throws 401/403 DomainErrors.
 */
export async function authorize(db: Db | Q, actor: Actor, action: Action, unit: string | 'anywhere' | 'everywhere'): Promise<void> {
  const d = await decision(db, actor, action, unit);
  if (d.allowed) return;
  const unitId = unit === 'anywhere' || unit === 'everywhere' ? null : unit;
  // Only a refusal pays for the name lookup; lists filter with `allowed`, which never does.
  throw deniedError(d.reason, action, unitId, d.reason === 'out_of_scope' && unitId ? await unitName(kyselyOf(db), unitId) : undefined);
}

async function decision(db: Db | Q, actor: Actor, action: Action, unit: string | 'anywhere' | 'everywhere'): Promise<{ allowed: true } | { allowed: false; reason: DenyReason }> {
  const access = actor.access;
  if (!access) return { allowed: true };
  let target: Target = 'anywhere';
  if (ACTIONS[action].scoped && unit !== 'anywhere') target = unit === 'everywhere' ? 'everywhere' : await access.scopes.keys(db, unit);
  return decide(access.principal, action, target, access.today());
}

/** Like `authorize`, but answers instead of throwing (to filter lists). */
export async function allowed(db: Db | Q, actor: Actor, action: Action, unit: string | 'anywhere' | 'everywhere'): Promise<boolean> {
  return (await decision(db, actor, action, unit)).allowed;
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
  if (await isAboveOwnUnits(db, actor, 'committee.read', committeeUnitId)) return;
  await authorize(db, actor, 'committee.read', committeeUnitId);
}

/** The units on which the actor holds `action` today (a grant's subtree, a token's units; nationwide grants left out). */
export function ownUnits(actor: Actor, action: Action): string[] {
  const access = actor.access;
  if (!access) return [];
  const p = access.principal;
  if (p.kind === 'user') return p.grants.filter((g) => g.unitId !== null && grantActiveOn(g, access.today()) && roleHas(g.role, action)).map((g) => g.unitId!);
  if (p.kind === 'token' && p.actions.includes(action)) return [...(p.unitIds ?? [])];
  return [];
}

/** Is `unitId` one of the actor's own units for `action`, or above one of them (their district, their province)? */
export async function isAboveOwnUnits(db: Db | Kysely<Database>, actor: Actor, action: Action, unitId: string): Promise<boolean> {
  const access = actor.access;
  if (!access) return true;
  for (const u of ownUnits(actor, action)) if ((await access.scopes.keys(db, u)).write.has(unitId)) return true;
  return false;
}
