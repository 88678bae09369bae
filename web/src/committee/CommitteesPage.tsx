/** Ban Chỉ đạo — the committees the reader may see, each with its head and period. */
import { Link } from 'react-router';
import { useCommittees } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatPeriod } from '../format.ts';
import './committee.css';

export default function CommitteesPage() {
  const { t, lang } = useT();
  const { date } = useDateParam();
  const q = useCommittees(undefined, date);
  return (
    <div className="page cm-page" data-testid="committees-page">
      <h1>{t('committee.listTitle')}</h1>
      {q.isPending && <PageLoading />}
      {q.isError && <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />}
      {q.data && q.data.length === 0 && <p>{t('committee.none')}</p>}
      <ul>
        {q.data?.map((c) => (
          <li key={c.id}>
            <Link to={`/committees/${c.id}?date=${date}`}>{c.name}</Link> — {c.unitName} · {t('committee.period', { period: formatPeriod(c.periodFrom, c.periodTo, lang) })}
            {c.head ? ` · ${t('committee.head', { name: c.head })}` : ''} · {t('committee.memberCount', { n: c.memberCount })}
            {c.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
