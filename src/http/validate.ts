import { DomainError } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';

/** A calendar-valid ISO date (the schema only checks the shape), or a 400 naming the field. */
export function assertIsoDate(s: string, field: string): string {
  if (isIsoDate(s)) return s;
  throw new DomainError(
    'validation_failed',
    { vi: `Ngày "${s}" ở trường "${field}" không hợp lệ (cần YYYY-MM-DD).`, en: `Date "${s}" in "${field}" is not a valid YYYY-MM-DD date.` },
    { fields: [{ field }] },
  );
}
