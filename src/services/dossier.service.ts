/**
 * Hồ sơ đề nghị công nhận — one use case per thing a user does with a dossier: open it on a
 * submitted review, declare the conditions, move it along the procedure
 * (src/domain/dossier-workflow.ts decides what is legal), set a committee's deadline, record the
 * decision. Every move is an append-only transition (who, when, role, comment) plus an audit
 * event; moves are made at the version the caller saw, so two officers cannot both move it.
 * Uploaded documents: dossier-document.service.ts; the dossiers waiting for a user: inbox.service.ts.
 */
import type { Db } from '../db/database.ts';
import type { Database, DossierDocumentRow, DossierRow, DossierTransitionRow } from '../db/schema.ts';
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_SATISFACTION_REQUIRED } from '../config.ts';
import * as repo from '../db/dossier.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { findUnits, listPredecessorsOfUnits } from '../db/unit.repository.ts';
import { insertRecognition } from '../db/recognition.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { findTask } from '../db/task.repository.ts';
import { DomainError, notFound, type BilingualMessage } from '../domain/errors.ts';
import { daysUntil, formatDateVi, isIsoDate, todayInVietnam } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { LEVEL_NAMES, LEVELS, levelName, type Level } from '../domain/criteria.ts';
import { rolesOn, type Role } from '../domain/policy.ts';
import {
  ACTION_LABELS,
  checkPreconditions,
  transitionLabel,
  DOCUMENT_TYPES,
  hasDraft,
  DOSSIER_ACTIONS,
  mainPath,
  nextState,
  PROCEDURES,
  procedureForDate,
  stepOf,
  type DocumentType,
  type DossierAction,
  type MoveRefusal,
  type PreconditionResult,
  type ProcedureId,
  type Step,
} from '../domain/dossier-workflow.ts';
import { DEFAULT_CALENDAR, type WorkingCalendar } from '../domain/working-days.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { Actor } from './actor.ts';
import { allowed, authorize } from './access.service.ts';
import { evaluationOf } from './evaluation.service.ts';
import { closesOnFor } from './consultation.service.ts';
import { countCommentsByStatus } from '../db/consultation.repository.ts';
import { getUnit } from './unit.service.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type Risk = 'none' | 'ok' | 'at_risk' | 'overdue';

export interface DossierListItem {
  id: number;
  unitId: string;
  unitName: string;
  kind: 'recognition' | 'revocation';
  level: string;
  levelName: BilingualMessage;
  procedure: ProcedureId;
  procedureName: BilingualMessage;
  state: string;
  stateName: BilingualMessage;
  stepRole: Role | null;
  closed: boolean;
  stateSince: string;
  dueOn: string | null;
  workingDaysLeft: number | null;
  stepRisk: Risk;
  deadline: string | null;
  deadlineDaysLeft: number | null;
  deadlineRisk: Risk;
  version: number;
  openedOn: string;
  closedOn: string | null;
}

export interface DocumentVersion {
  id: number;
  version: number;
  filename: string;
  contentType: string;
  size: number;
  note: string | null;
  createdBy: string;
  createdAt: string;
  url: string;
}

export interface DossierDetail extends DossierListItem {
  setId: string;
  baseReview: { id: number; date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number; criteriaNotMet: string[] } | null;
  steps: { id: string; name: BilingualMessage; role: Role | null; limitDays: number | null; publicConsultation: boolean; status: 'done' | 'current' | 'pending'; enteredOn: string | null; dueOn: string | null }[];
  preconditions: PreconditionResult[];
  satisfactionRate: number | null;
  satisfactionRequired: number;
  noConstructionDebt: boolean | null;
  securityOk: boolean | null;
  documents: { type: DocumentType; name: BilingualMessage; requiredNow: boolean; requiredAt: string[]; draft: boolean; versions: DocumentVersion[] }[];
  transitions: {
    seq: number;
    action: string;
    actionName: BilingualMessage;
    from: string | null;
    fromName: BilingualMessage | null;
    to: string;
    toName: BilingualMessage;
    onDate: string;
    actor: string;
    actorRole: string | null;
    comment: string | null;
    at: string;
  }[];
  actions: { action: DossierAction; name: BilingualMessage; to: string; needsComment: boolean; returnTo: { id: string; name: BilingualMessage }[]; allowed: boolean; reason: BilingualMessage | null }[];
  consultationOpen: boolean;
  publicUrl: string | null;
  commentCounts: { pending: number; published: number; rejected: number };
  recognition: { id: number; level: string; decisionNo: string; decidedOn: string; signer: string | null; revokedOn: string | null } | null;
  alertId: number | null;
}

