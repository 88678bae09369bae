import { Link } from 'react-router';
import { useT } from '../i18n/index.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';

export default function NotFoundPage() {
  const { t } = useT();
  useDocumentTitle(t('error.notFoundPage'));
  return (
    <div className="page">
      <h1 className="unit-title">{t('error.notFoundPage')}</h1>
      <p>
        <Link to="/">{t('app.home')}</Link>
      </p>
    </div>
  );
}
