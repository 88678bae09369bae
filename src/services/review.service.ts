/**
 * Reviews (rà soát): one commune's assessment against one criteria set at a date. Use cases:
 * create, update values (append-only, optimistic lock on the review version), submit, restore an
 * earlier value, read with its evaluation, list a commune's reviews with its predecessors' history.
 *
 * One write path: creating one review from the form and thousands from a spreadsheet import are
 * the same `createReviewsIn` (multi-row inserts), and updating a review's values or a draft from an
 * import the same `updateReviewsIn` — the same checks, error codes and messages, NFC text, audit
 * events and revocation watch. Every write evaluates each review once (evaluation.service.ts),
 * caches the verdict, and answers with the verdict and values it already has.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, IndicatorValueRow, ReviewRow } from '../db/schema.ts';
import * as reviews from '../db/review.repository.ts';
import { insertEvaluations, insertFirstValues, insertReviews } from '../db/review-bulk.repository.ts';
import { findUnits } from '../db/unit.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { listAttachmentsOfReview } from '../db/attachment.repository.ts';
import { getCatalog, type CriteriaSet } from '../catalog/catalog.ts';
import type { CommuneVerdict } from '../domain/evaluation.ts';
import { validateValues } from '../domain/value-validation.ts';
import type { IndicatorValue } from '../domain/criteria.ts';
import type { Unit } from '../domain/unit.ts';
import { DomainError, notFound, type BilingualMessage } from '../domain/errors.ts';
import { isIsoDate, withinPeriod, formatDateVi, todayInVietnam } from '../domain/dates.ts';
import { reviewWarnings } from '../domain/level-status.ts';
import { nfc } from '../domain/text.ts';
import { cleanLink } from '../domain/input.ts';
import { indexSet, plainlyValid, type SetIndex } from '../files/imports/cells.ts';
import type { ReviewSummary } from '../files/reports/inputs.ts';
import { evaluateReviews, evaluationOf } from './evaluation.service.ts';
import { watchReview } from './revocation-watch.service.ts';
import { getUnit } from './unit.service.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';

// The web app imports the summary type from here.
// Services outside this refactor (feed, dossier, consultation, dossier documents) still import these from here.

type Q = Kysely<Database> | Transaction<Database>;

/** Minh chứng — a reference to evidence behind a value (document, photo, link). */
export interface EvidenceRef {
  title: string;
  url?: string | null;
}

export interface ValueInput {
  value: IndicatorValue;
  note?: string | null;
  evidence?: EvidenceRef[] | null;
}

export interface ReviewValue {
  code: string;
  value: IndicatorValue;
  note: string | null;
  evidence: EvidenceRef[];
  seq: number;
  enteredBy: string;
  enteredAt: string;
}

export interface ReviewDetail extends ReviewSummary {
  setName: string;
  unitName: string;
  /** Shown above the result: the set has ended, or the commune no longer exists (2025 merger). */
  warnings: BilingualMessage[];
  values: ReviewValue[];
  evaluation: CommuneVerdict;
}

export function toReviewSummary(r: ReviewRow): ReviewSummary {
  return {
    id: r.id,
    unitId: r.unit_id,
    setId: r.set_id,
    reviewedOn: r.reviewed_on,
    status: r.status,
    title: r.title,
    note: r.note,
    version: r.version,
    isDemo: r.is_demo === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
  };
}

function toReviewValue(r: IndicatorValueRow): ReviewValue {
  return {
    code: r.indicator_code,
    value: JSON.parse(r.value_json) as IndicatorValue,
    note: r.note,
    evidence: r.evidence_json ? (JSON.parse(r.evidence_json) as EvidenceRef[]) : [],
    seq: r.seq,
    enteredBy: r.entered_by,
    enteredAt: r.entered_at,
  };
}

function plainOf(values: readonly ReviewValue[]): Record<string, IndicatorValue> {
  const plain: Record<string, IndicatorValue> = {};
  for (const v of values) plain[v.code] = v.value;
  return plain;
}

