/**
 * Bản in — the print layout of any page, reached by its button or by adding `print=1` to the
 * link: A4, no controls, every row and every criterion open, with the date of the figures, the
 * source and "dữ liệu minh họa" when the data is illustrative. The bar on top (not printed) prints
 * or goes back.
 */
import { Link, useLocation, useSearchParams } from 'react-router';
import { useHealth } from '../api/hooks.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatDateTime } from '../format.ts';

export function usePrintMode(): boolean {
  const [params] = useSearchParams();
  return params.get('print') === '1';
}

function withPrint(search: string, on: boolean): string {
  const p = new URLSearchParams(search);
  if (on) p.set('print', '1');
  else p.delete('print');
  p.delete('cell');
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** "Bản in" — opens the print view of the current page (same date). */
export function PrintLink() {
  const { t } = useT();
  const loc = useLocation();
  if (new URLSearchParams(loc.search).get('print') === '1') return null;
  return (
    <Link className="btn btn-small no-print" to={{ pathname: loc.pathname, search: withPrint(loc.search, true) }} data-testid="print-link">
      {t('print.open')}
    </Link>
  );
}

/** The bar above the print view (not printed): print, back to the page. */
export function PrintBar() {
  const { t } = useT();
  const loc = useLocation();
  return (
    <div className="print-bar" role="region" aria-label={t('print.barLabel')} data-testid="print-bar">
      <span>{t('print.hint')}</span>
      <button type="button" className="btn btn-primary" onClick={() => window.print()}>
        {t('print.print')}
      </button>
      <Link className="btn" to={{ pathname: loc.pathname, search: withPrint(loc.search, false) }}>
        {t('print.close')}
      </Link>
    </div>
  );
}

/** The source line printed at the foot of a page: where the figures come from, their date, when printed. */
export function PrintSource({ isDemo, date }: { isDemo: boolean; date: string }) {
  const { t } = useT();
  const health = useHealth();
  const demo = isDemo || !!health.data?.demo;
  return (
    <footer className="print-source" data-testid="print-source">
      <p>
        {t('print.source', { date: formatDate(date), url: typeof window !== 'undefined' ? window.location.origin : '' })}
        {' · '}
        {t('print.printedAt', { at: formatDateTime(new Date().toISOString()) })}
      </p>
      {demo && (
        <p className="print-demo" data-testid="print-demo">
          {t('print.demo')}
        </p>
      )}
    </footer>
  );
}
