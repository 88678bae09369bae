/**
 * `/ho-tro-quyet-dinh/:unitId?date=…&view=gaps|allocation|defaults` — Hỗ trợ quyết định: the
 * communes of a unit ranked by closeness to their level with what each should do first, a what-if
 * budget allocation recomputed in the browser as the user types (the server's optimum follows), and
 * the province's default costs (editable by the province office). Lazy: its own chunk, with antd's
 * tabs, pickers and the allocation domain code; the chart only when its tab is shown.
 */
import { useMemo, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { useUnit } from '../api/hooks.ts';
import type { UnitDetail } from '../api/types.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { UnitPicker } from '../auth/UnitPicker.tsx';
import { useMe } from '../auth/session.ts';
import { useCan } from '../auth/useCan.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { useT } from '../i18n/index.tsx';
import { dayBefore, formatDate, withinPeriod } from '../format.ts';
import { useGaps } from './api.ts';
import { GapsSection } from './GapsSection.tsx';
import { AllocationSection } from './AllocationSection.tsx';
import { CostDefaultsSection } from './CostDefaultsSection.tsx';
import { useS } from './strings.ts';
import { Tabs } from './Tabs.tsx';
import './planning.css';

/** The demo's story: Bình Lục district before the merger, on the day of its committee meeting. */
const EXAMPLE = { unitId: '352@2025-03', name: 'Huyện Bình Lục', date: '2023-03-20' };

export function decisionPath(unitId: string, date?: string | null, view?: string): string {
  const q = new URLSearchParams();
  if (date) q.set('date', date);
  if (view) q.set('view', view);
  const s = q.toString();
  return `/ho-tro-quyet-dinh/${encodeURIComponent(unitId).replace(/%40/g, '@')}${s ? `?${s}` : ''}`;
}

const VIEWS = ['gaps', 'allocation', 'defaults'] as const;
type View = (typeof VIEWS)[number];

export default function DecisionSupportPage() {
  const s = useS();
  const { unitId } = useParams();
  const { date, explicit } = useDateParam();
  const me = useMe();
  const unit = useUnit(unitId);
  useDocumentTitle(unit.data ? `${s('title')} — ${unit.data.fullName}` : s('title'));
  const landing = me.data?.user?.landing;

  if (!unitId) {
    // A signed-in user with a unit of their own starts there (a district abolished in 2025 on its last day).
    if (landing?.kind === 'unit') return <Navigate to={decisionPath(landing.unitId, explicit ? date : null)} replace />;
    if (me.isPending) return <PageLoading />;
  }
  return (
    <div className="page ds-page" data-testid="decision-support">
      <h1 className="ds-title">{s('title')}</h1>
      <p className="ds-intro">{s('intro')}</p>
      <Controls unit={unit.data ?? null} />
      {!unitId && (
        <div className="notice notice-info" role="status">
          <p>{s('pick.prompt')}</p>
          <p>
            <Link to={decisionPath(EXAMPLE.unitId, EXAMPLE.date)}>{s('pick.example', { name: EXAMPLE.name, date: formatDate(EXAMPLE.date) })}</Link>
          </p>
        </div>
      )}
      {unitId && unit.isPending && <PageLoading />}
      {unitId && unit.isError && <ApiErrorView error={unit.error} date={date} onRetry={() => void unit.refetch()} />}
      {unit.data && <UnitView key={unit.data.id} unit={unit.data} />}
    </div>
  );
}

function Controls({ unit }: { unit: UnitDetail | null }) {
  const s = useS();
  const { date, setDate } = useDateParam();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const picked = unit ? { value: unit.id, label: unit.fullName + (unit.parents[0] ? `, ${unit.parents.map((p) => p.fullName).join(', ')}` : '') } : null;
  return (
    <div className="ds-controls">
      <div className="field ds-unit-field">
        <span className="control-label" id="ds-unit-label">
          {s('unit')}
        </span>
        <UnitPicker
          value={picked}
          ariaLabel={s('unit')}
          width={420}
          // Another unit is another path; the date and the view stay.
          onChange={(v) => v && navigate(decisionPath(v.value, params.get('date'), params.get('view') ?? undefined))}
        />
      </div>
      <div className="field">
        <label htmlFor="ds-date" className="control-label">
          {s('date')}
        </label>
        <DateInput id="ds-date" value={date} onChange={(d) => d && setDate(d)} />
        <span className="ds-help">{s('date.help')}</span>
      </div>
    </div>
  );
}

function UnitView({ unit }: { unit: UnitDetail }) {
  const s = useS();
  const { pick } = useT();
  const { date } = useDateParam();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const view: View = (VIEWS as readonly string[]).includes(params.get('view') ?? '') ? (params.get('view') as View) : 'gaps';
  const gaps = useGaps(unit.id, date);
  const valid = withinPeriod(date, unit.validFrom, unit.validTo);
  // Default costs are the province office's: only those who may set them somewhere see the table.
  const showDefaults = can('plan.defaults.write');
  const provinceId = unit.level === 'province' ? unit.id : (unit.provinceId ?? null);
  const sets = useMemo(() => {
    const bySet = new Map<string, { id: string; name: string; communes: number; short: Set<string> }>();
    for (const c of gaps.data?.communes ?? []) {
      const e = bySet.get(c.set) ?? { id: c.set, name: c.setName, communes: 0, short: new Set<string>() };
      e.communes++;
      for (const u of c.unmet) e.short.add(u.code);
      bySet.set(c.set, e);
    }
    return [...bySet.values()].sort((a, b) => b.communes - a.communes);
  }, [gaps.data]);
  const setView = (v: View) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('view', v);
        return next;
      },
      { replace: true },
    );
  const items: Array<{ key: View; label: string; children: ReactNode }> = [
    { key: 'gaps', label: s('tab.gaps'), children: <GapsSection unit={unit} date={date} gaps={gaps} /> },
    { key: 'allocation', label: s('tab.allocation'), children: <AllocationSection unit={unit} date={date} gaps={gaps.data ?? null} /> },
    ...(showDefaults && provinceId ? [{ key: 'defaults' as const, label: s('tab.defaults'), children: <CostDefaultsSection unitId={unit.id} sets={sets} /> }] : []),
  ];
  return (
    <>
      <p className="ds-asof" data-testid="ds-asof">
        <Link to={unitPath(unit.id, date)}>{unit.fullName}</Link>
        {unit.parents.length > 0 ? `, ${unit.parents.map((p) => p.fullName).join(', ')}` : ''} · {s('date')}: {formatDate(date)}
      </p>
      {!valid && (
        <div className="notice notice-warning" role="alert" data-testid="ds-validity">
          <p>
            {unit.fullName}: {unit.validFrom ? formatDate(unit.validFrom) : '…'} – {unit.validTo ? formatDate(unit.validTo) : '…'}.{' '}
            {unit.validTo && date > unit.validTo && <Link to={decisionPath(unit.id, unit.validTo, view)}>{formatDate(unit.validTo)}</Link>}
            {unit.validFrom && date < unit.validFrom && <Link to={decisionPath(unit.id, unit.validFrom, view)}>{formatDate(unit.validFrom)}</Link>}
          </p>
          {unit.successors.length > 0 && date > (unit.validTo ?? date) && (
            <p>
              {unit.successors.map((x, i) => (
                <span key={x.id}>
                  {i > 0 && ', '}
                  <Link to={decisionPath(x.id, date, view)}>{x.fullName}</Link>
                </span>
              ))}
            </p>
          )}
          {unit.predecessors.length > 0 && unit.validFrom && date < unit.validFrom && (
            <p>
              {unit.predecessors.map((x, i) => (
                <span key={x.id}>
                  {i > 0 && ', '}
                  <Link to={decisionPath(x.id, dayBefore(unit.validFrom!), view)}>{x.fullName}</Link>
                </span>
              ))}
            </p>
          )}
        </div>
      )}
      {gaps.data && <p className="ds-nearly-line">{pick(gaps.data.nearlyThereLine)}</p>}
      <Tabs label={s('title')} active={items.some((i) => i.key === view) ? view : 'gaps'} onChange={setView} items={items} />
    </>
  );
}
