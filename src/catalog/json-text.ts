/** Parsing JSON text with a message that says where it broke (line and column), in both languages. */
import type { BilingualMessage } from '../domain/errors.ts';

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: BilingualMessage; line: number | null; column: number | null };

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(raw);
    const where = m ? lineColumn(text, Number(m[1])) : null;
    const at = where ? { vi: ` (dòng ${where.line}, cột ${where.column})`, en: ` (line ${where.line}, column ${where.column})` } : { vi: '', en: '' };
    const empty = text.trim() === '';
    return {
      ok: false,
      message: empty
        ? { vi: 'nội dung rỗng, không phải JSON', en: 'empty input, not JSON' }
        : { vi: `JSON không hợp lệ${at.vi}: ${raw}`, en: `malformed JSON${at.en}: ${raw}` },
      line: where?.line ?? null,
      column: where?.column ?? null,
    };
  }
}
