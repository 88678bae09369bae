/**
 * Theo dõi rủi ro — a short list of a risk watch: recognised communes near revocation and communes
 * whose indicators were met and have slipped, commune name first, what and why (Vietnamese first).
 * Shown in the province office's inbox and on a meeting's page.
 */
import { Link } from 'react-router';
import type { UserInbox } from '../api/committee.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';

type RiskWatch = UserInbox['risks'][number];

export function RiskWatchList({ watch, showEmpty = false }: { watch: RiskWatch; showEmpty?: boolean }) {
  const { t, pick } = useT();
  const empty = watch.revocations.length === 0 && watch.slipped.length === 0 && watch.deadlines.length === 0;
  if (empty && !showEmpty) return null;
  const id = `risks-${watch.unitId.replace(/[^0-9a-z]/gi, '-')}`;
  return (
    <section className="cm-section cm-risks" aria-labelledby={id} data-testid="risk-watch" data-unit-id={watch.unitId}>
      <h2 id={id}>{t('risks.title', { unit: watch.unitName, date: formatDate(watch.date) })}</h2>
      {empty && <p className="cm-muted">{t('risks.none')}</p>}
      <ul className="cm-inbox">
        {watch.revocations.map((r) => (
          <li key={`rev-${r.unitId}`} data-kind="revocation">
            <span className="cm-tag" data-status="overdue">
              {t('risks.revocation')}
            </span>{' '}
            <Link to={unitPath(r.unitId, watch.date)}>{r.unitName}</Link>: <span>{pick(r.detail)}</span>
          </li>
        ))}
        {watch.slipped.map((s) => (
          <li key={`slip-${s.unitId}`} data-kind="slipped">
            <span className="cm-tag proposed">{t('risks.slipped')}</span> <Link to={unitPath(s.unitId, watch.date)}>{s.unitName}</Link>: <span>{pick(s.detail)}</span>
            <details>
              <summary>{t('risks.details', { n: s.indicators.length })}</summary>
              <ul>
                {s.indicators.map((i) => (
                  <li key={i.code}>{pick(i.reason)}</li>
                ))}
              </ul>
            </details>
          </li>
        ))}
        {watch.deadlines.map((d) => (
          <li key={`${d.kind}-${d.id}`} data-kind="deadline">
            <span className="cm-tag" data-status={d.readiness === 'at_risk' ? 'overdue' : 'in_progress'}>
              {t(d.readiness === 'at_risk' ? 'risks.deadlineAtRisk' : 'risks.deadlineUncertain')}
            </span>{' '}
            <Link to={unitPath(d.unitId, watch.date)}>{d.unitName}</Link>:{' '}
            {d.kind === 'task' ? <Link to={`/tasks/${d.id}?date=${watch.date}`}>{d.title}</Link> : <Link to={`/dossiers/${d.id}?date=${watch.date}`}>{d.title}</Link>}
            <p className="cm-muted">{pick(d.reason)}</p>
          </li>
        ))}
      </ul>
      <details className="cm-muted">
        <summary>{t('risks.method')}</summary>
        <p>{pick(watch.method)}</p>
      </details>
    </section>
  );
}
