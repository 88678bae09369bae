/**
 * A save evaluates the review once and reads its values at most once: the write hands the verdict
 * it computed to the response (no second engine run, no re-read of the values it just wrote), on
 * both databases, for the form's writes and the import's bulk write. The engine and the value read
 * are counted through spies wrapped around the real functions.
 */
import { beforeAll, expect, it, vi } from 'vitest';

vi.mock('../domain/evaluation.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../domain/evaluation.ts')>();
  return { ...real, evaluateCommune: vi.fn(real.evaluateCommune) };
});
vi.mock('../db/review.repository.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../db/review.repository.ts')>();
  return { ...real, currentValues: vi.fn(real.currentValues) };
});

import { evaluateCommune } from '../domain/evaluation.ts';
import { currentValues } from '../db/review.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { ExcelJS } from '../files/xlsx-style.ts';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import type { Actor } from './actor.ts';
import { importWorkbook } from './import.service.ts';
import { createReview, getReview, restoreValue, submitReview, updateReviewValues } from './review.service.ts';

const officer: Actor = { id: 'can-bo-xa', source: 'web', ip: '127.0.0.1' };

/** Run a write and count the engine runs and the reads of a review's current values it made. */
async function counted<T>(write: () => Promise<T>): Promise<{ result: T; engine: number; valueReads: number }> {
  vi.mocked(evaluateCommune).mockClear();
  vi.mocked(currentValues).mockClear();
  const result = await write();
  return { result, engine: vi.mocked(evaluateCommune).mock.calls.length, valueReads: vi.mocked(currentValues).mock.calls.length };
}

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const w = new ExcelJS.Workbook();
  const ws = w.addWorksheet('Số liệu');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await w.xlsx.writeBuffer());
}

describeEachDialect('a review save evaluates once', (ctx) => {
  let communeId = '';
  beforeAll(async () => {
    communeId = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
  });

  it('create, update values, restore and submit: one engine run each, the values read at most once, and the answer is the verdict a read gives', async () => {
    const [a, b] = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators.map((i) => i.code);
    const created = await counted(() => createReview(ctx.db, officer, { unitId: communeId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [a!]: { value: true }, [b!]: { value: true } } }));
    expect(created).toMatchObject({ engine: 1, valueReads: 0 });
    const id = created.result.id;

    const updated = await counted(() => updateReviewValues(ctx.db, officer, id, { version: 1, values: { [a!]: { value: false } } }));
    expect(updated).toMatchObject({ engine: 1, valueReads: 1 });
    expect(updated.result.values.find((v) => v.code === a)).toMatchObject({ value: false, seq: 2 });
    expect(updated.result.values).toHaveLength(2);

    const restored = await counted(() => restoreValue(ctx.db, officer, id, { code: a!, seq: 1, version: 2 }));
    expect(restored).toMatchObject({ engine: 1, valueReads: 1 });
    expect(restored.result.values.find((v) => v.code === a)).toMatchObject({ value: true, seq: 3 });

    const submitted = await counted(() => submitReview(ctx.db, officer, id, { version: 3 }));
    expect(submitted).toMatchObject({ engine: 1, valueReads: 1 });

    // What each write answered is what a later read derives from the cache.
    const read = await getReview(ctx.db, id);
    expect(submitted.result).toEqual(read);
  });

  it("the import's bulk write: one engine run per review created or draft updated", async () => {
    const header = ['Tên xã', 'Huyện', 'Ngày rà soát', '2.4', '9.2'];
    const created = await counted(async () => importWorkbook(ctx.db, officer, { buffer: await sheet([header, ['Tràng An', 'Bình Lục', '30/06/2024', 95, 0]]) }, { setId: DEMO_SET_ID }));
    expect(created.result.counts).toMatchObject({ create: 1 });
    expect(created).toMatchObject({ engine: 1, valueReads: 0 });
    const updated = await counted(async () => importWorkbook(ctx.db, officer, { buffer: await sheet([header, ['Tràng An', 'Bình Lục', '30/06/2024', 96, 0]]) }, { setId: DEMO_SET_ID }));
    expect(updated.result.counts).toMatchObject({ update: 1 });
    expect(updated).toMatchObject({ engine: 1, valueReads: 1 });
  });
});
