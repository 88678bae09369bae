/**
 * Dự báo và theo dõi rủi ro — forecasts of each commune's indicators at a deadline from the history
 * of its submitted reviews (src/domain/planning/forecast.ts states the method), the communes and
 * open deadlines (committee tasks, recognition dossiers) at risk, the back-test of the method on
 * the stored history, and the risk watch: recognised communes whose forecast (or latest review)
 * crosses the revocation rule, and indicators met in the previous review that are no longer met.
 *
 * History of a commune on a date: its submitted reviews on or before the date, and its
 * predecessors' (2025 merger), of the set of its latest one — as the commune page lists them.
 * The target compared is the one the latest review was evaluated against (a target that changes
 * by year is not projected forward).
 */
import type { Db } from '../db/database.ts';
import type { RecognitionRow, ReviewRow } from '../db/schema.ts';
import * as reviews from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { listPredecessorsOfUnits, unitNames } from '../db/unit.repository.ts';
import { listTasks } from '../db/task.repository.ts';
import { listDossiers } from '../db/dossier.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CommuneVerdict, IndicatorVerdict } from '../domain/evaluation.ts';
import { levelName, type Level, type VerdictStatus } from '../domain/criteria.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import { fieldError, problem } from '../domain/field-error.ts';
import { formatDateVi } from '../domain/dates.ts';
import { asOf } from '../domain/input.ts';
import { addCalendarDays } from '../domain/working-days.ts';
import { checkRevocationFromStatuses, type RevocationCheck } from '../domain/revocation.ts';
import type { ResolvedTarget } from '../domain/targets.ts';
import {
  backtestSeries,
  forecastIndicator,
  metByValue,
  READINESS_LABELS,
  readinessOf,
  riskScore,
  summariseBacktest,
  type BacktestCase,
  type BacktestSummary,
  type IndicatorForecast,
  type IndicatorHistoryPoint,
  type Outlook,
  type Readiness,
} from '../domain/planning/forecast.ts';
import { formatNumber } from '../domain/verdict-text.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { isFresh, refreshEvaluation, verdictOfCached } from './evaluation.service.ts';
import { getUnit, listCommunesUnder } from './unit.service.ts';

/** The method in one sentence, for every answer. */
export const FORECAST_METHOD: BilingualMessage = {
  vi: 'Xu hướng Theil–Sen (trung vị độ dốc từng cặp lần rà soát) khi có từ 3 lần rà soát; khoảng dự báo = phân vị 80% của sai số tuyệt đối trong mẫu × (1 + thời gian dự báo / độ dài chuỗi); giới hạn 0–100% hoặc ≥ 0; dưới 3 lần rà soát, chỉ tiêu Đạt/Không đạt hoặc xếp loại: giữ giá trị lần gần nhất.',
  en: 'Theil–Sen trend (median of pairwise slopes between reviews) from 3 reviews; band = 80th percentile of the absolute in-sample residuals × (1 + horizon / history span); clamped to 0–100 % or ≥ 0; under 3 reviews, yes/no and graded indicators: the last value carried forward.',
};

/** The risk watch's horizon: six months (182 days) after the date. */
export const RISK_HORIZON_DAYS = 182;

// ── Loading histories ─────────────────────────────────────────────────────────────────────

interface Evaluated {
  review: ReviewRow;
  verdict: CommuneVerdict;
}

interface CommuneHistory {
  unitId: string;
  unitName: string;
  /** Submitted reviews of the latest one's set (the commune's and its predecessors', one per unit and day), oldest first. */
  history: Evaluated[];
  latest: Evaluated;
}

