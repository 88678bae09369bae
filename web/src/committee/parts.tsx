/** Pieces shared by the committee pages: task cards (status as text and colour), money, errors. */
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { TaskView } from '../api/committee.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import './committee.css';

export function million(dong: number | null | undefined, lang: 'vi' | 'en'): string {
  if (dong === null || dong === undefined) return '';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 3 }).format(dong / 1_000_000);
}

/** A table's header row, one column a dictionary key. */
export function TableHead({ cols }: { cols: readonly MessageKey[] }) {
  const { t } = useT();
  return (
    <thead>
      <tr>
        {cols.map((k) => (
          <th key={k}>{t(k)}</th>
        ))}
      </tr>
    </thead>
  );
}

/** The status of a task on the date read: words and colour (never colour alone). */
export function TaskStatusTag({ task }: { task: TaskView }) {
  const { pick } = useT();
  return (
    <span className="cm-tag" data-status={task.shownStatus}>
      {task.overdue ? '⚠ ' : ''}
      {pick(task.shownStatusLabel)}
    </span>
  );
}

export function TaskCard({ task, date }: { task: TaskView; date: string }) {
  const { t, pick } = useT();
  return (
    <Link to={`/tasks/${task.id}?date=${date}`} className="cm-card" data-status={task.shownStatus} data-task-id={task.id}>
      <p className="cm-card-title">{task.title}</p>
      <p className="cm-card-meta">
        <TaskStatusTag task={task} />
        {task.proposal.proposed && <span className="cm-tag proposed">✓ {t('task.proposed')}</span>}
      </p>
      <p className="cm-card-meta">
        {task.assignee.name} · {t('task.dueOn', { date: formatDate(task.dueOn) })}
        {task.overdue ? ` (${t('task.daysLate', { n: -task.daysLeft })})` : task.dueSoon ? ` (${t('task.daysLeft', { n: task.daysLeft })})` : ''}
      </p>
      <p className="cm-card-meta">
        {t('task.progress', { n: task.progress })} · {task.unitName} · {pick(task.priorityLabel)}
      </p>
      {(task.mergedInto || task.originUnit) && (
        <p className="cm-card-meta cm-origin" data-testid="task-origin">
          {task.mergedInto
            ? pick({ vi: `Xã đã sáp nhập vào ${task.mergedInto.unitName} (${formatDate(task.mergedInto.on)})`, en: `Commune merged into ${task.mergedInto.unitName} (${formatDate(task.mergedInto.on)})` })
            : pick({ vi: `Tiếp nhận từ ${task.originUnit!.unitName}`, en: `Taken over from ${task.originUnit!.unitName}` })}
        </p>
      )}
    </Link>
  );
}

export function WriteError({ error }: { error: unknown }) {
  const { lang } = useT();
  if (!error) return null;
  const msg = error instanceof ApiError ? (lang === 'vi' ? error.messageVi : error.message) : error instanceof Error ? error.message : String(error);
  return (
    <p className="cm-error" role="alert" data-testid="write-error">
      {msg}
    </p>
  );
}