function detailOf(row: ReviewRow, unit: { fullName: string; validTo: string | null }, values: ReviewValue[], evaluation: CommuneVerdict): ReviewDetail {
  const set = getCatalog().get(row.set_id);
  const warnings = reviewWarnings({ unitName: unit.fullName, unitValidTo: unit.validTo, setValidTo: set.validTo, today: todayInVietnam() });
  return { ...toReviewSummary(row), setName: set.name, unitName: unit.fullName, warnings, values, evaluation };
}

// ── Values: normalised, checked ───────────────────────────────────────────────────────────────

// What is stored of a value written: text in NFC and trimmed, evidence titles too. (Objects are
// built field by field, without spreads: an import writes hundreds of thousands of values.)
const storedValue = (v: IndicatorValue): IndicatorValue => (typeof v === 'string' ? nfc(v) : v);
const storedNote = (note: string | null | undefined): string | null => (note == null ? null : nfc(note));
const storedEvidence = (code: string, evidence: EvidenceRef[] | null | undefined): EvidenceRef[] =>
  (evidence ?? []).map((e, i) => ({ title: nfc(e.title), url: cleanLink(e.url, `values.${code}.evidence[${i}].url`) }));
const evidenceJson = (evidence: readonly EvidenceRef[]): string | null => (evidence.length ? JSON.stringify(evidence) : null);

/** The first version of a new review's value. */
function firstVersion(code: string, v: ValueInput, enteredBy: string, enteredAt: string): ReviewValue {
  return { code, value: storedValue(v.value), note: storedNote(v.note), evidence: storedEvidence(code, v.evidence), seq: 1, enteredBy, enteredAt };
}

/** A new version of a value, to append. */
function newVersion(code: string, v: ValueInput): reviews.NewValue {
  return { code, valueJson: JSON.stringify(storedValue(v.value)), note: storedNote(v.note), evidenceJson: evidenceJson(storedEvidence(code, v.evidence)), restoredFromSeq: null };
}

/** What the audit trail records of a value created: the value, and its note and evidence when given. */
function audited(v: ReviewValue): Record<string, unknown> {
  const out: Record<string, unknown> = { value: v.value };
  if (v.note !== null) out.note = v.note;
  if (v.evidence.length) out.evidence = v.evidence;
  return out;
}

const indexes = new WeakMap<CriteriaSet, SetIndex>();

/** Every key an indicator or flag of the set, every value plainly valid (the common case, checked without building messages). */
function valuesPlainlyValid(set: CriteriaSet, values: Readonly<Record<string, ValueInput>>): boolean {
  let idx = indexes.get(set);
  if (!idx) indexes.set(set, (idx = indexSet(set)));
  for (const [code, { value: v }] of Object.entries(values)) {
    const ind = idx.byCode.get(code);
    if (!ind) {
      if (idx.flagCodes.has(code) && (v === null || typeof v === 'boolean')) continue;
      return false;
    }
    // A ratio with keys besides numerator and denominator goes to the full check (which refuses it).
    if (!plainlyValid(ind, v) || (ind.kind === 'ratio' && Object.keys(v as object).length !== 2)) return false;
  }
  return true;
}

/** Who and when a message is about: `Xã Tràng An, 20/03/2023`. */
function whereOf(unit: Pick<Unit, 'fullName'>, date: string): string {
  return `${unit.fullName}, ${formatDateVi(date)}`;
}