/** Each commune's history on `date` (communes with no submitted review are left out). */
async function loadHistories(db: Db, communeIds: readonly string[], date: string): Promise<CommuneHistory[]> {
  if (communeIds.length === 0) return [];
  const preds = await listPredecessorsOfUnits(db.kysely, communeIds);
  const related = new Map<string, string[]>(communeIds.map((id) => [id, [id]]));
  for (const p of preds) related.get(p.successorId)?.push(p.id);
  const allIds = [...new Set([...related.values()].flat())];
  const rows: ReviewRow[] = [];
  for (let i = 0; i < allIds.length; i += 500) rows.push(...(await reviews.listReviewsOfUnits(db.kysely, allIds.slice(i, i + 500))));
  const submitted = rows.filter((r) => r.status === 'submitted' && r.reviewed_on <= date);
  const cached = new Map<number, reviews.EvaluationRow>();
  for (let i = 0; i < submitted.length; i += 500) {
    for (const [k, v] of await reviews.evaluationsOfReviews(
      db.kysely,
      submitted.slice(i, i + 500).map((r) => r.id),
    ))
      cached.set(k, v);
  }
  const names = await unitNames(db.kysely, communeIds);
  const byUnit = new Map<string, ReviewRow[]>();
  for (const r of submitted) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
  const out: CommuneHistory[] = [];
  for (const id of communeIds) {
    const own = byUnit.get(id) ?? [];
    // Newest first: the commune's own latest submitted review decides the set.
    const latestRow = own.sort((a, b) => b.reviewed_on.localeCompare(a.reviewed_on) || b.id - a.id)[0];
    if (!latestRow) continue;
    const series = (related.get(id) ?? [id])
      .flatMap((u) => byUnit.get(u) ?? [])
      .filter((r) => r.set_id === latestRow.set_id)
      .sort((a, b) => a.reviewed_on.localeCompare(b.reviewed_on) || a.id - b.id);
    const history: Evaluated[] = [];
    for (const r of series) {
      const c = cached.get(r.id);
      const verdict = isFresh(c, r) ? verdictOfCached(r, c) : (await refreshEvaluation(db.kysely, r)).verdict;
      history.push({ review: r, verdict });
    }
    // Two reviews of one unit on the same day: the later one counts. Predecessors' reviews of the
    // same day all count (each merged commune is a point; the trend runs through all of them).
    const byDay = new Map<string, Evaluated>();
    for (const h of history) byDay.set(`${h.review.unit_id}|${h.review.reviewed_on}`, h);
    const dedup = [...byDay.values()];
    out.push({ unitId: id, unitName: names.get(id) ?? id, history: dedup, latest: dedup.find((h) => h.review.id === latestRow.id) ?? dedup.at(-1)! });
  }
  return out;
}

function indicatorsOf(v: CommuneVerdict): Array<{ criterion: string; critical: boolean; ind: IndicatorVerdict }> {
  return v.criteria.flatMap((c) => c.indicators.map((ind) => ({ criterion: c.code, critical: c.critical, ind })));
}

function pointOf(on: string, ind: IndicatorVerdict): IndicatorHistoryPoint {
  const raw = ind.value;
  const value = raw !== null && typeof raw === 'object' ? ind.measured : raw;
  return { on, value, measured: ind.measured, met: ind.status === 'met' ? true : ind.status === 'not_met' ? false : null };
}

function resolvedOf(ind: IndicatorVerdict): ResolvedTarget {
  return { op: ind.target.op, value: ind.target.value, basis: ind.target.basis };
}

/** Forecasts of every applicable indicator of a commune at `deadline`, keyed by code. */
function forecastAll(h: CommuneHistory, deadline: string): Array<{ criterion: string; critical: boolean; forecast: IndicatorForecast }> {
  const series = new Map<string, IndicatorHistoryPoint[]>();
  for (const e of h.history) for (const { ind } of indicatorsOf(e.verdict)) series.set(ind.code, [...(series.get(ind.code) ?? []), pointOf(e.review.reviewed_on, ind)]);
  const set = getCatalog().at(h.latest.review.set_id, h.latest.review.reviewed_on);
  const defs = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, i]));
  return indicatorsOf(h.latest.verdict)
    .filter(({ ind }) => ind.status !== 'not_applicable')
    .map(({ criterion, critical, ind }) => {
      const def = defs.get(ind.code);
      const base = { code: ind.code, name: ind.name, kind: ind.kind, unit: ind.unit, scale: def?.scale ?? null };
      return { criterion, critical, forecast: forecastIndicator(base, resolvedOf(ind), series.get(ind.code) ?? [], deadline) };
    });
}

// ── Forecast of a unit ────────────────────────────────────────────────────────────────────

