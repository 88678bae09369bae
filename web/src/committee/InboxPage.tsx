/** Nhắc việc — the signed-in user's reminders on the date: overdue, due soon, returned, proposed complete, new. */
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useInbox } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { RiskTag } from '../dossier/parts.tsx';
import { useS } from '../dossier/strings.ts';
import type { UserInbox } from '../api/committee.ts';
import { RiskWatchList } from './RiskWatchList.tsx';
import './committee.css';

/** Dossiers whose current step is the user's: returned ones (with the reasons) first. */
function DossierInbox({ items, date }: { items: UserInbox['dossiers']; date: string }) {
  const { pick } = useT();
  const s = useS();
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="inbox-dossiers">
      <h2 id="inbox-dossiers">
        {s('inbox.title')} ({items.length})
      </h2>
      <ul className="cm-inbox" data-testid="inbox-dossiers">
        {items.map((i) => (
          <li key={i.dossier.id} data-returned={i.returned ? 'true' : 'false'}>
            {i.returned ? (
              <span className="cm-tag" data-status="overdue">
                {s('inbox.returned')}
              </span>
            ) : (
              <RiskTag risk={i.dossier.stepRisk} />
            )}{' '}
            <Link to={`/dossiers/${i.dossier.id}?date=${date}`}>{pick(i.message)}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function InboxPage() {
  const { t, pick } = useT();
  const { date } = useDateParam();
  const q = useInbox(date);
  return (
    <div className="page cm-page" data-testid="inbox-page">
      <h1>{t('inbox.title')}</h1>
      {q.isPending && <PageLoading />}
      {q.isError && (q.error instanceof ApiError && q.error.status === 401 ? <p className="notice notice-info">{t('inbox.signIn')}</p> : <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />)}
      {q.data && (
        <>
          <p className="cm-sub">{t('inbox.summary', { all: q.data.counts.all, overdue: q.data.counts.overdue, soon: q.data.counts.due_soon })}</p>
          {q.data.items.length === 0 && q.data.dossiers.length === 0 && q.data.risks.length === 0 && <p>{t('inbox.empty')}</p>}
          <ul className="cm-inbox">
            {q.data.items.map((i) => (
              <li key={i.key} data-kind={i.kind}>
                <span className="cm-tag" data-status={i.kind === 'overdue' ? 'overdue' : i.kind === 'proposed' ? 'done' : 'in_progress'}>
                  {pick(i.label)}
                </span>{' '}
                <Link to={`/tasks/${i.task.id}?date=${date}`}>{pick(i.message)}</Link> <span className="cm-muted">— {i.task.unitName}</span>
              </li>
            ))}
          </ul>
          <DossierInbox items={q.data.dossiers} date={date} />
          {q.data.risks.map((w) => (
            <RiskWatchList key={w.unitId} watch={w} />
          ))}
        </>
      )}
    </div>
  );
}
