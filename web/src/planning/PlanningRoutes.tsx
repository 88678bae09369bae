/** /ho-tro-quyet-dinh/:unitId? — one small lazy entry for the app's routes (the first view lists only it); the page is its own chunk. */
import { lazy } from 'react';

const DecisionSupportPage = lazy(() => import('./DecisionSupportPage.tsx'));

export default function PlanningRoutes() {
  return <DecisionSupportPage />;
}
