/**
 * Nguồn gốc — where an indicator (its wording and threshold) comes from, and how far it can be
 * trusted. Pure types and rules, shared by the shipped set files (src/catalog) and any later store
 * of sets (database drafts): the same check refuses the same things everywhere.
 *
 * - `official`: checked against the official text (the decision or its appendix) by an officer;
 * - `secondary`: taken from a cited secondary source (a provincial portal, a news item summarising
 *   the decision, a ministry guidance quoted by a department page);
 * - `reconstructed`: no source (a draft transcription, recollection): to be checked.
 */
import type { BilingualMessage } from './errors.ts';

export type ProvenanceLevel = 'official' | 'secondary' | 'reconstructed';
export const PROVENANCE_LEVELS: readonly ProvenanceLevel[] = ['official', 'secondary', 'reconstructed'];

export const PROVENANCE_LEVEL_NAMES: Readonly<Record<ProvenanceLevel, BilingualMessage>> = {
  official: { vi: 'chính thức', en: 'official' },
  secondary: { vi: 'thứ cấp', en: 'secondary' },
  reconstructed: { vi: 'tái dựng', en: 'reconstructed' },
};

/**
 * Căn cứ — the document a value comes from: its number (e.g. "1491/QĐ-BGDĐT"), date (ISO) and
 * issuer, where in it (`ref`: article, appendix, page, or "tóm tắt trên …" for a secondary
 * source) and the address it was read at.
 */
export interface ProvenanceSource {
  number: string;
  date: string | null;
  issuer: string | null;
  ref: string | null;
  url: string | null;
}

export interface Provenance {
  level: ProvenanceLevel;
  source: ProvenanceSource | null;
}

/** Indicator counts per provenance level (a set's "47 chỉ tiêu, 0 chính thức, 6 thứ cấp"). */
export type ProvenanceCounts = Record<ProvenanceLevel, number>;

/** What an indicator without a stated provenance is: the lowest claim. */
export const NO_PROVENANCE: Provenance = Object.freeze({ level: 'reconstructed', source: null });

/**
 * The rules a provenance must follow, as problems keyed by the field they concern (relative:
 * "level", "source"). `verified` is the indicator's "checked against the official text" flag:
 * official and verified go together.
 */
export function provenanceProblems(p: Provenance, verified: boolean): Array<{ field: 'level' | 'source'; message: BilingualMessage }> {
  const out: Array<{ field: 'level' | 'source'; message: BilingualMessage }> = [];
  if (p.level === 'official' && p.source === null) {
    out.push({ field: 'source', message: { vi: 'nguồn "official" (chính thức) phải ghi văn bản gốc (source)', en: 'an "official" provenance needs its source document' } });
  }
  if (p.level === 'secondary' && p.source === null) {
    out.push({ field: 'source', message: { vi: 'nguồn "secondary" (thứ cấp) phải ghi nguồn trích dẫn (source)', en: 'a "secondary" provenance needs its cited source' } });
  }
  if (p.level === 'secondary' && p.source !== null && !p.source.url) {
    out.push({ field: 'source', message: { vi: 'nguồn thứ cấp phải có địa chỉ (source.url)', en: 'a secondary source needs its address (source.url)' } });
  }
  if (p.level === 'reconstructed' && p.source !== null) {
    out.push({ field: 'source', message: { vi: 'nguồn "reconstructed" (tái dựng) không có văn bản nguồn: dùng "secondary" nếu có nguồn trích dẫn', en: 'a "reconstructed" provenance has no source: use "secondary" when a source is cited' } });
  }
  if (p.level === 'official' && !verified) {
    out.push({ field: 'level', message: { vi: 'chỉ tiêu "official" (chính thức) phải được xác minh (verified: true)', en: 'an "official" indicator must be verified (verified: true)' } });
  }
  if (p.level !== 'official' && verified) {
    out.push({ field: 'level', message: { vi: `chỉ tiêu đã xác minh (verified: true) phải có nguồn "official", không phải "${p.level}"`, en: `a verified indicator (verified: true) must be "official", not "${p.level}"` } });
  }
  return out;
}

/** Count indicators per provenance level. */
export function countProvenance(items: Iterable<{ provenance: Provenance }>): ProvenanceCounts {
  const c: ProvenanceCounts = { official: 0, secondary: 0, reconstructed: 0 };
  for (const i of items) c[i.provenance.level]++;
  return c;
}

/** "47 chỉ tiêu, 0 chính thức, 6 thứ cấp, 41 tái dựng" — the line shown wherever a set is named. */
export function provenanceLine(indicators: number, c: ProvenanceCounts): BilingualMessage {
  return {
    vi: `${indicators} chỉ tiêu, ${c.official} chính thức, ${c.secondary} thứ cấp, ${c.reconstructed} tái dựng`,
    en: `${indicators} indicators, ${c.official} official, ${c.secondary} secondary, ${c.reconstructed} reconstructed`,
  };
}
