/**
 * `/dev/matrix?rows=1000[&all=1]` — the commune × criterion matrix with synthetic communes (no API), for
 * the scroll-smoothness benchmark (bench/web.bench.ts) and for trying the virtual rows by hand.
 */
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CommuneStatusRow, SetStats } from '../api/types.ts';
import { CriteriaMatrix } from '../components/CriteriaMatrix.tsx';

const LETTERS = 'MMMMMMNEA';

export function syntheticMatrix(n: number, criteria = 19): { set: SetStats; rows: CommuneStatusRow[] } {
  const set: SetStats = {
    setId: 'synthetic',
    setName: 'Bộ tiêu chí thử (tổng hợp)',
    level: 'ntm',
    criteria: Array.from({ length: criteria }, (_, i) => ({ code: String(i + 1), name: `Tiêu chí thử ${i + 1}`, critical: false })),
    indicatorsTotal: criteria * 3,
    communes: n,
    averageCriteriaMet: null,
    below15: null,
    distribution: [],
  };
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const rows: CommuneStatusRow[] = Array.from({ length: n }, (_, i) => {
    const status = Array.from({ length: criteria }, () => LETTERS[Math.floor(rnd() * LETTERS.length)]!).join('');
    const met = [...status].filter((c) => c === 'M').length;
    return {
      unitId: `${90000 + i}@synthetic`,
      code: String(90000 + i),
      name: `Xã Thử ${i + 1}`,
      parentName: `Huyện Thử ${1 + (i % 12)}`,
      reviewId: i + 1,
      reviewedOn: '2025-06-30',
      setId: 'synthetic',
      criteriaMet: met,
      criteriaTotal: criteria,
      indicatorsMet: met * 3,
      indicatorsTotal: criteria * 3,
      notEvaluable: 0,
      level: met === criteria ? 'ntm' : null,
      meetsStandard: met === criteria,
      criteriaStatus: status,
      recognisedLevel: null,
      levelReason: met === criteria ? null : { vi: `Đạt ${met}/${criteria} tiêu chí`, en: `Meets ${met}/${criteria} criteria` },
      setNote: null,
      predecessorCount: 0,
      predecessorRecognitions: [],
      coverage: null,
    };
  });
  return { set, rows };
}

export default function MatrixBenchPage() {
  const [params] = useSearchParams();
  const n = Math.min(20_000, Math.max(1, Number(params.get('rows')) || 1000));
  // `all=1`: every row drawn (no virtual rows), for comparison.
  const all = params.get('all') === '1';
  const { set, rows } = useMemo(() => syntheticMatrix(n), [n]);
  return (
    <div className="page" data-testid="matrix-bench">
      <h1 className="unit-title">Bảng tiêu chí thử — {n} xã</h1>
      <CriteriaMatrix set={set} rows={rows} date="2025-06-30" linkTo={() => '#'} onOpenCell={() => {}} printAll={all} />
    </div>
  );
}
