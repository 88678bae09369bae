/** /cong-khai and /cong-khai/ho-so/:id — the public portal in its own frame (one lazy entry for the app's routes). */
import { lazy } from 'react';
import { useParams } from 'react-router';
import PublicLayout from './PublicLayout.tsx';

const TransparencyPage = lazy(() => import('./TransparencyPage.tsx'));
const ConsultationPage = lazy(() => import('./ConsultationPage.tsx'));

export default function PublicRoutes() {
  return <PublicLayout>{useParams().dossierId ? <ConsultationPage /> : <TransparencyPage />}</PublicLayout>;
}
