/**
 * `/` → the demo province overview on the chosen date (default today). If that province has no
 * reviewed commune then, try its pre-merger predecessor on its last day; if that has none either,
 * go to the first anyway — its page explains what is missing.
 */
import { Navigate } from 'react-router';
import { useUnitSummary } from '../api/hooks.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { PageLoading } from '../components/AppLayout.tsx';
import { HOME_UNITS } from '../config.ts';

export default function HomeRedirect() {
  const { date, explicit } = useDateParam();
  const afterMerge = date >= HOME_UNITS.mergeOn;
  const primary = afterMerge ? HOME_UNITS.after : HOME_UNITS.before;
  const primaryTarget = unitPath(primary, explicit ? date : null);
  const summary = useUnitSummary(primary, date);
  const needFallback = afterMerge && summary.isSuccess && summary.data.reviewed === 0;
  const fallback = useUnitSummary(needFallback ? HOME_UNITS.before : undefined, HOME_UNITS.beforeLastDay);

  if (summary.isPending) return <PageLoading />;
  if (summary.isError || !needFallback) return <Navigate to={primaryTarget} replace />;
  if (fallback.isPending) return <PageLoading />;
  if (fallback.isSuccess && fallback.data.reviewed > 0) return <Navigate to={unitPath(HOME_UNITS.before, HOME_UNITS.beforeLastDay)} replace />;
  return <Navigate to={primaryTarget} replace />;
}
