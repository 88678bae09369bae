/**
 * One error type for the whole application. Services and the domain throw `DomainError`;
 * the HTTP layer maps `code` to a status and the `{ error: { code, message, message_vi, details } }`
 * envelope; the CLI maps it to an exit code. "Not met" is never an error: it is a verdict.
 */
export const ERROR_CODES = {
  validation_failed: 400,
  invalid_value: 400,
  unknown_indicator: 400,
  unknown_criteria_set: 404,
  not_found: 404,
  unit_not_valid_on_date: 400,
  date_outside_set_validity: 400,
  conflict: 409,
  /** A workflow move the procedure does not allow here (closed dossier, skipped step, missing documents, failed conditions). */
  transition_refused: 409,
  version_conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  /** A sensitive change (second factor, recovery codes, password, other sessions) needs the password and code again. */
  reauthentication_required: 403,
  /** Too many failed sign-ins: the account is locked for a while or until an administrator unlocks it. */
  account_locked: 423,
  payload_too_large: 413,
  rate_limited: 429,
  invalid_catalog: 500,
  internal: 500,
  /** The database cannot be reached (restarting, failed over, network cut): retry shortly. */
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A message in both UI languages: Vietnamese first, English second. */
export interface BilingualMessage {
  vi: string;
  en: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly messageVi: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: BilingualMessage, details?: Record<string, unknown>) {
    super(message.en);
    this.name = 'DomainError';
    this.code = code;
    this.messageVi = message.vi;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  /** One line, Vietnamese then English: what the CLI prints. */
  get oneLine(): string {
    return `${this.messageVi} / ${this.message}`;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Shorthand for the common "no such thing" case. */
export function notFound(entityVi: string, entityEn: string, id: string | number): DomainError {
  return new DomainError(
    'not_found',
    { vi: `Không tìm thấy ${entityVi} "${id}".`, en: `${entityEn} "${id}" not found.` },
    { id },
  );
}

/** 409 with the current version: someone else wrote first. */
export function versionConflict(entity: { vi: string; en: string }, current: number, expected: number): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `${entity.vi} đã được người khác sửa (phiên bản hiện tại ${current}, bạn đang sửa phiên bản ${expected}). Hãy tải lại rồi sửa tiếp.`,
      en: `The ${entity.en} was changed by someone else (current version ${current}, you edited version ${expected}). Reload and try again.`,
    },
    { currentVersion: current, expectedVersion: expected },
  );
}