export function today(actor: Actor): string {
  return actor.access?.today() ?? todayInVietnam();
}

/** Step due date, working days left and the risk flag; the committee deadline's countdown. */
export function timing(row: Pick<DossierRow, 'procedure' | 'state' | 'state_since' | 'deadline' | 'closed_on'>, on: string, cal: WorkingCalendar = DEFAULT_CALENDAR) {
  const step = stepOf(row.procedure as ProcedureId, row.state);
  const closed = !!row.closed_on || !!step?.terminal;
  let dueOn: string | null = null;
  let workingDaysLeft: number | null = null;
  let stepRisk: Risk = 'none';
  if (!closed && step?.limitDays) {
    dueOn = cal.addWorkingDays(row.state_since, step.limitDays);
    workingDaysLeft = cal.workingDaysBetween(on, dueOn);
    // At risk in the last fifth of the limit (at least the last 2 working days).
    stepRisk = on > dueOn ? 'overdue' : workingDaysLeft <= Math.max(2, Math.ceil(step.limitDays / 5)) ? 'at_risk' : 'ok';
  }
  let deadlineDaysLeft: number | null = null;
  let deadlineRisk: Risk = 'none';
  if (row.deadline && !closed) {
    deadlineDaysLeft = daysUntil(row.deadline, on);
    deadlineRisk = deadlineDaysLeft < 0 ? 'overdue' : deadlineDaysLeft <= 30 ? 'at_risk' : 'ok';
  }
  return { step, closed, dueOn, workingDaysLeft, stepRisk, deadlineDaysLeft, deadlineRisk };
}

function toListItem(row: DossierRow, unitName: string, on: string): DossierListItem {
  const t = timing(row, on);
  const proc = PROCEDURES[row.procedure as ProcedureId];
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName,
    kind: row.kind,
    level: row.level,
    levelName: levelName(row.level),
    procedure: proc.id,
    procedureName: proc.name,
    state: row.state,
    stateName: t.step?.name ?? { vi: row.state, en: row.state },
    stepRole: t.step?.role ?? null,
    closed: t.closed,
    stateSince: row.state_since,
    dueOn: t.dueOn,
    workingDaysLeft: t.workingDaysLeft,
    stepRisk: t.stepRisk,
    deadline: row.deadline,
    deadlineDaysLeft: t.deadlineDaysLeft,
    deadlineRisk: t.deadlineRisk,
    version: row.version,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
  };
}

/** The name of a recorded move, as its step calls it ("Lập hồ sơ" for the opening). */
function movedBy(procedure: ProcedureId, from: string | null, action: string): BilingualMessage {
  const t = from ? stepOf(procedure, from)?.transitions.find((x) => x.action === action) : undefined;
  return t ? transitionLabel(t) : ((ACTION_LABELS as Record<string, BilingualMessage>)[action] ?? { vi: 'Lập hồ sơ', en: 'Opened' });
}

function documentUrl(id: number): string {
  return `/api/v1/dossier-documents/${id}`;
}

async function loadDossier(db: Q, id: number): Promise<DossierRow> {
  const row = await repo.findDossier(db, id);
  if (!row) throw notFound('hồ sơ', 'Dossier', id);
  return row;
}

interface Context {
  row: DossierRow;
  documents: DossierDocumentRow[];
  transitions: DossierTransitionRow[];
  preconditions: PreconditionResult[];
  verdict: DossierDetail['baseReview'];
}