/** Check values against the set; refuse the whole write with every problem named. */
function assertValidValues(set: CriteriaSet, values: Readonly<Record<string, ValueInput>>, where: string): void {
  if (valuesPlainlyValid(set, values)) return;
  const plain: Record<string, IndicatorValue> = {};
  for (const [code, input] of Object.entries(values)) plain[code] = input.value;
  const problems = validateValues(set, plain);
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new DomainError(
    problems.some((p) => p.error === 'unknown_indicator') ? 'unknown_indicator' : 'invalid_value',
    {
      vi: `${where}: giá trị chỉ tiêu "${first.code}" không hợp lệ: ${first.message.vi}${problems.length > 1 ? ` (và ${problems.length - 1} lỗi khác)` : ''}`,
      en: `${where}: invalid value for indicator "${first.code}": ${first.message.en}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
    },
    { fields: problems.map((p) => ({ field: `values.${p.code}`, message: p.message.en, message_vi: p.message.vi })) },
  );
}

// ── Reading ───────────────────────────────────────────────────────────────────────────────────

async function loadReview(db: Q, id: number): Promise<ReviewRow> {
  const row = await reviews.findReview(db, id);
  if (!row) throw notFound('bản rà soát', 'Review', id);
  return row;
}

/** The units of these ids: those given, the others read at once (an id not found is left out). */
async function unitsOf(db: Q, ids: readonly string[], known?: ReadonlyMap<string, Unit>): Promise<Map<string, Unit>> {
  const out = new Map<string, Unit>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const u = known?.get(id);
    if (u) out.set(id, u);
    else missing.push(id);
  }
  for (const u of await findUnits(db, missing)) out.set(u.id, u);
  return out;
}

/** A review with its values and evaluation. With an actor: refused unless it may read the review's commune. */
export async function getReview(db: Db, id: number, actor?: Actor): Promise<ReviewDetail> {
  const row = await loadReview(db.kysely, id);
  if (actor) await authorize(db, actor, 'review.read', row.unit_id);
  const values = await reviews.currentValues(db.kysely, row.id);
  const unit = await getUnit(db.kysely, row.unit_id);
  return detailOf(row, unit, values.map(toReviewValue), await evaluationOf(db.kysely, row, values));
}

// ── Evaluating what was written ───────────────────────────────────────────────────────────────

interface Written {
  row: ReviewRow;
  unit: Unit;
  /** The review's current values after the write. */
  values: ReviewValue[];
}

/** What a write answers for each review, given what it wrote and the verdict it computed. */
type Answer<T> = (written: Written, verdict: CommuneVerdict) => T;

/** The review with its values and verdict, as a read would give it. */
const asDetail: Answer<ReviewDetail> = (w, verdict) => detailOf(w.row, w.unit, w.values, verdict);

/** Only the id: a bulk write does not keep a batch's verdict trees (tens of MB) while it goes on. */
const asId: Answer<number> = (w) => w.row.id;

/**
 * Evaluate written reviews (the engine once each), store the verdicts — inserted for new reviews,
 * replaced otherwise — and run the revocation watch (submitted reviews of recognised communes).
 * Returns the caller's answer for each review.
 */
async function evaluateWritten<T>(trx: Q, actor: Actor, written: readonly Written[], isNew: boolean, at: string, answer: Answer<T>): Promise<T[]> {
  const { evaluations, recognitions } = await evaluateReviews(
    trx,
    written.map((w) => ({ review: w.row, unit: w.unit, values: plainOf(w.values) })),
    at,
  );
  if (isNew) await insertEvaluations(trx, evaluations.map((e) => e.row));
  else for (const e of evaluations) await reviews.upsertEvaluation(trx, e.row);
  for (const [k, w] of written.entries()) await watchReview(trx, actor, w.row, evaluations[k]!.verdict, recognitions);
  return written.map((w, k) => answer(w, evaluations[k]!.verdict));
}

// ── Creating ──────────────────────────────────────────────────────────────────────────────────

export interface CreateReviewInput {
  unitId: string;
  setId: string;
  reviewedOn: string;
  title?: string | null;
  note?: string | null;
  values?: Record<string, ValueInput>;
  isDemo?: boolean;
  /** With `submitted` the review is stored as already submitted (version 2, as if created then submitted). */
  status?: 'draft' | 'submitted';
}

export async function createReview(db: Db, actor: Actor, input: CreateReviewInput): Promise<ReviewDetail> {
  return db.kysely.transaction().execute(async (trx) => (await createReviews(trx, actor, [input], asDetail))[0]!);
}

/** A set with no indicators measures nothing: no review is created or submitted on it. */
function assertHasIndicators(set: CriteriaSet, field: string): void {
  if (set.criteria.some((c) => c.indicators.length > 0)) return;
  throw new DomainError(
    'validation_failed',
    {
      vi: `Bộ tiêu chí "${set.name}" chưa có chỉ tiêu nào: không thể tạo hay nộp bản rà soát theo bộ này.`,
      en: `Criteria set "${set.name}" has no indicators: a review on it cannot be created or submitted.`,
    },
    { fields: [{ field }], setId: set.id },
  );
}

/** Refuse a review that cannot be created: permission, date, set validity, a commune valid on the date, values. */
async function assertCreatable(trx: Q, actor: Actor, input: CreateReviewInput, units: Map<string, Unit>): Promise<Unit> {
  await authorize(trx, actor, 'review.write', input.unitId);
  if (!isIsoDate(input.reviewedOn)) {
    throw new DomainError(
      'validation_failed',
      { vi: `Ngày rà soát "${input.reviewedOn}" không hợp lệ (cần YYYY-MM-DD).`, en: `Review date "${input.reviewedOn}" is not a valid YYYY-MM-DD date.` },
      { fields: [{ field: 'reviewedOn' }] },
    );
  }
  // The version of the set valid on the review date governs it (values are checked against it).
  const set = getCatalog().at(input.setId, input.reviewedOn);
  // An id not read fails as reading the unit does (not found, or a code without its list).
  const unit = units.get(input.unitId) ?? (await getUnit(trx, input.unitId));
  if (unit.level !== 'commune') {
    throw new DomainError(
      'validation_failed',
      { vi: `"${unit.fullName}" không phải đơn vị cấp xã: chỉ xã mới có bản rà soát.`, en: `"${unit.fullName}" is not a commune-level unit: only communes have reviews.` },
      { fields: [{ field: 'unitId' }] },
    );
  }
  const where = whereOf(unit, input.reviewedOn);
  const today = todayInVietnam();
  if (input.reviewedOn > today) {
    throw new DomainError(
      'validation_failed',
      {
        vi: `${where}: ngày rà soát ${formatDateVi(input.reviewedOn)} ở tương lai (hôm nay là ${formatDateVi(today)}); số liệu chỉ ghi đến ngày đã qua.`,
        en: `${where}: the review date ${input.reviewedOn} is in the future (today is ${today}); values are recorded up to a past date.`,
      },
      { fields: [{ field: 'reviewedOn' }], today },
    );
  }
  assertHasIndicators(set, 'reviewedOn');
  if (!withinPeriod(input.reviewedOn, set.validFrom, set.validTo)) {
    throw new DomainError(
      'date_outside_set_validity',
      {
        vi: `${where}: ngày rà soát nằm ngoài thời gian áp dụng của bộ tiêu chí "${set.name}" (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `${where}: the review date ${input.reviewedOn} is outside the validity of criteria set "${set.id}" (${set.validFrom} – ${set.validTo ?? 'now'}).`,
      },
      { fields: [{ field: 'reviewedOn' }] },
    );
  }
  if (!withinPeriod(input.reviewedOn, unit.validFrom, unit.validTo)) {
    throw new DomainError(
      'unit_not_valid_on_date',
      {
        vi: `${unit.fullName} không tồn tại vào ngày ${formatDateVi(input.reviewedOn)} (hiệu lực ${unit.validFrom ? formatDateVi(unit.validFrom) : '…'} – ${unit.validTo ? formatDateVi(unit.validTo) : 'nay'}).`,
        en: `${unit.fullName} did not exist on ${input.reviewedOn} (valid ${unit.validFrom ?? '…'} – ${unit.validTo ?? 'now'}).`,
      },
      { fields: [{ field: 'unitId' }, { field: 'reviewedOn' }] },
    );
  }
  assertValidValues(set, input.values ?? {}, where);
  return unit;
}

