/**
 * Numbers typed by people (cells of an import, fields of a form): one parser for both, so "92,5"
 * means 92.5 everywhere.
 */

/**
 * A number typed as text: "1.234,5" (Vietnamese), "1,234.5", "95,5", "95%", " 12 ". A text of the
 * form 1.234 or 1.234.567 is read as thousands (the Vietnamese convention); "1,5" is 1.5.
 */
export function parseNumberText(s: string): number | null {
  let t = s.replace(/[\s\u00a0]/g, '').replace(/%$/, '');
  if (!/^[+-]?[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both: the later one is the decimal separator.
    t = lastComma > lastDot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  } else if (lastComma >= 0) {
    t = /^[+-]?\d{1,3}(,\d{3}){2,}$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
  } else if (lastDot >= 0) {
    if (/^[+-]?\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, '');
  }
  if ((t.match(/\./g) ?? []).length > 1) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
