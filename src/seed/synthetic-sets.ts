/**
 * Bộ tiêu chí tổng hợp — the criteria sets that exist only in a synthetic database, so that its
 * reviews can cover 2021–2026. Every threshold here is invented and marked so (set name, indicator
 * names, notes, source, provenance `reconstructed`, set provenance "synthetic — not an official
 * threshold"); none is shipped, none is written to a real database. They are stored through the
 * criteria-authoring path (a draft imported, then published by a second account), as a province
 * office would enter its own set.
 *
 * - 2021 (`SYNTHETIC_SET_2021_ID`): national stored set valid 1/1/2021 – 7/3/2022. In 2021 the
 *   communes were still assessed by the 2016–2020 standard (Decision 1980/QĐ-TTg) until Decision
 *   318/QĐ-TTg took effect on 8/3/2022. That standard's tables are not in the project, so this is an
 *   illustration of it, not its text: the 19 criteria and indicator codes of the 2021–2025 set (the
 *   2016–2020 standard also had 19 criteria), every threshold invented and region-independent.
 * - 2026 (`synthetic2026SetId(province)`): one provincial set per province of the list from
 *   1/7/2025, based on the national 2026–2030 set (Decision 51/2025/QĐ-TTg: 10 criteria, 47
 *   indicators, targets by commune group 1/2/3). The 47 official indicators are unknown, so the set
 *   adds 47 plausible indicators with invented targets by group; the province's income target
 *   varies a little from one province to another, as provincial sets do.
 */
import type { Db } from '../db/database.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { IndicatorFile, SetFile, TargetValueFile } from '../catalog/set-file.ts';
import type { Indicator } from '../domain/criteria.ts';
import type { Actor } from '../services/actor.ts';
import { importSetDraft, loadStoredSets, publishDraft } from '../services/criteria-authoring.service.ts';
import { hashSeed } from './demo-values.ts';

export const SYNTHETIC_SET_2021_ID = 'xa-ntm-2021-tong-hop';
/** The 2026–2030 synthetic set of a province (code in the list from 1/7/2025). */
export function synthetic2026SetId(provinceCode: string): string {
  return `xa-ntm-2026-2030-tong-hop-t${provinceCode}`;
}

export const SYNTHETIC_MARK = 'dữ liệu tổng hợp';
export const SYNTHETIC_PROVENANCE = 'synthetic — not an official threshold (dữ liệu tổng hợp, không phải ngưỡng chính thức)';
const NOTE = 'DỮ LIỆU TỔNG HỢP / SYNTHETIC: ngưỡng tự đặt cho dữ liệu thử tải, không lấy từ văn bản nào — not an official threshold.';
const SOURCE = { decision: 'tổng hợp — không phải quyết định thật (synthetic)', appendix: null, url: null, note: NOTE };
const DECISION_2021 = { number: 'tổng hợp — không phải quyết định thật', date: '2021-01-01', issuer: 'dữ liệu tổng hợp (synthetic)', appendix: null, url: null };

/** The account that enters the synthetic sets and the one that publishes them (two people, as in an office). */
const AUTHOR: Actor = { id: 'tong-hop.nhap', source: 'system' };
const PUBLISHER: Actor = { id: 'tong-hop.kiemtra', source: 'system' };

function synthetic(code: string, name: string, kind: IndicatorFile['kind'], unit: string | null, op: IndicatorFile['target']['op'], value: TargetValueFile, scale?: string[]): IndicatorFile {
  return {
    code,
    name: `${name} (tổng hợp)`,
    kind,
    unit,
    target: { op, value },
    ...(scale ? { scale } : {}),
    source: SOURCE,
    verified: false,
    provenance: { level: 'reconstructed', source: null },
    note: NOTE,
  };
}

// ── 2021: an illustration of the 2016–2020 standard ─────────────────────────────────────────

