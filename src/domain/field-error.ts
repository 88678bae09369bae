/**
 * Field problems: a refused input names the field, in both languages. Domain rules return lists of
 * `FieldProblem` (they never throw); services turn the list into one `validation_failed` error.
 */
import { DomainError, type BilingualMessage } from './errors.ts';

export interface FieldProblem {
  field: string;
  message: BilingualMessage;
}

export function problem(field: string, vi: string, en: string): FieldProblem {
  return { field, message: { vi, en } };
}

/** One `validation_failed` error for every problem; the message names the first (and counts the rest). */
export function fieldError(problems: readonly FieldProblem[]): DomainError {
  const first = problems[0]!;
  const more = problems.length - 1;
  return new DomainError(
    'validation_failed',
    {
      vi: `${first.message.vi}${more > 0 ? ` (và ${more} lỗi khác)` : ''}`,
      en: `${first.message.en}${more > 0 ? ` (and ${more} more)` : ''}`,
    },
    { fields: problems.map((p) => ({ field: p.field, message: p.message.en, message_vi: p.message.vi })) },
  );
}

/** Throw when there is any problem. */
export function assertNoProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw fieldError(problems);
}
