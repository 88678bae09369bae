/** Lỗi bộ tiêu chí — problems found in a criteria-set file: which file, which JSON path, what. */
import { DomainError } from '../domain/errors.ts';
import type { BilingualMessage } from '../domain/errors.ts';

export interface CatalogIssue {
  file: string;
  /** JSON path inside the file, e.g. `$.criteria[4].indicators[0].target.op`. */
  path: string;
  severity: 'error' | 'warning';
  message: BilingualMessage;
}

/** An issue without its file yet (the schema walker does not know the file). */
export interface PathIssue {
  path: string;
  message: BilingualMessage;
}

export function withFile(file: string, issues: readonly PathIssue[], severity: CatalogIssue['severity'] = 'error'): CatalogIssue[] {
  return issues.map((i) => ({ file, path: i.path, severity, message: i.message }));
}

export function formatIssue(i: CatalogIssue, lang: 'vi' | 'en'): string {
  return `${i.file} ${i.path}: ${i.message[lang]}`;
}

/** One `invalid_catalog` error for a list of problems: the first in the message, all in details. */
export function invalidCatalog(issues: readonly CatalogIssue[]): DomainError {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0]!;
  const more = errors.length - 1;
  return new DomainError(
    'invalid_catalog',
    {
      vi: `Bộ tiêu chí không hợp lệ: ${formatIssue(first, 'vi')}${more > 0 ? ` (và ${more} lỗi khác)` : ''}`,
      en: `Invalid criteria set: ${formatIssue(first, 'en')}${more > 0 ? ` (and ${more} more)` : ''}`,
    },
    { issues: errors.map((i) => ({ file: i.file, path: i.path, vi: i.message.vi, en: i.message.en })) },
  );
}
