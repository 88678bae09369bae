/**
 * Tổng hợp toàn quốc — the country as unit `VN`: the provinces of the unit list valid on a date
 * (34 from 1/7/2025, 63 before), each with the figures its own summary computes (denominator of
 * rural communes on that date, reviewed, counts per level, recognised per level, sets in use),
 * the national totals (their sums), the provinces ranked by share at each level, and the trend per
 * review quarter.
 *
 * One pass: every rural commune of the country goes through `summarizeCommunes` at once (the same
 * function a province summary uses, so the figures agree), then the rows are grouped by province.
 */
import type { Db } from '../db/database.ts';
import * as reviews from '../db/review.repository.ts';
import {
  communesWithLatestReviewOn,
  hasLatestReview,
  countCommunesValidOn,
  countLatestReviewsByLevelOn,
  listProvincesValidOn,
  predecessorsOfCommunesValidOn,
  recognitionsOfCommunesValidOn,
  recognitionsOfPredecessorsOfCommunesValidOn,
} from '../db/report.repository.ts';
import type { LatestReviewRow } from '../db/review.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { LEVELS, LEVEL_IMPLIES, type Level } from '../domain/criteria.ts';
import { DomainError, type BilingualMessage } from '../domain/errors.ts';
import { formatDateVi, isIsoDate } from '../domain/dates.ts';
import { MERGE_EFFECTIVE_ON, unitListText, type Unit } from '../domain/unit.ts';
import { LEVEL_SHORT_NAMES } from '../domain/level-status.ts';
import type { CommuneStatusRow, SummaryFigure, UnitSummary } from '../files/reports/inputs.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { RURAL_COMMUNE_TYPE, freshRows, summarizeCommunes } from './summary.service.ts';

/** The id the country goes by in the API (`/units/VN/summary`) and in reports. */
export const COUNTRY_ID = 'VN';

export const COUNTRY_NAME = { name: 'Việt Nam', fullName: 'Cả nước' } as const;

type LevelCounts = Record<Level | 'none', number>;
type LevelShares = Record<Level, number | null>;

/** One province's figures on the date: what its own summary says. */
export interface ProvinceFigures {
  unitId: string;
  code: string;
  name: string;
  fullName: string;
  /** Rural communes (Xã) of the province valid on the date: the denominator of every share. */
  denominator: number;
  reviewed: number;
  notReviewed: number;
  /** Communes per highest level reached by review (as the province summary's `byLevel`). */
  byLevel: LevelCounts;
  /** Communes per highest level recognised (as the province summary's `recognisedByLevel`). */
  recognisedByLevel: LevelCounts;
  /** Share (%) of the denominator at a level or above, by review. */
  share: LevelShares;
  /** Share (%) of the denominator recognised at a level or above. */
  recognisedShare: LevelShares;
  /** Rank among the provinces by `share` at each level (1 = highest; equal shares, equal rank). */
  rank: Record<Level, number>;
  sets: Array<{ setId: string; communes: number }>;
}

export interface NationalSetUse {
  setId: string;
  setName: string;
  level: Level;
  communes: number;
  provinces: number;
}

/** Counts per level at the end of a review quarter (or on the date, for the current quarter). */
export interface NationalTrendPoint {
  quarter: string;
  date: string;
  listId: string;
  denominator: number;
  reviewed: number;
  byLevel: LevelCounts;
  levelsMeasured: Level[];
}

export interface NationalSummary {
  unit: { id: string; name: string; fullName: string };
  date: string;
  isDemo: boolean;
  list: { id: string; text: BilingualMessage; provinces: number; note: BilingualMessage | null };
  denominator: { communes: number; asOf: string; listId: string };
  reviewed: number;
  notReviewed: number;
  byLevel: LevelCounts;
  recognisedByLevel: LevelCounts;
  figures: SummaryFigure[];
  sets: NationalSetUse[];
  /** Ranked by share at the NTM level or above, then at higher levels, then by name. */
  provinces: ProvinceFigures[];
}

/** The trend is its own request: a quarter per point, each read as the summary reads its date. */
export interface NationalTrend {
  date: string;
  points: NationalTrendPoint[];
}

/** The earliest date with national figures: the first criteria set's start. */
export function earliestNationalDate(): string {
  return getCatalog()
    .allVersions()
    .map((s) => s.validFrom)
    .sort()[0]!;
}

