/**
 * Soạn bộ tiêu chí — the edits an officer makes to a draft set (a set document in the file format
 * of set-file.ts, stored in the database while it is a draft). Pure: each edit returns a new
 * document. On a set based on another (`basedOn`), an edit becomes the matching `changes` entry
 * (override an inherited indicator, add a new one, remove, split, patch a criterion), replacing an
 * earlier entry for the same indicator so the document stays one entry per thing; on a standalone
 * set the criteria are edited in place. Validation is the catalogue's own (set-schema, resolve).
 */
import type { ChangeFile, CriterionFile, IndicatorFile, SetFile } from './set-file.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
import { problem, type FieldProblem } from '../domain/field-error.ts';
import { isIsoDate } from '../domain/dates.ts';

export type SetEdit =
  | { op: 'header'; name?: string; validFrom?: string; validTo?: string | null; decision?: SetFile['decision']; notes?: string | null }
  /** Enter or replace one indicator of a criterion (inherited ones become an override). */
  | { op: 'put'; criterion: string; after?: string; indicator: IndicatorFile }
  | { op: 'remove'; indicator: string; note?: string }
  | { op: 'split'; indicator: string; into: IndicatorFile[] }
  | { op: 'criterion'; criterion: string; name?: string; critical?: boolean };

export const SET_EDIT_OPS = ['header', 'put', 'remove', 'split', 'criterion'] as const;

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** The indicator codes an edit touches (their authorship and verification follow the edit). */
export function touchedIndicators(edit: SetEdit): string[] {
  switch (edit.op) {
    case 'put':
      return [edit.indicator.code];
    case 'remove':
      return [edit.indicator];
    case 'split':
      return [edit.indicator, ...edit.into.map((i) => i.code)];
    default:
      return [];
  }
}

/** Whether `code` names an indicator the base set (resolved) has. */
function inherited(base: CriteriaSet | null, code: string): boolean {
  return !!base && base.criteria.some((c) => c.indicators.some((i) => i.code === code));
}

/** The change entry that concerns an indicator code (override/remove/split of it, or the add/split that creates it). */
function entryIndex(changes: readonly ChangeFile[], code: string): number {
  return changes.findIndex(
    (c) =>
      ((c.op === 'override' || c.op === 'remove' || c.op === 'split') && c.indicator === code) ||
      (c.op === 'add' && c.indicator.code === code) ||
      (c.op === 'split' && c.into.some((i) => i.code === code)),
  );
}

function overrideOf(ind: IndicatorFile): ChangeFile {
  return {
    op: 'override',
    indicator: ind.code,
    name: ind.name,
    unit: ind.unit ?? null,
    target: ind.target,
    ...(ind.scale ? { scale: ind.scale } : {}),
    ...(ind.applicableIf !== undefined ? { applicableIf: ind.applicableIf } : {}),
    ...(ind.zeroDenominator ? { zeroDenominator: ind.zeroDenominator } : {}),
    source: ind.source,
    verified: ind.verified,
    ...(ind.provenance ? { provenance: ind.provenance } : {}),
    note: ind.note ?? null,
  };
}

function editChanges(doc: SetFile, base: CriteriaSet | null, edit: SetEdit): void {
  const changes = doc.changes ?? [];
  if (edit.op === 'put') {
    const code = edit.indicator.code;
    const i = entryIndex(changes, code);
    const existing = i >= 0 ? changes[i]! : null;
    if (existing?.op === 'add') existing.indicator = edit.indicator;
    else if (existing?.op === 'split' && existing.indicator !== code) existing.into = existing.into.map((x) => (x.code === code ? edit.indicator : x));
    else if (inherited(base, code)) {
      if (existing) changes[i] = overrideOf(edit.indicator);
      else changes.push(overrideOf(edit.indicator));
    } else changes.push({ op: 'add', criterion: edit.criterion, ...(edit.after ? { after: edit.after } : {}), indicator: edit.indicator });
  } else if (edit.op === 'remove') {
    const i = entryIndex(changes, edit.indicator);
    const existing = i >= 0 ? changes[i]! : null;
    if (existing?.op === 'add') changes.splice(i, 1);
    else if (existing?.op === 'split' && existing.indicator !== edit.indicator) existing.into = existing.into.filter((x) => x.code !== edit.indicator);
    else {
      if (existing) changes.splice(i, 1);
      changes.push({ op: 'remove', indicator: edit.indicator, ...(edit.note ? { note: edit.note } : {}) });
    }
  } else if (edit.op === 'split') {
    const i = entryIndex(changes, edit.indicator);
    const entry: ChangeFile = { op: 'split', indicator: edit.indicator, into: edit.into };
    if (i >= 0) changes[i] = entry;
    else changes.push(entry);
  } else if (edit.op === 'criterion') {
    const i = changes.findIndex((c) => c.op === 'criterion' && c.criterion === edit.criterion);
    const prev = i >= 0 ? (changes[i] as Extract<ChangeFile, { op: 'criterion' }>) : { op: 'criterion' as const, criterion: edit.criterion };
    const next = { ...prev, ...(edit.name !== undefined ? { name: edit.name } : {}), ...(edit.critical !== undefined ? { critical: edit.critical } : {}) };
    if (i >= 0) changes[i] = next;
    else changes.push(next);
  }
  doc.changes = changes;
}

