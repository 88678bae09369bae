/**
 * Cuộc họp — agenda, the communes reviewed with their status frozen on the meeting date,
 * participants, minutes, attachments, conclusions with the tasks they became, the form that adds a
 * conclusion with its tasks, and the two documents (.docx) the meeting produces.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Input } from 'antd';
import { documentUrl, useCommitteeWrite, useMeeting, useMeetingRisks, type ConclusionView, type MeetingDetail } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { useCan } from '../auth/useCan.ts';
import { formatDate } from '../format.ts';
import { DocLink } from '../components/DocLink.tsx';
import { TaskCard, WriteError } from './parts.tsx';
import { RiskWatchList } from './RiskWatchList.tsx';
import './committee.css';

interface TaskRow {
  title: string;
  kind: 'unit' | 'agency' | 'person';
  name: string;
  criteria: string[];
  dueOn: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
}

const emptyTask = (): TaskRow => ({ title: '', kind: 'unit', name: '', criteria: [], dueOn: '', priority: 'normal' });

function ConclusionForm({ meeting }: { meeting: MeetingDetail }) {
  const { t } = useT();
  const write = useCommitteeWrite<ConclusionView>();
  const [text, setText] = useState('');
  const [unitId, setUnitId] = useState(meeting.units[0]?.unitId ?? '');
  const [tasks, setTasks] = useState<TaskRow[]>([emptyTask()]);
  const [saved, setSaved] = useState(false);
  const unmet = meeting.units.find((u) => u.unitId === unitId)?.snapshot.unmet ?? [];
  const set = (i: number, patch: Partial<TaskRow>) => setTasks((ts) => ts.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    await write.mutateAsync({
      method: 'POST',
      path: `/meetings/${meeting.id}/conclusions`,
      body: {
        text,
        unitId: unitId || null,
        tasks: tasks
          .filter((x) => x.title.trim())
          .map((x) => ({
            title: x.title,
            assignee: x.kind === 'unit' ? { kind: 'unit', unitId } : { kind: x.kind, name: x.name },
            targets: { criteria: x.criteria },
            dueOn: x.dueOn || null,
            priority: x.priority,
          })),
      },
    });
    setText('');
    setTasks([emptyTask()]);
    setSaved(true);
  };
  return (
    <form className="cm-form" onSubmit={(e) => void submit(e).catch(() => undefined)} aria-labelledby="add-conclusion-h" data-testid="conclusion-form">
      <h2 id="add-conclusion-h">{t('meeting.addConclusion')}</h2>
      <label>
        {t('meeting.conclusionText')}
        <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={3} required />
      </label>
      {meeting.units.length > 1 && (
        <label>
          {t('meeting.communes')}
          <select className="ant-input" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            {meeting.units.map((u) => (
              <option key={u.unitId} value={u.unitId}>
                {u.unitName}
              </option>
            ))}
          </select>
        </label>
      )}
      {tasks.map((x, i) => (
        <fieldset key={i} data-testid={`task-row-${i}`}>
          <legend>
            {t('task.new')} {i + 1}
          </legend>
          <label>
            {t('task.titleField')}
            <Input value={x.title} onChange={(e) => set(i, { title: e.target.value })} />
          </label>
          <div className="row">
            <label>
              {t('task.assigneeKind')}
              <select className="ant-input" value={x.kind} onChange={(e) => set(i, { kind: e.target.value as TaskRow['kind'] })}>
                {(['unit', 'agency', 'person'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`task.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            {x.kind !== 'unit' && (
              <label>
                {t('task.assigneeName')}
                <Input value={x.name} onChange={(e) => set(i, { name: e.target.value })} />
              </label>
            )}
            <label>
              {t('task.due')}
              <DateInput value={x.dueOn || null} onChange={(v) => set(i, { dueOn: v ?? '' })} />
            </label>
            <label>
              {t('task.priority')}
              <select className="ant-input" value={x.priority} onChange={(e) => set(i, { priority: e.target.value as TaskRow['priority'] })}>
                {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
                  <option key={p} value={p}>
                    {t(`task.priority.${p}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {unmet.length > 0 && (
            <fieldset>
              <legend>{t('task.targets')}</legend>
              <div className="cm-checks">
                {unmet.map((c) => (
                  <label key={c.code}>
                    <input type="checkbox" checked={x.criteria.includes(c.code)} onChange={(e) => set(i, { criteria: e.target.checked ? [...x.criteria, c.code] : x.criteria.filter((k) => k !== c.code) })} />
                    {c.code}. {c.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {tasks.length > 1 && (
            <Button onClick={() => setTasks((ts) => ts.filter((_, k) => k !== i))} size="small">
              {t('task.removeRow')}
            </Button>
          )}
        </fieldset>
      ))}
      <div>
        <Button onClick={() => setTasks((ts) => [...ts, emptyTask()])}>{t('task.addRow')}</Button>
      </div>
      <WriteError error={write.error} />
      {saved && !write.error && (
        <p className="cm-ok" role="status">
          {t('task.saved')}
        </p>
      )}
      <div>
        <Button type="primary" htmlType="submit" loading={write.isPending}>
          {t('meeting.saveConclusion')}
        </Button>
      </div>
    </form>
  );
}

export default function MeetingPage() {
  const { t, pick } = useT();
  const can = useCan();
  const { date } = useDateParam();
  const id = Number(useParams().meetingId);
  const q = useMeeting(id, date);
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />;
  const m = q.data;
  return (
    <div className="page cm-page" data-testid="meeting-page">
      <p className="cm-sub">
        <Link to={`/committees/${m.committeeId}?date=${date}`}>{m.committeeName}</Link> · {pick(m.kindLabel)} · {pick(m.statusLabel)}
      </p>
      <h1>{m.title}</h1>
      <p className="cm-sub">
        {formatDate(m.heldOn)}
        {m.place ? ` · ${m.place}` : ''} · {t('meeting.tasksCount', { open: m.taskCounts.open, all: m.taskCounts.all })}
        {m.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
      </p>
      {m.deleted && (
        <p className="notice notice-warning" role="alert">
          {t('meeting.deleted')}
        </p>
      )}
      {m.agenda.length > 0 && (
        <section className="cm-section" aria-labelledby="agenda-h">
          <h2 id="agenda-h">{t('meeting.agenda')}</h2>
          <ol>
            {m.agenda.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ol>
        </section>
      )}
      <section className="cm-section" aria-labelledby="reviewed-h">
        <h2 id="reviewed-h">{t('meeting.reviewed', { date: formatDate(m.heldOn) })}</h2>
        <p className="cm-muted">{t('meeting.frozenNote')}</p>
        {m.units.map((u) => (
          <div key={u.unitId} className="cm-snapshot" data-testid="frozen-status" data-unit-id={u.unitId}>
            <p>
              <Link to={unitPath(u.unitId, m.heldOn)}>{u.unitName}</Link>
            </p>
            <p className="summary" data-testid="frozen-summary">
              {pick(u.snapshot.summaryLine)}
            </p>
            <div className="cm-criteria">
              {u.snapshot.criteria.map((c) => (
                <span key={c.code} data-status={c.status} title={c.name}>
                  {c.code}: {t(`status.${c.status}` as MessageKey)}
                </span>
              ))}
            </div>
            <p>
              <a href={documentUrl(m.id, 'progress-report', { unitId: u.unitId, date })} download>
                {t('meeting.progressReport', { unit: u.unitName })}
              </a>
            </p>
          </div>
        ))}
      </section>
      {m.units.length > 0 && <MeetingRisks id={m.id} />}
      {m.participants.length > 0 && (
        <section className="cm-section" aria-labelledby="participants-h">
          <h2 id="participants-h">{t('meeting.participants')}</h2>
          <ul>
            {m.participants.map((p) => (
              <li key={p.id}>
                {p.personName}
                {p.position ? `, ${p.position}` : ''} — {pick(p.roleLabel)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(m.minutes || m.attachments.length > 0) && (
        <section className="cm-section" aria-labelledby="minutes-h">
          <h2 id="minutes-h">{t('meeting.minutes')}</h2>
          {m.minutes && <p>{m.minutes}</p>}
          {m.attachments.length > 0 && (
            <ul aria-label={t('meeting.attachments')}>
              {m.attachments.map((a, i) => (
                <li key={i}>
                  <DocLink title={a.title} url={a.url} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section className="cm-section" aria-labelledby="conclusions-h">
        <h2 id="conclusions-h">{t('meeting.conclusions')}</h2>
        {m.conclusions.length === 0 && <p>{t('meeting.noConclusions')}</p>}
        {m.conclusions.map((c) => (
          <div key={c.id} className="cm-conclusion" data-testid={`conclusion-${c.seq}`}>
            <p>
              <strong>{t('meeting.conclusionNo', { n: c.seq })}.</strong> {c.text}
            </p>
            {c.tasks.map((tk) => (
              <TaskCard key={tk.id} task={tk} date={date} />
            ))}
          </div>
        ))}
        {m.conclusions.length > 0 && (
          <p>
            <a href={documentUrl(m.id, 'conclusion-notice')} download data-testid="notice-link">
              {t('meeting.notice')}
            </a>
          </p>
        )}
      </section>
      {!m.deleted && can('committee.write') && (
        <section className="cm-section">
          <ConclusionForm meeting={m} />
        </section>
      )}
    </div>
  );
}

/** The risk watch, read after the meeting (it takes longer and the meeting never waits for it). */
function MeetingRisks({ id }: { id: number }) {
  const { date } = useDateParam();
  const risks = useMeetingRisks(id, true);
  if (risks.isPending) return <p className="cm-muted" aria-busy="true">…</p>;
  if (risks.isError) return <ApiErrorView error={risks.error} date={date} onRetry={() => void risks.refetch()} />;
  return <RiskWatchList watch={risks.data} showEmpty />;
}