function checkNationalDate(date: string): void {
  if (!isIsoDate(date)) {
    throw new DomainError('validation_failed', { vi: `Ngày "${date}" không hợp lệ (cần dạng yyyy-mm-dd).`, en: `Invalid date "${date}" (expected yyyy-mm-dd).` }, { fields: [{ field: 'date' }] });
  }
  const earliest = earliestNationalDate();
  if (date < earliest) {
    throw new DomainError(
      'validation_failed',
      {
        vi: `Ngày ${formatDateVi(date)} (date) trước khi có bộ tiêu chí và danh mục đơn vị để tổng hợp: số liệu toàn quốc có từ ngày ${formatDateVi(earliest)}.`,
        en: `date ${date} is before any criteria set and unit list to summarise: national figures start on ${earliest}.`,
      },
      { fields: [{ field: 'date', message: { vi: `Chọn ngày từ ${formatDateVi(earliest)}`, en: `Choose a date from ${earliest}` } }], earliest },
    );
  }
}

function emptyCounts(): LevelCounts {
  return { ntm: 0, 'nang-cao': 0, 'kieu-mau': 0, 'hien-dai': 0, none: 0 };
}

function share(n: number, d: number): number {
  return d > 0 ? n / d : -1;
}

function pct(n: number, d: number): number | null {
  return d > 0 ? Math.round((n * 1000) / d) / 10 : null;
}

/** Share at each level or above: a commune at "nâng cao" also counts for NTM. */
function cumulativeShares(counts: LevelCounts, d: number): LevelShares {
  const out = {} as LevelShares;
  for (const l of LEVELS) {
    const n = LEVELS.filter((x) => LEVEL_IMPLIES[x].includes(l)).reduce((k, x) => k + counts[x], 0);
    out[l] = pct(n, d);
  }
  return out;
}

function rankBy(provinces: ProvinceFigures[], level: Level): void {
  const sorted = [...provinces].sort((a, b) => (b.share[level] ?? -1) - (a.share[level] ?? -1));
  let prev: number | null | undefined;
  let rank = 0;
  sorted.forEach((p, i) => {
    if (p.share[level] !== prev) rank = i + 1;
    prev = p.share[level];
    p.rank[level] = rank;
  });
}

function provinceFigures(p: Unit, rows: readonly CommuneStatusRow[]): ProvinceFigures {
  const byLevel = emptyCounts();
  const recognisedByLevel = emptyCounts();
  const sets = new Map<string, number>();
  let reviewed = 0;
  for (const r of rows) {
    if (r.reviewId !== null) {
      reviewed++;
      byLevel[r.level ?? 'none']++;
    }
    recognisedByLevel[r.recognisedLevel ?? 'none']++;
    if (r.setId) sets.set(r.setId, (sets.get(r.setId) ?? 0) + 1);
  }
  return {
    unitId: p.id,
    code: p.code,
    name: p.name,
    fullName: p.fullName,
    denominator: rows.length,
    reviewed,
    notReviewed: rows.length - reviewed,
    byLevel,
    recognisedByLevel,
    share: cumulativeShares(byLevel, rows.length),
    recognisedShare: cumulativeShares(recognisedByLevel, rows.length),
    rank: { ntm: 0, 'nang-cao': 0, 'kieu-mau': 0, 'hien-dai': 0 },
    sets: [...sets].map(([setId, communes]) => ({ setId, communes })).sort((a, b) => b.communes - a.communes || a.setId.localeCompare(b.setId)),
  };
}

function noListError(date: string): DomainError {
  return new DomainError(
    'not_found',
    {
      vi: `Không có danh mục đơn vị hành chính nào có hiệu lực vào ngày ${formatDateVi(date)} (date): chưa nhập danh mục, hoặc ngày nằm ngoài thời gian hiệu lực của các danh mục.`,
      en: `No administrative-unit list is in force on ${date} (date): no list imported, or the date is outside every list's validity.`,
    },
    { date },
  );
}

/**
 * The country's headline figures: a province reads one figure per criteria set it uses (one to
 * three), the country would read one per set of every province (in 2026 each province has its own
 * 2026–2030 set: 68 cards). Where several sets measure the same level, their "meets all criteria"
 * and "at the level by review" figures are added up into one per level — the same communes, the
 * sum of the sets' denominators, the sets named in the note; each set's own figures stay in the
 * list of sets in use. With one set per level the figures are the set's own, unchanged.
 */
