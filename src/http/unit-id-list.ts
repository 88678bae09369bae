/** `unitId=a,b,c` (or `all`) of report and template queries, as a list. */
export function unitIdList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