async function context(db: Q, row: DossierRow): Promise<Context> {
  const [documents, transitions] = await Promise.all([repo.listDocuments(db, row.id), repo.listTransitions(db, row.id)]);
  let verdict: DossierDetail['baseReview'] = null;
  if (row.base_review_id) {
    const review = await findReview(db, row.base_review_id);
    if (review) {
      const v = await evaluationOf(db, review);
      verdict = {
        id: review.id,
        date: review.reviewed_on,
        criteriaMet: v.totals.criteriaMet,
        criteriaTotal: v.totals.criteriaTotal,
        indicatorsMet: v.totals.indicatorsMet,
        indicatorsTotal: v.totals.indicatorsTotal,
        criteriaNotMet: v.criteria.filter((c) => c.status !== 'met' && c.status !== 'not_applicable').map((c) => c.code),
      };
    }
  }
  const types = new Set(documents.map((d) => d.doc_type));
  const preconditions =
    row.kind === 'recognition'
      ? checkPreconditions({
          verdict: verdict && { criteriaMet: verdict.criteriaMet, criteriaTotal: verdict.criteriaTotal, criteriaNotMet: verdict.criteriaNotMet },
          satisfactionRate: row.satisfaction_rate,
          satisfactionRequired: row.satisfaction_required,
          noConstructionDebt: row.no_construction_debt === null ? null : row.no_construction_debt === 1,
          constructionDebtEvidence: types.has('debt_confirmation'),
          securityOk: row.security_ok === null ? null : row.security_ok === 1,
          securityEvidence: types.has('security_confirmation'),
        })
      : [];
  return { row, documents, transitions, preconditions, verdict };
}

async function rolesOf(db: Q, actor: Actor, unitId: string): Promise<Role[] | 'trusted'> {
  const access = actor.access;
  if (!access) return 'trusted';
  return rolesOn(access.principal, await access.scopes.keys(db, unitId), access.today());
}

function moveRequest(c: Context, action: DossierAction, roles: Role[] | 'trusted', extra: { comment?: string | null; returnTo?: string | null } = {}) {
  const step = stepOf(c.row.procedure as ProcedureId, c.row.state);
  return {
    procedure: c.row.procedure as ProcedureId,
    state: c.row.state,
    action,
    // Trusted in-process callers (CLI, seed) act with the role of the step.
    roles: roles === 'trusted' ? (step?.role ? [step.role] : []) : roles,
    comment: extra.comment ?? null,
    returnTo: extra.returnTo ?? null,
    documents: new Set(c.documents.map((d) => d.doc_type as DocumentType)),
    failingPreconditions: c.preconditions.filter((p) => !p.met).map((p) => p.code),
  };
}

