/**
 * `/units/:unitId?date=` — one unit on a date. Provinces and districts get the overview, communes
 * the commune page (decided by the unit's level). Both pages are separate chunks.
 */
import { lazy } from 'react';
import { useParams } from 'react-router';
import { useUnit } from '../api/hooks.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { isCommuneId, loadCommunePage, loadOverviewPage } from '../prefetch.ts';

const OverviewPage = lazy(loadOverviewPage);
const CommunePage = lazy(loadCommunePage);

export default function UnitPage() {
  const { unitId } = useParams();
  const { date } = useDateParam();
  // Fetch the page's code alongside the unit (the id's code length tells which page it is).
  if (unitId) void (isCommuneId(unitId) ? loadCommunePage() : loadOverviewPage());
  const unit = useUnit(unitId);
  useDocumentTitle(unit.data?.fullName);
  if (unit.isPending) return <PageLoading />;
  if (unit.isError) {
    return (
      <div className="page">
        <ApiErrorView error={unit.error} date={date} onRetry={() => void unit.refetch()} />
      </div>
    );
  }
  return unit.data.level === 'commune' ? <CommunePage key={unit.data.id} unit={unit.data} /> : <OverviewPage key={unit.data.id} unit={unit.data} />;
}
