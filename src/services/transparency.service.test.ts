/**
 * The transparency portal on real SQLite and PostgreSQL: recognised communes with their current
 * level (a revoked decision never counts), accent-free search, province filter through the 2025
 * merger, and the list of consultations open today.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import { DEFAULT_CALENDAR } from '../domain/working-days.ts';
import { listOpenConsultations, publicRecognitions } from './transparency.service.ts';
import { insertDossierFixture, insertRecognitionFixture } from '../test-support/consultation.ts';

describeEachDialect('transparency service', (ctx) => {
  let trangAn = '';
  let anMy = '';
  let newCommune = '';

  beforeAll(async () => {
    trangAn = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
    anMy = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'An Mỹ' })).id;
    newCommune = (await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07' })).id;
    await linkUnits(ctx.db.kysely, '35@2025-03', '37@2025-07');
    await insertCommune(ctx.db.kysely, { code: '13520', name: 'Không công nhận' }); // no recognition: not listed
    await insertRecognitionFixture(ctx.db, { unitId: trangAn, level: 'ntm', decisionNo: '1001/QĐ-UBND', decidedOn: '2019-12-20' });
    await insertRecognitionFixture(ctx.db, { unitId: trangAn, level: 'nang-cao', decisionNo: '2002/QĐ-UBND', decidedOn: '2023-06-30' });
    // An Mỹ: advanced level revoked; its current level is NTM.
    await insertRecognitionFixture(ctx.db, { unitId: anMy, level: 'ntm', decisionNo: '1003/QĐ-UBND', decidedOn: '2018-12-20' });
    await insertRecognitionFixture(ctx.db, { unitId: anMy, level: 'nang-cao', decisionNo: '2004/QĐ-UBND', decidedOn: '2022-06-30', revokedOn: '2025-02-10' });
    await insertRecognitionFixture(ctx.db, { unitId: newCommune, level: 'kieu-mau', decisionNo: '3005/QĐ-UBND', decidedOn: '2025-09-15', revokedOn: '2026-01-05' });
  }, 60_000);

  it('lists each recognised commune once with every decision; the current level ignores revoked ones', async () => {
    const rows = await publicRecognitions(ctx.db);
    expect(rows.map((r) => r.unitId).sort()).toEqual([anMy, newCommune, trangAn].sort());
    const t = rows.find((r) => r.unitId === trangAn)!;
    expect(t).toMatchObject({ name: 'Xã Tràng An', provinceId: '35@2025-03', provinceName: 'Tỉnh Hà Nam', currentLevel: 'nang-cao' });
    expect(t.currentLevelName!.vi).toBe('xã nông thôn mới nâng cao');
    expect(t.recognitions.map((r) => r.decisionNo)).toEqual(['1001/QĐ-UBND', '2002/QĐ-UBND']);
    const a = rows.find((r) => r.unitId === anMy)!;
    expect(a.currentLevel).toBe('ntm');
    expect(a.recognitions.find((r) => r.level === 'nang-cao')!.revokedOn).toBe('2025-02-10');
    const n = rows.find((r) => r.unitId === newCommune)!;
    expect(n.currentLevel).toBeNull();
    expect(n.currentLevelName).toBeNull();
    expect(n.recognitions).toHaveLength(1);
  });

  it('finds communes without accents: "trang an" finds Tràng An, "AN MY" finds An Mỹ', async () => {
    expect((await publicRecognitions(ctx.db, { q: 'trang an' })).map((r) => r.unitId)).toEqual([trangAn]);
    expect((await publicRecognitions(ctx.db, { q: 'AN MY' })).map((r) => r.unitId)).toEqual([anMy]);
    expect((await publicRecognitions(ctx.db, { q: 'Tràng' })).map((r) => r.unitId)).toEqual([trangAn]);
    expect(await publicRecognitions(ctx.db, { q: '%' })).toEqual([]);
    expect(await publicRecognitions(ctx.db, { q: 'không có xã này' })).toEqual([]);
  });

  it('filters by province; a merged province also lists its predecessors\' communes', async () => {
    expect((await publicRecognitions(ctx.db, { provinceId: '35@2025-03' })).map((r) => r.unitId).sort()).toEqual([anMy, trangAn].sort());
    expect((await publicRecognitions(ctx.db, { provinceId: '37@2025-07' })).map((r) => r.unitId).sort()).toEqual([anMy, newCommune, trangAn].sort());
    expect(await publicRecognitions(ctx.db, { provinceId: '01@2025-07' })).toEqual([]);
  });

  it('lists the consultations open today, not closed ones, not those past their period, not other steps', async () => {
    const open = await insertDossierFixture(ctx.db, { unitId: trangAn, review: 'none' });
    const province = await insertDossierFixture(ctx.db, { unitId: anMy, review: 'none', state: 'province_publication', stateSince: '2026-11-27' });
    await insertDossierFixture(ctx.db, { unitId: anMy, review: 'none', stateSince: '2026-10-01' }); // period over
    await insertDossierFixture(ctx.db, { unitId: anMy, review: 'none', closedOn: '2026-11-30' }); // closed
    await insertDossierFixture(ctx.db, { unitId: anMy, review: 'none', state: 'commune_finalising' }); // another step
    const items = await listOpenConsultations(ctx.db, '2026-12-01');
    expect(items.map((i) => i.dossierId)).toEqual([province.dossier.id, open.dossier.id]); // the province's closes first
    expect(items[1]).toEqual({
      dossierId: open.dossier.id,
      unitId: trangAn,
      unitName: 'Xã Tràng An',
      provinceName: 'Tỉnh Hà Nam',
      level: 'nang-cao',
      levelName: { vi: 'xã nông thôn mới nâng cao', en: 'advanced new-rural commune' },
      stage: 'commune_consultation',
      stageName: { vi: 'Công khai, lấy ý kiến nhân dân', en: 'Public consultation of residents' },
      openedOn: '2026-11-30',
      closesOn: DEFAULT_CALENDAR.addWorkingDays('2026-11-30', 15),
    });
    expect(items[0]!.closesOn).toBe(DEFAULT_CALENDAR.addWorkingDays('2026-11-27', 5));
  });
});