async function detailOf(db: Q, actor: Actor, row: DossierRow): Promise<DossierDetail> {
  const on = today(actor);
  const c = await context(db, row);
  const unit = await getUnit(db, row.unit_id);
  const base = toListItem(row, unit.fullName, on);
  const proc = PROCEDURES[base.procedure];
  const roles = await rolesOf(db, actor, row.unit_id);
  const step = stepOf(proc.id, row.state);

  // The main path, with when each step was (last) entered and is due.
  const path = mainPath(proc.id);
  if (step && !path.includes(step.id)) path.push(step.id);
  const entered = new Map<string, string>();
  for (const t of c.transitions) entered.set(t.to_state, t.on_date);
  const curIdx = path.indexOf(row.state as (typeof path)[number]);
  const steps = path.map((id, i) => {
    const s = stepOf(proc.id, id)!;
    // A closed dossier's final step is done, not in progress.
    const status: 'done' | 'current' | 'pending' = i < curIdx || (i === curIdx && base.closed) ? 'done' : i === curIdx ? 'current' : 'pending';
    const enteredOn = status === 'pending' ? null : (entered.get(id) ?? null);
    return {
      id,
      name: s.name,
      role: s.role,
      limitDays: s.limitDays,
      publicConsultation: !!s.publicConsultation,
      status,
      enteredOn,
      dueOn: status === 'current' ? base.dueOn : enteredOn && s.limitDays ? DEFAULT_CALENDAR.addWorkingDays(enteredOn, s.limitDays) : null,
    };
  });

  const docTypes = Object.keys(DOCUMENT_TYPES) as DocumentType[];
  const requiredAt = (d: DocumentType) => proc.steps.filter((s) => s.requires.includes(d)).map((s) => s.id);
  const documents = docTypes
    .filter((d) => requiredAt(d).length > 0 || (row.kind === 'recognition' && (d === 'debt_confirmation' || d === 'security_confirmation' || d === 'public_notice')))
    .map((d) => ({
      type: d,
      name: DOCUMENT_TYPES[d].name,
      requiredNow: !!step?.requires.includes(d),
      requiredAt: requiredAt(d),
      draft: hasDraft(row.kind, d),
      versions: c.documents
        .filter((x) => x.doc_type === d)
        .map((x) => ({ id: x.id, version: x.version, filename: x.filename, contentType: x.content_type, size: x.size, note: x.note, createdBy: x.created_by, createdAt: x.created_at, url: documentUrl(x.id) })),
    }));

  const mayWrite = await allowed(db, actor, 'dossier.write', row.unit_id);
  const actions = (step?.transitions ?? []).map((t) => {
    // Reasons are asked for when the move is made: a missing comment does not disable the button.
    const res = mayWrite ? nextState(moveRequest(c, t.action, roles)) : null;
    const ok = !!res && (res.ok || res.refusal === 'comment_required');
    const targets = t.action === 'return' ? (step!.returnTo ?? [t.to]) : [];
    return {
      action: t.action,
      name: transitionLabel(t),
      to: t.to,
      needsComment: !!t.needsComment,
      returnTo: targets.map((id) => ({ id, name: stepOf(proc.id, id)!.name })),
      allowed: ok,
      reason: ok ? null : res && !res.ok ? res.message : { vi: 'Bạn không có quyền chuyển hồ sơ này.', en: 'You may not move this dossier.' },
    };
  });

  const counts = await countCommentsByStatus(db, row.id);
  const rec = row.kind === 'recognition' ? await repo.findRecognitionOfDossier(db, row.id) : row.recognition_id ? await repo.findRecognition(db, row.recognition_id) : undefined;
  // Open while at a consultation step and within its period (the public page says the same).
  const closesOn = step?.publicConsultation ? closesOnFor(step, row.state_since) : null;
  const consultationOpen = !base.closed && !!step?.publicConsultation && (closesOn === null || on <= closesOn);
  const everPublic = c.transitions.some((t) => stepOf(proc.id, t.to_state)?.publicConsultation);
  return {
    ...base,
    setId: row.set_id,
    baseReview: c.verdict,
    steps,
    preconditions: c.preconditions,
    satisfactionRate: row.satisfaction_rate,
    satisfactionRequired: row.satisfaction_required,
    noConstructionDebt: row.no_construction_debt === null ? null : row.no_construction_debt === 1,
    securityOk: row.security_ok === null ? null : row.security_ok === 1,
    documents,
    transitions: c.transitions.map((t) => ({
      seq: t.seq,
      action: t.action,
      actionName: movedBy(proc.id, t.from_state, t.action),
      from: t.from_state,
      fromName: t.from_state ? (stepOf(proc.id, t.from_state)?.name ?? null) : null,
      to: t.to_state,
      toName: stepOf(proc.id, t.to_state)?.name ?? { vi: t.to_state, en: t.to_state },
      onDate: t.on_date,
      actor: t.actor,
      actorRole: t.actor_role,
      comment: t.comment,
      at: t.at,
    })),
    actions,
    consultationOpen,
    publicUrl: consultationOpen || everPublic ? `/cong-khai/ho-so/${row.id}` : null,
    commentCounts: { pending: counts.pending ?? 0, published: counts.published ?? 0, rejected: counts.rejected ?? 0 },
    recognition: rec ? { id: rec.id, level: rec.level, decisionNo: rec.decision_no, decidedOn: rec.decided_on, signer: rec.signer, revokedOn: rec.revoked_on } : null,
    alertId: row.alert_id,
  };
}

// ── Use cases ─────────────────────────────────────────────────────────────────────────────

export async function getDossier(db: Db, actor: Actor, id: number): Promise<DossierDetail> {
  const row = await loadDossier(db.kysely, id);
  await authorize(db, actor, 'dossier.read', row.unit_id);
  return detailOf(db.kysely, actor, row);
}

export async function listDossiers(db: Db, actor: Actor, q: { unitId?: string; open?: boolean; kind?: 'recognition' | 'revocation' }): Promise<DossierListItem[]> {
  if (q.unitId) await authorize(db, actor, 'dossier.read', q.unitId);
  else await authorize(db, actor, 'dossier.read', 'anywhere');
  const rows = await repo.listDossiers(db.kysely, { unitIds: q.unitId ? [q.unitId] : undefined, open: q.open, kind: q.kind });
  if (q.unitId) {
    // Open dossiers of the communes merged into this one (1/7/2025) continue here; each names its commune.
    const merged = (await listPredecessorsOfUnits(db.kysely, [q.unitId])).map((p) => p.id);
    if (merged.length > 0) rows.push(...(await repo.listDossiers(db.kysely, { unitIds: merged, open: true, kind: q.kind })));
  }
  const on = today(actor);
  // One permission check and one name per commune, the names in one query.
  const unitIds = [...new Set(rows.map((r) => r.unit_id))];
  const readable = new Set<string>();
  for (const u of unitIds) if (await allowed(db, actor, 'dossier.read', u)) readable.add(u);
  const names = new Map((await findUnits(db.kysely, [...readable])).map((u) => [u.id, u.fullName]));
  return rows.filter((r) => readable.has(r.unit_id)).map((r) => toListItem(r, names.get(r.unit_id) ?? r.unit_id, on));
}

