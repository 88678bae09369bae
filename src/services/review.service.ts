/**
 * Reviews (rà soát): one commune's assessment against one criteria set at a date. Use cases:
 * create, update values (append-only, optimistic lock on the review version), submit, restore an
 * earlier value, read with its evaluation, list a commune's reviews with its predecessors' history.
 * The evaluation is recomputed on every write and cached; a cached one is used only when it
 * matches the review version and the catalogue content hash, so it is never stale.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, IndicatorValueRow, ReviewEvaluationRow, ReviewRow } from '../db/schema.ts';
import * as reviews from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { watchReview } from './revocation-watch.service.ts';
import type { CriteriaSet } from '../catalog/catalog.ts';
import { evaluateCommune, type CommuneVerdict } from '../domain/evaluation.ts';
import { validateValues } from '../domain/value-validation.ts';
import type { CommuneProfile, IndicatorValue, Level } from '../domain/criteria.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { isIsoDate, withinPeriod, formatDateVi } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { getCommuneProfile, getUnit } from './unit.service.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';

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

export interface ReviewSummary {
  id: number;
  unitId: string;
  setId: string;
  reviewedOn: string;
  status: 'draft' | 'submitted';
  title: string | null;
  note: string | null;
  version: number;
  isDemo: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
}

export interface ReviewDetail extends ReviewSummary {
  setName: string;
  unitName: string;
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

function normaliseValue(v: IndicatorValue): IndicatorValue {
  return typeof v === 'string' ? nfc(v) : v;
}

/** Check values against the set; refuse the whole write with every problem named. */
function assertValidValues(set: CriteriaSet, values: Record<string, ValueInput>): void {
  const plain: Record<string, IndicatorValue> = {};
  for (const [code, input] of Object.entries(values)) plain[code] = input.value;
  const problems = validateValues(set, plain);
  if (problems.length === 0) return;
  const first = problems[0]!;
  const known = new Set(set.criteria.flatMap((c) => c.indicators.map((i) => i.code)));
  throw new DomainError(
    problems.some((p) => !known.has(p.code)) ? 'unknown_indicator' : 'invalid_value',
    {
      vi: `Giá trị chỉ tiêu "${first.code}" không hợp lệ: ${first.message.vi}${problems.length > 1 ? ` (và ${problems.length - 1} lỗi khác)` : ''}`,
      en: `Invalid value for indicator "${first.code}": ${first.message.en}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
    },
    { fields: problems.map((p) => ({ field: `values.${p.code}`, message: p.message.en, message_vi: p.message.vi })) },
  );
}

function toNewValues(values: Record<string, ValueInput>, restoredFromSeq: number | null = null): reviews.NewValue[] {
  return Object.entries(values).map(([code, v]) => ({
    code,
    valueJson: JSON.stringify(normaliseValue(v.value)),
    note: v.note == null ? null : nfc(v.note),
    evidenceJson: v.evidence && v.evidence.length ? JSON.stringify(v.evidence.map((e) => ({ title: nfc(e.title), url: e.url ?? null }))) : null,
    restoredFromSeq,
  }));
}

// ── Evaluation (computed on write, cached, checked on read) ─────────────────────────────────

const STATUS_LETTER = { met: 'M', not_met: 'N', not_evaluable: 'E', not_applicable: 'A' } as const;

/** One status letter per criterion in set order (the summaries read these, not the verdict tree). */
function criteriaStatusLetters(verdict: CommuneVerdict): string {
  return verdict.criteria.map((c) => STATUS_LETTER[c.status]).join('');
}

/**
 * What the evaluation cache keeps of a review: the engine's inputs that the review's own row does
 * not pin down (the commune's profile and recognised levels on its date, the values evaluated),
 * about 2 KB, where the verdict tree is about 55 KB (a national import wrote 540 MB of them).
 * The verdict is derived again from these by the pure engine, faster than parsing the tree.
 */
export interface EvaluationInputs {
  profile: CommuneProfile;
  recognisedLevels: Level[];
  values: Record<string, IndicatorValue>;
}

type Evaluated = Pick<ReviewRow, 'id' | 'version' | 'set_id' | 'reviewed_on'>;

/** The engine on a review's inputs. */
function evaluateInputs(review: Pick<ReviewRow, 'set_id' | 'reviewed_on'>, inputs: EvaluationInputs): CommuneVerdict {
  return evaluateCommune(getCatalog().get(review.set_id), inputs.profile, review.reviewed_on, inputs.values, { recognisedLevels: inputs.recognisedLevels });
}

/** Evaluate a review from its inputs: the verdict and the cache row that records it. */
export function evaluateForCache(review: Evaluated, inputs: EvaluationInputs, at: string): { verdict: CommuneVerdict; row: ReviewEvaluationRow } {
  const catalog = getCatalog();
  const verdict = evaluateInputs(review, inputs);
  const row: ReviewEvaluationRow = {
    review_id: review.id,
    review_version: review.version,
    catalog_hash: catalog.hash(review.set_id),
    criteria_met: verdict.totals.criteriaMet,
    criteria_total: verdict.totals.criteriaTotal,
    indicators_met: verdict.totals.indicatorsMet,
    indicators_total: verdict.totals.indicatorsTotal,
    not_evaluable: verdict.totals.notEvaluable,
    not_applicable: verdict.totals.notApplicable,
    level: verdict.level,
    meets_standard: verdict.meetsStandard ? 1 : 0,
    criteria_status: criteriaStatusLetters(verdict),
    inputs_json: JSON.stringify(inputs),
    computed_at: at,
  };
  return { verdict, row };
}

/** The verdict a cache row records, derived again from its inputs. */
export function verdictOfCached(review: Pick<ReviewRow, 'set_id' | 'reviewed_on'>, cached: Pick<ReviewEvaluationRow, 'inputs_json'>): CommuneVerdict {
  return evaluateInputs(review, JSON.parse(cached.inputs_json) as EvaluationInputs);
}

async function recognisedLevels(db: Q, unitId: string, asOf: string): Promise<Level[]> {
  const rows = await listRecognitionsOfUnits(db, [unitId]);
  return rows.filter((r) => r.decided_on <= asOf).map((r) => r.level as Level);
}

/** Evaluate a review from its current values and store the result: the verdict and the cache row. */
export async function refreshEvaluation(db: Q, review: ReviewRow, values?: IndicatorValueRow[]): Promise<{ verdict: CommuneVerdict; row: ReviewEvaluationRow }> {
  const current = values ?? (await reviews.currentValues(db, review.id));
  const plain: Record<string, IndicatorValue> = {};
  for (const v of current) plain[v.indicator_code] = JSON.parse(v.value_json) as IndicatorValue;
  const inputs: EvaluationInputs = {
    profile: await getCommuneProfile(db, review.unit_id, review.reviewed_on),
    recognisedLevels: await recognisedLevels(db, review.unit_id, review.reviewed_on),
    values: plain,
  };
  const evaluated = evaluateForCache(review, inputs, new Date().toISOString());
  await reviews.upsertEvaluation(db, evaluated.row);
  return evaluated;
}

/** Evaluate a review from its current values and store the result. */
export async function evaluateAndCache(db: Q, review: ReviewRow, values?: IndicatorValueRow[]): Promise<CommuneVerdict> {
  return (await refreshEvaluation(db, review, values)).verdict;
}

/** The cached evaluation when still valid, else a fresh one. */
export async function evaluationOf(db: Q, review: ReviewRow): Promise<CommuneVerdict> {
  const cached = await reviews.findEvaluation(db, review.id);
  if (cached && cached.review_version === review.version && cached.catalog_hash === getCatalog().hash(review.set_id)) return verdictOfCached(review, cached);
  return evaluateAndCache(db, review);
}

// ── Use cases ─────────────────────────────────────────────────────────────────────────────

async function loadReview(db: Q, id: number): Promise<ReviewRow> {
  const row = await reviews.findReview(db, id);
  if (!row) throw notFound('bản rà soát', 'Review', id);
  return row;
}

/** A review with its values and evaluation. With an actor: refused unless it may read the review's commune. */
export async function getReview(db: Db, id: number, actor?: Actor): Promise<ReviewDetail> {
  const row = await loadReview(db.kysely, id);
  if (actor) await authorize(db, actor, 'review.read', row.unit_id);
  return detail(db.kysely, row);
}

async function detail(db: Q, row: ReviewRow): Promise<ReviewDetail> {
  const values = await reviews.currentValues(db, row.id);
  const set = getCatalog().get(row.set_id);
  const unit = await getUnit(db, row.unit_id);
  const evaluation = await evaluationOf(db, row);
  return {
    ...toReviewSummary(row),
    setName: set.name,
    unitName: unit.fullName,
    values: values.map(toReviewValue),
    evaluation,
  };
}

export interface CreateReviewInput {
  unitId: string;
  setId: string;
  reviewedOn: string;
  title?: string | null;
  note?: string | null;
  values?: Record<string, ValueInput>;
  isDemo?: boolean;
  status?: 'draft' | 'submitted';
}

export async function createReview(db: Db, actor: Actor, input: CreateReviewInput): Promise<ReviewDetail> {
  return db.kysely.transaction().execute(async (trx) => detail(trx, await createReviewIn(trx, actor, input)));
}

/**
 * Create a review inside the caller's transaction (imports and the demo seed create many in one
 * all-or-nothing transaction). With `status: 'submitted'` it is stored as already submitted.
 */
export async function createReviewIn(trx: Q, actor: Actor, input: CreateReviewInput): Promise<ReviewRow> {
  await authorize(trx, actor, 'review.write', input.unitId);
  if (!isIsoDate(input.reviewedOn)) {
    throw new DomainError(
      'validation_failed',
      { vi: `Ngày rà soát "${input.reviewedOn}" không hợp lệ (cần YYYY-MM-DD).`, en: `Review date "${input.reviewedOn}" is not a valid YYYY-MM-DD date.` },
      { fields: [{ field: 'reviewedOn' }] },
    );
  }
  const set = getCatalog().get(input.setId);
  if (!withinPeriod(input.reviewedOn, set.validFrom, set.validTo)) {
    throw new DomainError(
      'date_outside_set_validity',
      {
        vi: `Ngày rà soát ${formatDateVi(input.reviewedOn)} nằm ngoài thời gian áp dụng của bộ tiêu chí "${set.name}" (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `Review date ${input.reviewedOn} is outside the validity of criteria set "${set.id}" (${set.validFrom} – ${set.validTo ?? 'now'}).`,
      },
      { fields: [{ field: 'reviewedOn' }] },
    );
  }
  const unit = await getUnit(trx, input.unitId);
  if (unit.level !== 'commune') {
    throw new DomainError(
      'validation_failed',
      { vi: `"${unit.fullName}" không phải đơn vị cấp xã: chỉ xã mới có bản rà soát.`, en: `"${unit.fullName}" is not a commune-level unit: only communes have reviews.` },
      { fields: [{ field: 'unitId' }] },
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
  const values = input.values ?? {};
  assertValidValues(set, values);
  const at = new Date().toISOString();
  let row = await reviews.insertReview(trx, {
    unitId: input.unitId,
    setId: input.setId,
    reviewedOn: input.reviewedOn,
    title: input.title ? nfc(input.title) : null,
    note: input.note ? nfc(input.note) : null,
    isDemo: input.isDemo ?? false,
    createdBy: actor.id,
    at,
  });
  if (input.status === 'submitted') row = await lockVersion(trx, row.id, row.version, { status: 'submitted', submitted_at: at, submitted_by: actor.id, updated_at: at });
  await reviews.appendValues(trx, row.id, toNewValues(values), actor.id, actor.source, at);
  const verdict = await evaluateAndCache(trx, row);
  await watchReview(trx, actor, row, verdict);
  await recordAudit(trx, actor, {
    action: 'review.create',
    entity: 'review',
    entityId: row.id,
    unitId: row.unit_id,
    after: { ...toReviewSummary(row), values },
  });
  return row;
}

/**
 * 409 with the current state — version, status and every current value with who entered it when —
 * so that the client can show the user their values beside the current ones and let them choose.
 */
function versionConflict(current: ReviewRow, expected: number, values: IndicatorValueRow[]): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `Bản rà soát đã được người khác sửa (phiên bản hiện tại ${current.version}, bạn đang sửa phiên bản ${expected}). Hãy tải lại và chọn giữ giá trị nào.`,
      en: `The review was changed by someone else (current version ${current.version}, you edited version ${expected}). Reload and choose which values to keep.`,
    },
    {
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

export async function updateReviewValues(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; values: Record<string, ValueInput> },
): Promise<ReviewDetail> {
  const existing = await loadReview(db.kysely, id);
  await authorize(db, actor, 'review.write', existing.unit_id);
  assertEditable(existing);
  const set = getCatalog().get(existing.set_id);
  assertValidValues(set, input.values);
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const before = await reviews.currentValues(trx, id);
    const row = await lockVersion(trx, id, input.version, { updated_at: at });
    assertEditable(row);
    await reviews.appendValues(trx, id, toNewValues(input.values), actor.id, actor.source, at);
    await evaluateAndCache(trx, row);
    const codes = new Set(Object.keys(input.values));
    await recordAudit(trx, actor, {
      action: 'review.values.update',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: Object.fromEntries(before.filter((v) => codes.has(v.indicator_code)).map((v) => [v.indicator_code, JSON.parse(v.value_json)])),
      after: Object.fromEntries(Object.entries(input.values).map(([k, v]) => [k, v.value])),
    });
    return detail(trx, row);
  });
}