/** An invented, region-independent threshold for an indicator of the 2021–2025 structure. */
function threshold2021(ind: Indicator): { op: IndicatorFile['target']['op']; value: TargetValueFile } {
  const unit = ind.unit ?? '';
  switch (ind.kind) {
    case 'boolean':
    case 'compound':
      return { op: 'is', value: true };
    case 'none_count':
      return { op: '=', value: 0 };
    case 'grade':
      return { op: ind.target.op, value: (ind.target.value as string | null) ?? ind.scale?.[0] ?? null };
    case 'number':
      if (unit.startsWith('triệu')) return { op: '>=', value: 45 };
      return { op: '>=', value: 6 };
    default: {
      if (ind.target.op === '<=') return { op: '<=', value: ind.code === '11' ? 5 : 25 };
      const h = hashSeed(`2021|${ind.code}`) % 5;
      return { op: '>=', value: [60, 70, 75, 80, 90][h]! };
    }
  }
}

/** The 2021 set: the 2021–2025 set's 19 criteria and indicator codes, every threshold invented. */
export function synthetic2021SetFile(): SetFile {
  const base = getCatalog().at('xa-ntm-2021-2025', '2022-03-08');
  return {
    formatVersion: 1,
    id: SYNTHETIC_SET_2021_ID,
    name: `Bộ tiêu chí xã nông thôn mới áp dụng năm 2021 — minh họa chuẩn giai đoạn 2016–2020 (${SYNTHETIC_MARK})`,
    phase: '2021-2025',
    level: 'ntm',
    scope: 'national',
    decision: DECISION_2021,
    validFrom: '2021-01-01',
    validTo: '2022-03-07',
    demo: true,
    notes:
      'Synthetic illustration only. In 2021 communes were still assessed by the 2016–2020 standard (Decision 1980/QĐ-TTg) until Decision 318/QĐ-TTg took effect on 8/3/2022; ' +
      "that standard's tables are not in the project. This set reuses the 19 criteria and indicator codes of the 2021–2025 set with invented, region-independent thresholds, " +
      'so that a synthetic database has 2021 reviews. Never use it on real data.',
    provenance: SYNTHETIC_PROVENANCE,
    criteria: base.criteria.map((c) => ({
      code: c.code,
      name: c.name,
      group: c.group,
      critical: c.critical,
      indicators: c.indicators.map((i) => {
        const t = threshold2021(i);
        // A compound indicator becomes one yes/no in this illustration (no conditions to enter).
        const kind = i.kind === 'compound' ? 'boolean' : i.kind;
        return synthetic(i.code, i.name, kind, kind === 'boolean' ? null : (i.unit ?? null), t.op, t.value, i.kind === 'grade' && i.scale ? [...i.scale] : undefined);
      }),
    })),
  };
}

// ── 2026–2030: a synthetic provincial set ───────────────────────────────────────────────────

type G = [number, number, number];
const byGroup = (g: G): TargetValueFile => ({ byGroup: { '1': g[0], '2': g[1], '3': g[2] } });