/** A dossier waiting for the actor: its current step is theirs to act at (hồ sơ chờ xử lý). */
function invalid(field: string, vi: string, en: string): DomainError {
  return new DomainError('validation_failed', { vi, en }, { fields: [{ field, message: en, message_vi: vi }] });
}

export interface OpenDossierInput {
  unitId: string;
  level: string;
  baseReviewId: number;
  setId?: string | null;
  /** The date the dossier counts from (default today); past dates record historical dossiers. */
  openedOn?: string | null;
  isDemo?: boolean;
}

/**
 * Lập hồ sơ: on a submitted review of the commune, for the review's level. `satisfactionRequired`:
 * the deployment's minimum residents' satisfaction (%), kept on the dossier (Config `services`).
 */
export async function openDossier(db: Db, actor: Actor, input: OpenDossierInput, satisfactionRequired: number): Promise<DossierDetail> {
  await authorize(db, actor, 'dossier.write', input.unitId);
  if (!(LEVELS as readonly string[]).includes(input.level)) {
    throw invalid('level', `Mức công nhận "${input.level}" không hợp lệ (có: ${LEVELS.join(', ')}).`, `Unknown level "${input.level}" (known: ${LEVELS.join(', ')}).`);
  }
  const on = input.openedOn ?? today(actor);
  if (!isIsoDate(on) || on > today(actor)) throw invalid('openedOn', `Ngày lập hồ sơ "${on}" không hợp lệ hoặc ở tương lai.`, `Opening date "${on}" is invalid or in the future.`);
  const unit = await getUnit(db.kysely, input.unitId);
  if (unit.level !== 'commune') throw invalid('unitId', `"${unit.fullName}" không phải đơn vị cấp xã.`, `"${unit.fullName}" is not a commune-level unit.`);
  const review = await findReview(db.kysely, input.baseReviewId);
  if (!review || review.unit_id !== input.unitId) {
    throw invalid('baseReviewId', `Bản rà soát ${input.baseReviewId} không thuộc ${unit.fullName}.`, `Review ${input.baseReviewId} is not a review of ${unit.fullName}.`);
  }
  if (review.status !== 'submitted') {
    throw invalid('baseReviewId', 'Hồ sơ phải dựa trên bản rà soát đã nộp.', 'A dossier must be based on a submitted review.');
  }
  const set = getCatalog().get(input.setId ?? review.set_id);
  if (set.id !== review.set_id || set.level !== input.level) {
    throw invalid(
      'level',
      `Bản rà soát dùng bộ tiêu chí "${getCatalog().get(review.set_id).name}", không phải bộ tiêu chí ${LEVEL_NAMES[input.level as Level].vi}.`,
      `The review uses set "${review.set_id}", not a ${input.level} set.`,
    );
  }
  if (on < review.reviewed_on) throw invalid('openedOn', 'Ngày lập hồ sơ trước ngày rà soát.', 'The dossier opens before the review date.');
  const procedure = procedureForDate(on);
  const proc = PROCEDURES[procedure];
  const roles = await rolesOf(db.kysely, actor, input.unitId);
  const first = stepOf(procedure, proc.initial)!;
  if (roles !== 'trusted' && !roles.includes(first.role!)) {
    throw new DomainError('forbidden', { vi: 'Hồ sơ do cán bộ xã lập.', en: 'A dossier is opened by the commune officer.' }, { role: first.role });
  }
  const row = await db.kysely.transaction().execute(async (trx) => {
    const open = await repo.findOpenDossier(trx, input.unitId, 'recognition', input.level);
    if (open) {
      throw new DomainError('conflict', {
        vi: `${unit.fullName} đã có hồ sơ ${LEVEL_NAMES[input.level as Level].vi} đang xử lý (số ${open.id}).`,
        en: `${unit.fullName} already has an open ${input.level} dossier (no. ${open.id}).`,
      }, { dossierId: open.id });
    }
    return insertOpenedDossier(trx, actor, {
      unitId: input.unitId,
      kind: 'recognition',
      level: input.level,
      setId: set.id,
      procedure,
      openedOn: on,
      baseReviewId: review.id,
      isDemo: !!input.isDemo,
      satisfactionRequired,
    });
  });
  return detailOf(db.kysely, actor, row);
}

