import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import { isDomainError, type DomainError } from '../domain/errors.ts';
import type { IndicatorValue } from '../domain/criteria.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import { demoValue } from '../seed/demo-values.ts';
import { insertAttachment } from '../db/attachment.repository.ts';
import { ScopeResolver } from './access.service.ts';
import {
  createReview,
  discardReview,
  getReview,
  getValueHistory,
  listReviewsForUnit,
  restoreValue,
  submitReview,
  updateReviewValues,
  type ValueInput,
} from './review.service.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import type { Actor } from './actor.ts';

const officer: Actor = { id: 'can-bo-xa', source: 'web', ip: '127.0.0.1' };
const set = () => getCatalog().get(DEMO_SET_ID);

/** Values meeting every indicator for a DBSH commune in `year`, except those in `miss`. */
function valuesFor(year: number, miss: string[] = []): Record<string, ValueInput> {
  const s = set();
  const ctx = targetContext(s, { code: 'x', name: 'x', region: 'DBSH' }, year);
  const out: Record<string, ValueInput> = {};
  for (const c of s.criteria)
    for (const i of c.indicators) out[i.code] = { value: demoValue(i, resolveTarget(i.target, ctx), !miss.includes(i.code), 0.5) };
  return out;
}

async function expectDomainError(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    expect(e.code).toBe(code);
    expect(e.messageVi.length).toBeGreaterThan(10);
    expect(e.message.length).toBeGreaterThan(10);
    return e;
  }
  throw new Error(`expected ${code}`);
}

