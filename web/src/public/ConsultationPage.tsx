/**
 * /cong-khai/ho-so/:id — a dossier in public consultation, for anyone: the commune's result per
 * criterion, the published comments (the author's name only when the server sends it, i.e. with
 * consent), and the comment form. Comment text is shown as text (React escapes it).
 */
import { Link, useParams } from 'react-router';
import { usePublicDossier, type PublicDossier } from '../api/dossier.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { StatusTag } from '../components/StatusMark.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { formatDate, formatDateTime, todayIso } from '../format.ts';
import { useT } from '../i18n/index.tsx';
import { usePS } from './strings.ts';
import { CommentForm, WithdrawConsentForm } from './CommentForm.tsx';
import './public.css';

export function PublishedComments({ comments }: { comments: PublicDossier['comments'] }) {
  const s = usePS();
  return (
    <section aria-labelledby="pub-comments-h" data-testid="published-comments">
      <h2 id="pub-comments-h">
        {s('cons.comments')} ({comments.length})
      </h2>
      {comments.length === 0 ? (
        <p className="muted">{s('cons.noComments')}</p>
      ) : (
        <ul className="pub-comments">
          {comments.map((c) => (
            <li key={c.id} className="pub-comment" data-comment-id={c.id}>
              <p style={{ margin: 0 }}>
                <strong data-testid="comment-author">{c.authorName ?? s('cons.anonymous')}</strong> <span className="muted">· {formatDateTime(c.createdAt)}</span>
              </p>
              <p className="pub-comment-body" data-testid="comment-body">
                {c.body}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ConsultationView({ d }: { d: PublicDossier }) {
  const s = usePS();
  const { pick } = useT();
  return (
    <div className="pub-page" data-testid="consultation-page" data-dossier-id={d.dossierId}>
      <p>
        <Link to="/cong-khai">{s('back')}</Link>
      </p>
      <h1>{s('cons.title', { unit: d.unit.name })}</h1>
      <p>
        {d.unit.parentName && <span className="muted">{d.unit.parentName} · </span>}
        {s('cons.level', { level: pick(d.levelName) })} · {s('cons.stage', { stage: pick(d.stageName) })}
      </p>
      <p data-testid="consultation-period">
        {s('cons.period', { from: formatDate(d.openedOn), to: d.closesOn ? s('cons.periodTo', { date: formatDate(d.closesOn) }) : '' })}
        {!d.open && <strong> — {s('cons.closed')}</strong>}
      </p>
      {d.review && (
        <p className="notice notice-info" data-testid="consultation-review">
          {s('cons.review', { date: formatDate(d.review.date), cm: d.review.criteriaMet, ct: d.review.criteriaTotal, im: d.review.indicatorsMet, it: d.review.indicatorsTotal })}
        </p>
      )}
      {d.criteria.length > 0 && (
        <section aria-labelledby="criteria-h">
          <h2 id="criteria-h">{s('cons.criteria')}</h2>
          <div style={{ overflowX: 'auto' }}>
            <table className="pub-table" data-testid="consultation-criteria">
              <thead>
                <tr>
                  <th scope="col">{s('cons.col.code')}</th>
                  <th scope="col">{s('cons.col.name')}</th>
                  <th scope="col">{s('cons.col.status')}</th>
                  <th scope="col">{s('cons.col.indicators')}</th>
                </tr>
              </thead>
              <tbody>
                {d.criteria.map((c) => (
                  <tr key={c.code} data-criterion={c.code} data-status={c.status}>
                    <td>{c.code}</td>
                    <th scope="row">{c.name}</th>
                    <td>
                      <StatusTag status={c.status} label={s(`status.${c.status}`)} />
                    </td>
                    <td className="num">
                      {c.indicatorsMet}/{c.indicatorsTotal}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <PublishedComments comments={d.comments} />
      {d.open ? <CommentForm dossier={d} /> : <p className="muted">{s('cons.closed')}</p>}
      <WithdrawConsentForm />
    </div>
  );
}

export default function ConsultationPage() {
  const s = usePS();
  const id = Number(useParams().dossierId);
  const q = usePublicDossier(id);
  useDocumentTitle(q.data ? s('cons.title', { unit: q.data.unit.name }) : s('portal.consultations'));
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={todayIso()} onRetry={() => void q.refetch()} />;
  return <ConsultationView d={q.data} />;
}
