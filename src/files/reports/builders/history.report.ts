/**
 * Diễn biến qua các kỳ rà soát — history over review dates: for a district or province, the
 * summary at each date any commune submitted a review; for a commune, each of its reviews (and its
 * predecessors' across the 2025 merge) with criteria and indicators met.
 */
import type { HistoryEntry, TrendPoint } from '../inputs.ts';
import type { Column, Report, Row } from '../model.ts';
import { LEVELS } from '../../../domain/criteria.ts';
import { getCatalog } from '../../../catalog/catalog.ts';
import { fileStem, typed } from '../model.ts';
import { dateVi } from '../../format.ts';
import { LEVEL_SHORT, m } from './labels.ts';

export function buildUnitHistoryReport(input: { unitName: string; to: string; points: TrendPoint[]; demo: boolean; generatedAt?: string }): Report {
  // A level column only for levels some set measured: an advanced set never says whether a commune meets NTM.
  const levels = LEVELS.filter((l) => input.points.some((p) => p.levelsMeasured.includes(l)));
  const rows: Row[] = input.points.map((p) => ({
    cells: [p.date, p.reviewed, typed('number', p.averageCriteriaMet, 1), p.below15, ...levels.map((l) => (p.levelsMeasured.includes(l) ? p.byLevel[l] : null)), p.byLevel.none],
  }));
  return {
    kind: 'history',
    title: m(`Diễn biến qua các kỳ rà soát — ${input.unitName}`, `History over review dates — ${input.unitName}`),
    meta: { date: input.to, unitName: input.unitName, setId: null, setName: null, generatedAt: input.generatedAt ?? new Date().toISOString(), demo: input.demo, unverifiedIndicators: 0 },
    blocks: [
      {
        type: 'table',
        table: {
          id: 'history',
          sheetName: 'Diễn biến',
          title: m(`DIỄN BIẾN QUA CÁC KỲ RÀ SOÁT — ${input.unitName.toUpperCase()}`, `HISTORY — ${input.unitName}`),
          subtitle: [
            `Đến ngày ${dateVi(input.to)}. Mỗi dòng: tình hình tại ngày có xã nộp bản rà soát (bản đã nộp gần nhất của mỗi xã).`,
            'Mức đạt theo rà soát: chỉ các mức mà bộ tiêu chí đã dùng đánh giá; tỷ lệ tính trên số xã đã rà soát. Số xã được công nhận: xem báo cáo tổng hợp.',
          ],
          columns: [
            { key: 'date', title: m('Ngày', 'Date'), type: 'date', width: 12 },
            { key: 'reviewed', title: m('Số xã đã rà soát', 'Communes reviewed'), type: 'integer', width: 12 },
            { key: 'average', title: m('Bình quân tiêu chí/xã', 'Average criteria'), type: 'number', width: 12 },
            { key: 'below15', title: m('Xã dưới 15 tiêu chí', 'Below 15 criteria'), type: 'integer', width: 12 },
            ...levels.map((l): Column => ({ key: `level-${l}`, title: m(`Đạt ${LEVEL_SHORT[l].vi} (theo rà soát)`, `${LEVEL_SHORT[l].en} (by review)`), type: 'integer', width: 12 })),
            { key: 'none', title: m('Chưa đạt mức được đánh giá', 'Not at the level measured'), type: 'integer', width: 12 },
          ],
          rows,
        },
      },
    ],
    fileName: fileStem('dien-bien', input.unitName, input.to),
  };
}

export function buildCommuneHistoryReport(input: { unitName: string; to: string; history: HistoryEntry[]; demo: boolean; generatedAt?: string }): Report {
  const rows: Row[] = input.history.map((h) => ({
    cells: [h.reviewedOn, h.unitName, getCatalog().nameOf(h.setId, h.reviewedOn), h.status === 'submitted' ? 'Đã nộp' : 'Bản nháp', h.criteriaMet, h.criteriaTotal, h.indicatorsMet, h.indicatorsTotal, h.relation === 'self' ? '' : 'Đơn vị trước sáp nhập'],
  }));
  return {
    kind: 'history',
    title: m(`Lịch sử rà soát — ${input.unitName}`, `Review history — ${input.unitName}`),
    meta: { date: input.to, unitName: input.unitName, setId: null, setName: null, generatedAt: input.generatedAt ?? new Date().toISOString(), demo: input.demo, unverifiedIndicators: 0 },
    blocks: [
      {
        type: 'table',
        table: {
          id: 'history',
          sheetName: 'Lịch sử',
          title: m(`LỊCH SỬ RÀ SOÁT — ${input.unitName.toUpperCase()}`, `REVIEW HISTORY — ${input.unitName}`),
          subtitle: [`Đến ngày ${dateVi(input.to)}, kể cả các đơn vị trước sáp nhập.`],
          columns: [
            { key: 'date', title: m('Ngày rà soát', 'Review date'), type: 'date', width: 12 },
            { key: 'unit', title: m('Đơn vị', 'Unit'), type: 'text', width: 22 },
            { key: 'set', title: m('Bộ tiêu chí', 'Criteria set'), type: 'text', width: 30 },
            { key: 'status', title: m('Trạng thái', 'Status'), type: 'text', width: 10 },
            { key: 'criteriaMet', title: m('Tiêu chí đạt', 'Criteria met'), type: 'integer', width: 10 },
            { key: 'criteriaTotal', title: m('Tổng tiêu chí', 'Criteria'), type: 'integer', width: 10 },
            { key: 'indicatorsMet', title: m('Chỉ tiêu đạt', 'Indicators met'), type: 'integer', width: 10 },
            { key: 'indicatorsTotal', title: m('Tổng chỉ tiêu', 'Indicators'), type: 'integer', width: 10 },
            { key: 'note', title: m('Ghi chú', 'Note'), type: 'text', width: 20 },
          ],
          rows,
        },
      },
    ],
    fileName: fileStem('lich-su', input.unitName, input.to),
  };
}