/**
 * Create reviews inside the caller's transaction — thousands from an import or the demo seed, all
 * or nothing with the caller's other writes — exactly as `createReview` creates one. Returns the
 * new reviews' ids, in input order.
 */
export async function createReviewsIn(trx: Q, actor: Actor, inputs: readonly CreateReviewInput[], units?: ReadonlyMap<string, Unit>): Promise<number[]> {
  return createReviews(trx, actor, inputs, asId, units);
}

/**
 * The one write of new reviews: every review checked first, then multi-row inserts of the reviews
 * and their values, each evaluated once and cached, the revocation watch, and one `review.create`
 * audit event per review. `units` are units the caller has already read.
 */
async function createReviews<T>(trx: Q, actor: Actor, inputs: readonly CreateReviewInput[], answer: Answer<T>, units?: ReadonlyMap<string, Unit>): Promise<T[]> {
  if (inputs.length === 0) return [];
  const read = await unitsOf(
    trx,
    inputs.map((i) => i.unitId),
    units,
  );
  const checked: Unit[] = [];
  for (const input of inputs) checked.push(await assertCreatable(trx, actor, input, read));
  const at = new Date().toISOString();
  const rows = await insertReviews(
    trx,
    inputs.map((i) => ({
      unitId: i.unitId,
      setId: i.setId,
      reviewedOn: i.reviewedOn,
      status: i.status ?? 'draft',
      title: i.title ? nfc(i.title) : null,
      note: i.note ? nfc(i.note) : null,
      isDemo: i.isDemo ?? false,
      createdBy: actor.id,
      at,
    })),
  );
  // The first version of each value: what the response shows, without reading it back.
  const values = inputs.map((i) => Object.entries(i.values ?? {}).map(([code, v]) => firstVersion(code, v, actor.id, at)));
  await insertFirstValues(
    trx,
    rows.flatMap((r, k) => values[k]!.map((v) => ({ reviewId: r.id, code: v.code, valueJson: JSON.stringify(v.value), note: v.note, evidenceJson: evidenceJson(v.evidence), enteredBy: actor.id, source: actor.source, at }))),
  );
  const answers = await evaluateWritten(
    trx,
    actor,
    rows.map((row, k) => ({ row, unit: checked[k]!, values: values[k]! })),
    true,
    at,
    answer,
  );
  for (const [k, r] of rows.entries()) {
    const after = { ...toReviewSummary(r), values: Object.fromEntries(values[k]!.map((v) => [v.code, audited(v)])) };
    await recordAudit(trx, actor, { action: 'review.create', entity: 'review', entityId: r.id, unitId: r.unit_id, after });
  }
  return answers;
}