export interface CommuneForecast {
  unitId: string;
  unitName: string;
  setId: string;
  setName: string;
  level: string;
  levelName: BilingualMessage;
  latestReview: { id: number; reviewedOn: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number };
  /** Submitted reviews the forecast is drawn from (the commune's and its predecessors'). */
  reviews: number;
  readiness: Readiness;
  readinessLabel: BilingualMessage;
  /** Higher: riskier (1000 per indicator likely not met, 1 per uncertain one). */
  riskScore: number;
  counts: Record<Outlook, number>;
  /** The indicators not likely met (uncertain, likely not met, cannot tell), riskiest first. */
  indicators: IndicatorForecast[];
  reason: BilingualMessage;
}

/** A deadline that exists in the data — a committee task's due date, a recognition dossier's deadline — for a commune projected not to be ready. */
export interface DeadlineAtRisk {
  kind: 'task' | 'dossier';
  id: number;
  unitId: string;
  unitName: string;
  title: string;
  dueOn: string;
  /** The criteria the task targets (empty: the commune's whole standard). */
  criteria: string[];
  readiness: Readiness;
  readinessLabel: BilingualMessage;
  reason: BilingualMessage;
}

export interface UnitForecast {
  unitId: string;
  unitName: string;
  date: string;
  deadline: string;
  method: BilingualMessage;
  /** Communes under the unit on the date (with a submitted review). */
  communes: number;
  counts: Record<Readiness, number>;
  /** Every commune, riskiest first. */
  items: CommuneForecast[];
  /** Open committee tasks and recognition dossiers with a deadline after the date, for communes not likely ready by it. */
  deadlines: DeadlineAtRisk[];
}

const OUTLOOK_ORDER: Readonly<Record<Outlook, number>> = { likely_unmet: 0, uncertain: 1, unknown: 2, likely_met: 3 };
const READINESS_ORDER: Readonly<Record<Readiness, number>> = { at_risk: 0, uncertain: 1, unknown: 2, likely_ready: 3 };

function countsOf(outlooks: readonly Outlook[]): Record<Outlook, number> {
  return { likely_met: outlooks.filter((o) => o === 'likely_met').length, uncertain: outlooks.filter((o) => o === 'uncertain').length, likely_unmet: outlooks.filter((o) => o === 'likely_unmet').length, unknown: outlooks.filter((o) => o === 'unknown').length };
}

function communeForecast(h: CommuneHistory, deadline: string, onlyCriteria?: readonly string[]): CommuneForecast {
  const all = forecastAll(h, deadline).filter((x) => !onlyCriteria || onlyCriteria.length === 0 || onlyCriteria.includes(x.criterion));
  const outlooks = all.map((x) => x.forecast.outlook);
  const readiness = readinessOf(outlooks);
  const counts = countsOf(outlooks);
  const v = h.latest.verdict;
  const setId = h.latest.review.set_id;
  const when = formatDateVi(deadline);
  const lvl = levelName(v.setLevel);
  const reason: BilingualMessage = {
    vi: `Đến ${when}: ${counts.likely_met} chỉ tiêu có khả năng đạt, ${counts.uncertain} chưa chắc, ${counts.likely_unmet} có nguy cơ không đạt, ${counts.unknown} chưa dự báo được (từ ${h.history.length} lần rà soát) — ${READINESS_LABELS[readiness].vi} (${lvl.vi}).`,
    en: `By ${deadline}: ${counts.likely_met} indicators likely met, ${counts.uncertain} uncertain, ${counts.likely_unmet} likely not met, ${counts.unknown} cannot tell (from ${h.history.length} reviews) — ${READINESS_LABELS[readiness].en} (${lvl.en}).`,
  };
  return {
    unitId: h.unitId,
    unitName: h.unitName,
    setId,
    setName: getCatalog().nameOf(setId, h.latest.review.reviewed_on),
    level: v.setLevel,
    levelName: lvl,
    latestReview: { id: h.latest.review.id, reviewedOn: h.latest.review.reviewed_on, criteriaMet: v.totals.criteriaMet, criteriaTotal: v.totals.criteriaTotal, indicatorsMet: v.totals.indicatorsMet, indicatorsTotal: v.totals.indicatorsTotal },
    reviews: h.history.length,
    readiness,
    readinessLabel: READINESS_LABELS[readiness],
    riskScore: riskScore(outlooks),
    counts,
    indicators: all
      .map((x) => x.forecast)
      .filter((f) => f.outlook !== 'likely_met')
      .sort((a, b) => OUTLOOK_ORDER[a.outlook] - OUTLOOK_ORDER[b.outlook]),
    reason,
  };
}

