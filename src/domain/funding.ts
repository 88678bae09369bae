/**
 * Kế hoạch hành động và nguồn vốn — a commune's action plan for its unmet indicators, the funding
 * of each action by source (planned / mobilised / disbursed), and budget requests to a higher
 * level. Pure rules; amounts are whole đồng (VND), shown to people in triệu đồng.
 *
 * Funding line invariants: every amount is a whole number ≥ 0, and disbursed ≤ mobilised (money
 * cannot be paid out before it is raised). Mobilised may exceed planned (it happens).
 */
import type { BilingualMessage } from './errors.ts';
import { isIsoDate } from './dates.ts';
import { problem, type FieldProblem } from './field-error.ts';

/** Nguồn vốn — where the money comes from (Decision 263/QĐ-TTg categories, plus diaspora). */
export const FUNDING_SOURCES = [
  'central_budget',
  'province_budget',
  'district_budget',
  'commune_budget',
  'credit',
  'enterprise',
  'community',
  'diaspora',
  'other',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const FUNDING_SOURCE_LABELS: Readonly<Record<FundingSource, BilingualMessage>> = {
  central_budget: { vi: 'Ngân sách trung ương', en: 'Central budget' },
  province_budget: { vi: 'Ngân sách tỉnh', en: 'Province budget' },
  district_budget: { vi: 'Ngân sách huyện', en: 'District budget' },
  commune_budget: { vi: 'Ngân sách xã', en: 'Commune budget' },
  credit: { vi: 'Vốn tín dụng', en: 'Credit' },
  enterprise: { vi: 'Doanh nghiệp, hợp tác xã', en: 'Enterprises and cooperatives' },
  community: { vi: 'Cộng đồng dân cư đóng góp', en: 'Community contributions' },
  diaspora: { vi: 'Con em quê hương xa quê', en: 'People from the commune working elsewhere' },
  other: { vi: 'Nguồn khác', en: 'Other sources' },
};

/** Dòng vốn — one source's money for one action. */
export interface FundingAmounts {
  planned: number;
  mobilised: number;
  disbursed: number;
}

export interface FundingLineInput extends FundingAmounts {
  source: string;
}

/** Problems of a funding line; `field` is the path prefix ("funding.2"). */
export function fundingLineProblems(line: FundingLineInput, field = 'funding'): FieldProblem[] {
  const out: FieldProblem[] = [];
  const label = (FUNDING_SOURCE_LABELS as Record<string, BilingualMessage>)[line.source];
  if (!label) {
    out.push(problem(`${field}.source`, `Nguồn vốn "${line.source}" không hợp lệ (${FUNDING_SOURCES.join(', ')}).`, `Funding source "${line.source}" is invalid (${FUNDING_SOURCES.join(', ')}).`));
  }
  for (const k of ['planned', 'mobilised', 'disbursed'] as const) {
    const v = line[k];
    if (!Number.isSafeInteger(v) || v < 0) {
      out.push(problem(`${field}.${k}`, `Số tiền "${k}" phải là số đồng nguyên, không âm (nhận ${v}).`, `Amount "${k}" must be a whole, non-negative number of đồng (got ${v}).`));
    }
  }
  if (Number.isFinite(line.disbursed) && Number.isFinite(line.mobilised) && line.disbursed > line.mobilised) {
    const src = label?.vi ?? line.source;
    out.push(
      problem(
        `${field}.disbursed`,
        `Nguồn "${src}": số đã giải ngân (${formatMillion(line.disbursed, 'vi')} triệu đồng) vượt số đã huy động (${formatMillion(line.mobilised, 'vi')} triệu đồng).`,
        `Source "${label?.en ?? line.source}": disbursed (${formatMillion(line.disbursed, 'en')} million VND) exceeds mobilised (${formatMillion(line.mobilised, 'en')} million VND).`,
      ),
    );
  }
  return out;
}

export interface FundingTotals extends FundingAmounts {
  bySource: Array<FundingAmounts & { source: FundingSource }>;
}

/** Sums by source (in FUNDING_SOURCES order) and overall. */
export function fundingTotals(lines: ReadonlyArray<FundingAmounts & { source: string }>): FundingTotals {
  const by = new Map<string, FundingAmounts>();
  for (const l of lines) {
    const t = by.get(l.source) ?? { planned: 0, mobilised: 0, disbursed: 0 };
    t.planned += l.planned;
    t.mobilised += l.mobilised;
    t.disbursed += l.disbursed;
    by.set(l.source, t);
  }
  const bySource = FUNDING_SOURCES.filter((s) => by.has(s)).map((s) => ({ source: s, ...by.get(s)! }));
  return {
    planned: bySource.reduce((a, s) => a + s.planned, 0),
    mobilised: bySource.reduce((a, s) => a + s.mobilised, 0),
    disbursed: bySource.reduce((a, s) => a + s.disbursed, 0),
    bySource,
  };
}

/** 2_500_000_000 đồng → "2.500" (vi) / "2,500" (en) million. */
export function formatMillion(dong: number, lang: 'vi' | 'en'): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 3 }).format(dong / 1_000_000);
}

