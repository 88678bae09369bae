/**
 * Phương án phân bổ của một đơn vị — the allocation built from a unit's action plans: the solver's
 * input and result with the names and sources the committee reads (what each candidate action is,
 * where its cost comes from, what was left out and why). Plain data shared by the service
 * (src/services/planning.service.ts) and the documents (src/files/plans/).
 */
import type { BilingualMessage } from '../errors.ts';
import type { AllocationInput, AllocationResult } from './allocation.ts';

/** A candidate action as the allocation sees it, with where it comes from. */
export interface CandidateAction {
  id: string;
  commune: string;
  communeName: string;
  closes: string[];
  /** What it asks of the budget (estimated cost less what is already mobilised), whole đồng. */
  cost: number;
  source: 'plan' | 'default';
  /** The plan's action text, or "Chi phí mặc định của tỉnh". */
  name: string;
  planItemId: number | null;
  targetOn: string | null;
}

export interface LeftOut {
  commune: string;
  communeName: string;
  code: string | null;
  reason: BilingualMessage;
}

export interface UnitAllocation {
  unit: { id: string; name: string };
  date: string;
  deadline: string | null;
  budget: number;
  /** The solver's input, as `datchuan plan allocate --input` takes it. */
  input: AllocationInput;
  result: AllocationResult;
  candidates: CandidateAction[];
  /** Communes, with names and what they need (the what-if screen recomputes from this). */
  communes: Array<{ id: string; name: string; nextLevel: string | null; unmet: string[]; pending: number; fundedCodes: string[]; inAllocation: boolean }>;
  /** What the allocation cannot consider, and why (no cost, after the deadline, pending thresholds). */
  leftOut: LeftOut[];
}

