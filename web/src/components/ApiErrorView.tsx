/**
 * An API error as the reader needs it: the server's message in the current language, the
 * alternatives of `unit_not_valid_on_date` as links that keep the date, a retry for glitches.
 */
import { Link } from 'react-router';
import { ApiError, NetworkError } from '../api/client.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';

export function errorMessage(error: unknown, lang: 'vi' | 'en'): string {
  if (error instanceof ApiError) return lang === 'vi' ? error.messageVi || error.message : error.message || error.messageVi;
  return error instanceof Error ? error.message : String(error);
}

export function ApiErrorView({ error, date, onRetry }: { error: unknown; date: string; onRetry?: () => void }) {
  const { t, lang } = useT();
  if (error instanceof ApiError && error.code === 'unit_not_valid_on_date') {
    const alternatives = error.alternatives;
    return (
      <div className="notice notice-warning" role="alert" data-testid="unit-alternatives">
        <p className="notice-title">
          <span aria-hidden="true">⚠ </span>
          {t('error.notValidOnDate')}
        </p>
        <p>{errorMessage(error, lang)}</p>
        {alternatives.length > 0 && (
          <>
            <p>{t('error.alternatives', { date: formatDate(date) })}</p>
            <ul>
              {alternatives.map((a) => (
                <li key={a.id}>
                  <Link to={unitPath(a.id, date)}>{a.name}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    );
  }
  const retriable = !(error instanceof ApiError) || error.status >= 500;
  return (
    <div className="notice notice-error" role="alert" data-testid="api-error">
      <p className="notice-title">
        <span aria-hidden="true">✗ </span>
        {t('error.title')}
      </p>
      <p>{error instanceof NetworkError ? t('error.network') : errorMessage(error, lang)}</p>
      {retriable && onRetry && (
        <p>
          <button type="button" className="btn" onClick={onRetry}>
            {t('app.retry')}
          </button>
        </p>
      )}
    </div>
  );
}