export function nationalFigures(figures: readonly SummaryFigure[], sets: ReadonlyArray<{ setId: string; level: Level }>): SummaryFigure[] {
  const levelOf = new Map(sets.map((x) => [x.setId, x.level]));
  const perLevel = new Map<Level, number>();
  for (const x of sets) perLevel.set(x.level, (perLevel.get(x.level) ?? 0) + 1);
  const merged = new Map<string, SummaryFigure>();
  const out: SummaryFigure[] = [];
  for (const f of figures) {
    const m = /^(meets|level):(.+)$/.exec(f.key);
    const level = m ? levelOf.get(m[2]!) : undefined;
    if (!m || !level || (perLevel.get(level) ?? 0) < 2) {
      out.push(f);
      continue;
    }
    const key = `${m[1]}:all-${level}`;
    const n = perLevel.get(level)!;
    const lvl = LEVEL_SHORT_NAMES[level];
    const prior = merged.get(key);
    if (!prior) {
      const g: SummaryFigure = {
        ...f,
        key,
        label:
          m[1] === 'meets'
            ? { vi: `Số xã đạt đủ mọi tiêu chí của bộ tiêu chí ${lvl.vi} áp dụng`, en: `Communes meeting every criterion of the ${lvl.en} set that applies to them` }
            : { vi: `Số xã đạt chuẩn ${lvl.vi} theo kết quả rà soát`, en: `Communes at the ${lvl.en} level by review` },
        value: f.value ?? 0,
        of: { count: f.of?.count ?? 0, label: { vi: `xã đã rà soát theo ${n} bộ tiêu chí ${lvl.vi}`, en: `communes reviewed against ${n} ${lvl.en} sets` } },
        note: { vi: `Cộng ${n} bộ tiêu chí ${lvl.vi} (bộ của từng tỉnh, bộ quốc gia); số liệu từng bộ ở mục "Bộ tiêu chí đang dùng"`, en: `The sum over ${n} ${lvl.en} sets (each province's, the national one); each set's figures under "criteria sets in use"` },
      };
      merged.set(key, g);
      out.push(g);
    } else {
      prior.value = (prior.value ?? 0) + (f.value ?? 0);
      prior.of = { ...prior.of!, count: prior.of!.count + (f.of?.count ?? 0) };
    }
  }
  for (const g of merged.values()) g.share = g.of && g.of.count > 0 && g.value !== null ? Math.round((g.value * 1000) / g.of.count) / 10 : null;
  return out;
}

/** The rural communes of the country on a date, by province, and the full summary of them all. */
export async function nationalCommuneSummary(db: Db, date: string): Promise<{ provinces: Unit[]; summary: UnitSummary; byProvince: Map<string, CommuneStatusRow[]> }> {
  checkNationalDate(date);
  // The programme measures rural communes (xã); wards and towns are not in the denominator.
  // The whole country in five queries, run at once (PostgreSQL answers them in parallel).
  const [provinces, rows, recognitions, predecessors, predecessorRecognitions] = await Promise.all([
    listProvincesValidOn(db.kysely, date),
    communesWithLatestReviewOn(db.kysely, date, RURAL_COMMUNE_TYPE),
    recognitionsOfCommunesValidOn(db.kysely, date, RURAL_COMMUNE_TYPE),
    predecessorsOfCommunesValidOn(db.kysely, date, RURAL_COMMUNE_TYPE),
    recognitionsOfPredecessorsOfCommunesValidOn(db.kysely, date, RURAL_COMMUNE_TYPE),
  ]);
  if (provinces.length === 0) throw noListError(date);
  const listId = provinces[0]!.listId;
  const provinceOf = new Map(rows.map((c) => [c.id, c.province_id]));
  const latest: LatestReviewRow[] = rows.filter(hasLatestReview);
  const summary = await summarizeCommunes(
    db,
    { id: COUNTRY_ID, name: COUNTRY_NAME.name, fullName: COUNTRY_NAME.fullName, level: 'country', listId, parentNames: [] },
    rows.map((c) => ({ id: c.id, code: c.code, name: c.name, parentName: c.parent_name })),
    date,
    { latest, recognitions, predecessors, predecessorRecognitions },
  );
  const byProvince = new Map<string, CommuneStatusRow[]>(provinces.map((p) => [p.id, []]));
  for (const r of summary.communes) byProvince.get(provinceOf.get(r.unitId)!)!.push(r);
  return { provinces, summary: { ...summary, figures: nationalFigures(summary.figures, summary.sets) }, byProvince };
}

function quarterOf(date: string): { label: string; end: string } {
  const y = date.slice(0, 4);
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  const end = [`${y}-03-31`, `${y}-06-30`, `${y}-09-30`, `${y}-12-31`][q - 1]!;
  return { label: `${y}-Q${q}`, end };
}

/**
 * Counts per level at the end of each quarter in which some commune submitted a review, up to
 * `date`: one aggregate query per quarter. Where a counted evaluation is stale (a set changed, a
 * review edited since it was cached) the quarter's latest reviews are brought up to date first —
 * the same figures the summary of that date shows.
 */
