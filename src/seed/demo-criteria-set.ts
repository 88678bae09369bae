/**
 * Bộ tiêu chí 2026–2030 của Ninh Bình (minh họa) — the current period working end to end in the
 * demo: Ninh Bình's coordination office has entered a few criteria of its provincial set based on
 * the national 2026–2030 set (Decision 51/2025/QĐ-TTg), with targets by commune group, and
 * published it; the demo communes have reviews for 2026 evaluated against it; a second version is
 * in progress, with one indicator cited and its source copy attached, waiting for a colleague's
 * verification (four eyes). Every threshold here is a demo value marked as such — no official
 * indicator of 51/2025 was available — and stays `reconstructed` (tái dựng); the cited indicator
 * keeps an unknown threshold until the official text is entered.
 */
import type { Db } from '../db/database.ts';
import { insertAttributes } from '../db/unit.repository.ts';
import { listReviewsOfUnits } from '../db/review.repository.ts';
import { loadServiceSettings, type ServiceSettings } from '../config.ts';
import type { IndicatorFile } from '../catalog/set-file.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import type { Actor } from '../services/actor.ts';
import { attachSourceCopy, createDraft, editDraft, loadStoredSets, publishDraft } from '../services/criteria-authoring.service.ts';
import { createReviewsIn, type ValueInput } from '../services/review.service.ts';
import { getCommuneProfile, listCommunesUnder } from '../services/unit.service.ts';
import { BINH_LUC, placeholderPdf } from './demo-dossier.ts';
import { demoValue, hashSeed, prng } from './demo-values.ts';

export const DEMO_SET_2026_ID = 'ninh-binh-ntm-2026-2030-minh-hoa';
const PROVINCE = '37@2025-07';
/** 2026 review dates of the demo communes (after the national set's start, 15/2/2026). */
export const DATES_2026 = ['2026-06-30', '2026-09-30'];

const author: Actor = { id: 'tinh.ninhbinh', source: 'system' };

const DEMO_NOTE = 'DEMO / MINH HỌA: ngưỡng giả định cho dữ liệu demo, không lấy từ văn bản nào.';

function demoIndicator(code: string, name: string, kind: 'percent' | 'number', unit: string, byGroup: [number, number, number]): IndicatorFile {
  return {
    code,
    name,
    kind,
    unit,
    target: { op: '>=', value: { byGroup: { '1': byGroup[0], '2': byGroup[1], '3': byGroup[2] } } },
    source: { decision: 'minh họa — không phải quyết định thật', note: DEMO_NOTE },
    verified: false,
    provenance: { level: 'reconstructed', source: null },
    note: DEMO_NOTE,
  };
}

/** A few criteria of the provincial set, entered with plausible demo targets by commune group (1, 2, 3). */
const ENTERED: Array<{ criterion: string; indicator: IndicatorFile }> = [
  { criterion: '2', indicator: demoIndicator('2.1', 'Tỷ lệ km đường xã, liên xã được nhựa hóa hoặc bê tông hóa', 'percent', '% km', [100, 100, 90]) },
  { criterion: '2', indicator: demoIndicator('2.2', 'Tỷ lệ hộ sử dụng điện thường xuyên, an toàn', 'percent', '% hộ', [100, 99, 98]) },
  { criterion: '3', indicator: demoIndicator('3.1', 'Thu nhập bình quân đầu người', 'number', 'triệu đồng/người/năm', [85, 75, 60]) },
  { criterion: '8', indicator: demoIndicator('8.1', 'Tỷ lệ hộ được sử dụng nước sạch theo quy chuẩn', 'percent', '% hộ', [80, 70, 50]) },
  { criterion: '8', indicator: demoIndicator('8.2', 'Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý theo quy định', 'percent', '% khối lượng', [95, 90, 80]) },
];

/** The indicator of version 2 waiting for verification: cited, copy attached, threshold not yet entered. */
const CITED: IndicatorFile = {
  code: '6.1',
  name: 'Tỷ lệ hộ nghèo đa chiều',
  kind: 'percent',
  unit: '% hộ',
  target: { op: '<=', value: null },
  source: { decision: '51/2025/QĐ-TTg', appendix: 'Phụ lục I', url: 'https://xaydungchinhsach.chinhphu.vn/toan-van-quyet-dinh-51-2025-qd-ttg-ban-hanh-bo-tieu-chi-quoc-gia-ve-nong-thon-moi-giai-doan-2026-2030-119251230104614909.htm' },
  verified: false,
  provenance: {
    level: 'secondary',
    source: {
      number: '51/2025/QĐ-TTg',
      date: '2025-12-29',
      issuer: 'Thủ tướng Chính phủ',
      ref: 'Phụ lục I, tiêu chí 6 (trang toàn văn chỉ đọc được phần mở đầu: ngưỡng chưa nhập)',
      url: 'https://xaydungchinhsach.chinhphu.vn/toan-van-quyet-dinh-51-2025-qd-ttg-ban-hanh-bo-tieu-chi-quoc-gia-ve-nong-thon-moi-giai-doan-2026-2030-119251230104614909.htm',
    },
  },
  note: 'Ngưỡng chưa biết: nhập khi có văn bản chính thức (không tự đặt ngưỡng).',
};

