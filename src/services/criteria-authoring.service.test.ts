/**
 * Criteria sets authored in the application, on both databases: a province office drafts a
 * 2026–2030 provincial set based on the national one, enters an indicator with its source, a
 * colleague (never the author) verifies it against the attached copy, publishing installs it and
 * re-evaluates the set's reviews (the count and the results equal a fresh evaluation); a new
 * version governs only from its date; bad input and wrong people are refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { DomainError } from '../domain/errors.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { ScopeResolver } from './access.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { IndicatorFile } from '../catalog/set-file.ts';
import {
  attachSourceCopy,
  createDraft,
  editDraft,
  getAuthoredVersion,
  loadStoredSets,
  previewImpact,
  publishDraft,
  verifyIndicator,
} from './criteria-authoring.service.ts';
import { createReview, getReview } from './review.service.ts';
import { getCommunePage } from './commune-page.service.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import { findEvaluation, findReview } from '../db/review.repository.ts';
import { verdictOfCached, isFresh } from './evaluation.service.ts';

function officer(username: string, role: Role, unitId: string | null): Actor {
  const principal: Principal = { kind: 'user', userId: 1, username, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: username, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2026-12-03' } };
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function indicator(code: string, target: number): IndicatorFile {
  return {
    code,
    name: 'Tỷ lệ hộ dân được sử dụng nước sạch theo quy chuẩn',
    kind: 'percent',
    unit: '% hộ',
    target: { op: '>=', value: target },
    source: { decision: '51/2025/QĐ-TTg', appendix: 'Phụ lục I' },
    verified: false,
    provenance: { level: 'secondary', source: { number: '51/2025/QĐ-TTg', date: '2025-12-29', issuer: 'Thủ tướng Chính phủ', ref: 'Phụ lục I, tiêu chí 1', url: 'https://example.gov.vn/51-2025' } },
  };
}

async function refused(p: Promise<unknown>, code: string): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, `expected a refusal "${code}"`).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
  expect((e as DomainError).message).not.toBe('');
  expect((e as DomainError).messageVi).not.toBe((e as DomainError).message);
  return e as DomainError;
}

describeEachDialect('criteria sets authored in the app', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'datchuan-sets-'));
  let province = '';
  let otherProvince = '';
  let commune = '';
  let author: Actor;
  let colleague: Actor;
  let stranger: Actor;
  let viewer: Actor;
  const setId = 'tinh-thu-ntm-2026-2030';

  beforeAll(async () => {
    await loadStoredSets(ctx.db);
    const c = await insertCommune(ctx.db.kysely, { code: '14001', name: 'Thử Một', listId: '2025-07' });
    commune = c.id;
    province = c.province_id!;
    otherProvince = (await insertCommune(ctx.db.kysely, { code: '27001', name: 'Xa Lạ', listId: '2025-07', provinceCode: '24', provinceName: 'Bắc Ninh' })).province_id!;
    author = officer('vp.tinh.a', 'province_office', province);
    colleague = officer('vp.tinh.b', 'province_office', province);
    stranger = officer('vp.bacninh', 'province_office', otherProvince);
    viewer = officer('xem', 'viewer', province);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drafts, verifies by a second officer, publishes and re-evaluates; a new version governs from its date', async () => {
    const draft = await createDraft(ctx.db, author, { basedOn: 'xa-ntm-2026-2030', setId, provinceId: province, validFrom: '2026-02-15' });
    expect(draft.status).toBe('draft');
    expect(draft.counts?.indicators).toBe(0);
    expect(getCatalog().has(setId)).toBe(false);

    let v = await editDraft(ctx.db, author, setId, 1, { version: draft.version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 90) } });
    expect(v.counts?.indicators).toBe(1);
    expect(v.counts?.provenance).toEqual({ official: 0, secondary: 1, reconstructed: 0 });
    expect(v.indicators['1.1']?.editedBy).toBe('vp.tinh.a');

    // The author cannot verify; nor can anyone before a copy of the source is attached.
    await refused(verifyIndicator(ctx.db, colleague, setId, 1, '1.1', { version: v.version }), 'validation_failed');
    v = await attachSourceCopy(ctx.db, author, setId, 1, '1.1', { data: PDF, filename: 'QD-51-2025-phu-luc-I.pdf' }, dir);
    const own = await refused(verifyIndicator(ctx.db, author, setId, 1, '1.1', { version: v.version }), 'validation_failed');
    expect(own.messageVi).toMatch(/chính mình nhập/);
    expect(own.message).toMatch(/entered yourself/);
    await refused(verifyIndicator(ctx.db, stranger, setId, 1, '1.1', { version: v.version }), 'forbidden');
    v = await verifyIndicator(ctx.db, colleague, setId, 1, '1.1', { version: v.version });
    expect(v.indicators['1.1']).toMatchObject({ editedBy: 'vp.tinh.a', verifiedBy: 'vp.tinh.b' });
    expect(v.counts?.provenance).toEqual({ official: 1, secondary: 0, reconstructed: 0 });
    expect(v.resolved?.criteria[0]?.indicators[0]?.provenance.level).toBe('official');

    const published = await publishDraft(ctx.db, author, setId, 1, { version: v.version }, { wait: true });
    expect(published.status).toBe('published');
    expect(getCatalog().has(setId)).toBe(true);
    await refused(editDraft(ctx.db, author, setId, 1, { version: published.version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 50) } }), 'conflict');

    // Reviews before and after the date a second version takes over.
    const early = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: commune, setId, reviewedOn: '2026-06-30', values: { '1.1': { value: 85 } }, status: 'submitted' });
    const late = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: commune, setId, reviewedOn: '2026-11-30', values: { '1.1': { value: 85 } }, status: 'submitted' });
    expect(early.evaluation.criteria[0]!.status).toBe('not_met');
    expect(late.evaluation.criteria[0]!.status).toBe('not_met');

    await refused(createDraft(ctx.db, author, { newVersionOf: setId, validFrom: '2026-01-01' }), 'validation_failed');
    const v2 = await createDraft(ctx.db, author, { newVersionOf: setId, validFrom: '2026-09-01' });
    expect(v2.setVersion).toBe(2);
    const lowered = await editDraft(ctx.db, author, setId, 2, { version: v2.version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 80) } });
    expect(lowered.diffFromPrevious?.thresholdOverrides.map((o) => o.code) ?? lowered.diffFromPrevious?.indicators.changed.map((c) => c.code)).toContain('1.1');
    expect(lowered.indicators['1.1']?.verifiedBy).toBeNull();

    const impact = await previewImpact(ctx.db, author, setId, 2);
    expect(impact.reviews).toBe(2);
    expect(impact.changedVerdicts).toBe(1);

    const done = await publishDraft(ctx.db, colleague, setId, 2, { version: lowered.version }, { wait: true });
    const job = (await getAuthoredVersion(ctx.db, author, setId, 2)).reevaluation!;
    expect(job).toMatchObject({ state: 'done', total: 2, done: 2, changedVerdicts: impact.changedVerdicts });
    expect(done.status).toBe('published');
    expect((await getAuthoredVersion(ctx.db, author, setId, 1)).validTo).toBe('2026-08-31');

    // The commune page says which version evaluated its review, and why.
    const pageLate = await getCommunePage(ctx.db, commune, '2026-12-01');
    expect(pageLate.versionNote?.vi).toMatch(/^Đánh giá theo phiên bản 2 của bộ \(hiệu lực 01\/09\/2026 – 31\/12\/2030\): phiên bản có hiệu lực vào ngày rà soát 30\/11\/2026\.$/);
    expect((await getCommunePage(ctx.db, commune, '2026-07-01')).versionNote?.en).toMatch(/version 1 .*31\/08\/2026/);
    // …and how far its thresholds can be trusted: version 1's indicator was verified, version 2's change was not.
    expect((await getCommunePage(ctx.db, commune, '2026-07-01')).setProvenance?.vi).toBe('Bộ có 1 chỉ tiêu: 1 chính thức, 0 thứ cấp, 0 tái dựng (chưa có nguồn).');
    expect(pageLate.setProvenance?.en).toBe('The set has 1 indicator: 0 official, 1 secondary, 0 reconstructed (no source).');

    // The version valid on each review's date governs it; the stored verdicts equal a fresh evaluation.
    expect(getCatalog().at(setId, '2026-06-30').version).toBe(1);
    expect(getCatalog().at(setId, '2026-11-30').version).toBe(2);
    for (const [id, status] of [[early.id, 'not_met'], [late.id, 'met']] as const) {
      const review = (await findReview(ctx.db.kysely, id))!;
      const cached = await findEvaluation(ctx.db.kysely, id);
      expect(isFresh(cached, review)).toBe(true);
      const fromCache = verdictOfCached(review, cached!);
      const fresh = (await getReview(ctx.db, id, SYSTEM_ACTOR)).evaluation;
      expect(fromCache.criteria[0]!.status).toBe(status);
      expect(fresh.totals).toEqual(fromCache.totals);
      const inputs = JSON.parse(cached!.inputs_json);
      expect(evaluateCommune(getCatalog().at(setId, review.reviewed_on), inputs.profile, review.reviewed_on, inputs.values).totals).toEqual(fromCache.totals);
    }
  });

  describe('refusals change nothing', () => {
    const other = 'tinh-thu-hai-2026-2030';
    let version = 0;
    beforeAll(async () => {
      version = (await createDraft(ctx.db, author, { basedOn: 'xa-ntm-2026-2030', setId: other, provinceId: province })).version;
    });

    it('a viewer cannot draft; another province cannot touch the set', async () => {
      await refused(createDraft(ctx.db, viewer, { basedOn: 'xa-ntm-2026-2030', setId: 'xem-thu', provinceId: province }), 'forbidden');
      await refused(createDraft(ctx.db, stranger, { basedOn: 'xa-ntm-2026-2030', setId: 'ngoai-tinh', provinceId: province }), 'forbidden');
      await refused(editDraft(ctx.db, stranger, other, 1, { version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 90) } }), 'forbidden');
      await refused(editDraft(ctx.db, viewer, other, 1, { version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 90) } }), 'forbidden');
    });

    it('bad values are refused by field, and the draft is unchanged', async () => {
      const overHundred = await refused(editDraft(ctx.db, author, other, 1, { version, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 120) } }), 'validation_failed');
      expect(JSON.stringify(overHundred.details)).toMatch(/target/);
      const wrongType = { ...indicator('1.2', 90), target: { op: '>=' as const, value: 'chín mươi' as unknown as number } };
      await refused(editDraft(ctx.db, author, other, 1, { version, edit: { op: 'put', criterion: '1', indicator: wrongType } }), 'validation_failed');
      const claimsOfficial: IndicatorFile = { ...indicator('1.3', 90), verified: true, provenance: { level: 'official', source: indicator('1.3', 90).provenance!.source } };
      const claim = await refused(editDraft(ctx.db, author, other, 1, { version, edit: { op: 'put', criterion: '1', indicator: claimsOfficial } }), 'validation_failed');
      expect(claim.messageVi).toMatch(/chính thức/);
      expect(claim.message).toMatch(/official/);
      await refused(editDraft(ctx.db, author, other, 1, { version, edit: { op: 'criterion', criterion: '99', critical: true } }), 'validation_failed');
      await refused(createDraft(ctx.db, author, { basedOn: 'xa-ntm-2026-2030', setId: other, provinceId: province }), 'validation_failed');
      await refused(editDraft(ctx.db, author, other, 1, { version: version + 5, edit: { op: 'put', criterion: '1', indicator: indicator('1.1', 90) } }), 'version_conflict');
      const still = await getAuthoredVersion(ctx.db, author, other, 1);
      expect(still.version).toBe(version);
      expect(still.counts?.indicators).toBe(0);
      expect(still.document.changes).toEqual([]);
    });
  });
});