export async function nationalTrend(db: Db, date: string): Promise<NationalTrendPoint[]> {
  const catalog = getCatalog();
  const quarters = new Map<string, string>();
  for (const d of await reviews.submittedReviewDates(db.kysely, date)) {
    const q = quarterOf(d);
    quarters.set(q.label, q.end < date ? q.end : date);
  }
  // The trend ends with the date itself (its quarter so far).
  if (quarters.size > 0) quarters.set(quarterOf(date).label, date);
  const out: NationalTrendPoint[] = [];
  for (const [quarter, on] of quarters) {
    const provinces = await listProvincesValidOn(db.kysely, on);
    if (provinces.length === 0) continue;
    let counts = await countLatestReviewsByLevelOn(db.kysely, on, RURAL_COMMUNE_TYPE);
    if (counts.some((c) => c.current !== 1 || c.catalog_hash !== catalog.hash(c.set_id))) {
      const rows = await communesWithLatestReviewOn(db.kysely, on, RURAL_COMMUNE_TYPE);
      await freshRows(db, rows.filter(hasLatestReview));
      counts = await countLatestReviewsByLevelOn(db.kysely, on, RURAL_COMMUNE_TYPE);
    }
    const byLevel = emptyCounts();
    let reviewed = 0;
    for (const c of counts) {
      byLevel[(c.level as Level | null) ?? 'none'] += c.n;
      reviewed += c.n;
    }
    const measured = new Set(counts.map((c) => catalog.get(c.set_id).level));
    out.push({ quarter, date: on, listId: provinces[0]!.listId, denominator: await countCommunesValidOn(db.kysely, on, RURAL_COMMUNE_TYPE), reviewed, byLevel, levelsMeasured: LEVELS.filter((l) => measured.has(l)) });
  }
  return out;
}

/** Each province's figures, ranked by share at NTM or above, then at higher levels. */
export function rankedProvinces(provinces: readonly Unit[], byProvince: ReadonlyMap<string, CommuneStatusRow[]>): ProvinceFigures[] {
  const figures = provinces.map((p) => provinceFigures(p, byProvince.get(p.id) ?? []));
  for (const l of LEVELS) rankBy(figures, l);
  return figures.sort((a, b) => {
    for (const l of LEVELS) {
      const d = (b.share[l] ?? -1) - (a.share[l] ?? -1);
      if (d !== 0) return d;
    }
    // Equal shares: the more recognised, then the more reviewed, first.
    return (b.recognisedShare.ntm ?? -1) - (a.recognisedShare.ntm ?? -1) || share(b.reviewed, b.denominator) - share(a.reviewed, a.denominator) || a.name.localeCompare(b.name, 'vi');
  });
}

/**
 * The national summary on a date. Only a nationwide grant of `national.read` (the central office,
 * administrators) reaches it; a province office is refused (`forbidden`).
 */
export async function getNationalSummary(db: Db, actor: Actor | undefined, date: string): Promise<NationalSummary> {
  if (actor) await authorize(db, actor, 'national.read', 'everywhere');
  const { provinces, summary, byProvince } = await nationalCommuneSummary(db, date);
  const figures = rankedProvinces(provinces, byProvince);
  const listId = summary.unit.listId;
  const sets: NationalSetUse[] = summary.sets.map((s) => ({
    setId: s.setId,
    setName: s.setName,
    level: s.level,
    communes: s.communes,
    provinces: figures.filter((p) => p.sets.some((x) => x.setId === s.setId)).length,
  }));
  return {
    unit: { id: COUNTRY_ID, ...COUNTRY_NAME },
    date,
    isDemo: summary.isDemo,
    list: {
      id: listId,
      text: unitListText(listId),
      provinces: provinces.length,
      note:
        date < MERGE_EFFECTIVE_ON
          ? {
              vi: `Số liệu trước ngày ${formatDateVi(MERGE_EFFECTIVE_ON)} theo danh mục ${provinces.length} tỉnh, thành phố trước sáp nhập.`,
              en: `Figures before ${MERGE_EFFECTIVE_ON} follow the ${provinces.length}-province list before the merger.`,
            }
          : null,
    },
    denominator: summary.denominator,
    reviewed: summary.reviewed,
    notReviewed: summary.notReviewed,
    byLevel: summary.byLevel,
    recognisedByLevel: summary.recognisedByLevel,
    figures: summary.figures,
    sets,
    provinces: figures,
  };
}

/** The national trend up to a date: the same grant as the summary. */
export async function getNationalTrend(db: Db, actor: Actor | undefined, date: string): Promise<NationalTrend> {
  if (actor) await authorize(db, actor, 'national.read', 'everywhere');
  checkNationalDate(date);
  return { date, points: await nationalTrend(db, date) };
}