/** Commune group of a demo commune: most group 2, some group 1 (near towns), a few group 3. */
function demoGroup(unitId: string): '1' | '2' | '3' {
  const h = hashSeed(`group|${unitId}`) % 10;
  return h < 2 ? '1' : h < 9 ? '2' : '3';
}

export interface DemoSet2026Result {
  reviews: number;
  communes: number;
}

export async function seedDemoCriteriaSet2026(db: Db, settings: ServiceSettings = loadServiceSettings()): Promise<DemoSet2026Result> {
  await loadStoredSets(db);
  let v = await createDraft(db, author, {
    basedOn: 'xa-ntm-2026-2030',
    setId: DEMO_SET_2026_ID,
    provinceId: PROVINCE,
    name: 'Bộ tiêu chí xã NTM tỉnh Ninh Bình giai đoạn 2026–2030 (minh họa — dữ liệu demo)',
    validFrom: '2026-02-15',
    validTo: '2030-12-31',
    decision: { number: 'minh họa — không phải quyết định thật', date: '2026-03-01', issuer: 'UBND tỉnh Ninh Bình (giả định cho dữ liệu demo)', appendix: null, url: null },
    demo: true,
  });
  for (const e of ENTERED) v = await editDraft(db, author, DEMO_SET_2026_ID, 1, { version: v.version, edit: { op: 'put', ...e } });
  await publishDraft(db, { id: 'tinh.ninhbinh.kiemtra', source: 'system' }, DEMO_SET_2026_ID, 1, { version: v.version }, { wait: true });

  // The demo communes of Ninh Bình (those reviewed after the merger) get a commune group and 2026 reviews.
  const communes = (await listCommunesUnder(db.kysely, PROVINCE, '2026-06-30')).filter((c) => c.type === 'Xã');
  const reviewed = new Set((await listReviewsOfUnits(db.kysely, communes.map((c) => c.id))).map((r) => r.unit_id));
  // Bình Lục's recognition dossier on the 2021–2025 set is the demo's dossier story: it keeps that as its latest review.
  const demoCommunes = communes.filter((c) => reviewed.has(c.id) && c.id !== BINH_LUC);
  const at = new Date().toISOString();
  await insertAttributes(
    db.kysely,
    demoCommunes.map((c) => ({ unitId: c.id, name: 'group' as const, value: demoGroup(c.id), validFrom: '2025-07-01', validTo: null, source: 'minh họa (dữ liệu demo)', createdAt: at })),
  );
  const set = getCatalog().at(DEMO_SET_2026_ID, DATES_2026[0]!);
  const indicators = set.criteria.flatMap((c) => c.indicators);
  let reviews = 0;
  await db.kysely.transaction().execute(async (trx) => {
    for (const c of demoCommunes) {
      for (const [i, date] of DATES_2026.entries()) {
        const profile = await getCommuneProfile(trx, c.id, date);
        const ctx = targetContext(set, profile, Number(date.slice(0, 4)));
        const rnd = prng(hashSeed(`${c.id}|${date}|2026`));
        const values: Record<string, ValueInput> = {};
        // Later reviews meet more: 55 % of the indicators met in June, 75 % in September.
        for (const ind of indicators) values[ind.code] = { value: demoValue(ind, resolveTarget(ind.target, ctx), rnd() < 0.55 + 0.2 * i, rnd()) };
        await createReviewsIn(trx, author, [
          { unitId: c.id, setId: DEMO_SET_2026_ID, reviewedOn: date, title: `Rà soát đến ngày ${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} (minh họa)`, values, isDemo: true, status: 'submitted' },
        ]);
        reviews++;
      }
    }
  });

  // Version 2 in progress: one more indicator cited with its source copy, waiting for a colleague.
  let v2 = await createDraft(db, author, { newVersionOf: DEMO_SET_2026_ID, validFrom: '2026-10-01' });
  v2 = await editDraft(db, author, DEMO_SET_2026_ID, 2, { version: v2.version, edit: { op: 'put', criterion: '6', indicator: CITED } });
  await attachSourceCopy(db, author, DEMO_SET_2026_ID, 2, '6.1', { data: placeholderPdf('Quyet dinh 51/2025/QD-TTg - Phu luc I (ban sao minh hoa)'), filename: 'QD-51-2025-QD-TTg-phu-luc-I-minh-hoa.pdf' }, settings.attachmentDir);
  return { reviews, communes: demoCommunes.length };
}