describeEachDialect('review service', (ctx) => {
  let communeId = '';
  let newCommuneId = '';
  beforeAll(async () => {
    const c = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    const n = await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07' });
    await linkUnits(ctx.db.kysely, c.id, n.id, 'full');
    communeId = c.id;
    newCommuneId = n.id;
  });

  it('creates a review, evaluates it and audits the write', async () => {
    const first = set().criteria[0]!.indicators[0]!.code;
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: valuesFor(2023, [first]) });
    expect(r.version).toBe(1);
    expect(r.status).toBe('draft');
    expect(r.values).toHaveLength(75);
    expect(r.evaluation.totals.indicatorsMet).toBe(74);
    expect(r.evaluation.totals.criteriaMet).toBe(18);
    const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('entity_id', '=', String(r.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['review.create']);
    expect(audit[0]!.actor).toBe('can-bo-xa');
    expect(audit[0]!.ip).toBe('127.0.0.1');
  });

  it('caches the evaluation as its inputs (a few KB) and reads back the same verdict the engine gives', async () => {
    const miss = set().criteria[2]!.indicators[0]!.code;
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-06-30', values: valuesFor(2023, [miss]) });
    const cached = await ctx.db.kysely.selectFrom('review_evaluation').selectAll().where('review_id', '=', r.id).executeTakeFirstOrThrow();
    expect(cached.review_version).toBe(r.version);
    expect(cached.indicators_met).toBe(74);
    expect(cached.inputs_json.length).toBeLessThan(5000);
    expect(JSON.stringify(r.evaluation).length).toBeGreaterThan(10 * cached.inputs_json.length);
    // Read from the cache (no recomputation from the value rows) and fresh from the engine: equal.
    const again = await getReview(ctx.db, r.id);
    expect(again.evaluation).toEqual(r.evaluation);
    const profile = { code: '13510', name: 'Tràng An', region: null, group: null, special: null };
    const inputs = JSON.parse(cached.inputs_json) as { profile: typeof profile; recognisedLevels: string[]; values: Record<string, IndicatorValue> };
    expect(inputs.recognisedLevels).toEqual([]);
    expect(Object.keys(inputs.values)).toHaveLength(75);
    expect(evaluateCommune(set(), inputs.profile, '2023-06-30', inputs.values)).toEqual(again.evaluation);
    expect(again.evaluation.unmet.flatMap((c) => c.indicators.map((i) => i.code))).toEqual([miss]);
  });

  it('refuses a value of the wrong kind, naming the indicator, and writes nothing', async () => {
    const before = await ctx.db.kysely.selectFrom('review').select('id').execute();
    const percent = set().criteria.flatMap((c) => c.indicators).find((i) => i.kind === 'percent')!;
    const e = await expectDomainError(
      createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [percent.code]: { value: 'nhiều' } } }),
      'invalid_value',
    );
    expect(e.messageVi).toContain(percent.code);
    expect(e.message).toContain(percent.code);
    expect(await ctx.db.kysely.selectFrom('review').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses an indicator that is not in the set', async () => {
    const e = await expectDomainError(
      createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { '99.9': { value: true } } }),
      'unknown_indicator',
    );
    expect(e.message).toContain('99.9');
  });

  it('refuses a date outside the set validity and a unit not valid on the date', async () => {
    await expectDomainError(createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2021-05-01' }), 'date_outside_set_validity');
    await expectDomainError(createReview(ctx.db, officer, { unitId: newCommuneId, setId: DEMO_SET_ID, reviewedOn: '2024-05-01' }), 'unit_not_valid_on_date');
    await expectDomainError(createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-02-30' }), 'validation_failed');
    await expectDomainError(createReview(ctx.db, officer, { unitId: communeId, setId: 'no-such-set', reviewedOn: '2023-03-20' }), 'unknown_criteria_set');
    await expectDomainError(createReview(ctx.db, officer, { unitId: '35@2025-03', setId: DEMO_SET_ID, reviewedOn: '2023-03-20' }), 'validation_failed');
    await expectDomainError(createReview(ctx.db, officer, { unitId: '99999@2025-03', setId: DEMO_SET_ID, reviewedOn: '2023-03-20' }), 'not_found');
  });

  it('keeps every version of a value, re-evaluates on write, and restores an earlier value', async () => {
    const code = set().criteria[0]!.indicators[0]!.code;
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-06-30', values: valuesFor(2023) });
    expect(r.evaluation.totals.indicatorsMet).toBe(75);
    const bad = valuesFor(2023, [code])[code]!;
    const r2 = await updateReviewValues(ctx.db, officer, r.id, { version: 1, values: { [code]: { ...bad, note: 'Số liệu cập nhật' } } });
    expect(r2.version).toBe(2);
    expect(r2.evaluation.totals.indicatorsMet).toBe(74);
    const history = await getValueHistory(ctx.db, r.id, code);
    expect(history.map((h) => h.seq)).toEqual([2, 1]);
    expect(history[0]!.note).toBe('Số liệu cập nhật');
    const r3 = await restoreValue(ctx.db, officer, r.id, { code, seq: 1, version: 2 });
    expect(r3.version).toBe(3);
    expect(r3.evaluation.totals.indicatorsMet).toBe(75);
    const after = await getValueHistory(ctx.db, r.id, code);
    expect(after[0]).toMatchObject({ seq: 3, restoredFromSeq: 1 });
    expect(after[0]!.value).toEqual(history[1]!.value);
  });

  it('refuses a stale version with the current one, and changes nothing', async () => {
    const code = set().criteria[1]!.indicators[0]!.code;
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-07-01', values: valuesFor(2023) });
    await updateReviewValues(ctx.db, officer, r.id, { version: 1, values: { [code]: { value: valuesFor(2023, [code])[code]!.value } } });
    const e = await expectDomainError(updateReviewValues(ctx.db, officer, r.id, { version: 1, values: { [code]: { value: null } } }), 'version_conflict');
    expect(e.details).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    expect((await getValueHistory(ctx.db, r.id, code)).map((h) => h.seq)).toEqual([2, 1]);
  });

  it('lets exactly one of two racing writers win; the other gets a conflict and nothing is lost', async () => {
    const codes = set().criteria[2]!.indicators.map((i) => i.code);
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-08-01', values: valuesFor(2023) });
    const a: Record<string, ValueInput> = { [codes[0]!]: { value: null, note: 'A' } };
    const b: Record<string, ValueInput> = { [codes[0]!]: { value: null, note: 'B' } };
    const results = await Promise.allSettled([
      updateReviewValues(ctx.db, { ...officer, id: 'writer-a' }, r.id, { version: 1, values: a }),
      updateReviewValues(ctx.db, { ...officer, id: 'writer-b' }, r.id, { version: 1, values: b }),
    ]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect((failed[0]!.reason as DomainError).code).toBe('version_conflict');
    const history = await getValueHistory(ctx.db, r.id, codes[0]!);
    expect(history).toHaveLength(2);
    const winner = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof updateReviewValues>>>).value;
    expect(winner.version).toBe(2);
    expect(history[0]!.enteredBy).toBe(winner.values.find((v) => v.code === codes[0])!.enteredBy);
  });

  it('submits a review and refuses edits afterwards', async () => {
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-09-30', values: valuesFor(2023) });
    const s = await submitReview(ctx.db, officer, r.id, { version: 1 });
    expect(s.status).toBe('submitted');
    expect(s.submittedBy).toBe('can-bo-xa');
    await expectDomainError(updateReviewValues(ctx.db, officer, r.id, { version: 2, values: {} }), 'conflict');
    await expectDomainError(getReview(ctx.db, 987654), 'not_found');
  });

  it('discards a draft with its values, evaluation and attachments in one go, audited with what was deleted; refuses a submitted one', async () => {
    const other = await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' });
    const scoped = (role: 'commune_officer' | 'viewer', unitId: string): Actor => ({
      id: `${role}-${unitId}`,
      source: 'web',
      access: { principal: { kind: 'user', userId: 1, username: `${role}-${unitId}`, grants: [{ role, unitId, validFrom: null, validTo: null }] }, scopes: new ScopeResolver(), today: () => '2026-01-01' },
    });
    const code = set().criteria[0]!.indicators[0]!.code;
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-11-15', values: valuesFor(2023) });
    const edited = await updateReviewValues(ctx.db, officer, r.id, { version: 1, values: { [code]: { value: false, note: 'sửa' } } });
    await insertAttachment(ctx.db.kysely, { reviewId: r.id, indicatorCode: code, sha256: 'a'.repeat(64), filename: 'bien-ban.pdf', contentType: 'application/pdf', size: 1234, createdBy: officer.id, at: '2023-11-15T01:00:00Z' });
    const rows = async (table: 'indicator_value' | 'review_evaluation' | 'attachment') => (await ctx.db.kysely.selectFrom(table).select('review_id').where('review_id', '=', r.id).execute()).length;
    expect(await rows('review_evaluation')).toBe(1);

    // Not in the commune's scope, or a reader only: refused, nothing removed.
    await expectDomainError(discardReview(ctx.db, scoped('commune_officer', other.id), r.id, { version: edited.version }), 'forbidden');
    await expectDomainError(discardReview(ctx.db, scoped('viewer', communeId), r.id, { version: edited.version }), 'forbidden');
    // The version read is stale: 409 with the current state.
    const stale = await expectDomainError(discardReview(ctx.db, scoped('commune_officer', communeId), r.id, { version: 1 }), 'version_conflict');
    expect(stale.details?.currentVersion).toBe(edited.version);
    expect(await rows('indicator_value')).toBe(76);

    const done = await discardReview(ctx.db, scoped('commune_officer', communeId), r.id, { version: edited.version });
    expect(done).toEqual({ id: r.id, unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-11-15', valueVersions: 76, attachments: 1 });
    for (const t of ['indicator_value', 'review_evaluation', 'attachment'] as const) expect(await rows(t)).toBe(0);
    await expectDomainError(getReview(ctx.db, r.id), 'not_found');
    const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('entity', '=', 'review').where('entity_id', '=', String(r.id)).where('action', '=', 'review.discard').executeTakeFirstOrThrow();
    expect(audit.actor).toBe(`commune_officer-${communeId}`);
    const before = JSON.parse(audit.before_json!) as { review: { status: string; reviewedOn: string }; values: Array<{ code: string; seq: number; value: unknown; note: string | null }>; attachments: Array<{ filename: string }> };
    expect(before.review).toMatchObject({ status: 'draft', reviewedOn: '2023-11-15', version: edited.version });
    expect(before.values).toHaveLength(76);
    expect(before.values.find((v) => v.code === code && v.seq === 2)).toMatchObject({ value: false, note: 'sửa' });
    expect(before.attachments.map((a) => a.filename)).toEqual(['bien-ban.pdf']);
    // The same date can be reviewed again.
    const again = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-11-15', values: {} });
    expect(again.status).toBe('draft');

    // A submitted review is the commune's record: 409 naming why, nothing removed.
    const submitted = await submitReview(ctx.db, officer, again.id, { version: again.version });
    const refused = await expectDomainError(discardReview(ctx.db, officer, again.id, { version: submitted.version }), 'conflict');
    expect(refused.messageVi).toContain('đã nộp');
    expect(refused.message).toContain('submitted');
    expect(refused.details?.reason).toBe('submitted');
    expect((await getReview(ctx.db, again.id)).status).toBe('submitted');
  });

  it('normalises text to NFC and keeps the value JSON round-trip exact', async () => {
    const s = set();
    const ratio = s.criteria.flatMap((c) => c.indicators).find((i) => i.kind === 'ratio');
    const values: Record<string, ValueInput> = { [s.criteria[0]!.indicators[0]!.code]: { value: true, note: 'Tra\u0300ng An' } };
    if (ratio) values[ratio.code] = { value: { numerator: 3, denominator: 4 } };
    const r = await createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-10-01', values, title: 'Ra\u0300 soa\u0301t' });
    expect(r.title).toBe('Rà soát');
    expect(r.values.find((v) => v.note)!.note).toBe('Tràng An');
    if (ratio) expect(r.values.find((v) => v.code === ratio.code)!.value as IndicatorValue).toEqual({ numerator: 3, denominator: 4 });
  });

  it("shows a new commune's predecessors' reviews as its history", async () => {
    const groups = await listReviewsForUnit(ctx.db, newCommuneId);
    expect(groups.map((g) => g.relation)).toEqual(['self', 'predecessor']);
    expect(groups[1]!.unitId).toBe(communeId);
    expect(groups[1]!.reviews.length).toBeGreaterThan(3);
    expect(groups[1]!.reviews[0]!.criteriaTotal).toBe(19);
  });
});