// ── Changing ──────────────────────────────────────────────────────────────────────────────────

/**
 * 409 with the current state — version, status and every current value with who entered it when —
 * so that the client can show the user their values beside the current ones and let them choose.
 */
function versionConflict(current: ReviewRow, expected: number, values: IndicatorValueRow[]): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `Bản rà soát số ${current.id} đã được người khác sửa (phiên bản hiện tại ${current.version}, bạn đang sửa phiên bản ${expected}). Hãy tải lại và chọn giữ giá trị nào.`,
      en: `Review ${current.id} was changed by someone else (current version ${current.version}, you edited version ${expected}). Reload and choose which values to keep.`,
    },
    {
      reviewId: current.id,
      currentVersion: current.version,
      expectedVersion: expected,
      current: { ...toReviewSummary(current), values: values.map(toReviewValue) },
    },
  );
}

function assertEditable(row: ReviewRow): void {
  if (row.status === 'submitted') {
    throw new DomainError('conflict', {
      vi: 'Bản rà soát đã nộp, không sửa được nữa; hãy tạo bản rà soát mới.',
      en: 'The review has been submitted and can no longer be edited; create a new review.',
    });
  }
}

/** Lock the review at `expected` version (bumping it) or fail with 409 and the current state. */
async function lockVersion(trx: Q, id: number, expected: number, changes: Parameters<typeof reviews.bumpReviewVersion>[3]): Promise<ReviewRow> {
  const ok = await reviews.bumpReviewVersion(trx, id, expected, changes);
  const row = await loadReview(trx, id);
  if (!ok) throw versionConflict(row, expected, await reviews.currentValues(trx, id));
  return row;
}

