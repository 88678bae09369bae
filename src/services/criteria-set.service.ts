/**
 * Bộ tiêu chí — reading the catalogue of criteria sets (src/catalog): the list with counts, one set
 * with its targets resolved for a context, and the resolved set as the evaluation engine takes it
 * (the web review form evaluates it as the officer types, so the form shows what the server computes).
 */
import { getCatalog, type CriteriaSet, type CriteriaSetSummary } from '../catalog/catalog.ts';
import { showSet, type ShowContext, type ShownSet } from '../catalog/show.ts';

export function listCriteriaSets(): CriteriaSetSummary[] {
  return getCatalog().list();
}

/** One set with each target resolved for the region, commune group, year and special status given. */
export function showCriteriaSet(id: string, context: ShowContext = {}): ShownSet {
  return showSet(getCatalog().get(id), context);
}

export function getCriteriaSetDefinition(id: string): CriteriaSet {
  return getCatalog().get(id);
}