function findCriterion(criteria: CriterionFile[], code: string): CriterionFile | undefined {
  return criteria.find((c) => c.code === code);
}

function editCriteria(doc: SetFile, edit: SetEdit): void {
  const criteria = doc.criteria ?? [];
  const where = (code: string) => {
    for (const c of criteria) {
      const k = c.indicators.findIndex((x) => x.code === code);
      if (k >= 0) return { c, k };
    }
    return null;
  };
  if (edit.op === 'put') {
    const at = where(edit.indicator.code);
    if (at) at.c.indicators[at.k] = edit.indicator;
    else {
      const c = findCriterion(criteria, edit.criterion);
      if (c) {
        const after = edit.after ? c.indicators.findIndex((x) => x.code === edit.after) : -1;
        if (after >= 0) c.indicators.splice(after + 1, 0, edit.indicator);
        else c.indicators.push(edit.indicator);
        c.pendingIndicators = null;
      } else criteria.push({ code: edit.criterion, name: edit.criterion, critical: false, indicators: [edit.indicator] });
    }
  } else if (edit.op === 'remove') {
    const at = where(edit.indicator);
    if (at) at.c.indicators.splice(at.k, 1);
  } else if (edit.op === 'split') {
    const at = where(edit.indicator);
    if (at) at.c.indicators.splice(at.k, 1, ...edit.into);
  } else if (edit.op === 'criterion') {
    const c = findCriterion(criteria, edit.criterion);
    if (c) {
      if (edit.name !== undefined) c.name = edit.name;
      if (edit.critical !== undefined) c.critical = edit.critical;
    }
  }
  doc.criteria = criteria;
}

/**
 * Apply one edit to a draft document. `base` is the resolved set the draft rests on (null for a
 * standalone set). The result is not validated here: the caller validates it as the catalogue
 * validates a file, and refuses the edit when it has problems.
 */
export function applySetEdit(document: SetFile, base: CriteriaSet | null, edit: SetEdit): SetFile {
  const doc = clone(document);
  if (edit.op === 'header') {
    if (edit.name !== undefined) doc.name = edit.name;
    if (edit.validFrom !== undefined) doc.validFrom = edit.validFrom;
    if (edit.validTo !== undefined) doc.validTo = edit.validTo;
    if (edit.decision !== undefined) doc.decision = edit.decision;
    if (edit.notes !== undefined) doc.notes = edit.notes;
    return doc;
  }
  if (doc.basedOn) editChanges(doc, base, edit);
  else editCriteria(doc, edit);
  return doc;
}

/** Mark one indicator of a document verified against the official text (four-eyes, done by the service). */
export function markOfficial(document: SetFile, code: string): SetFile {
  const doc = clone(document);
  const mark = (x: { verified?: boolean; provenance?: IndicatorFile['provenance'] }) => {
    x.verified = true;
    x.provenance = { level: 'official', source: x.provenance?.source ?? null };
  };
  for (const c of doc.criteria ?? []) for (const i of c.indicators) if (i.code === code) mark(i);
  for (const ch of doc.changes ?? []) {
    if (ch.op === 'add' && ch.indicator.code === code) mark(ch.indicator);
    if (ch.op === 'override' && ch.indicator === code) mark(ch);
    if (ch.op === 'split') for (const i of ch.into) if (i.code === code) mark(i);
  }
  return doc;
}