/** The current values after appending: those before, each replaced by its new version. */
function currentAfter(before: readonly IndicatorValueRow[], appended: readonly IndicatorValueRow[]): ReviewValue[] {
  const byCode = new Map(before.map((v) => [v.indicator_code, v]));
  for (const v of appended) byCode.set(v.indicator_code, v);
  return [...byCode.values()].map(toReviewValue);
}

function valuesByCode(rows: readonly IndicatorValueRow[], codes: Iterable<string>): Record<string, unknown> {
  const byCode = new Map(rows.map((v) => [v.indicator_code, v.value_json]));
  return Object.fromEntries([...codes].map((code) => [code, byCode.has(code) ? JSON.parse(byCode.get(code)!) : null]));
}

export interface ValuesUpdate {
  /** The review as the caller read it. */
  review: ReviewRow;
  /** The version the client edited. */
  version: number;
  values: Record<string, ValueInput>;
}

export async function updateReviewValues(db: Db, actor: Actor, id: number, input: { version: number; values: Record<string, ValueInput> }): Promise<ReviewDetail> {
  const review = await loadReview(db.kysely, id);
  return db.kysely.transaction().execute(async (trx) => (await updateReviews(trx, actor, [{ review, version: input.version, values: input.values }], asDetail))[0]!);
}

/** Append new values to draft reviews inside the caller's transaction (an import's), exactly as `updateReviewValues` does for one. */
export async function updateReviewsIn(trx: Q, actor: Actor, updates: readonly ValuesUpdate[]): Promise<void> {
  await updateReviews(trx, actor, updates, asId);
}

/**
 * The one write of new values (history is append-only): each review checked (permission, still a
 * draft, values valid for its set), locked at the version the client edited, evaluated once and
 * cached, with one `review.values.update` audit event (the values before — null where there was
 * none — and after).
 */
async function updateReviews<T>(trx: Q, actor: Actor, updates: readonly ValuesUpdate[], answer: Answer<T>): Promise<T[]> {
  if (updates.length === 0) return [];
  const units = await unitsOf(
    trx,
    updates.map((u) => u.review.unit_id),
  );
  for (const u of updates) {
    await authorize(trx, actor, 'review.write', u.review.unit_id);
    assertEditable(u.review);
    assertValidValues(getCatalog().at(u.review.set_id, u.review.reviewed_on), u.values, whereOf(units.get(u.review.unit_id)!, u.review.reviewed_on));
  }
  const at = new Date().toISOString();
  const written: Written[] = [];
  const audits: Array<{ before: Record<string, unknown>; after: Record<string, unknown> }> = [];
  for (const u of updates) {
    const row = await lockVersion(trx, u.review.id, u.version, { updated_at: at });
    assertEditable(row);
    const before = await reviews.currentValues(trx, row.id);
    const appended = await reviews.appendValues(
      trx,
      row.id,
      Object.entries(u.values).map(([code, v]) => newVersion(code, v)),
      actor.id,
      actor.source,
      at,
    );
    written.push({ row, unit: units.get(row.unit_id)!, values: currentAfter(before, appended) });
    audits.push({ before: valuesByCode(before, Object.keys(u.values)), after: Object.fromEntries(appended.map((v) => [v.indicator_code, JSON.parse(v.value_json)])) });
  }
  const answers = await evaluateWritten(trx, actor, written, false, at, answer);
  for (const [k, w] of written.entries()) {
    await recordAudit(trx, actor, { action: 'review.values.update', entity: 'review', entityId: w.row.id, unitId: w.row.unit_id, ...audits[k]! });
  }
  return answers;
}

export async function submitReview(db: Db, actor: Actor, id: number, input: { version: number }): Promise<ReviewDetail> {
  const existing = await loadReview(db.kysely, id);
  await authorize(db, actor, 'review.submit', existing.unit_id);
  assertEditable(existing);
  assertHasIndicators(getCatalog().get(existing.set_id), 'setId');
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const row = await lockVersion(trx, id, input.version, { status: 'submitted', submitted_at: at, submitted_by: actor.id, updated_at: at });
    const values = (await reviews.currentValues(trx, id)).map(toReviewValue);
    // A recognised commune's new review runs the revocation rule (alerts the province).
    const [detail] = await evaluateWritten(trx, actor, [{ row, unit: (await unitsOf(trx, [row.unit_id])).get(row.unit_id)!, values }], false, at, asDetail);
    await recordAudit(trx, actor, {
      action: 'review.submit',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: { status: existing.status, version: existing.version },
      after: { status: 'submitted', version: row.version },
    });
    return detail!;
  });
}

