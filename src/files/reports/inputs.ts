/**
 * What the report builders are given: the summaries and histories the services compute, declared
 * here beside the report model so that `src/files` needs nothing from the services (the services
 * import these types and fill them in).
 */
import type { Level } from '../../domain/criteria.ts';
import type { BilingualMessage } from '../../domain/errors.ts';
import type { PredecessorRecognition } from '../../domain/level-status.ts';

/** A review without its values and evaluation: what lists and histories show. */
export interface ReviewSummary {
  id: number;
  unitId: string;
  setId: string;
  reviewedOn: string;
  status: 'draft' | 'submitted';
  title: string | null;
  note: string | null;
  version: number;
  isDemo: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
}

/** One review in a commune's history (its own, or a predecessor's across the 2025 merge). */
export interface HistoryEntry extends ReviewSummary {
  unitName: string;
  relation: 'self' | 'predecessor';
  criteriaMet: number | null;
  criteriaTotal: number | null;
  indicatorsMet: number | null;
  indicatorsTotal: number | null;
}

/** Where one commune stands on a date: its latest submitted review's figures. */
export interface CommuneStatusRow {
  unitId: string;
  code: string;
  name: string;
  parentName: string | null;
  reviewId: number | null;
  reviewedOn: string | null;
  setId: string | null;
  criteriaMet: number | null;
  criteriaTotal: number | null;
  indicatorsMet: number | null;
  indicatorsTotal: number | null;
  notEvaluable: number | null;
  /** Level the latest review shows the commune meeting (engine, with prerequisites). */
  level: Level | null;
  meetsStandard: boolean | null;
  /** One letter per criterion in set order: M met, N not met, E not evaluable, A not applicable. */
  criteriaStatus: string | null;
  /** Highest level officially recognised on or before the date (and not revoked by then). */
  recognisedLevel: Level | null;
  /** Why the review shows its level ("Đạt đủ 19/19 tiêu chí; chưa đủ điều kiện: chưa được công nhận NTM"); null when not reviewed. */
  levelReason: BilingualMessage | null;
  /** "Bộ tiêu chí đã hết hiệu lực 31/12/2025" when the review's set had ended by the date; else null. */
  setNote: BilingualMessage | null;
  /** The 2025 merger: the former communes this commune was formed from (0 for others). */
  predecessorCount: number;
  /** Their recognitions on or before the date (a recognition stays with the old commune). */
  predecessorRecognitions: PredecessorRecognition[];
  /** "Chưa công nhận (xã mới từ 01/07/2025); 2/3 xã cũ đã được công nhận — …", or null. */
  coverage: BilingualMessage | null;
}

/**
 * One headline figure, computed once and shown the same on screen, in Excel and in Word: the value
 * and, when it is a share, its denominator stated beside it.
 */
export interface SummaryFigure {
  key: string;
  label: BilingualMessage;
  value: number | null;
  /** What the value counts ("xã", "tiêu chí/xã", "quyết định"). */
  unit: BilingualMessage;
  /** 1 for averages; whole numbers otherwise. */
  decimals: number;
  /** The denominator of the share (null: the figure is not a share). */
  of: { count: number; label: BilingualMessage } | null;
  /** value / of.count in percent, one decimal; null when not a share or the denominator is 0. */
  share: number | null;
  note: BilingualMessage | null;
}

/** Figures of the communes reviewed against one criteria set (x/N counts compare within a set). */
export interface SetStats {
  setId: string;
  setName: string;
  level: Level;
  criteria: Array<{ code: string; name: string; critical: boolean }>;
  indicatorsTotal: number;
  communes: number;
  averageCriteriaMet: number | null;
  /** Communes below 15 criteria (the programme's floor), only for 19-criterion sets. */
  below15: number | null;
  distribution: Array<{ criteriaMet: number; communes: number }>;
}

/** Where every commune under a unit stands on a date. */
export interface UnitSummary {
  unit: { id: string; name: string; fullName: string; level: string; listId: string; parentNames: string[] };
  date: string;
  isDemo: boolean;
  /** Denominator of every share, with its date: communes valid on `date` under the unit. */
  denominator: { communes: number; asOf: string; listId: string };
  reviewed: number;
  notReviewed: number;
  byLevel: Record<Level | 'none', number>;
  recognisedByLevel: Record<Level | 'none', number>;
  recognitionsThisYear: number;
  averageCriteriaMet: number | null;
  below15: number;
  sets: SetStats[];
  /** The headline figures, each with its denominator (what every screen and document shows). */
  figures: SummaryFigure[];
  communes: CommuneStatusRow[];
}

/** The summary of a unit at one date on which some commune under it submitted a review. */
export interface TrendPoint {
  date: string;
  reviewed: number;
  averageCriteriaMet: number | null;
  below15: number;
  byLevel: Record<Level | 'none', number>;
  /** The levels the sets used on that date measure (an advanced set never measures NTM): byLevel counts only these. */
  levelsMeasured: Level[];
}
