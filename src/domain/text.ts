/** Vietnamese text helpers: every stored string is NFC; search compares folded text. */

/** Normalise to Unicode NFC (composed diacritics) and trim: the form we store and compare. */
export function nfc(s: string): string {
  return s.normalize('NFC').trim();
}

/**
 * Fold Vietnamese text for accent-insensitive search: lower case, no diacritics, đ → d,
 * single spaces. "Tràng An" and "trang an" fold to the same key.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Compare two Vietnamese strings for sorting in the way a reader expects. */
const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
export function compareVietnamese(a: string, b: string): number {
  return collator.compare(a, b);
}

const PLURALS: Record<string, string> = { criterion: 'criteria', indicator: 'indicators', commune: 'communes', review: 'reviews', 'indicator not evaluable': 'indicators not evaluable' };

/** "1 criterion", "6 criteria": an English count with its noun in the right number (Vietnamese nouns do not change). */
export function countEn(n: number, singular: keyof typeof PLURALS | string): string {
  return `${n} ${n === 1 ? singular : (PLURALS[singular] ?? `${singular}s`)}`;
}

/**
 * A file name safe to store, show and send in a `Content-Disposition` header, from whatever a
 * client sent: the last segment of a path only (no folders, `..` or drive letters), NFC, control
 * characters, bidirectional overrides (`evil\u202Efdp.exe`), zero-width characters and the
 * characters Windows refuses replaced by `_`, no leading or trailing dots or spaces (hidden files,
 * Windows), at most 200 characters. Empty when nothing usable is left.
 */
export function safeFileName(name: string): string {
  const last = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = last
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"<>|*?:]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return Array.from(cleaned).slice(0, 200).join('').replace(/[\s.]+$/, '');
}
