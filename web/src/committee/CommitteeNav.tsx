/** The links to the committee pages, under the header. */
import { NavLink } from 'react-router';
import { useT } from '../i18n/index.tsx';
import './committee.css';

export function CommitteeNav() {
  const { t } = useT();
  return (
    <nav className="committee-nav" aria-label={t('nav.committees')}>
      <NavLink to="/committees">{t('nav.committees')}</NavLink>
      <NavLink to="/tasks">{t('nav.tasks')}</NavLink>
      <NavLink to="/inbox">{t('nav.inbox')}</NavLink>
    </nav>
  );
}
