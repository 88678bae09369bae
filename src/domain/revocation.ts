/**
 * Thu hồi quyết định công nhận — the revocation rule for a recognised commune (Decision
 * 18/2022/QĐ-TTg as summarised in ntm-domain.md §2): recognition is revoked when
 * - 30% to under 50% of the criteria fall below standard and at least one of them is critical
 *   (tiêu chí bắt buộc: Thu nhập; Môi trường (và an toàn thực phẩm); Chất lượng môi trường sống;
 *   Quốc phòng và An ninh — the `critical` flag of the set), or
 * - 50% or more of the criteria fall below standard.
 *
 * Counting: a criterion "falls below" only when it is `not_met`. `not_evaluable` criteria are not
 * counted as failing (missing data is not evidence of decline) but stay in the denominator; the
 * result lists them so a reviewer can see that the check is incomplete. `not_applicable` criteria
 * leave the denominator. Shares are compared exactly (integers), never as rounded floats.
 */
import type { VerdictStatus } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';
import { formatNumber } from './verdict-text.ts';

export interface CriterionStatusInput {
  code: string;
  name?: string;
  status: VerdictStatus;
  critical: boolean;
}

export interface RevocationCheck {
  triggered: boolean;
  /** Which branch of the rule applies. */
  rule: 'none' | 'share_30_with_critical' | 'share_50';
  /** Codes of the criteria not met. */
  failingCriteria: string[];
  /** failing / counted criteria, 0…1 (for display; the rule itself uses integers). */
  failingShare: number;
  criticalFailing: string[];
  /** Criteria counted (all but the not applicable ones). */
  criteriaCounted: number;
  /** Criteria that could not be evaluated: not counted as failing. */
  notEvaluable: string[];
  reason: BilingualMessage;
}

/** Apply the rule to criterion statuses with their critical flags. */
export function checkRevocationFromStatuses(criteria: readonly CriterionStatusInput[]): RevocationCheck {
  const counted = criteria.filter((c) => c.status !== 'not_applicable');
  const failing = counted.filter((c) => c.status === 'not_met');
  const critical = failing.filter((c) => c.critical);
  const notEvaluable = counted.filter((c) => c.status === 'not_evaluable').map((c) => c.code);
  const n = counted.length;
  const f = failing.length;
  const atLeastHalf = n > 0 && f * 2 >= n;
  const atLeast30 = n > 0 && f * 10 >= n * 3;
  const rule = atLeastHalf ? 'share_50' : atLeast30 && critical.length > 0 ? 'share_30_with_critical' : 'none';
  const share = n > 0 ? f / n : 0;
  const pctVi = formatNumber(share * 100, 'vi');
  const pctEn = formatNumber(share * 100, 'en');
  const label = (c: CriterionStatusInput) => (c.name ? `${c.code}. ${c.name}` : c.code);
  const criticalList = critical.map(label).join(', ');
  let reason: BilingualMessage;
  if (rule === 'share_50') {
    reason = {
      vi: `Thu hồi: ${f}/${n} tiêu chí (${pctVi}%) không đạt, từ 50% trở lên.`,
      en: `Revoke: ${f}/${n} criteria (${pctEn}%) not met, 50% or more.`,
    };
  } else if (rule === 'share_30_with_critical') {
    reason = {
      vi: `Thu hồi: ${f}/${n} tiêu chí (${pctVi}%) không đạt, từ 30% đến dưới 50%, có tiêu chí bắt buộc: ${criticalList}.`,
      en: `Revoke: ${f}/${n} criteria (${pctEn}%) not met, 30% to under 50%, including critical: ${criticalList}.`,
    };
  } else if (atLeast30) {
    reason = {
      vi: `Chưa thu hồi: ${f}/${n} tiêu chí (${pctVi}%) không đạt, từ 30% đến dưới 50% nhưng không có tiêu chí bắt buộc.`,
      en: `No revocation: ${f}/${n} criteria (${pctEn}%) not met, 30% to under 50% but none is critical.`,
    };
  } else {
    reason = {
      vi: `Chưa thu hồi: ${f}/${n} tiêu chí (${pctVi}%) không đạt, dưới 30%.`,
      en: `No revocation: ${f}/${n} criteria (${pctEn}%) not met, under 30%.`,
    };
  }
  if (notEvaluable.length > 0) {
    reason = {
      vi: `${reason.vi} ${notEvaluable.length} tiêu chí chưa đánh giá được, không tính là không đạt.`,
      en: `${reason.en} ${notEvaluable.length} criteria not evaluable, not counted as failing.`,
    };
  }
  return {
    triggered: rule !== 'none',
    rule,
    failingCriteria: failing.map((c) => c.code),
    failingShare: share,
    criticalFailing: critical.map((c) => c.code),
    criteriaCounted: n,
    notEvaluable,
    reason,
  };
}

/** Apply the rule to a commune verdict (its criteria, in set order). */
export function checkRevocation(verdict: { criteria: readonly CriterionStatusInput[] }): RevocationCheck {
  return checkRevocationFromStatuses(verdict.criteria);
}