/** The indicator as the document states it (the entry an officer entered), or null. */
export function statedIndicator(document: SetFile, code: string): { provenance?: IndicatorFile['provenance']; verified?: boolean } | null {
  for (const c of document.criteria ?? []) for (const i of c.indicators) if (i.code === code) return i;
  for (const ch of document.changes ?? []) {
    if (ch.op === 'add' && ch.indicator.code === code) return ch.indicator;
    if (ch.op === 'override' && ch.indicator === code) return ch;
    if (ch.op === 'split') for (const i of ch.into) if (i.code === code) return i;
  }
  return null;
}

/** The shape of an edit as it arrives (an API body, a CLI file): problems by field, before it is applied. */
export function setEditProblems(value: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!isObj(value) || !SET_EDIT_OPS.includes(value.op as (typeof SET_EDIT_OPS)[number])) {
    return [problem('edit.op', `Thao tác phải là một trong: ${SET_EDIT_OPS.join(', ')}.`, `The edit's op must be one of: ${SET_EDIT_OPS.join(', ')}.`)];
  }
  const indicatorOk = (v: unknown, field: string) => {
    if (!isObj(v) || !str(v.code)) out.push(problem(field, 'Chỉ tiêu cần mã (code), tên, loại và ngưỡng.', 'An indicator needs a code, name, kind and target.'));
  };
  switch (value.op) {
    case 'put':
      if (!str(value.criterion)) out.push(problem('edit.criterion', 'Cần mã tiêu chí chứa chỉ tiêu (criterion).', 'The criterion the indicator belongs to is required (criterion).'));
      indicatorOk(value.indicator, 'edit.indicator');
      break;
    case 'remove':
      if (!str(value.indicator)) out.push(problem('edit.indicator', 'Cần mã chỉ tiêu cần bỏ.', 'The code of the indicator to remove is required.'));
      break;
    case 'split':
      if (!str(value.indicator)) out.push(problem('edit.indicator', 'Cần mã chỉ tiêu được tách.', 'The code of the indicator to split is required.'));
      if (!Array.isArray(value.into) || value.into.length < 2) out.push(problem('edit.into', 'Tách thành ít nhất hai chỉ tiêu.', 'Split into at least two indicators.'));
      else value.into.forEach((x, i) => indicatorOk(x, `edit.into[${i}]`));
      break;
    case 'criterion':
      if (!str(value.criterion)) out.push(problem('edit.criterion', 'Cần mã tiêu chí.', 'The criterion code is required.'));
      if (value.critical !== undefined && typeof value.critical !== 'boolean') out.push(problem('edit.critical', '"critical" là có/không (true/false).', '"critical" is true or false.'));
      if (value.name !== undefined && !str(value.name)) out.push(problem('edit.name', 'Tên tiêu chí không được để trống.', 'The criterion name cannot be empty.'));
      break;
    case 'header':
      for (const k of ['validFrom'] as const) if (value[k] !== undefined && !isIsoDate(String(value[k]))) out.push(problem(`edit.${k}`, 'Ngày phải ở dạng yyyy-mm-dd.', 'Dates are yyyy-mm-dd.'));
      if (value.validTo !== undefined && value.validTo !== null && !isIsoDate(String(value.validTo))) out.push(problem('edit.validTo', 'Ngày phải ở dạng yyyy-mm-dd (hoặc để trống: không thời hạn).', 'Dates are yyyy-mm-dd (or null: open-ended).'));
      if (value.name !== undefined && !str(value.name)) out.push(problem('edit.name', 'Tên bộ tiêu chí không được để trống.', 'The set name cannot be empty.'));
      if (value.decision !== undefined && (!isObj(value.decision) || !str(value.decision.number) || !isIsoDate(String(value.decision.date)))) {
        out.push(problem('edit.decision', 'Quyết định ban hành cần số (number) và ngày (date, yyyy-mm-dd).', 'The decision needs its number and date (yyyy-mm-dd).'));
      }
      break;
  }
  return out;
}