/** What discarding a draft removed: the answer of `DELETE /reviews/:id`. */
export interface DiscardedReview {
  id: number;
  unitId: string;
  setId: string;
  reviewedOn: string;
  /** Value rows removed, every version of every indicator. */
  valueVersions: number;
  /** Evidence files taken off the review (the stored bytes stay, as when a file is taken off a value). */
  attachments: number;
}

/** A submitted review is the commune's record of that date: it is never discarded. */
function assertDiscardable(row: ReviewRow): void {
  if (row.status === 'submitted') {
    throw new DomainError(
      'conflict',
      {
        vi: `Bản rà soát số ${row.id} đã nộp${row.submitted_at ? ` ngày ${formatDateVi(row.submitted_at.slice(0, 10))}` : ''} nên không hủy được: bản đã nộp được giữ làm hồ sơ của xã. Chỉ hủy được bản nháp; muốn đánh giá lại, hãy tạo bản rà soát mới.`,
        en: `Review ${row.id} has been submitted${row.submitted_at ? ` on ${row.submitted_at.slice(0, 10)}` : ''} and cannot be discarded: a submitted review is kept as the commune's record. Only a draft can be discarded; create a new review to assess again.`,
      },
      { reviewId: row.id, status: row.status, reason: 'submitted' },
    );
  }
}

/**
 * Hủy bản nháp — discard a draft review: its every value version, cached evaluation and
 * attachment rows go with it, in one transaction locked at the version the client read. Allowed
 * with `review.write` on its commune, for a draft only (a submitted review: 409 naming why) that
 * nothing else points at. The audit event keeps what was deleted (the review, every value version,
 * the attachments), so the history is still there.
 */
export async function discardReview(db: Db, actor: Actor, id: number, input: { version: number }): Promise<DiscardedReview> {
  const existing = await loadReview(db.kysely, id);
  await authorize(db, actor, 'review.write', existing.unit_id);
  assertDiscardable(existing);
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const row = await lockVersion(trx, id, input.version, { updated_at: at });
    assertDiscardable(row);
    const refs = await reviews.reviewReferences(trx, id);
    if (refs.meetings + refs.dossiers + refs.alerts > 0) {
      throw new DomainError(
        'conflict',
        {
          vi: `Bản rà soát số ${id} đang được dùng (${[refs.meetings ? `${refs.meetings} cuộc họp` : '', refs.dossiers ? `${refs.dossiers} hồ sơ` : '', refs.alerts ? `${refs.alerts} cảnh báo thu hồi` : ''].filter(Boolean).join(', ')}) nên không hủy được.`,
          en: `Review ${id} is in use (${[refs.meetings ? `${refs.meetings} meeting(s)` : '', refs.dossiers ? `${refs.dossiers} dossier(s)` : '', refs.alerts ? `${refs.alerts} revocation alert(s)` : ''].filter(Boolean).join(', ')}) and cannot be discarded.`,
        },
        { reviewId: id, reason: 'referenced', ...refs },
      );
    }
    const history = await reviews.valueHistory(trx, id);
    const files = await listAttachmentsOfReview(trx, id);
    await reviews.deleteReview(trx, id);
    await recordAudit(trx, actor, {
      action: 'review.discard',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: {
        review: { ...toReviewSummary(row), version: input.version },
        values: history.map((v) => ({ code: v.indicator_code, seq: v.seq, value: JSON.parse(v.value_json) as unknown, note: v.note, evidence: v.evidence_json ? (JSON.parse(v.evidence_json) as unknown) : null, by: v.entered_by, at: v.entered_at })),
        attachments: files.map((f) => ({ id: f.id, indicatorCode: f.indicator_code, filename: f.filename, contentType: f.content_type, size: f.size, sha256: f.sha256 })),
      },
      after: null,
    });
    return { id, unitId: row.unit_id, setId: row.set_id, reviewedOn: row.reviewed_on, valueVersions: history.length, attachments: files.length };
  });
}