/** 47 plausible indicators over the 10 criteria of Decision 51/2025/QĐ-TTg; targets invented, by commune group (1, 2, 3). */
function indicators2026(incomeShift: number): Array<{ criterion: string; indicator: IndicatorFile }> {
  const pct = (code: string, name: string, unit: string, g: G, op: '>=' | '<=' = '>=') => synthetic(code, name, 'percent', unit, op, byGroup(g));
  const yes = (code: string, name: string) => synthetic(code, name, 'boolean', null, 'is', true);
  const num = (code: string, name: string, unit: string, g: G) => synthetic(code, name, 'number', unit, '>=', byGroup(g));
  const rows: Array<[string, IndicatorFile]> = [
    ['1', yes('1.1', 'Có quy hoạch chung xây dựng xã được phê duyệt và công bố công khai')],
    ['1', yes('1.2', 'Ban hành quy định quản lý quy hoạch và tổ chức thực hiện theo quy hoạch')],
    ['2', pct('2.1', 'Tỷ lệ km đường xã, liên xã được nhựa hóa hoặc bê tông hóa', '% km', [100, 100, 90])],
    ['2', pct('2.2', 'Tỷ lệ km đường thôn, xóm được cứng hóa', '% km', [100, 95, 80])],
    ['2', pct('2.3', 'Tỷ lệ km đường trục chính nội đồng được cứng hóa', '% km', [90, 80, 60])],
    ['2', pct('2.4', 'Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới, tiêu chủ động', '% diện tích', [90, 85, 70])],
    ['2', pct('2.5', 'Tỷ lệ hộ sử dụng điện thường xuyên, an toàn', '% hộ', [100, 99, 98])],
    ['2', pct('2.6', 'Tỷ lệ trường học các cấp đạt chuẩn cơ sở vật chất mức độ 1', '% trường', [100, 80, 70])],
    ['2', yes('2.7', 'Xã có trung tâm văn hóa, thể thao đạt chuẩn')],
    ['2', yes('2.8', 'Xã có chợ hoặc điểm bán lẻ đạt chuẩn')],
    ['2', pct('2.9', 'Tỷ lệ hộ có nhà ở kiên cố hoặc bán kiên cố', '% hộ', [95, 90, 80])],
    ['3', num('3.1', 'Thu nhập bình quân đầu người', 'triệu đồng/người/năm', [85 + incomeShift, 75 + incomeShift, 60 + incomeShift])],
    ['3', yes('3.2', 'Xã có sản phẩm chủ lực được chứng nhận OCOP từ 3 sao')],
    ['3', yes('3.3', 'Xã có hợp tác xã hoạt động hiệu quả, liên kết tiêu thụ sản phẩm')],
    ['3', pct('3.4', 'Tỷ lệ diện tích sản xuất nông nghiệp ứng dụng công nghệ cao hoặc theo quy trình an toàn', '% diện tích', [30, 20, 10])],
    ['3', yes('3.5', 'Có vùng nguyên liệu tập trung gắn với chế biến, tiêu thụ')],
    ['4', pct('4.1', 'Tỷ lệ lao động qua đào tạo', '% lao động', [80, 75, 60])],
    ['4', pct('4.2', 'Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ', '% lao động', [40, 35, 25])],
    ['4', pct('4.3', 'Tỷ lệ lao động có việc làm thường xuyên', '% lao động', [96, 95, 90])],
    ['5', pct('5.1', 'Tỷ lệ thôn đạt chuẩn văn hóa', '% thôn', [90, 80, 70])],
    ['5', yes('5.2', 'Phổ cập giáo dục mầm non, tiểu học, trung học cơ sở mức độ 2 trở lên')],
    ['5', pct('5.3', 'Tỷ lệ học sinh tốt nghiệp THCS tiếp tục học trung học', '% học sinh', [90, 85, 75])],
    ['5', pct('5.4', 'Tỷ lệ người dân tham gia bảo hiểm y tế', '% dân số', [95, 95, 92])],
    ['5', pct('5.5', 'Tỷ lệ dân số được quản lý sức khỏe', '% dân số', [95, 90, 85])],
    ['5', pct('5.6', 'Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi', '% trẻ', [15, 18, 22], '<=')],
    ['5', yes('5.7', 'Trạm y tế xã đạt chuẩn quốc gia')],
    ['5', pct('5.8', 'Tỷ lệ dân số có hồ sơ sức khỏe điện tử', '% dân số', [90, 85, 75])],
    ['6', pct('6.1', 'Tỷ lệ hộ nghèo đa chiều', '% hộ', [1, 2, 6], '<=')],
    ['6', pct('6.2', 'Tỷ lệ hộ cận nghèo', '% hộ', [2, 3, 8], '<=')],
    ['6', yes('6.3', 'Thực hiện đầy đủ chính sách trợ giúp xã hội')],
    ['6', pct('6.4', 'Tỷ lệ người trong độ tuổi tham gia bảo hiểm xã hội', '% lao động', [40, 30, 15])],
    ['7', yes('7.1', 'Xã có mô hình ứng dụng khoa học công nghệ trong sản xuất')],
    ['7', pct('7.2', 'Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến', '% hồ sơ', [80, 70, 50])],
    ['7', pct('7.3', 'Tỷ lệ người trưởng thành có tài khoản định danh điện tử mức 2', '% người', [90, 85, 70])],
    ['7', pct('7.4', 'Tỷ lệ hộ có cáp quang, internet băng rộng', '% hộ', [95, 90, 70])],
    ['8', pct('8.1', 'Tỷ lệ hộ được sử dụng nước sạch theo quy chuẩn', '% hộ', [80, 70, 50])],
    ['8', pct('8.2', 'Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý theo quy định', '% khối lượng', [95, 90, 80])],
    ['8', pct('8.3', 'Tỷ lệ hộ phân loại chất thải rắn tại nguồn', '% hộ', [70, 60, 40])],
    ['8', pct('8.4', 'Tỷ lệ nước thải sinh hoạt được xử lý bằng biện pháp phù hợp', '% hộ', [60, 50, 30])],
    ['8', yes('8.5', 'Cảnh quan, không gian xanh - sạch - đẹp, an toàn')],
    ['8', pct('8.6', 'Tỷ lệ hộ có nhà tiêu, nhà tắm, bể chứa nước hợp vệ sinh', '% hộ', [95, 90, 80])],
    ['8', num('8.7', 'Diện tích đất cây xanh sử dụng công cộng', 'm²/người', [4, 3, 2])],
    ['9', yes('9.1', 'Cán bộ, công chức xã đạt chuẩn theo quy định')],
    ['9', synthetic('9.2', 'Đảng bộ, chính quyền xã được xếp loại chất lượng', 'grade', null, '>=', 'hoàn thành tốt nhiệm vụ', ['không hoàn thành nhiệm vụ', 'hoàn thành nhiệm vụ', 'hoàn thành tốt nhiệm vụ', 'hoàn thành xuất sắc nhiệm vụ'])],
    ['9', pct('9.3', 'Tỷ lệ người dân hài lòng với dịch vụ hành chính công', '% người', [90, 85, 80])],
    ['10', yes('10.1', 'Xã đạt chuẩn tiếp cận pháp luật')],
    ['10', yes('10.2', 'Đạt chuẩn an toàn về an ninh, trật tự; hoàn thành chỉ tiêu quốc phòng')],
  ];
  return rows.map(([criterion, indicator]) => ({ criterion, indicator }));
}

