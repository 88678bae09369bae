/** The one row of links under the header: committees, tasks, inbox, import, dossiers, decision support, criteria sets, the public portal — each only for whoever may use it. */
import { NavLink } from 'react-router';
import { useT } from '../i18n/index.tsx';
import { useCan } from '../auth/useCan.ts';
import './committee.css';

export function CommitteeNav() {
  const { t, pick } = useT();
  const can = useCan();
  return (
    <nav className="committee-nav no-print" aria-label={pick({ vi: 'Chức năng', en: 'Sections' })}>
      {can('committee.read') && <NavLink to="/committees">{t('nav.committees')}</NavLink>}
      {can('task.read') && <NavLink to="/tasks">{t('nav.tasks')}</NavLink>}
      {can('inbox.read') && <NavLink to="/inbox">{t('nav.inbox')}</NavLink>}
      {can('data.import') && (
        <NavLink to="/import" data-testid="nav-import">
          {pick({ vi: 'Nhập số liệu từ Excel', en: 'Import from Excel' })}
        </NavLink>
      )}
      {can('dossier.read') && <NavLink to="/dossiers">{t('nav.dossiers')}</NavLink>}
      {can('plan.read') && <NavLink to="/ho-tro-quyet-dinh">{pick({ vi: 'Hỗ trợ quyết định', en: 'Decision support' })}</NavLink>}
      {can('catalog.read') && <NavLink to="/bo-tieu-chi">{pick({ vi: 'Bộ tiêu chí', en: 'Criteria sets' })}</NavLink>}
      <NavLink to="/cong-khai">{t('nav.public')}</NavLink>
    </nav>
  );
}
