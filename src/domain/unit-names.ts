/**
 * Tên đơn vị theo thời gian — the names a unit had before the one its list records. The unit
 * lists keep one name per unit (the list of 1/3/2025 says "Thị xã Kim Bảng"), but a document
 * about 2023 must name the unit as it was then ("Huyện Kim Bảng"): a report, a draft or a table
 * uses `unitNameOn(unit, date)`. Pure data and a lookup, no I/O.
 *
 * Each entry: the unit id, and the type and name it had until `until` (inclusive). Sources are
 * the Standing Committee resolutions that changed the unit; add entries as they are found.
 */
export interface FormerName {
  unitId: string;
  type: string;
  name: string;
  /** Last day the former name was in force (ISO). */
  until: string;
  source: string;
}

export const FORMER_NAMES: readonly FormerName[] = Object.freeze([
  // Huyện Kim Bảng became Thị xã Kim Bảng on 1/1/2025.
  { unitId: '350@2025-03', type: 'Huyện', name: 'Kim Bảng', until: '2024-12-31', source: 'Nghị quyết số 1286/NQ-UBTVQH15 ngày 14/11/2024' },
  // Huyện Duy Tiên became Thị xã Duy Tiên on 1/6/2020.
  { unitId: '349@2025-03', type: 'Huyện', name: 'Duy Tiên', until: '2020-05-31', source: 'Nghị quyết số 929/NQ-UBTVQH14 ngày 19/4/2020' },
]);

export interface UnitNameParts {
  id: string;
  type: string;
  name: string;
}

/** The unit's type, name and full name in force on `date` (the list's own when it had no other then). */
export function unitNameOn<U extends UnitNameParts>(u: U, date: string): { type: string; name: string; fullName: string } {
  const former = FORMER_NAMES.filter((f) => f.unitId === u.id && date <= f.until).sort((a, b) => a.until.localeCompare(b.until))[0];
  const type = former?.type ?? u.type;
  const name = former?.name ?? u.name;
  return { type, name, fullName: `${type} ${name}` };
}

/**
 * A full name as written in a list row ("Thị xã Kim Bảng") as it was on `date`, for rows that
 * carry only the name of a parent: the current full names of the units with former names.
 */
export function fullNameOn(fullName: string, date: string, current: ReadonlyMap<string, UnitNameParts>): string {
  const u = current.get(fullName);
  return u ? unitNameOn(u, date).fullName : fullName;
}