export interface NewDossier {
  unitId: string;
  kind: 'recognition' | 'revocation';
  level: string;
  setId: string;
  procedure: ProcedureId;
  openedOn: string;
  baseReviewId: number;
  recognitionId?: number | null;
  alertId?: number | null;
  isDemo: boolean;
  /** Said on the opening move (a revocation: the alert's reason). */
  comment?: string | null;
  /** A recognition's satisfaction condition (%); a revocation has none and keeps the default. */
  satisfactionRequired?: number;
}

/** Insert a dossier at its procedure's first step, with the opening move and its audit event. */
export async function insertOpenedDossier(trx: Q, actor: Actor, n: NewDossier): Promise<DossierRow> {
  const proc = PROCEDURES[n.procedure];
  const at = new Date().toISOString();
  const r = await repo.insertDossier(trx, {
    unit_id: n.unitId,
    kind: n.kind,
    level: n.level,
    set_id: n.setId,
    procedure: n.procedure,
    state: proc.initial,
    state_since: n.openedOn,
    base_review_id: n.baseReviewId,
    recognition_id: n.recognitionId ?? null,
    alert_id: n.alertId ?? null,
    satisfaction_rate: null,
    satisfaction_required: n.satisfactionRequired ?? DEFAULT_SATISFACTION_REQUIRED,
    no_construction_debt: null,
    security_ok: null,
    deadline: null,
    deadline_task_id: null,
    deadline_note: null,
    opened_on: n.openedOn,
    closed_on: null,
    is_demo: n.isDemo ? 1 : 0,
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  });
  const role = stepOf(n.procedure, proc.initial)!.role;
  await repo.appendTransition(trx, { dossier_id: r.id, action: 'open', from_state: null, to_state: proc.initial, on_date: n.openedOn, actor: actor.id, actor_role: role, comment: n.comment ?? null, at });
  await recordAudit(trx, actor, { action: 'dossier.create', entity: 'dossier', entityId: r.id, unitId: r.unit_id, after: r });
  return r;
}

function versionConflict(current: DossierRow, expected: number): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `Hồ sơ vừa được người khác cập nhật (phiên bản hiện tại ${current.version}, bạn đang xem phiên bản ${expected}). Hãy tải lại.`,
      en: `The dossier was changed by someone else (current version ${current.version}, you saw ${expected}). Reload.`,
    },
    { currentVersion: current.version, expectedVersion: expected, state: current.state },
  );
}

const REFUSAL_CODE: Record<MoveRefusal, 'forbidden' | 'validation_failed' | 'transition_refused'> = {
  wrong_role: 'forbidden',
  comment_required: 'validation_failed',
  bad_return_target: 'validation_failed',
  closed: 'transition_refused',
  unknown_state: 'transition_refused',
  not_allowed_here: 'transition_refused',
  missing_documents: 'transition_refused',
  preconditions_failed: 'transition_refused',
};

export interface DecisionInput {
  decisionNo: string;
  decidedOn: string;
  signer?: string | null;
}

export interface ActInput {
  action: string;
  version: number;
  comment?: string | null;
  returnTo?: string | null;
  /** The date the move happened (default today; not before the step began, not in the future). */
  onDate?: string | null;
  decision?: DecisionInput | null;
}

