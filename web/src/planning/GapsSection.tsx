/**
 * Khoảng cách đến chuẩn: the communes ranked by closeness to their level (the server's order and
 * sentences), a chart of communes by criteria to go (ECharts, lazy), and for a commune opened its
 * unmet indicators (value, target, gap, gap share) and what to do first (cheapest / soonest), each
 * item with the server's one-sentence why and where its cost comes from.
 */
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import type { UseQueryResult } from '@tanstack/react-query';
import type { UnitDetail } from '../api/types.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { usePriorities, type CommuneGap, type GapAnalysis, type PriorityGoal } from './api.ts';
import { formatGapOf, formatShare, formatTargetOf, formatValue, millions, type ValueWords } from './format.ts';
import { useS, type StringKey } from './strings.ts';
import { Toggle } from './Toggle.tsx';

const GapsChart = lazy(() => import('./GapsChart.tsx'));

export function levelKey(level: string): StringKey {
  return `level.${level}` as StringKey;
}

export function GapsSection({ unit, date, gaps }: { unit: UnitDetail; date: string; gaps: UseQueryResult<GapAnalysis> }) {
  const s = useS();
  if (gaps.isPending) return <PageLoading />;
  if (gaps.isError) return <ApiErrorView error={gaps.error} date={date} onRetry={() => void gaps.refetch()} />;
  const g = gaps.data;
  return (
    <section aria-labelledby="ds-gaps-h" data-testid="gaps-section">
      <h2 id="ds-gaps-h" className="ds-h2">
        {s('gaps.title')}
      </h2>
      {g.communes.length === 0 && <p className="notice notice-info">{s('gaps.none', { date: formatDate(date) })}</p>}
      {g.notReviewed.length > 0 && <p className="muted">{s('gaps.notReviewed', { n: g.notReviewed.length, names: g.notReviewed.map((c) => c.name).join(', ') })}</p>}
      {g.communes.length > 1 && (
        <figure className="ds-chart" data-testid="gaps-chart">
          <figcaption className="ds-h3">{s('gaps.chart')}</figcaption>
          <Suspense fallback={<div className="chart-placeholder">{s('gaps.chart.loading')}</div>}>
            <GapsChart communes={g.communes} />
          </Suspense>
        </figure>
      )}
      <ol className="ds-gap-list" data-testid="gap-list">
        {g.communes.map((c, i) => (
          <GapItem key={c.id} rank={i + 1} gap={c} date={date} nearly={g.nearlyThere.includes(c.id)} single={unit.level === 'commune'} />
        ))}
      </ol>
    </section>
  );
}

function GapItem({ rank, gap, date, nearly, single }: { rank: number; gap: CommuneGap; date: string; nearly: boolean; single: boolean }) {
  const s = useS();
  const { pick } = useT();
  const [open, setOpen] = useState(single);
  const id = `ds-gap-${gap.id.replace(/[^0-9A-Za-z]+/g, '-')}`;
  return (
    <li className="ds-gap" data-unit-id={gap.id} data-nearly={nearly || undefined}>
      <div className="ds-gap-head">
        <span className="ds-rank" aria-hidden="true">
          {rank}
        </span>
        <div className="ds-gap-main">
          <h3 className="ds-gap-name">
            <Link to={unitPath(gap.id, date)}>{gap.name}</Link>
            {gap.parentName && <span className="ds-parent"> · {gap.parentName}</span>}
            {nearly && <span className="ds-tag ds-tag-near"> ★ {s('gaps.nearly')}</span>}
            {gap.nextLevel === null && <span className="ds-tag ds-tag-ok"> ✓ {s('gaps.reached')}</span>}
          </h3>
          <p className="ds-sentence" data-testid="gap-sentence">
            {pick(gap.sentence)}
          </p>
          <p className="ds-facts">
            <span>{gap.level ? s('gaps.level', { level: s(levelKey(gap.level)) }) : s('gaps.levelNone')}</span>
            {gap.nextLevel && <span>{s('gaps.target', { level: s(levelKey(gap.nextLevel)) })}</span>}
            <span>{s('gaps.toGo', { criteria: gap.criteriaToGo, criteriaTotal: gap.criteriaTotal, indicators: gap.indicatorsToGo })}</span>
            {gap.pending > 0 && <span className="ds-pending">? {s('gaps.pending', { n: gap.pending })}</span>}
            <span>{s('gaps.reviewed', { date: formatDate(gap.reviewedOn) })}</span>
            {gap.missingPrerequisites.length > 0 && <span>{s('gaps.prereq', { levels: gap.missingPrerequisites.map((l) => s(levelKey(l))).join(', ') })}</span>}
          </p>
        </div>
        {gap.unmet.length > 0 && (
          <button type="button" className="ds-btn" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
            {open ? s('gaps.collapse') : s('gaps.expand')}
          </button>
        )}
      </div>
      {open && gap.unmet.length > 0 && (
        <div id={id} className="ds-gap-detail">
          <UnmetTable gap={gap} />
          <Priorities communeId={gap.id} date={date} />
        </div>
      )}
    </li>
  );
}

