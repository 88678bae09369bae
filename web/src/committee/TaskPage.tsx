/** Một nhiệm vụ — details, the completion proposal, progress with evidence, status changes, history. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Input } from 'antd';
import { useCommitteeWrite, useTask, type TaskDetail } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { TaskStatusTag, WriteError } from './parts.tsx';
import { parseNumberText } from '../../../src/domain/numbers.ts';
import './committee.css';

// Kept here, not in the global dictionaries (the first view's size budget).
const PROGRESS_INVALID = { vi: 'Tỷ lệ hoàn thành là một số nguyên từ 0 đến 100, ví dụ 90.', en: 'Percent complete is a whole number from 0 to 100, e.g. 90.' };

export default function TaskPage() {
  const { t, pick } = useT();
  const { date } = useDateParam();
  const id = Number(useParams().taskId);
  const q = useTask(id, date);
  const write = useCommitteeWrite<TaskDetail>();
  const [progress, setProgress] = useState('');
  const [progressError, setProgressError] = useState(false);
  const [note, setNote] = useState('');
  const [evidence, setEvidence] = useState('');
  const [reason, setReason] = useState('');
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />;
  const tk = q.data;
  const report = async (e: React.FormEvent) => {
    e.preventDefault();
    // Typed the Vietnamese way ("90", "90,0"); the API takes a whole percent: anything else is said on the field.
    const n = progress.trim() === '' ? null : parseNumberText(progress);
    const bad = progress.trim() !== '' && (n === null || !Number.isInteger(n) || n < 0 || n > 100);
    setProgressError(bad);
    if (bad) return;
    await write.mutateAsync({
      method: 'POST',
      path: `/tasks/${tk.id}/progress`,
      version: tk.version,
      params: { date },
      body: { progress: n, text: note || null, evidence: evidence ? [{ title: evidence }] : [] },
    });
    setNote('');
    setEvidence('');
  };
  const transition = (tr: string) => write.mutate({ method: 'POST', path: `/tasks/${tk.id}/transitions`, version: tk.version, params: { date }, body: { transition: tr, reason: reason || null } });
  return (
    <div className="page cm-page" data-testid="task-page">
      <p className="cm-sub">
        {tk.meetingId ? (
          <Link to={`/meetings/${tk.meetingId}?date=${date}`}>
            {t('task.fromMeeting')} {formatDate(tk.meetingOn)} — {tk.meetingTitle}
          </Link>
        ) : null}
        {tk.orphaned && <span className="cm-tag">{t('task.orphaned')}</span>}
      </p>
      <h1>{tk.title}</h1>
      <p>
        <TaskStatusTag task={tk} /> {t('task.dueOn', { date: formatDate(tk.dueOn) })}
        {tk.overdue ? ` (${t('task.daysLate', { n: -tk.daysLeft })})` : ''} · {t('task.progress', { n: tk.progress })} · {pick(tk.priorityLabel)}
      </p>
      <p>
        {tk.assignee.name} · <Link to={`/tasks?unitId=${encodeURIComponent(tk.unitId)}&date=${date}`}>{tk.unitName}</Link>
        {tk.targets.criteria.length > 0 && ` · ${t('task.targets')}: ${tk.targets.criteria.join(', ')}`}
      </p>
      {tk.conclusionText && <p className="cm-conclusion">{tk.conclusionText}</p>}
      {tk.proposal.proposed && (
        <p className="notice notice-success" data-testid="proposal">
          ✓ {pick(tk.proposal.reason)}
        </p>
      )}
      {tk.mayReport && (
        <form className="cm-form" onSubmit={(e) => void report(e).catch(() => undefined)} aria-labelledby="progress-h">
          <h2 id="progress-h">{t('task.reportProgress')}</h2>
          <div className="row">
            <label>
              {t('task.progressField')}
              <Input inputMode="decimal" autoComplete="off" value={progress} onChange={(e) => setProgress(e.target.value)} aria-invalid={progressError} aria-describedby={progressError ? 'progress-err' : undefined} />
              {progressError && (
                <span id="progress-err" className="field-error" role="alert">
                  {pick(PROGRESS_INVALID)}
                </span>
              )}
            </label>
            <label>
              {t('task.evidence')}
              <Input value={evidence} onChange={(e) => setEvidence(e.target.value)} />
            </label>
          </div>
          <label>
            {t('task.note')}
            <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
          </label>
          <div>
            <Button type="primary" htmlType="submit" loading={write.isPending}>
              {t('task.send')}
            </Button>
          </div>
        </form>
      )}
      {tk.allowedTransitions.length > 0 && (
      <section className="cm-section" aria-label={t('task.reason')}>
        <label>
          {t('task.reason')} <Input value={reason} onChange={(e) => setReason(e.target.value)} style={{ maxWidth: 420 }} />
        </label>
        <p>
          {tk.allowedTransitions.map((tr) => (
            <Button key={tr} onClick={() => transition(tr)} style={{ marginRight: 8 }} type={tr === 'complete' ? 'primary' : 'default'}>
              {t(`task.action.${tr}` as MessageKey)}
            </Button>
          ))}
        </p>
        <WriteError error={write.error} />
      </section>
      )}
      {tk.allowedTransitions.length === 0 && <WriteError error={write.error} />}
      <section className="cm-section" aria-labelledby="updates-h">
        <h2 id="updates-h">{t('task.updates')}</h2>
        <ol data-testid="task-updates">
          {tk.updates.map((u) => (
            <li key={u.id}>
              {formatDate(u.reportedOn)} · {t(`task.update.${u.kind}` as MessageKey)} · {u.actor}
              {u.progress !== null ? ` · ${u.progress}%` : ''}
              {u.text ? ` — ${u.text}` : ''}
              {u.evidence.length > 0 && ` [${u.evidence.map((x) => x.title).join('; ')}]`}
              <span className="cm-muted"> ({formatDateTime(u.at)})</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