/** The communes of a unit on a date (a commune gives itself); 404 for an unknown unit. */
async function communesOf(db: Db, unitId: string, date: string): Promise<{ name: string; ids: string[] }> {
  const unit = await getUnit(db.kysely, unitId);
  const communes = (await listCommunesUnder(db.kysely, unit.id, date)).filter((c) => c.level === 'commune');
  return { name: unit.fullName, ids: communes.map((c) => c.id) };
}

function checkDeadline(deadline: string | undefined, date: string): string {
  if (!deadline) throw fieldError([problem('deadline', 'Thiếu hạn dự báo (deadline, YYYY-MM-DD).', 'The forecast deadline is required (deadline, YYYY-MM-DD).')]);
  const d = asOfField(deadline, 'deadline');
  if (d < date) {
    throw fieldError([problem('deadline', `Hạn dự báo ${formatDateVi(d)} đã qua so với ngày xem ${formatDateVi(date)}: cần một ngày từ ${formatDateVi(date)} trở đi.`, `The forecast deadline ${d} is before the date ${date}: give a date on or after ${date}.`)]);
  }
  return d;
}

function asOfField(value: string, field: string): string {
  try {
    return asOf(value);
  } catch {
    throw fieldError([problem(field, `Ngày "${value}" không hợp lệ (cần YYYY-MM-DD).`, `Date "${value}" is not a valid YYYY-MM-DD date.`)]);
  }
}

/**
 * Forecast every commune under `unitId` (or the commune itself) on `date` at `deadline`, riskiest
 * first, and the open task and dossier deadlines of communes not likely ready by them.
 */
export async function forecastUnit(db: Db, actor: Actor, unitId: string, deadline: string | undefined, date?: string): Promise<UnitForecast> {
  const on = asOf(date);
  await authorize(db, actor, 'summary.read', unitId);
  const due = checkDeadline(deadline, on);
  const { name, ids } = await communesOf(db, unitId, on);
  const histories = await loadHistories(db, ids, on);
  const items = histories.map((h) => communeForecast(h, due)).sort((a, b) => READINESS_ORDER[a.readiness] - READINESS_ORDER[b.readiness] || b.riskScore - a.riskScore || a.unitName.localeCompare(b.unitName, 'vi'));
  const counts: Record<Readiness, number> = { likely_ready: 0, uncertain: 0, at_risk: 0, unknown: 0 };
  for (const i of items) counts[i.readiness]++;
  return { unitId, unitName: name, date: on, deadline: due, method: FORECAST_METHOD, communes: items.length, counts, items, deadlines: await deadlinesAtRisk(db, histories, on) };
}

