/** Short labels shared by the report builders. */
import type { Level } from '../../../domain/criteria.ts';
import type { BilingualMessage } from '../../../domain/errors.ts';

export const LEVEL_SHORT: Readonly<Record<Level, BilingualMessage>> = {
  ntm: { vi: 'NTM', en: 'NTM' },
  'nang-cao': { vi: 'NTM nâng cao', en: 'Advanced NTM' },
  'kieu-mau': { vi: 'NTM kiểu mẫu', en: 'Model NTM' },
  'hien-dai': { vi: 'NTM hiện đại', en: 'Modern NTM' },
};

export function levelShort(level: string | null | undefined): string {
  return level && level in LEVEL_SHORT ? LEVEL_SHORT[level as Level].vi : '';
}

export const KIND_VI: Readonly<Record<string, string>> = {
  boolean: 'Đạt/Không đạt',
  percent: 'Tỷ lệ %',
  number: 'Số',
  ratio: 'Tỷ lệ (tử số/mẫu số)',
  grade: 'Xếp loại',
  none_count: 'Số lượng (= 0)',
  compound: 'Kết hợp nhiều điều kiện',
};

/** `m(vi, en)`: a bilingual message. */
export function m(vi: string, en: string): BilingualMessage {
  return { vi, en };
}