/** Make an earlier version of one indicator's value current again (as a new version). */
export async function restoreValue(db: Db, actor: Actor, id: number, input: { code: string; seq: number; version: number }): Promise<ReviewDetail> {
  const existing = await loadReview(db.kysely, id);
  await authorize(db, actor, 'review.write', existing.unit_id);
  assertEditable(existing);
  const old = await reviews.findValueVersion(db.kysely, id, input.code, input.seq);
  if (!old) throw notFound('phiên bản giá trị', 'Value version', `${input.code}#${input.seq}`);
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const row = await lockVersion(trx, id, input.version, { updated_at: at });
    const before = await reviews.currentValues(trx, id);
    const appended = await reviews.appendValues(
      trx,
      id,
      [{ code: input.code, valueJson: old.value_json, note: old.note, evidenceJson: old.evidence_json, restoredFromSeq: old.seq }],
      actor.id,
      actor.source,
      at,
    );
    const [detail] = await evaluateWritten(trx, actor, [{ row, unit: (await unitsOf(trx, [row.unit_id])).get(row.unit_id)!, values: currentAfter(before, appended) }], false, at, asDetail);
    await recordAudit(trx, actor, {
      action: 'review.values.restore',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: valuesByCode(before, [input.code]),
      after: { [input.code]: JSON.parse(old.value_json), restoredFromSeq: old.seq },
    });
    return detail!;
  });
}

// ── History ───────────────────────────────────────────────────────────────────────────────────

export interface ValueVersion extends ReviewValue {
  source: string;
  restoredFromSeq: number | null;
}

export async function getValueHistory(db: Db, id: number, code?: string, actor?: Actor): Promise<ValueVersion[]> {
  const row = await loadReview(db.kysely, id);
  if (actor) await authorize(db, actor, 'review.read', row.unit_id);
  const rows = await reviews.valueHistory(db.kysely, id, code);
  return rows.map((r) => ({ ...toReviewValue(r), source: r.source, restoredFromSeq: r.restored_from_seq }));
}

export interface UnitReviewGroup {
  unitId: string;
  unitName: string;
  /** `self` for the unit's own reviews, `predecessor` for history carried across a merge. */
  relation: 'self' | 'predecessor';
  reviews: Array<ReviewSummary & { criteriaMet: number | null; criteriaTotal: number | null; indicatorsMet: number | null; indicatorsTotal: number | null }>;
}

/** A commune's reviews, then its predecessors' (each under its own old unit and set). */
export async function listReviewsForUnit(db: Db, unitId: string, actor?: Actor): Promise<UnitReviewGroup[]> {
  if (actor) await authorize(db, actor, 'review.read', unitId);
  const unit = await getUnit(db.kysely, unitId);
  const groups: Array<{ id: string; name: string; relation: 'self' | 'predecessor' }> = [
    { id: unit.id, name: unit.fullName, relation: 'self' },
    ...unit.predecessors.map((p) => ({ id: p.id, name: p.fullName, relation: 'predecessor' as const })),
  ];
  const rows = await reviews.listReviewsOfUnits(
    db.kysely,
    groups.map((g) => g.id),
  );
  const out: UnitReviewGroup[] = [];
  for (const g of groups) {
    const mine = rows.filter((r) => r.unit_id === g.id);
    const enriched = [];
    for (const r of mine) {
      const ev = await evaluationOf(db.kysely, r);
      enriched.push({
        ...toReviewSummary(r),
        criteriaMet: ev.totals.criteriaMet,
        criteriaTotal: ev.totals.criteriaTotal,
        indicatorsMet: ev.totals.indicatorsMet,
        indicatorsTotal: ev.totals.indicatorsTotal,
      });
    }
    out.push({ unitId: g.id, unitName: g.name, relation: g.relation, reviews: enriched });
  }
  return out;
}