/** Open tasks (due after the date, not completed by it) and open recognition dossiers with a deadline, for communes not likely ready by then. */
async function deadlinesAtRisk(db: Db, histories: readonly CommuneHistory[], on: string): Promise<DeadlineAtRisk[]> {
  if (histories.length === 0) return [];
  const byId = new Map(histories.map((h) => [h.unitId, h]));
  const ids = [...byId.keys()];
  const out: DeadlineAtRisk[] = [];
  const judge = (h: CommuneHistory, due: string, criteria: string[]) => {
    const f = communeForecast(h, due, criteria);
    return f.readiness === 'likely_ready' ? null : f;
  };
  for (const t of await listTasks(db.kysely, { unitIds: ids, limit: 5000 })) {
    if (t.status === 'cancelled' || t.due_on < on || (t.completed_on !== null && t.completed_on <= on)) continue;
    const h = byId.get(t.unit_id) ?? (t.assignee_unit_id ? byId.get(t.assignee_unit_id) : undefined);
    if (!h) continue;
    let criteria: string[] = [];
    try {
      criteria = ((JSON.parse(t.targets_json) as { criteria?: string[] }).criteria ?? []).map(String);
    } catch {
      criteria = [];
    }
    const f = judge(h, t.due_on, criteria);
    if (!f) continue;
    const scope = criteria.length ? { vi: `tiêu chí ${criteria.join(', ')}`, en: `criteria ${criteria.join(', ')}` } : { vi: 'toàn bộ chỉ tiêu', en: 'all indicators' };
    // A task for some criteria is judged on their indicators alone: the counts, not the level.
    const c = f.counts;
    const why: BilingualMessage = criteria.length
      ? {
          vi: `${c.likely_met} chỉ tiêu có khả năng đạt, ${c.uncertain} chưa chắc, ${c.likely_unmet} có nguy cơ không đạt vào ${formatDateVi(t.due_on)} (từ ${f.reviews} lần rà soát).`,
          en: `${c.likely_met} indicators likely met, ${c.uncertain} uncertain, ${c.likely_unmet} likely not met by ${t.due_on} (from ${f.reviews} reviews).`,
        }
      : f.reason;
    out.push({
      kind: 'task',
      id: t.id,
      unitId: h.unitId,
      unitName: h.unitName,
      title: t.title,
      dueOn: t.due_on,
      criteria,
      readiness: f.readiness,
      readinessLabel: f.readinessLabel,
      reason: { vi: `Nhiệm vụ hạn ${formatDateVi(t.due_on)} (${scope.vi}): ${why.vi}`, en: `Task due ${t.due_on} (${scope.en}): ${why.en}` },
    });
  }
  for (const d of await listDossiers(db.kysely, { unitIds: ids, kind: 'recognition' })) {
    if (!d.deadline || d.deadline < on || d.opened_on > on || (d.closed_on !== null && d.closed_on <= on)) continue;
    const h = byId.get(d.unit_id);
    if (!h) continue;
    const f = judge(h, d.deadline, []);
    if (!f) continue;
    out.push({
      kind: 'dossier',
      id: d.id,
      unitId: h.unitId,
      unitName: h.unitName,
      title: `Hồ sơ đề nghị công nhận ${levelName(d.level).vi}`,
      dueOn: d.deadline,
      criteria: [],
      readiness: f.readiness,
      readinessLabel: f.readinessLabel,
      reason: { vi: `Hồ sơ hạn ${formatDateVi(d.deadline)}: ${f.reason.vi}`, en: `Dossier due ${d.deadline}: ${f.reason.en}` },
    });
  }
  return out.sort((a, b) => READINESS_ORDER[a.readiness] - READINESS_ORDER[b.readiness] || a.dueOn.localeCompare(b.dueOn) || a.id - b.id);
}

// ── Back-test ─────────────────────────────────────────────────────────────────────────────

export interface UnitBacktest extends BacktestSummary {
  unitId: string;
  unitName: string;
  date: string;
  method: BilingualMessage;
  /** Communes with at least one tested series. */
  communes: number;
  /** What the figures say, in one sentence. */
  summary: BilingualMessage;
}

const pct = (x: number | null, lang: 'vi' | 'en') => (x === null ? '–' : `${formatNumber(Math.round(x * 1000) / 10, lang)} %`);

/**
 * The back-test over every commune × numeric indicator with at least 4 values on the date: hold out
 * each series' last review, forecast it from the earlier ones, compare (and with naive persistence).
 */