export function useValueWords(): ValueWords {
  const s = useS();
  return { none: s('value.none'), yes: s('value.yes'), no: s('value.no'), noTarget: s('target.none') };
}

function UnmetTable({ gap }: { gap: CommuneGap }) {
  const s = useS();
  const { lang } = useT();
  const w = useValueWords();
  return (
    <div className="ds-scroll">
      <table className="ds-table" data-testid={`unmet-${gap.id}`}>
        <caption className="ds-caption">{s('gaps.unmet', { name: gap.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{s('col.indicator')}</th>
            <th scope="col">{s('col.value')}</th>
            <th scope="col">{s('col.target')}</th>
            <th scope="col">{s('col.gap')}</th>
            <th scope="col">{s('col.gapShare')}</th>
            <th scope="col">{s('col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {gap.unmet.map((u) => (
            <tr key={u.code} data-indicator={u.code} data-status={u.status}>
              <th scope="row">
                <span className="ds-code">{u.code}</span> {u.name}
                <span className="ds-crit">
                  {s('col.criterion')} {u.criterion}: {u.criterionName}
                  {u.critical ? ` (${s('critical')})` : ''}
                </span>
              </th>
              <td className="num">{formatValue(u.value, u.unit, lang, w)}</td>
              <td className="num">{formatTargetOf(u.target, u.unit, lang, w)}</td>
              <td className="num">{formatGapOf(u.gap, u.unit, lang)}</td>
              <td className="num">{formatShare(u.gapShare, lang)}</td>
              <td>
                <span className={`ds-status ds-status-${u.status}`}>{s(`status.${u.status}`)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Priorities({ communeId, date }: { communeId: string; date: string }) {
  const s = useS();
  const { pick, lang } = useT();
  const [goal, setGoal] = useState<PriorityGoal>('cheapest');
  const q = usePriorities(communeId, date, goal);
  const labelId = `ds-goal-${communeId.replace(/[^0-9A-Za-z]+/g, '-')}`;
  return (
    <div className="ds-prio" data-testid={`priorities-${communeId}`}>
      <div className="ds-prio-head">
        <h4 className="ds-h4">{s('prio.title')}</h4>
        <Toggle<PriorityGoal>
          legend={s('prio.goal')}
          name={labelId}
          value={goal}
          onChange={setGoal}
          options={[
            { value: 'cheapest', label: s('prio.cheapest') },
            { value: 'soonest', label: s('prio.soonest') },
          ]}
        />
      </div>
      {q.isPending && <p className="muted">{s('prio.loading')}</p>}
      {q.isError && <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />}
      {q.data && (
        <div aria-busy={q.isPlaceholderData} className={q.isPlaceholderData ? 'ds-stale' : undefined}>
          <p className="ds-sentence">{pick(q.data.sentence)}</p>
          <ol className="ds-prio-list">
            {q.data.items.map((it) => (
              <li key={it.code} data-indicator={it.code} data-source={it.estimate.source}>
                <p className="ds-prio-item">
                  <span className="ds-code">{it.code}</span> {it.name}
                </p>
                <p className="ds-prio-facts">
                  <span>
                    {s('prio.cost')}: {it.estimate.cost === null ? <em>{s('prio.noEstimate')}</em> : s('millions', { n: millions(it.estimate.cost, lang) })}
                  </span>
                  <span>
                    {s('prio.days')}: {it.estimate.days === null ? s('prio.daysUnknown') : s('prio.daysN', { n: formatNumber(it.estimate.days, lang) })}
                  </span>
                  {it.estimate.source !== 'unknown' && <span className={`ds-source ds-source-${it.estimate.source}`}>{s(`prio.source.${it.estimate.source}`)}</span>}
                </p>
                <p className="ds-why">{pick(it.why)}</p>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
