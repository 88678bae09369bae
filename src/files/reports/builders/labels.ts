/** Short labels shared by the report builders. */
import type { Level } from '../../../domain/criteria.ts';
import type { BilingualMessage } from '../../../domain/errors.ts';
import { LEVEL_SHORT_NAMES } from '../../../domain/level-status.ts';

export const LEVEL_SHORT: Readonly<Record<Level, BilingualMessage>> = LEVEL_SHORT_NAMES;

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