/** The synthetic 2026–2030 set of one province: the national set with 47 invented indicators added. */
export function synthetic2026SetFile(province: { code: string; name: string; fullName: string }): SetFile {
  const shift = (hashSeed(`income|${province.code}`) % 5) * 3 - 6;
  return {
    formatVersion: 1,
    id: synthetic2026SetId(province.code),
    name: `Bộ tiêu chí xã nông thôn mới ${province.fullName} giai đoạn 2026–2030 (minh họa — ${SYNTHETIC_MARK})`,
    phase: '2026-2030',
    level: 'ntm',
    scope: 'provincial',
    province: { code: province.code, name: province.name },
    decision: { number: 'tổng hợp — không phải quyết định thật', date: '2026-02-15', issuer: `UBND ${province.fullName} (dữ liệu tổng hợp)`, appendix: null, url: null },
    validFrom: '2026-02-15',
    validTo: '2030-12-31',
    demo: true,
    basedOn: 'xa-ntm-2026-2030',
    notes:
      'Synthetic provincial set for load and usability tests only: the 47 indicators of Decision 51/2025/QĐ-TTg are not known to the project, ' +
      'so these 47 indicators and their targets by commune group are invented. Never use it on real data.',
    provenance: SYNTHETIC_PROVENANCE,
    changes: indicators2026(shift).map((e) => ({ op: 'add' as const, criterion: e.criterion, indicator: e.indicator })),
  };
}

/** Store and publish a set unless its id is already stored (a `--force` reseed keeps the sets). */
async function storeAndPublish(db: Db, doc: SetFile): Promise<boolean> {
  if (getCatalog().has(doc.id)) return false;
  const draft = await importSetDraft(db, AUTHOR, doc);
  await publishDraft(db, PUBLISHER, draft.setId, draft.setVersion, { version: draft.version }, { wait: true });
  return true;
}

/**
 * Store and publish the synthetic 2021 set and the 2026–2030 set of each province given. Returns
 * how many were created (0 when they were already there).
 */
export async function seedSyntheticSets(db: Db, provinces: ReadonlyArray<{ code: string; name: string; fullName: string }>): Promise<number> {
  await loadStoredSets(db);
  let created = 0;
  if (await storeAndPublish(db, synthetic2021SetFile())) created++;
  for (const p of provinces) if (await storeAndPublish(db, synthetic2026SetFile(p))) created++;
  return created;
}