export async function backtestUnit(db: Db, unitId: string, date?: string, actor?: Actor): Promise<UnitBacktest> {
  const on = asOf(date);
  if (actor) await authorize(db, actor, 'summary.read', unitId);
  const { name, ids } = await communesOf(db, unitId, on);
  const histories = await loadHistories(db, ids, on);
  const cases: BacktestCase[] = [];
  let communes = 0;
  for (const h of histories) {
    const before = cases.length;
    const series = new Map<string, Array<{ on: string; value: number }>>();
    const last = new Map<string, IndicatorVerdict>();
    for (const e of h.history) {
      for (const { ind } of indicatorsOf(e.verdict)) {
        if (ind.measured === null || ind.kind === 'grade' || ind.kind === 'boolean' || ind.kind === 'compound') continue;
        series.set(ind.code, [...(series.get(ind.code) ?? []), { on: e.review.reviewed_on, value: ind.measured }]);
        last.set(ind.code, ind);
      }
    }
    for (const [code, s] of series) {
      const ind = last.get(code)!;
      const c = backtestSeries({ code, kind: ind.kind, scale: null }, resolvedOf(ind), s);
      if (c) cases.push(c);
    }
    if (cases.length > before) communes++;
  }
  const s = summariseBacktest(cases);
  return {
    unitId,
    unitName: name,
    date: on,
    method: FORECAST_METHOD,
    communes,
    ...s,
    summary: {
      vi: `Kiểm định giữ lại lần rà soát cuối của ${s.n} chuỗi (${communes} xã): sai số tuyệt đối trung bình ${pct(s.maeShare, 'vi')} của ngưỡng (trung vị ${pct(s.medianShare, 'vi')}; giữ giá trị cũ: ${pct(s.persistence.maeShare, 'vi')}), ${pct(s.coverage, 'vi')} giá trị thực nằm trong khoảng dự báo, dự báo đạt/không đạt đúng ${pct(s.outlookAccuracy, 'vi')} (giữ giá trị cũ: ${pct(s.persistence.outlookAccuracy, 'vi')}).`,
      en: `Back-test holding out the last review of ${s.n} series (${communes} communes): mean absolute error ${pct(s.maeShare, 'en')} of the target (median ${pct(s.medianShare, 'en')}; persistence: ${pct(s.persistence.maeShare, 'en')}), ${pct(s.coverage, 'en')} of actual values inside the band, met/not met predicted right ${pct(s.outlookAccuracy, 'en')} (persistence: ${pct(s.persistence.outlookAccuracy, 'en')}).`,
    },
  };
}

// ── Risk watch ────────────────────────────────────────────────────────────────────────────

export interface RevocationRisk {
  unitId: string;
  unitName: string;
  recognition: { id: number; level: string; levelName: BilingualMessage; decisionNo: string; decidedOn: string };
  reviewedOn: string;
  /** The rule on the latest review. */
  current: { triggered: boolean; rule: RevocationCheck['rule']; reason: BilingualMessage };
  /** The rule on the forecast statuses at the horizon (each indicator met when its point forecast meets the target). */
  forecast: { triggered: boolean; rule: RevocationCheck['rule']; reason: BilingualMessage; horizon: string };
  /** What and why, without the commune's name (for a list that shows the name beside it). */
  detail: BilingualMessage;
  /** The commune's name, then `detail`. */
  message: BilingualMessage;
}

export interface SlippedIndicator {
  code: string;
  name: string;
  criterionCode: string;
  before: string;
  after: string;
  reason: BilingualMessage;
}

export interface SlippedCommune {
  unitId: string;
  unitName: string;
  previousOn: string;
  latestOn: string;
  indicators: SlippedIndicator[];
  /** What, without the commune's name. */
  detail: BilingualMessage;
  /** The commune's name, then `detail`. */
  message: BilingualMessage;
}

export interface RiskWatch {
  unitId: string;
  unitName: string;
  date: string;
  horizon: string;
  method: BilingualMessage;
  revocations: RevocationRisk[];
  slipped: SlippedCommune[];
  /** Open committee tasks and recognition dossiers whose commune is not likely ready by their deadline (as in forecastUnit). */
  deadlines: DeadlineAtRisk[];
  counts: { revocations: number; slippedCommunes: number; slippedIndicators: number; deadlines: number; all: number };
}

/** A reported value as people read it (Vietnamese by default: "92,5", "có"). */
function shown(ind: IndicatorVerdict, lang: 'vi' | 'en' = 'vi'): string {
  const v = ind.value;
  if (v === null) return lang === 'vi' ? 'chưa có' : 'none';
  if (typeof v === 'boolean') return v ? (lang === 'vi' ? 'có' : 'yes') : lang === 'vi' ? 'không' : 'no';
  if (typeof v === 'number') return formatNumber(v, lang);
  if (typeof v === 'string') return v;
  return `${v.numerator}/${v.denominator}`;
}

/** Criterion statuses from forecast indicator statuses: any not met → not met; all met → met; else not evaluable. */
function criterionStatuses(v: CommuneVerdict, indicatorMet: Map<string, boolean | null>): Array<{ code: string; name: string; status: VerdictStatus; critical: boolean }> {
  return v.criteria.map((c) => {
    if (c.status === 'not_applicable') return { code: c.code, name: c.name, status: 'not_applicable' as const, critical: c.critical };
    const applicable = c.indicators.filter((i) => i.status !== 'not_applicable');
    const states = applicable.map((i) => indicatorMet.get(i.code) ?? null);
    const status: VerdictStatus = states.some((s) => s === false) ? 'not_met' : states.length > 0 && states.every((s) => s === true) ? 'met' : 'not_evaluable';
    return { code: c.code, name: c.name, status, critical: c.critical };
  });
}

