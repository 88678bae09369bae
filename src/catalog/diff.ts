/**
 * So sánh bộ tiêu chí — what changed from one resolved set to another: criteria and indicators
 * added, removed or changed, and the threshold overrides. Typical use: a provincial set against
 * its national base (`datchuan catalog diff <provincialId>`).
 */
import type { CriteriaSet, Criterion, Indicator, TargetOp, TargetValueSpec } from '../domain/criteria.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface TargetView {
  op: TargetOp;
  value: TargetValueSpec;
}

export interface SetDiff {
  from: string;
  to: string;
  criteria: {
    added: Array<{ code: string; name: string }>;
    removed: Array<{ code: string; name: string }>;
    changed: Array<{ code: string; name: string; changes: FieldChange[] }>;
  };
  indicators: {
    added: Array<{ criterion: string; code: string; name: string; kind: Indicator['kind']; target: TargetView }>;
    removed: Array<{ criterion: string; code: string; name: string }>;
    changed: Array<{ criterion: string; code: string; name: string; changes: FieldChange[] }>;
  };
  /** Indicators present in both whose threshold differs. */
  thresholdOverrides: Array<{ code: string; name: string; from: TargetView; to: TargetView; setBy: string }>;
  counts: { from: { criteria: number; indicators: number }; to: { criteria: number; indicators: number } };
}

const targetView = (i: Indicator): TargetView => ({ op: i.target.op, value: i.target.value });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function indicatorIndex(set: CriteriaSet): Map<string, { criterion: Criterion; indicator: Indicator }> {
  const m = new Map<string, { criterion: Criterion; indicator: Indicator }>();
  for (const c of set.criteria) for (const i of c.indicators) m.set(i.code, { criterion: c, indicator: i });
  return m;
}

export function diffSets(from: CriteriaSet, to: CriteriaSet): SetDiff {
  const fromCriteria = new Map(from.criteria.map((c) => [c.code, c]));
  const toCriteria = new Map(to.criteria.map((c) => [c.code, c]));
  const criteria: SetDiff['criteria'] = { added: [], removed: [], changed: [] };
  for (const c of to.criteria) if (!fromCriteria.has(c.code)) criteria.added.push({ code: c.code, name: c.name });
  for (const c of from.criteria) {
    const other = toCriteria.get(c.code);
    if (!other) {
      criteria.removed.push({ code: c.code, name: c.name });
      continue;
    }
    const changes: FieldChange[] = [];
    for (const f of ['name', 'group', 'critical'] as const) if (!same(c[f], other[f])) changes.push({ field: f, from: c[f], to: other[f] });
    if (changes.length) criteria.changed.push({ code: c.code, name: other.name, changes });
  }

  const a = indicatorIndex(from);
  const b = indicatorIndex(to);
  const indicators: SetDiff['indicators'] = { added: [], removed: [], changed: [] };
  const thresholdOverrides: SetDiff['thresholdOverrides'] = [];
  for (const [code, { criterion, indicator }] of b) {
    if (!a.has(code)) indicators.added.push({ criterion: criterion.code, code, name: indicator.name, kind: indicator.kind, target: targetView(indicator) });
  }
  for (const [code, { criterion, indicator: x }] of a) {
    const other = b.get(code);
    if (!other) {
      indicators.removed.push({ criterion: criterion.code, code, name: x.name });
      continue;
    }
    const y = other.indicator;
    const changes: FieldChange[] = [];
    if (criterion.code !== other.criterion.code) changes.push({ field: 'criterion', from: criterion.code, to: other.criterion.code });
    for (const f of ['name', 'kind', 'unit', 'scale', 'applicableIf', 'zeroDenominator', 'verified'] as const) {
      if (!same(x[f], y[f])) changes.push({ field: f, from: x[f], to: y[f] });
    }
    if (!same(targetView(x), targetView(y))) {
      changes.push({ field: 'target', from: targetView(x), to: targetView(y) });
      thresholdOverrides.push({ code, name: y.name, from: targetView(x), to: targetView(y), setBy: y.target.setBy });
    }
    if (changes.length) indicators.changed.push({ criterion: other.criterion.code, code, name: y.name, changes });
  }
  const count = (s: CriteriaSet) => ({ criteria: s.criteria.length, indicators: s.criteria.reduce((n, c) => n + c.indicators.length, 0) });
  return { from: from.id, to: to.id, criteria, indicators, thresholdOverrides, counts: { from: count(from), to: count(to) } };
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** The diff as lines for a terminal (Vietnamese label / English label). */
export function formatDiff(d: SetDiff): string {
  const lines: string[] = [
    `${d.from} → ${d.to}`,
    `Tiêu chí / criteria: ${d.counts.from.criteria} → ${d.counts.to.criteria}; chỉ tiêu / indicators: ${d.counts.from.indicators} → ${d.counts.to.indicators}`,
  ];
  for (const c of d.criteria.added) lines.push(`+ tiêu chí / criterion ${c.code} ${c.name}`);
  for (const c of d.criteria.removed) lines.push(`- tiêu chí / criterion ${c.code} ${c.name}`);
  for (const c of d.criteria.changed) lines.push(`~ tiêu chí / criterion ${c.code}: ${c.changes.map((x) => `${x.field} ${show(x.from)} → ${show(x.to)}`).join('; ')}`);
  for (const i of d.indicators.added) lines.push(`+ ${i.code} [${i.kind}] ${i.name} — ${i.target.op} ${show(i.target.value)}`);
  for (const i of d.indicators.removed) lines.push(`- ${i.code} ${i.name}`);
  for (const i of d.indicators.changed) lines.push(`~ ${i.code}: ${i.changes.map((x) => `${x.field} ${show(x.from)} → ${show(x.to)}`).join('; ')}`);
  lines.push(
    `Thêm / added ${d.indicators.added.length}, bỏ / removed ${d.indicators.removed.length}, sửa / changed ${d.indicators.changed.length} (ngưỡng / thresholds ${d.thresholdOverrides.length})`,
  );
  return lines.join('\n');
}
