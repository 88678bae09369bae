/**
 * Ma trận xã × tiêu chí — every commune under one or more units on a date, one row each, one
 * coloured symbol per criterion (✓ đạt, ✗ chưa đạt, ? chưa đánh giá được, – không áp dụng),
 * criteria and indicators met, the level the engine finds and the level recognised. One table per
 * criteria set (x/N is only comparable within a set).
 */
import type { CommuneStatusRow, SetStats, UnitSummary } from '../inputs.ts';
import type { Column, Report, Row, Table } from '../model.ts';
import { STATUS_LETTERS, fileStem, typed } from '../model.ts';
import { dateVi } from '../../format.ts';
import { levelShort, m } from './labels.ts';
import { communeNotes } from './unit-summary.report.ts';

export interface MatrixInput {
  /** The units covered ("Tỉnh Hà Nam", or several provinces for a national matrix). */
  scopeName: string;
  date: string;
  summaries: UnitSummary[];
  generatedAt?: string;
}

function matrixTable(set: SetStats | null, rows: Array<{ row: CommuneStatusRow; province: string }>, multiUnit: boolean, input: MatrixInput, index: number): Table {
  const criteria = set?.criteria ?? [];
  const columns: Column[] = [
    { key: 'stt', title: m('STT', 'No.'), type: 'integer', width: 6 },
    ...(multiUnit ? [{ key: 'province', title: m('Tỉnh/TP', 'Province'), type: 'text' as const, width: 16 }] : []),
    { key: 'parent', title: m('Trực thuộc', 'Under'), type: 'text', width: 18 },
    { key: 'code', title: m('Mã xã', 'Code'), type: 'text', width: 8, align: 'center' },
    { key: 'name', title: m('Tên xã', 'Commune'), type: 'text', width: 20 },
    { key: 'reviewedOn', title: m('Ngày rà soát', 'Review date'), type: 'date', width: 12 },
    ...criteria.map((c): Column => ({ key: `c${c.code}`, title: m(`TC ${c.code}${c.critical ? '*' : ''}`, `C ${c.code}${c.critical ? '*' : ''}`), type: 'status', width: 5 })),
    { key: 'criteriaMet', title: m('Số tiêu chí đạt', 'Criteria met'), type: 'integer', width: 10 },
    { key: 'criteriaTotal', title: m('Tổng số tiêu chí', 'Criteria'), type: 'integer', width: 8 },
    { key: 'indicatorsMet', title: m('Số chỉ tiêu đạt', 'Indicators met'), type: 'integer', width: 10 },
    { key: 'indicatorsTotal', title: m('Tổng số chỉ tiêu', 'Indicators'), type: 'integer', width: 8 },
    { key: 'level', title: m('Mức đạt (đánh giá)', 'Level (evaluated)'), type: 'text', width: 14 },
    { key: 'recognised', title: m('Mức đã công nhận', 'Level recognised'), type: 'text', width: 14 },
    { key: 'reason', title: m('Lý do, ghi chú', 'Reason, notes'), type: 'text', width: 40 },
  ];
  const out: Row[] = rows.map(({ row: r, province }, i) => {
    const letters = r.criteriaStatus ?? '';
    return {
      cells: [
        i + 1,
        ...(multiUnit ? [province] : []),
        r.parentName ?? '',
        r.code,
        r.name,
        r.reviewedOn,
        ...criteria.map((_, k) => (r.reviewId === null ? typed('status', 'none') : typed('status', STATUS_LETTERS[letters[k] ?? ''] ?? 'none'))),
        r.criteriaMet,
        r.criteriaTotal,
        r.indicatorsMet,
        r.indicatorsTotal,
        r.reviewId === null ? 'Chưa rà soát' : levelShort(r.level) || 'Chưa đạt',
        levelShort(r.recognisedLevel) || (r.predecessorCount > 0 ? 'Chưa công nhận' : ''),
        communeNotes(r),
      ],
    };
  });
  const critical = criteria.filter((c) => c.critical).map((c) => c.code);
  return {
    id: `matrix-${index + 1}`,
    sheetName: index === 0 ? 'Ma trận' : `Ma trận ${index + 1}`,
    title: m(`KẾT QUẢ ĐẠT CHUẨN TỪNG TIÊU CHÍ CỦA CÁC XÃ — ${input.scopeName.toUpperCase()}`, `CRITERIA MET BY EACH COMMUNE — ${input.scopeName}`),
    subtitle: [
      `Số liệu tại ngày ${dateVi(input.date)}${set ? ` — ${set.setName}` : ''}`,
      `Mỗi xã: bản rà soát đã nộp gần nhất, trước hoặc vào ngày ${dateVi(input.date)}.`,
    ],
    columns,
    rows: out,
    freezeColumns: multiUnit ? 5 : 4,
    legend: true,
    autoFilter: true,
    landscape: true,
    notes: [
      ...(critical.length ? [`* Tiêu chí bắt buộc (xét thu hồi quyết định công nhận): ${critical.join(', ')}.`] : []),
      ...(set ? [`Tên tiêu chí: ${set.criteria.map((c) => `${c.code}. ${c.name}`).join('; ')}.`] : []),
    ],
  };
}

export function buildMatrixReport(input: MatrixInput): Report {
  const multiUnit = input.summaries.length > 1;
  const all = input.summaries.flatMap((s) => s.communes.map((row) => ({ row, province: s.unit.fullName })));
  const setsById = new Map<string, SetStats>();
  for (const s of input.summaries) for (const st of s.sets) if (!setsById.has(st.setId)) setsById.set(st.setId, st);
  const counts = new Map<string, number>();
  for (const { row } of all) if (row.setId) counts.set(row.setId, (counts.get(row.setId) ?? 0) + 1);
  const setIds = [...setsById.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
  const tables: Table[] = [];
  if (setIds.length === 0) tables.push(matrixTable(null, all, multiUnit, input, 0));
  setIds.forEach((id, i) => {
    // Communes without a review go with the main set so every commune appears once.
    const rows = all.filter(({ row }) => row.setId === id || (i === 0 && row.setId === null));
    tables.push(matrixTable(setsById.get(id)!, rows, multiUnit, input, i));
  });
  const main = setIds[0] ? setsById.get(setIds[0])! : null;
  return {
    kind: 'matrix',
    title: m(`Ma trận xã × tiêu chí — ${input.scopeName}`, `Commune × criterion matrix — ${input.scopeName}`),
    meta: {
      date: input.date,
      unitName: input.scopeName,
      setId: main?.setId ?? null,
      setName: main?.setName ?? null,
      generatedAt: input.generatedAt ?? new Date().toISOString(),
      demo: input.summaries.some((s) => s.isDemo),
      unverifiedIndicators: 0,
    },
    blocks: tables.map((table) => ({ type: 'table' as const, table })),
    fileName: fileStem('ma-tran', input.scopeName, input.date),
  };
}