/** Risks of these communes on `date` (no authorisation: callers check it). */
export async function risksOfCommunes(db: Db, communeIds: readonly string[], date: string): Promise<{ revocations: RevocationRisk[]; slipped: SlippedCommune[]; deadlines: DeadlineAtRisk[]; horizon: string }> {
  const horizon = addCalendarDays(date, RISK_HORIZON_DAYS);
  const histories = await loadHistories(db, communeIds, date);
  const recs = await listRecognitionsOfUnits(db.kysely, [...communeIds]);
  const revocations: RevocationRisk[] = [];
  const slipped: SlippedCommune[] = [];
  for (const h of histories) {
    const level = h.latest.verdict.setLevel as Level;
    const rec: RecognitionRow | undefined = recs
      .filter((r) => r.unit_id === h.unitId && r.level === level && r.decided_on <= h.latest.review.reviewed_on && (r.revoked_on === null || r.revoked_on > date))
      .sort((a, b) => a.decided_on.localeCompare(b.decided_on))
      .at(-1);
    if (rec) {
      const current = checkRevocationFromStatuses(h.latest.verdict.criteria);
      const met = new Map<string, boolean | null>();
      const set = getCatalog().at(h.latest.review.set_id, h.latest.review.reviewed_on);
      const defs = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, i]));
      for (const { forecast: f } of forecastAll(h, horizon)) {
        const def = defs.get(f.code);
        const ind = indicatorsOf(h.latest.verdict).find((x) => x.ind.code === f.code)!.ind;
        met.set(f.code, f.point !== null && def ? metByValue(def, f.point, resolvedOf(ind)) : f.method === 'persistence' ? (f.last?.met ?? null) : null);
      }
      const projected = checkRevocationFromStatuses(criterionStatuses(h.latest.verdict, met));
      if (current.triggered || projected.triggered) {
        const lvl = levelName(rec.level);
        const when = formatDateVi(horizon);
        const detail: BilingualMessage = current.triggered
          ? { vi: `${lvl.vi} (QĐ ${rec.decision_no}): lần rà soát ${formatDateVi(h.latest.review.reviewed_on)} đã chạm ngưỡng thu hồi — ${current.reason.vi}`, en: `${lvl.en} (decision ${rec.decision_no}): the ${h.latest.review.reviewed_on} review crosses the revocation rule — ${current.reason.en}` }
          : { vi: `${lvl.vi} (QĐ ${rec.decision_no}): dự báo đến ${when} chạm ngưỡng thu hồi — ${projected.reason.vi}`, en: `${lvl.en} (decision ${rec.decision_no}): the forecast to ${horizon} crosses the revocation rule — ${projected.reason.en}` };
        revocations.push({
          unitId: h.unitId,
          unitName: h.unitName,
          recognition: { id: rec.id, level: rec.level, levelName: lvl, decisionNo: rec.decision_no, decidedOn: rec.decided_on },
          reviewedOn: h.latest.review.reviewed_on,
          current: { triggered: current.triggered, rule: current.rule, reason: current.reason },
          forecast: { triggered: projected.triggered, rule: projected.rule, reason: projected.reason, horizon },
          detail,
          message: { vi: `${h.unitName}: ${detail.vi}`, en: `${h.unitName}: ${detail.en}` },
        });
      }
    }
    // The commune's own previous review (a predecessor's is another commune's result).
    const previous = h.history.filter((e) => e.review.unit_id === h.unitId && e.review.reviewed_on < h.latest.review.reviewed_on).at(-1);
    if (previous) {
      const before = new Map(indicatorsOf(previous.verdict).map((x) => [x.ind.code, x.ind]));
      const lost: SlippedIndicator[] = [];
      for (const { criterion, ind } of indicatorsOf(h.latest.verdict)) {
        const b = before.get(ind.code);
        if (!b || b.status !== 'met' || ind.status !== 'not_met') continue;
        lost.push({
          code: ind.code,
          name: ind.name,
          criterionCode: criterion,
          before: shown(b),
          after: shown(ind),
          reason: {
            vi: `Đã đạt nay tụt: ${ind.code} ${ind.name} — ${shown(b)} (${formatDateVi(previous.review.reviewed_on)}) → ${shown(ind)} (${formatDateVi(h.latest.review.reviewed_on)}). ${ind.reason.vi}`,
            en: `Met, now slipped: ${ind.code} ${ind.name} — ${shown(b, 'en')} (${previous.review.reviewed_on}) → ${shown(ind, 'en')} (${h.latest.review.reviewed_on}). ${ind.reason.en}`,
          },
        });
      }
      if (lost.length) {
        slipped.push({
          unitId: h.unitId,
          unitName: h.unitName,
          previousOn: previous.review.reviewed_on,
          latestOn: h.latest.review.reviewed_on,
          indicators: lost,
          detail: {
            vi: `${lost.length} chỉ tiêu đã đạt ngày ${formatDateVi(previous.review.reviewed_on)} nay không đạt (rà soát ${formatDateVi(h.latest.review.reviewed_on)}).`,
            en: `${lost.length} indicator(s) met on ${previous.review.reviewed_on} are no longer met (review of ${h.latest.review.reviewed_on}).`,
          },
          message: {
            vi: `${h.unitName}: ${lost.length} chỉ tiêu đã đạt ngày ${formatDateVi(previous.review.reviewed_on)} nay không đạt (rà soát ${formatDateVi(h.latest.review.reviewed_on)}).`,
            en: `${h.unitName}: ${lost.length} indicator(s) met on ${previous.review.reviewed_on} are no longer met (review of ${h.latest.review.reviewed_on}).`,
          },
        });
      }
    }
  }
  slipped.sort((a, b) => b.indicators.length - a.indicators.length || a.unitName.localeCompare(b.unitName, 'vi'));
  return { revocations, slipped, deadlines: await deadlinesAtRisk(db, histories, date), horizon };
}

