/**
 * The frame of every page: skip link, header (product name, search, date, language), the demo
 * banner, and the page in `<main>`. Pages are lazy, so they render inside Suspense here. On a
 * phone the controls and the navigation fold into a menu button (they took 330 of 740 px).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { DemoBanner } from './DemoBanner.tsx';
import { UnitSearch } from './UnitSearch.tsx';
import { DateControl } from './DateControl.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { UnitTreeButton } from './UnitTreeButton.tsx';
import { PrintBar, usePrintMode } from './PrintView.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { CommitteeNav } from '../committee/CommitteeNav.tsx';
import { useHealth } from '../api/hooks.ts';
// The account menu (antd Dropdown and Button) is its own chunk: the first view stays within budget.
// Not deferred: it also listens for an expired session (→ the login page).
const UserMenu = lazy(() => import('../auth/UserMenu.tsx').then((m) => ({ default: m.UserMenu })));

export function PageLoading() {
  const { t } = useT();
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

export function AppLayout() {
  const { t } = useT();
  const { date, explicit, invalid } = useDateParam();
  const print = usePrintMode();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // The demo banner sits above the page: the page is drawn once the server has said whether it
  // runs on demo data (a small request started with the first script), so the banner never
  // pushes a drawn page down. Not after a failed try: the page then shows what is wrong.
  const health = useHealth();
  const awaitHealth = health.isPending && health.failureCount === 0;
  // A link followed from the menu closes it.
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <div className={['app', print ? 'print-view' : '', menuOpen ? 'menu-open' : ''].filter(Boolean).join(' ')}>
      {print && <PrintBar />}
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <Link to={explicit ? `/?date=${date}` : '/'} className="brand-link">
            <span className="brand-mark" aria-hidden="true">
              ✓
            </span>
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </span>
            {/* The visible words first (WCAG 2.5.3), then where the link goes. */}
            <span className="sr-only"> — {t('app.home')}</span>
          </Link>
        </div>
        <button type="button" className="menu-toggle no-print" aria-expanded={menuOpen} aria-controls="app-menu" onClick={() => setMenuOpen((o) => !o)} data-testid="menu-toggle">
          <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span> {t('app.menu')}
        </button>
        <UnitTreeButton />
        <UnitSearch />
        <DateControl />
        <LanguageSwitch />
        <Suspense fallback={<div className="user-menu" />}>
          <UserMenu />
        </Suspense>
        <p className="print-only print-date">{t('date.printAsOf', { date: formatDate(date) })}</p>
      </header>
      <div id="app-menu" className="app-menu-nav">
        <CommitteeNav />
      </div>
      <DemoBanner />
      <main id="main" className="app-main" tabIndex={-1}>
        {invalid && (
          <p className="notice notice-warning" role="alert">
            {t('date.invalidInUrl', { value: invalid })}
          </p>
        )}
        {!awaitHealth && (
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        )}
      </main>
    </div>
  );
}
