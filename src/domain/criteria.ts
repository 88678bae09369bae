/**
 * The criteria model: what a commune is measured against. Pure types, no I/O.
 * Official terms in Vietnamese beside each English name.
 */
import type { BilingualMessage } from './errors.ts';

/** Giai đoạn — programme phase. */
export type Phase = '2021-2025' | '2026-2030';

/** Mức đạt chuẩn — level: NTM, NTM nâng cao (advanced), NTM kiểu mẫu (model), NTM hiện đại (modern, 2026–2030 pilot). */
export type Level = 'ntm' | 'nang-cao' | 'kieu-mau' | 'hien-dai';
export const LEVELS: readonly Level[] = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'];

/** Vùng — the 7 socio-economic regions that drive 2021–2025 thresholds. */
export type RegionCode = 'TDMNPB' | 'DBSH' | 'BTB' | 'DHNTB' | 'TN' | 'DNB' | 'DBSCL';
export const REGION_CODES: readonly RegionCode[] = ['TDMNPB', 'DBSH', 'BTB', 'DHNTB', 'TN', 'DNB', 'DBSCL'];

/** Nhóm xã — commune group 1/2/3 that drives 2026–2030 thresholds. */
export type CommuneGroup = 1 | 2 | 3;

/**
 * Diện đặc biệt — special status. Đặc biệt khó khăn (`dbkk`) and ATK communes in poor districts
 * use the northern-mountain (TDMNPB) thresholds in 2021–2025 (Decision 318/QĐ-TTg, Art. 1).
 */
export type SpecialStatus = 'dbkk' | 'atk';

/** What the engine needs to know about a commune (xã) on the evaluation date. */
export interface CommuneProfile {
  code: string;
  name: string;
  region?: RegionCode | null;
  group?: CommuneGroup | null;
  special?: SpecialStatus | null;
}

/** Giá trị chỉ tiêu — a reported indicator value. Ratios carry numerator and denominator. */
export type IndicatorValue =
  | number
  | boolean
  | string
  | { numerator: number; denominator: number }
  | null;

export type IndicatorValues = Readonly<Record<string, IndicatorValue>>;

/** Kết quả — the verdict on one indicator or criterion. "Not met" is a value, never an error. */
export type VerdictStatus = 'met' | 'not_met' | 'not_applicable' | 'not_evaluable';

export type TargetOp = '>=' | '<=' | '=' | 'is';
