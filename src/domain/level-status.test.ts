import { describe, expect, it } from 'vitest';
import { expiredSetNote, levelReason, missingPrerequisites, predecessorCoverage, reviewWarnings } from './level-status.ts';

const base = { setLevel: 'nang-cao' as const, requires: ['ntm' as const], criteriaMet: 19, criteriaTotal: 19, indicatorsMet: 75, indicatorsTotal: 75, meetsStandard: true };

describe('the level and its reason', () => {
  it('names the missing prior recognition when every criterion is met', () => {
    expect(levelReason({ ...base, level: null, recognised: [] })).toEqual({
      vi: 'Đạt đủ 19/19 tiêu chí; chưa đủ điều kiện: chưa được công nhận NTM',
      en: 'Meets all 19/19 criteria; not eligible: not yet recognised NTM',
    });
    expect(levelReason({ ...base, level: 'nang-cao', recognised: ['ntm'] }).vi).toBe('Đạt đủ 19/19 tiêu chí, 75/75 chỉ tiêu');
    expect(levelReason({ ...base, criteriaMet: 13, indicatorsMet: 64, meetsStandard: false, level: null, recognised: ['ntm'] }).vi).toBe('Đạt 13/19 tiêu chí (64/75 chỉ tiêu); còn 6 tiêu chí chưa đạt');
    expect(missingPrerequisites(['ntm'], ['nang-cao'])).toEqual([]);
  });

  it('labels an ended set and warns on an abolished commune', () => {
    expect(expiredSetNote('2025-12-31', '2025-12-31')).toBeNull();
    expect(expiredSetNote('2025-12-31', '2026-01-01')!.vi).toBe('Bộ tiêu chí đã hết hiệu lực 31/12/2025');
    expect(reviewWarnings({ unitName: 'Xã Tràng An', unitValidTo: '2025-06-30', setValidTo: null, today: '2026-12-03' })[0]!.vi).toMatch(/^Xã Tràng An không còn tồn tại từ 01\/07\/2025/);
  });

  it('shows each recognised predecessor once, at its highest level, with its decision', () => {
    const c = predecessorCoverage(3, [
      { unitId: 'a', name: 'Xã A', level: 'ntm', decisionNo: '1/QĐ', decidedOn: '2018-01-02' },
      { unitId: 'a', name: 'Xã A', level: 'nang-cao', decisionNo: '2/QĐ', decidedOn: '2023-05-06' },
    ]);
    expect(c!.vi).toBe('Chưa công nhận (xã mới từ 01/07/2025); 1/3 xã cũ đã được công nhận — Xã A: NTM nâng cao, QĐ 2/QĐ ngày 06/05/2023');
    expect(predecessorCoverage(0, [])).toBeNull();
  });
});