/** Move the dossier: the state machine decides; the version makes it a compare-and-set. */
export async function actOnDossier(db: Db, actor: Actor, id: number, input: ActInput): Promise<DossierDetail> {
  const existing = await loadDossier(db.kysely, id);
  await authorize(db, actor, 'dossier.write', existing.unit_id);
  if (!(DOSSIER_ACTIONS as readonly string[]).includes(input.action)) {
    throw invalid('action', `Thao tác "${input.action}" không tồn tại (có: ${DOSSIER_ACTIONS.join(', ')}).`, `Unknown action "${input.action}" (known: ${DOSSIER_ACTIONS.join(', ')}).`);
  }
  const action = input.action as DossierAction;
  const on = input.onDate ?? today(actor);
  if (!isIsoDate(on) || on > today(actor)) throw invalid('onDate', `Ngày "${on}" không hợp lệ hoặc ở tương lai.`, `Date "${on}" is invalid or in the future.`);
  if (on < existing.state_since) {
    throw invalid('onDate', `Ngày ${formatDateVi(on)} trước ngày hồ sơ đến bước hiện tại (${formatDateVi(existing.state_since)}).`, `${on} is before the current step began (${existing.state_since}).`);
  }
  const comment = input.comment ? nfc(input.comment).trim().slice(0, 4000) : null;
  const roles = await rolesOf(db.kysely, actor, existing.unit_id);
  const at = new Date().toISOString();
  const row = await db.kysely.transaction().execute(async (trx) => {
    const current = await loadDossier(trx, id);
    if (current.version !== input.version) throw versionConflict(current, input.version);
    const c = await context(trx, current);
    const res = nextState(moveRequest(c, action, roles, { comment, returnTo: input.returnTo }));
    if (!res.ok) throw new DomainError(REFUSAL_CODE[res.refusal], res.message, { refusal: res.refusal, ...(res.details ?? {}) });
    // The decision's number and date are checked once the move itself is legal.
    const decision = action === 'decide' ? checkDecision(input.decision, current, on) : null;
    const to = stepOf(current.procedure as ProcedureId, res.to)!;
    const closes = !!to.terminal;
    const ok = await repo.bumpDossier(trx, id, input.version, { state: res.to, state_since: on, closed_on: closes ? on : null, updated_at: at });
    if (!ok) throw versionConflict(await loadDossier(trx, id), input.version);
    const from = stepOf(current.procedure as ProcedureId, current.state)!;
    await repo.appendTransition(trx, { dossier_id: id, action, from_state: current.state, to_state: res.to, on_date: on, actor: actor.id, actor_role: from.role, comment, at });
    if (decision) await recordDecision(trx, actor, current, decision, at);
    await recordAudit(trx, actor, {
      action: `dossier.${action}`,
      entity: 'dossier',
      entityId: id,
      unitId: current.unit_id,
      before: { state: current.state, version: current.version },
      after: { state: res.to, version: current.version + 1, comment, onDate: on, ...(decision ? { decision } : {}) },
    });
    return loadDossier(trx, id);
  });
  return detailOf(db.kysely, actor, row);
}

function checkDecision(d: DecisionInput | null | undefined, row: DossierRow, on: string): Required<DecisionInput> {
  const no = nfc(d?.decisionNo ?? '').trim();
  if (!no || no.length > 60) throw invalid('decision.decisionNo', 'Cần số quyết định (tối đa 60 ký tự), ví dụ "1234/QĐ-UBND".', 'A decision number is required (at most 60 characters), e.g. "1234/QĐ-UBND".');
  const date = d?.decidedOn ?? '';
  if (!isIsoDate(date) || date < row.opened_on || date > on) {
    throw invalid('decision.decidedOn', `Ngày quyết định "${date}" phải từ ngày lập hồ sơ đến ngày ghi nhận.`, `Decision date "${date}" must be between the dossier's opening and the recording date.`);
  }
  const signer = d?.signer ? nfc(d.signer).trim().slice(0, 120) : '';
  return { decisionNo: no, decidedOn: date, signer };
}

async function recordDecision(trx: Q, actor: Actor, row: DossierRow, d: Required<DecisionInput>, at: string): Promise<void> {
  if (row.kind === 'recognition') {
    const rec = await insertRecognition(trx, {
      unitId: row.unit_id,
      level: row.level,
      setId: row.set_id,
      decisionNo: d.decisionNo,
      decidedOn: d.decidedOn,
      signer: d.signer || null,
      note: null,
      isDemo: row.is_demo === 1,
      at,
    });
    await repo.linkRecognitionToDossier(trx, rec.id, row.id);
    await recordAudit(trx, actor, { action: 'recognition.create', entity: 'recognition', entityId: rec.id, unitId: row.unit_id, after: { ...rec, dossier_id: row.id } });
  } else if (row.recognition_id) {
    const before = await repo.findRecognition(trx, row.recognition_id);
    await repo.markRecognitionRevoked(trx, row.recognition_id, d.decidedOn, row.id);
    await recordAudit(trx, actor, {
      action: 'recognition.revoke',
      entity: 'recognition',
      entityId: row.recognition_id,
      unitId: row.unit_id,
      before,
      after: { revoked_on: d.decidedOn, revoked_by_dossier_id: row.id, decisionNo: d.decisionNo, signer: d.signer },
    });
  }
}

