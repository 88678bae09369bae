/**
 * Providers and routes. antd speaks the chosen language (vi_VN by default, en_US), dayjs too;
 * TanStack Query caches API answers; React Router maps the deep links:
 *   /                          → a signed-in user's own place, else the demo province overview (see HomeRedirect)
 *   /units/:unitId?date=…      → overview (province/district) or commune page (&print=1: print view,
 *                                &cell=<unit>~<criterion>: a matrix cell's indicators, &set=: criteria set)
 *   /reviews/:reviewId         → review entry (a draft) or a submitted review, read-only
 *   /dev/matrix?rows=1000      → synthetic matrix for the smoothness benchmark
 *   /login?next=…              → sign in (then MFA code); /account/password, /account/mfa
 *   /admin, /audit             → accounts, roles and API tokens; the audit trail (read-only)
 *   /dossiers, /dossiers/:id   → recognition dossiers (list with alerts; one dossier's workflow)
 *   /bo-tieu-chi[/:setId/:version] → criteria sets; one stored version (editor, verification, publishing)
 *   /cong-khai, /cong-khai/ho-so/:id → public portal and consultation (own frame, no sign-in)
 *   /ho-tro-quyet-dinh/:unitId?   → decision support: gaps, priorities, what-if allocation, default costs (&view=)
 */
import { lazy, Suspense } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, type ThemeConfig } from 'antd';
import type { Locale } from 'antd/es/locale/index.js';
import viVNModule from 'antd/es/locale/vi_VN.js';
import enUSModule from 'antd/es/locale/en_US.js';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { I18nProvider, useT } from './i18n/index.tsx';
import { shouldRetry } from './api/hooks.ts';
import { prefetchFor } from './prefetch.ts';
import { AppLayout } from './components/AppLayout.tsx';
import UnitPage from './pages/UnitPage.tsx';
import NotFoundPage from './pages/NotFoundPage.tsx';

// `/` decides where to go (a signed-in user's own place): its own small chunk, out of the first view's budget.
const HomeRedirect = lazy(() => import('./pages/HomeRedirect.tsx'));
const NationalPage = lazy(() => import('./pages/NationalPage.tsx'));
const ReviewPage = lazy(() => import('./review/ReviewPage.tsx'));
const MatrixBenchPage = lazy(() => import('./pages/MatrixBenchPage.tsx'));
const CommitteesPage = lazy(() => import('./committee/CommitteesPage.tsx'));
const CommitteePage = lazy(() => import('./committee/CommitteePage.tsx'));
const MeetingPage = lazy(() => import('./committee/MeetingPage.tsx'));
const TaskBoardPage = lazy(() => import('./committee/TaskBoardPage.tsx'));
const TaskPage = lazy(() => import('./committee/TaskPage.tsx'));
const ActionPlanPage = lazy(() => import('./committee/ActionPlanPage.tsx'));
const InboxPage = lazy(() => import('./committee/InboxPage.tsx'));
const LoginPage = lazy(() => import('./auth/LoginPage.tsx'));
const ChangePasswordPage = lazy(() => import('./auth/AccountPages.tsx').then((m) => ({ default: m.ChangePasswordPage })));
const MfaSetupPage = lazy(() => import('./auth/AccountPages.tsx').then((m) => ({ default: m.MfaSetupPage })));
const AdminPage = lazy(() => import('./auth/AdminPage.tsx'));
const AuditPage = lazy(() => import('./auth/AuditPage.tsx'));
const ImportPage = lazy(() => import('./pages/ImportPage.tsx'));
const DossierRoutes = lazy(() => import('./dossier/DossierRoutes.tsx'));
const CatalogRoutes = lazy(() => import('./catalog/CatalogRoutes.tsx'));
const PlanningRoutes = lazy(() => import('./planning/PlanningRoutes.tsx'));
// The public portal has its own frame (no account menu, no signed-in calls).
const PublicRoutes = lazy(() => import('./public/PublicRoutes.tsx'));
const publicRoutes = (
  <Suspense>
    <PublicRoutes />
  </Suspense>
);

/**
 * antd's ES locale files are typed as CommonJS (the package has no "type": "module"), so under
 * NodeNext a default import is typed as the module object; at run time Vite hands over the
 * locale itself. Accept both.
 */
function interopDefault<T>(m: T | { default: T }): T {
  return typeof m === 'object' && m !== null && 'default' in m ? (m as { default: T }).default : (m as T);
}
const viVN = interopDefault<Locale>(viVNModule);
const enUS = interopDefault<Locale>(enUSModule);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 60_000, retry: shouldRetry, refetchOnWindowFocus: false },
  },
});

// The first page's data and code start loading now, in parallel with React's first render.
prefetchFor(queryClient, window.location.pathname, window.location.search);

const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'units/:unitId', element: <UnitPage /> },
      { path: 'ca-nuoc', element: <NationalPage /> },
      { path: 'reviews/:reviewId', element: <ReviewPage /> },
      { path: 'dev/matrix', element: <MatrixBenchPage /> },
      { path: 'committees', element: <CommitteesPage /> },
      { path: 'committees/:committeeId', element: <CommitteePage /> },
      { path: 'meetings/:meetingId', element: <MeetingPage /> },
      { path: 'tasks', element: <TaskBoardPage /> },
      { path: 'tasks/:taskId', element: <TaskPage /> },
      { path: 'units/:unitId/action-plan', element: <ActionPlanPage /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'account/password', element: <ChangePasswordPage /> },
      { path: 'account/mfa', element: <MfaSetupPage /> },
      { path: 'admin', element: <AdminPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'import', element: <ImportPage /> },
      { path: 'dossiers/:dossierId?', element: <DossierRoutes /> },
      { path: 'bo-tieu-chi/:setId?/:version?', element: <CatalogRoutes /> },
      { path: 'ho-tro-quyet-dinh/:unitId?', element: <PlanningRoutes /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: 'cong-khai/ho-so?/:dossierId?', element: publicRoutes },
]);

/** Colours chosen for WCAG AA contrast on white (links, secondary text). */
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0b4f9c',
    colorLink: '#0b4f9c',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    fontFamily: "'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif",
    borderRadius: 6,
  },
};

function LocalisedApp() {
  const { lang } = useT();
  // Synchronously, so the date picker's month and day names switch in the same render.
  dayjs.locale(lang === 'vi' ? 'vi' : 'en');
  return (
    <ConfigProvider locale={lang === 'vi' ? viVN : enUS} theme={theme}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocalisedApp />
      </I18nProvider>
    </QueryClientProvider>
  );
}
