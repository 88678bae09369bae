/**
 * Bộ tiêu chí — reading the catalogue of criteria sets (src/catalog): the list with counts, one set
 * with its targets resolved for a context, and the resolved set as the evaluation engine takes it
 * (the web review form evaluates it as the officer types, so the form shows what the server computes).
 */
import { getCatalog, type CriteriaSet, type CriteriaSetSummary } from '../catalog/catalog.ts';
import { showSet, type ShowContext, type ShownSet } from '../catalog/show.ts';
import { writeSetWorkbook } from '../files/sets/criteria-set-workbook.ts';

export function listCriteriaSets(): CriteriaSetSummary[] {
  return getCatalog().list();
}

/** The version valid on a date, or the latest. */
function versionOf(id: string, date: string | undefined): CriteriaSet {
  return date !== undefined ? getCatalog().at(id, date) : getCatalog().get(id);
}

/**
 * One set with each target resolved for the region, commune group, year and special status given;
 * with a date, the version valid then (and that year unless one is given).
 */
export function showCriteriaSet(id: string, context: ShowContext & { date?: string } = {}): ShownSet {
  const { date, ...rest } = context;
  return showSet(versionOf(id, date), { ...rest, year: rest.year ?? (date !== undefined ? Number(date.slice(0, 4)) : null) });
}

/** The resolved set the engine takes: the version valid on `date` (a review's date), or the latest. */
export function getCriteriaSetDefinition(id: string, date?: string): CriteriaSet {
  return versionOf(id, date);
}

/**
 * A set as a workbook (`catalog export`): every target variant, or the targets resolved for a
 * region / commune group / year when any is given; with a date, the version valid then.
 */
export async function exportSetWorkbook(id: string, context: ShowContext & { date?: string } = {}): Promise<{ bytes: Buffer; filename: string }> {
  const set = versionOf(id, context.date);
  const { region = null, group = null, year = null, special = null } = context;
  const resolvedFor = region !== null || group !== null || year !== null || special !== null ? { region, group, year: year ?? (context.date ? Number(context.date.slice(0, 4)) : null), special } : null;
  return { bytes: await writeSetWorkbook(set, { resolvedFor }), filename: `${set.id}-v${set.version}.xlsx` };
}
