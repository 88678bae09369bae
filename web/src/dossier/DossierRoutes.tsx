/** /dossiers and /dossiers/:id — one lazy entry for the app's routes; each page is its own chunk. */
import { lazy } from 'react';
import { useParams } from 'react-router';

const DossierListPage = lazy(() => import('./DossierListPage.tsx'));
const DossierPage = lazy(() => import('./DossierPage.tsx'));

export default function DossierRoutes() {
  return useParams().dossierId ? <DossierPage /> : <DossierListPage />;
}
