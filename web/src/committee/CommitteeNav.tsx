/** The one row of links under the header: committees, tasks, inbox, import, dossiers, the public portal. */
import { NavLink } from 'react-router';
import { useT } from '../i18n/index.tsx';
import './committee.css';

export function CommitteeNav() {
  const { t, pick } = useT();
  return (
    <nav className="committee-nav no-print" aria-label={pick({ vi: 'Chức năng', en: 'Sections' })}>
      <NavLink to="/committees">{t('nav.committees')}</NavLink>
      <NavLink to="/tasks">{t('nav.tasks')}</NavLink>
      <NavLink to="/inbox">{t('nav.inbox')}</NavLink>
      <NavLink to="/import" data-testid="nav-import">
        {pick({ vi: 'Nhập số liệu từ Excel', en: 'Import from Excel' })}
      </NavLink>
      <NavLink to="/dossiers">{t('nav.dossiers')}</NavLink>
      <NavLink to="/cong-khai">{t('nav.public')}</NavLink>
    </nav>
  );
}
