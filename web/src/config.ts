/**
 * Where `/` lands: the demo province, on the list in force on the date — Ninh Bình (from
 * 1/7/2025, after the merger) or Hà Nam (before). When the first has no reviewed commune on the
 * date, `/` tries the second on its last day before falling back to the first anyway.
 */
export const HOME_UNITS = {
  mergeOn: '2025-07-01',
  after: '37@2025-07',
  before: '35@2025-03',
  beforeLastDay: '2025-06-30',
} as const;
