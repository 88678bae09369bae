/**
 * Bảng nhiệm vụ — columns by status on the date read (overdue in its own column, flagged with
 * text and colour), for a unit (`?unitId=`), an assignee (`?assignee=`), a committee or a meeting.
 */
import { useSearchParams } from 'react-router';
import { useTaskBoard } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { TaskCard } from './parts.tsx';
import { MergedWork } from './MergedWork.tsx';
import './committee.css';

export default function TaskBoardPage() {
  const { t, pick } = useT();
  const { date } = useDateParam();
  const [params] = useSearchParams();
  const num = (k: string) => (params.get(k) ? Number(params.get(k)) : undefined);
  const q = useTaskBoard({ unitId: params.get('unitId') ?? undefined, assignee: params.get('assignee') ?? undefined, committeeId: num('committeeId'), meetingId: num('meetingId'), date });
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />;
  const b = q.data;
  const title = b.scope.unitName ? t('task.boardOfUnit', { name: b.scope.unitName }) : b.scope.assignee ? t('task.boardOfAssignee', { name: b.scope.assignee }) : t('task.boardTitle');
  return (
    <div className="page cm-page" data-testid="task-board">
      <h1>{title}</h1>
      <p className="cm-sub">{t('task.asOf', { date: formatDate(b.date) })}</p>
      {b.scope.unitId && <MergedWork key={b.columns.map((c) => c.tasks.length).join()} unitId={b.scope.unitId} date={b.date} tasks={b.columns.flatMap((c) => c.tasks).filter((tk) => tk.mergedInto?.unitId === b.scope.unitId)} />}
      <div className="cm-board">
        {b.columns.map((c) => (
          <section key={c.status} className="cm-column" data-status={c.status} aria-labelledby={`col-${c.status}`} data-testid={`column-${c.status}`}>
            <h2 id={`col-${c.status}`}>
              <span>
                {c.status === 'overdue' ? '⚠ ' : ''}
                {pick(c.label)}
              </span>
              <span>{c.tasks.length}</span>
            </h2>
            {c.tasks.length === 0 && <p className="cm-muted">{t('task.empty')}</p>}
            {c.tasks.map((tk) => (
              <TaskCard key={tk.id} task={tk} date={b.date} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
