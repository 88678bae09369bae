/**
 * `/` → a signed-in user's own place (landingFor: the commune, the province, the committees, the
 * accounts page, the audit trail); anyone else → the demo province overview on the chosen date
 * (default today). If that province has no reviewed commune then, try its pre-merger predecessor
 * on its last day; if that has none either, go to the first anyway — its page explains what is missing.
 */
import { Navigate } from 'react-router';
import { useUnit, useUnitSummary } from '../api/hooks.ts';
import { useMe } from '../auth/session.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { PageLoading } from '../components/AppLayout.tsx';
import { HOME_UNITS } from '../config.ts';
import type { Landing } from '../../../src/domain/policy.ts';
import { todayIso } from '../format.ts';

function landingPath(l: Landing, date: string | null): string | null {
  const q = date ? `?date=${date}` : '';
  switch (l.kind) {
    case 'unit':
      return unitPath(l.unitId, date);
    case 'committees':
      return `/committees${q}`;
    case 'admin':
      return '/admin';
    case 'audit':
      return '/audit';
    case 'national':
      return `/ca-nuoc${q}`;
    case 'none':
      return null;
  }
}

export default function HomeRedirect() {
  const me = useMe();
  const { date, explicit } = useDateParam();
  const landing = me.data?.authenticated && me.data.stage === 'active' && me.data.user ? me.data.user.landing : null;
  // A unit abolished in 2025 (a district office's) opens on its last day, where its data lives.
  const unit = useUnit(landing?.kind === 'unit' && !explicit ? landing.unitId : undefined);
  const lastDay = unit.data?.validTo && unit.data.validTo < todayIso() ? unit.data.validTo : null;
  const own = landing ? landingPath(landing, explicit ? date : lastDay) : null;
  const afterMerge = date >= HOME_UNITS.mergeOn;
  const primary = afterMerge ? HOME_UNITS.after : HOME_UNITS.before;
  const primaryTarget = unitPath(primary, explicit ? date : null);
  const waiting = me.isPending || own !== null;
  const summary = useUnitSummary(waiting ? undefined : primary, date);
  const needFallback = afterMerge && summary.isSuccess && summary.data.reviewed === 0;
  const fallback = useUnitSummary(needFallback ? HOME_UNITS.before : undefined, HOME_UNITS.beforeLastDay);

  if (me.isPending || (landing?.kind === 'unit' && !explicit && unit.isPending)) return <PageLoading />;
  if (own) return <Navigate to={own} replace />;
  if (summary.isPending) return <PageLoading />;
  if (summary.isError || !needFallback) return <Navigate to={primaryTarget} replace />;
  if (fallback.isPending) return <PageLoading />;
  if (fallback.isSuccess && fallback.data.reviewed > 0) return <Navigate to={unitPath(HOME_UNITS.before, HOME_UNITS.beforeLastDay)} replace />;
  return <Navigate to={primaryTarget} replace />;
}
