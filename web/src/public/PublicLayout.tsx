/**
 * The frame of the public pages (/cong-khai…): no sign-in, no signed-in-only calls (no unit
 * search, no account menu that reacts to 401) — only the language switch, the demo banner
 * (GET /health is open to everyone) and a link for staff to sign in.
 */
import { Suspense, type ReactNode } from 'react';
import { Link } from 'react-router';
import { DemoBanner } from '../components/DemoBanner.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useT } from '../i18n/index.tsx';
import { usePS } from './strings.ts';
import './public.css';

export default function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useT();
  const s = usePS();
  return (
    <div className="app public-app" data-testid="public-layout">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="pub-header">
        <Link to="/cong-khai" className="brand-link">
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>
          <span className="brand-text">
            <span className="brand-name">{s('layout.title')}</span>
            <span className="brand-tagline">{s('layout.tagline')}</span>
          </span>
          <span className="sr-only"> — {s('layout.home')}</span>
        </Link>
        <div className="pub-header-right">
          <LanguageSwitch />
          <Link to="/login?next=%2Fdossiers" data-testid="staff-sign-in">
            {s('layout.staff')}
          </Link>
        </div>
      </header>
      <DemoBanner />
      <main id="main" className="pub-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          {children}
        </Suspense>
      </main>
      <footer className="pub-footer">{s('layout.footer')}</footer>
    </div>
  );
}
