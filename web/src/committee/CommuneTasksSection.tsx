/** "Nhiệm vụ" on the commune page: the commune's tasks on the date, its meetings, its action plan. */
import { Link } from 'react-router';
import { useMeetings, useTaskBoard } from '../api/committee.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { TaskCard } from './parts.tsx';
import './committee.css';

export function CommuneTasksSection({ unitId, date }: { unitId: string; date: string }) {
  const { t } = useT();
  const board = useTaskBoard({ unitId, date });
  const meetings = useMeetings({ unitId });
  const b = board.data;
  const urgent = b ? b.columns.filter((c) => c.status === 'overdue' || c.status === 'in_progress' || c.status === 'new').flatMap((c) => c.tasks) : [];
  return (
    <section className="cm-section" aria-labelledby="commune-tasks-h" data-testid="commune-tasks">
      <h2 id="commune-tasks-h" className="section-title">
        {t('task.section')}
      </h2>
      {b && (
        <p>
          {t('task.sectionSummary', { all: b.counts.all, overdue: b.counts.overdue, open: b.counts.new + b.counts.in_progress + b.counts.overdue, proposed: b.counts.proposed })} ·{' '}
          <Link to={`/tasks?unitId=${encodeURIComponent(unitId)}&date=${date}`}>{t('task.openBoard')}</Link> ·{' '}
          <Link to={`/units/${encodeURIComponent(unitId).replace(/%40/g, '@')}/action-plan?date=${date}`}>{t('task.actionPlan')}</Link>
        </p>
      )}
      {urgent.slice(0, 6).map((tk) => (
        <TaskCard key={tk.id} task={tk} date={date} />
      ))}
      {(meetings.data?.length ?? 0) > 0 && (
        <>
          <h3>{t('task.meetingsOfCommune')}</h3>
          <ul>
            {meetings.data!.map((m) => (
              <li key={m.id}>
                <Link to={`/meetings/${m.id}?date=${date}`}>
                  {formatDate(m.heldOn)} — {m.title}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