// ── Action plan items ──────────────────────────────────────────────────────────────────

/** Trạng thái giải pháp. */
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, BilingualMessage>> = {
  planned: { vi: 'Kế hoạch', en: 'Planned' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Hoàn thành', en: 'Done' },
  cancelled: { vi: 'Hủy', en: 'Cancelled' },
};

export interface ActionFields {
  action?: string | null;
  criterionCode?: string | null;
  estimatedCost?: number | null;
  targetOn?: string | null;
  status?: string | null;
}

export function actionFieldProblems(a: ActionFields, requireAll: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if ((requireAll || a.action !== undefined) && (!a.action || !a.action.trim())) {
    out.push(problem('action', 'Giải pháp cần có nội dung (trường "action").', 'An action needs a description (field "action").'));
  }
  if ((requireAll || a.criterionCode !== undefined) && !a.criterionCode) {
    out.push(problem('criterionCode', 'Giải pháp cần gắn với một tiêu chí (trường "criterionCode").', 'An action must name the criterion it works on (field "criterionCode").'));
  }
  if (a.estimatedCost != null && (!Number.isSafeInteger(a.estimatedCost) || a.estimatedCost < 0)) {
    out.push(problem('estimatedCost', 'Kinh phí dự kiến phải là số đồng nguyên, không âm.', 'The estimated cost must be a whole, non-negative number of đồng.'));
  }
  if (a.targetOn != null && !isIsoDate(a.targetOn)) {
    out.push(problem('targetOn', `Thời hạn "${a.targetOn}" không hợp lệ (cần YYYY-MM-DD).`, `Target date "${a.targetOn}" is not a valid YYYY-MM-DD date.`));
  }
  if (a.status != null && !(ACTION_STATUSES as readonly string[]).includes(a.status)) {
    out.push(problem('status', `Trạng thái "${a.status}" không hợp lệ (${ACTION_STATUSES.join(', ')}).`, `Status "${a.status}" is invalid (${ACTION_STATUSES.join(', ')}).`));
  }
  return out;
}

// ── Budget requests ────────────────────────────────────────────────────────────────────

/** Đề xuất kinh phí — a commune's request for money from a higher level. */
export const BUDGET_REQUEST_STATUSES = ['draft', 'submitted', 'approved', 'partially_approved', 'rejected', 'withdrawn'] as const;
export type BudgetRequestStatus = (typeof BUDGET_REQUEST_STATUSES)[number];
export const BUDGET_REQUEST_STATUS_LABELS: Readonly<Record<BudgetRequestStatus, BilingualMessage>> = {
  draft: { vi: 'Dự thảo', en: 'Draft' },
  submitted: { vi: 'Đã gửi', en: 'Submitted' },
  approved: { vi: 'Đồng ý', en: 'Approved' },
  partially_approved: { vi: 'Đồng ý một phần', en: 'Partially approved' },
  rejected: { vi: 'Không đồng ý', en: 'Rejected' },
  withdrawn: { vi: 'Rút lại', en: 'Withdrawn' },
};

export type BudgetDecision = 'approved' | 'partially_approved' | 'rejected';

/** Problems of a response to a request of `amount` đồng. */
export function budgetResponseProblems(r: { decision: string; approvedAmount?: number | null; responseText?: string | null }, amount: number): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!['approved', 'partially_approved', 'rejected'].includes(r.decision)) {
    out.push(problem('decision', `Ý kiến "${r.decision}" không hợp lệ (approved, partially_approved, rejected).`, `Decision "${r.decision}" is invalid (approved, partially_approved, rejected).`));
    return out;
  }
  if (r.decision === 'partially_approved') {
    const a = r.approvedAmount;
    if (a == null || !Number.isSafeInteger(a) || a <= 0 || a >= amount) {
      out.push(
        problem(
          'approvedAmount',
          `Đồng ý một phần cần số tiền được duyệt lớn hơn 0 và nhỏ hơn số đề xuất (${formatMillion(amount, 'vi')} triệu đồng).`,
          `A partial approval needs an approved amount above 0 and below the amount requested (${formatMillion(amount, 'en')} million VND).`,
        ),
      );
    }
  }
  if (r.decision === 'rejected' && (!r.responseText || !r.responseText.trim())) {
    out.push(problem('responseText', 'Không đồng ý thì cần nêu lý do (trường "responseText").', 'A rejection needs a reason (field "responseText").'));
  }
  return out;
}

/** The approved amount a decision stands for. */
export function approvedAmountOf(decision: BudgetDecision, requested: number, partial: number | null | undefined): number {
  return decision === 'approved' ? requested : decision === 'rejected' ? 0 : (partial ?? 0);
}