function watchOf(unitId: string, unitName: string, date: string, r: Awaited<ReturnType<typeof risksOfCommunes>>): RiskWatch {
  const slippedIndicators = r.slipped.reduce((n, s) => n + s.indicators.length, 0);
  return {
    unitId,
    unitName,
    date,
    horizon: r.horizon,
    method: {
      vi: `Thu hồi: quy tắc Quyết định 18/2022 trên lần rà soát gần nhất và trên dự báo đến ${formatDateVi(r.horizon)} (6 tháng; chỉ tiêu đạt khi giá trị dự báo đạt ngưỡng). Tụt hạng: chỉ tiêu đạt ở lần rà soát trước (cùng bộ tiêu chí), không đạt ở lần gần nhất. Trễ hạn: nhiệm vụ của Ban Chỉ đạo và hồ sơ công nhận đang mở mà xã chưa chắc đạt vào ngày đến hạn (dự báo tại ngày đó).`,
      en: `Revocation: the Decision 18/2022 rule on the latest review and on the forecast to ${r.horizon} (6 months; an indicator counts as met when its point forecast meets the target). Slipped: met in the previous review (same set), not met in the latest. Deadlines: open committee tasks and recognition dossiers of communes not likely ready by their due date (forecast at that date).`,
    },
    revocations: r.revocations,
    slipped: r.slipped,
    deadlines: r.deadlines,
    counts: { revocations: r.revocations.length, slippedCommunes: r.slipped.length, slippedIndicators, deadlines: r.deadlines.length, all: r.revocations.length + r.slipped.length + r.deadlines.length },
  };
}

/** The risk watch of a unit's communes on a date. */
export async function riskWatch(db: Db, actor: Actor, unitId: string, date?: string): Promise<RiskWatch> {
  const on = asOf(date);
  await authorize(db, actor, 'summary.read', unitId);
  const { name, ids } = await communesOf(db, unitId, on);
  return watchOf(unitId, name, on, await risksOfCommunes(db, ids, on));
}

/** The risk watch of given communes (a meeting's), named after `unitId`/`unitName`. */
export async function riskWatchOfCommunes(db: Db, unitId: string, unitName: string, communeIds: readonly string[], date: string): Promise<RiskWatch> {
  return watchOf(unitId, unitName, date, await risksOfCommunes(db, communeIds, date));
}