export async function submitReview(db: Db, actor: Actor, id: number, input: { version: number }): Promise<ReviewDetail> {
  const existing = await loadReview(db.kysely, id);
  await authorize(db, actor, 'review.submit', existing.unit_id);
  assertEditable(existing);
  const at = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const row = await lockVersion(trx, id, input.version, { status: 'submitted', submitted_at: at, submitted_by: actor.id, updated_at: at });
    // A recognised commune's new review runs the revocation rule (alerts the province).
    await watchReview(trx, actor, row, await evaluateAndCache(trx, row));
    await recordAudit(trx, actor, {
      action: 'review.submit',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: { status: existing.status, version: existing.version },
      after: { status: 'submitted', version: row.version },
    });
    return detail(trx, row);
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
    const before = (await reviews.currentValues(trx, id)).find((v) => v.indicator_code === input.code);
    await reviews.appendValues(
      trx,
      id,
      [{ code: input.code, valueJson: old.value_json, note: old.note, evidenceJson: old.evidence_json, restoredFromSeq: old.seq }],
      actor.id,
      actor.source,
      at,
    );
    await evaluateAndCache(trx, row);
    await recordAudit(trx, actor, {
      action: 'review.values.restore',
      entity: 'review',
      entityId: id,
      unitId: row.unit_id,
      before: { [input.code]: before ? JSON.parse(before.value_json) : null },
      after: { [input.code]: JSON.parse(old.value_json), restoredFromSeq: old.seq },
    });
    return detail(trx, row);
  });
}

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
