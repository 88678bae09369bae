/**
 * Phiên bản bộ tiêu chí — a set id may have several versions, each valid over its own period
 * (Decision 211/QĐ-TTg amended the 2021–2025 sets from 1/3/2024). Pure rules shared by the shipped
 * catalogue and any later store of sets: which version governs a date, and whether periods overlap.
 */
export interface VersionPeriod {
  version: number;
  validFrom: string;
  validTo: string | null;
}

/** The version valid on an ISO date, or null. */
export function versionAt<T extends VersionPeriod>(versions: readonly T[], date: string): T | null {
  return versions.find((v) => v.validFrom <= date && (v.validTo === null || date <= v.validTo)) ?? null;
}

/** Pairs of versions whose periods overlap (each date must have at most one version). */
export function overlappingVersions<T extends VersionPeriod>(versions: readonly T[]): Array<[T, T]> {
  const sorted = [...versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.version - b.version));
  const out: Array<[T, T]> = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.validTo === null || prev.validTo >= sorted[i]!.validFrom) out.push([prev, sorted[i]!]);
  }
  return out;
}
