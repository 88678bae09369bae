/**
 * Quy tắc mật khẩu — password rules after current guidance (NIST SP 800-63B): length over
 * complexity, no composition rules by default, refuse common and context-specific passwords.
 * Character classes can be required by configuration (SEC-AUTH-04 asks for it to be configurable).
 * Pure: returns the problems, bilingual; an empty list means acceptable.
 */
import type { BilingualMessage } from './errors.ts';
import { foldVietnamese } from './text.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export interface PasswordRules {
  minLength: number;
  maxLength: number;
  /** Distinct character classes required (lower, upper, digit, other): 0 = none. */
  minClasses: number;
}

export const DEFAULT_PASSWORD_RULES: PasswordRules = Object.freeze({ minLength: 12, maxLength: 128, minClasses: 0 });

const COMMON = new Set(COMMON_PASSWORDS);

function classes(p: string): number {
  let n = 0;
  if (/\p{Ll}/u.test(p)) n++;
  if (/\p{Lu}/u.test(p)) n++;
  if (/\p{Nd}/u.test(p)) n++;
  if (/[^\p{L}\p{Nd}]/u.test(p)) n++;
  return n;
}

/** Folded, without spaces and separators: "Mật Khẩu 123!" → "matkhau123". */
function squash(s: string): string {
  return foldVietnamese(s).replace(/[^a-z0-9]/g, '');
}

export function checkPassword(password: string, rules: PasswordRules, context: { username?: string; displayName?: string } = {}): BilingualMessage[] {
  const problems: BilingualMessage[] = [];
  const length = [...password].length;
  if (length < rules.minLength) {
    problems.push({ vi: `Mật khẩu cần ít nhất ${rules.minLength} ký tự (một cụm vài từ dễ nhớ là tốt nhất).`, en: `The password needs at least ${rules.minLength} characters (a passphrase of a few words is best).` });
  }
  if (length > rules.maxLength) problems.push({ vi: `Mật khẩu dài quá ${rules.maxLength} ký tự.`, en: `The password is longer than ${rules.maxLength} characters.` });
  if (rules.minClasses > 0 && classes(password) < rules.minClasses) {
    problems.push({
      vi: `Mật khẩu cần ít nhất ${rules.minClasses} loại ký tự (chữ thường, chữ hoa, chữ số, ký tự khác).`,
      en: `The password needs at least ${rules.minClasses} kinds of characters (lower case, upper case, digits, others).`,
    });
  }
  const s = squash(password);
  const lowered = password.toLowerCase();
  if (COMMON.has(lowered) || COMMON.has(s) || COMMON.has(s.replace(/\d+$/, '')) || /^(.)\1+$/.test(s) || isSequence(s)) {
    problems.push({ vi: 'Mật khẩu này quá phổ biến hoặc dễ đoán; hãy chọn mật khẩu khác.', en: 'This password is too common or easy to guess; choose another.' });
  }
  for (const c of [context.username, context.displayName]) {
    const sc = c ? squash(c) : '';
    if (sc.length >= 3 && s.includes(sc)) {
      problems.push({ vi: 'Mật khẩu không được chứa tên đăng nhập hoặc họ tên.', en: 'The password must not contain the username or the person’s name.' });
      break;
    }
  }
  return problems;
}

function isSequence(s: string): boolean {
  if (s.length < 6) return false;
  const seqs = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv'];
  // Doubled, so that wrapping runs ("…7890123") count too.
  return seqs.some((q) => (q + q).includes(s) || (q + q).split('').reverse().join('').includes(s));
}
