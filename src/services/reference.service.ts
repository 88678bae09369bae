/**
 * Ids inside requests are authorised like ids in paths. A route declares the references its body
 * and query string carry (`x-ref` in its schema, src/domain/references.ts); before the handler
 * runs, every one is resolved here to the unit its record belongs to and the route's action is
 * authorised on that unit — one place for every write, so a service cannot be tricked into
 * attaching data of another unit to data of one's own (a task about another commune, a committee
 * member linked to another province's account, a dossier deadline from another unit's task).
 *
 * The unit a record belongs to:
 *   unit → itself; task → the commune it concerns; review, dossier, plan → their commune;
 *   committee → its unit; committee member → its committee's unit; conclusion → the unit of the
 *   committee whose meeting made it; dossier document → its dossier's commune;
 *   user (account) → the units of its active grants: the account is in the caller's scope when one
 *   of them is (a nationwide grant only for a caller allowed everywhere; an account without an
 *   active grant likewise).
 * An id that names nothing is 404 (naming the field); one outside the caller's scope 403.
 */
import type { Kysely } from 'kysely';
import { kyselyOf, type Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { findUnit } from '../db/unit.repository.ts';
import { findUserById, findUserByUsername, listGrants } from '../db/user.repository.ts';
import { findTask } from '../db/task.repository.ts';
import { findConclusion, findMeeting } from '../db/meeting.repository.ts';
import { findCommittee, findMember } from '../db/committee.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { findDocument, findDossier } from '../db/dossier.repository.ts';
import { findPlan } from '../db/action-plan.repository.ts';
import { ACTIONS, grantActiveOn, isRole, type Action } from '../domain/policy.ts';
import { REF_LABELS, type FoundRef, type RefKind } from '../domain/references.ts';
import { DomainError } from '../domain/errors.ts';
import { allowed, isAboveOwnUnits } from './access.service.ts';
import type { Actor } from './actor.ts';

type Q = Kysely<Database>;

/** The units a referenced record belongs to; `nationwide`: an account with a grant on the whole country. */
interface Owner {
  units: string[];
  nationwide: boolean;
}

const one = (unit: string | null | undefined): Owner | null => (unit ? { units: [unit], nationwide: false } : null);

function numeric(v: string | number): number | null {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

async function committeeUnit(q: Q, committeeId: number | null | undefined): Promise<string | null> {
  if (committeeId == null) return null;
  return (await findCommittee(q, committeeId))?.unit_id ?? null;
}

/** Who owns the record an id names (null: no such record). */
async function ownerOf(q: Q, kind: RefKind, value: string | number, today: string): Promise<Owner | null> {
  if (kind === 'unit') return typeof value === 'string' ? one((await findUnit(q, value))?.id) : null;
  if (kind === 'user') {
    const id = typeof value === 'number' ? value : null;
    const user = id !== null ? await findUserById(q, id) : await findUserByUsername(q, String(value));
    if (!user) return null;
    const grants = (await listGrants(q, [user.id])).filter((g) => isRole(g.role) && grantActiveOn({ role: g.role, unitId: g.unit_id, validFrom: g.valid_from, validTo: g.valid_to }, today));
    return { units: grants.flatMap((g) => (g.unit_id ? [g.unit_id] : [])), nationwide: grants.some((g) => g.unit_id === null) };
  }
  const id = numeric(value);
  if (id === null) return null;
  switch (kind) {
    case 'task':
      return one((await findTask(q, id))?.unit_id);
    case 'review':
      return one((await findReview(q, id))?.unit_id);
    case 'dossier':
      return one((await findDossier(q, id))?.unit_id);
    case 'plan':
      return one((await findPlan(q, id))?.unit_id);
    case 'committee':
      return one(await committeeUnit(q, id));
    case 'member':
      return one(await committeeUnit(q, (await findMember(q, id))?.committee_id));
    case 'conclusion': {
      const c = await findConclusion(q, id);
      const m = c ? await findMeeting(q, c.meeting_id) : undefined;
      return one(await committeeUnit(q, m?.committee_id));
    }
    case 'document': {
      const d = await findDocument(q, id);
      return one(d ? (await findDossier(q, d.dossier_id))?.unit_id : null);
    }
  }
}

async function mayReach(db: Db | Q, actor: Actor, action: Action, ref: FoundRef, owner: Owner): Promise<boolean> {
  for (const u of owner.units) {
    if (await allowed(db, actor, action, u)) return true;
    if (ref.reach === 'above' && (await isAboveOwnUnits(db, actor, action, u))) return true;
  }
  // A nationwide account, or one without an active grant, is nobody's to refer to but a caller allowed everywhere.
  if (owner.units.length === 0 || owner.nationwide) return allowed(db, actor, action, 'everywhere');
  return false;
}

function refused(action: Action, ref: FoundRef, owner: Owner): DomainError {
  const what = REF_LABELS[ref.kind];
  const label = ACTIONS[action].label;
  const where = owner.units.length ? owner.units.join(', ') : null;
  return new DomainError(
    'forbidden',
    {
      vi: `Trường "${ref.field}" trỏ tới ${what.vi} ${ref.value}${where ? ` thuộc ${where}` : ''}, nằm ngoài phạm vi bạn được ${label.vi}.`,
      en: `Field "${ref.field}" refers to ${what.en} ${ref.value}${where ? ` of ${where}` : ''}, outside the units you may ${label.en}.`,
    },
    { action, reason: 'out_of_scope', field: ref.field, kind: ref.kind, ...(where ? { unitIds: owner.units } : {}) },
  );
}

/**
 * Resolve every reference a request carries and authorise `action` on the unit each belongs to.
 * Throws 404 (no such record) or 403 (outside the caller's scope), naming the field. A trusted
 * in-process caller (no `access`) is not limited.
 */
export async function authorizeReferences(db: Db | Q, actor: Actor, action: Action, refs: readonly FoundRef[]): Promise<void> {
  const access = actor.access;
  if (!access || refs.length === 0) return;
  const q = kyselyOf(db);
  for (const ref of refs) {
    const owner = await ownerOf(q, ref.kind, ref.value, access.today());
    if (!owner) {
      const what = REF_LABELS[ref.kind];
      throw new DomainError(
        'not_found',
        { vi: `Không tìm thấy ${what.vi} "${ref.value}" (trường "${ref.field}").`, en: `${what.en[0]!.toUpperCase()}${what.en.slice(1)} "${ref.value}" not found (field "${ref.field}").` },
        { field: ref.field, kind: ref.kind, id: ref.value },
      );
    }
    if (!(await mayReach(db, actor, action, ref, owner))) throw refused(action, ref, owner);
  }
}
