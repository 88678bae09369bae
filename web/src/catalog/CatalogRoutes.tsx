/** /bo-tieu-chi and /bo-tieu-chi/:setId/:version — one lazy entry for the app's routes; each page is its own chunk. */
import { lazy } from 'react';
import { useParams } from 'react-router';

const CriteriaSetsPage = lazy(() => import('./CriteriaSetsPage.tsx'));
const SetVersionPage = lazy(() => import('./SetVersionPage.tsx'));

export default function CatalogRoutes() {
  const { setId, version } = useParams();
  return setId && version ? <SetVersionPage /> : <CriteriaSetsPage />;
}