export interface DeclarationsInput {
  version: number;
  satisfactionRate?: number | null;
  noConstructionDebt?: boolean | null;
  securityOk?: boolean | null;
}

/** Kê khai: the survey's satisfaction rate and the two declarations (evidence is a document). */
export async function updateDeclarations(db: Db, actor: Actor, id: number, input: DeclarationsInput): Promise<DossierDetail> {
  const existing = await loadDossier(db.kysely, id);
  await authorize(db, actor, 'dossier.write', existing.unit_id);
  assertOpen(existing);
  const rate = input.satisfactionRate;
  if (rate !== undefined && rate !== null && !(Number.isFinite(rate) && rate >= 0 && rate <= 100)) {
    throw invalid('satisfactionRate', `Tỷ lệ hài lòng ${rate} phải từ 0 đến 100 (%).`, `Satisfaction rate ${rate} must be between 0 and 100 (%).`);
  }
  const changes: Partial<DossierRow> = {};
  if (rate !== undefined) changes.satisfaction_rate = rate;
  if (input.noConstructionDebt !== undefined) changes.no_construction_debt = input.noConstructionDebt === null ? null : input.noConstructionDebt ? 1 : 0;
  if (input.securityOk !== undefined) changes.security_ok = input.securityOk === null ? null : input.securityOk ? 1 : 0;
  return updateAtVersion(db, actor, existing, input.version, changes, 'dossier.declarations');
}

export interface DeadlineInput {
  version: number;
  deadline: string | null;
  note?: string | null;
  taskId?: number | null;
}

/** Thời hạn do Ban Chỉ đạo giao ("hoàn thành hồ sơ trước 30/9/2023"), optionally from a task. */
export async function setDeadline(db: Db, actor: Actor, id: number, input: DeadlineInput): Promise<DossierDetail> {
  const existing = await loadDossier(db.kysely, id);
  await authorize(db, actor, 'dossier.write', existing.unit_id);
  assertOpen(existing);
  let deadline = input.deadline;
  let note = input.note ? nfc(input.note).trim().slice(0, 500) : null;
  if (input.taskId != null) {
    const task = await findTask(db.kysely, input.taskId);
    if (!task) throw invalid('taskId', `Không có nhiệm vụ ${input.taskId}.`, `No task ${input.taskId}.`);
    if (task.unit_id !== existing.unit_id) {
      throw invalid('taskId', `Nhiệm vụ ${input.taskId} không phải của xã của hồ sơ (${existing.unit_id}).`, `Task ${input.taskId} is not about the dossier's commune (${existing.unit_id}).`);
    }
    deadline = deadline ?? task.due_on;
    note = note ?? task.title;
  }
  if (deadline !== null && !isIsoDate(deadline)) throw invalid('deadline', `Thời hạn "${deadline}" không hợp lệ (cần YYYY-MM-DD).`, `Deadline "${deadline}" is not a valid YYYY-MM-DD date.`);
  return updateAtVersion(db, actor, existing, input.version, { deadline, deadline_note: note, deadline_task_id: input.taskId ?? null }, 'dossier.deadline');
}

function assertOpen(row: DossierRow): void {
  if (row.closed_on) {
    throw new DomainError('transition_refused', { vi: 'Hồ sơ đã kết thúc, không sửa được nữa.', en: 'The dossier is closed and can no longer be changed.' }, { refusal: 'closed' });
  }
}

async function updateAtVersion(db: Db, actor: Actor, existing: DossierRow, version: number, changes: Partial<DossierRow>, auditAction: string): Promise<DossierDetail> {
  const at = new Date().toISOString();
  const row = await db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.bumpDossier(trx, existing.id, version, { ...changes, updated_at: at });
    if (!ok) throw versionConflict(await loadDossier(trx, existing.id), version);
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, existing[k as keyof DossierRow]]));
    await recordAudit(trx, actor, { action: auditAction, entity: 'dossier', entityId: existing.id, unitId: existing.unit_id, before, after: changes });
    return loadDossier(trx, existing.id);
  });
  return detailOf(db.kysely, actor, row);
}

export { loadDossier, detailOf, toListItem, rolesOf, assertOpen, invalid, type Step };
