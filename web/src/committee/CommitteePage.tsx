/**
 * Một Ban Chỉ đạo — members on the date (heads first) and the membership history, its meetings,
 * its open directives across communes, and the form that creates a meeting.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Input } from 'antd';
import { useCommittee, useCommitteeWrite, useDirectives, useMeetings, type MeetingDetail } from '../api/committee.ts';
import { useUnitChildren } from '../api/hooks.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatPeriod } from '../format.ts';
import { TaskCard, WriteError, TableHead } from './parts.tsx';
import './committee.css';

function NewMeetingForm({ committeeId, unitId, members, date }: { committeeId: number; unitId: string; members: Array<{ personName: string; position: string | null }>; date: string }) {
  const { t } = useT();
  const navigate = useNavigate();
  const communes = useUnitChildren(unitId);
  const write = useCommitteeWrite<MeetingDetail>();
  const [title, setTitle] = useState('');
  const [heldOn, setHeldOn] = useState(date);
  const [place, setPlace] = useState('');
  const [chair, setChair] = useState(members[0]?.personName ?? '');
  const [units, setUnits] = useState<string[]>([]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const head = members.find((m) => m.personName === chair);
    const m = await write.mutateAsync({
      method: 'POST',
      path: '/meetings',
      body: {
        committeeId,
        title,
        heldOn,
        place: place || null,
        unitIds: units,
        status: 'held',
        participants: head ? [{ personName: head.personName, position: head.position, role: 'chair' }] : [],
      },
    });
    navigate(`/meetings/${m.id}?date=${heldOn}`);
  };
  return (
    <form className="cm-form" onSubmit={(e) => void submit(e).catch(() => undefined)} aria-labelledby="new-meeting-h" data-testid="new-meeting-form">
      <h2 id="new-meeting-h">{t('meeting.new')}</h2>
      <label>
        {t('meeting.title')}
        <Input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <div className="row">
        <label>
          {t('meeting.date')}
          <Input type="date" value={heldOn} onChange={(e) => setHeldOn(e.target.value)} required />
        </label>
        <label>
          {t('meeting.place')}
          <Input value={place} onChange={(e) => setPlace(e.target.value)} />
        </label>
        <label>
          {t('meeting.chair')}
          <select value={chair} onChange={(e) => setChair(e.target.value)} className="ant-input">
            {members.map((m) => (
              <option key={m.personName} value={m.personName}>
                {m.personName}
                {m.position ? ` — ${m.position}` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>{t('meeting.communes')}</legend>
        <div className="cm-checks">
          {(communes.data ?? [])
            .filter((c) => c.level === 'commune')
            .map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={units.includes(c.id)} onChange={(e) => setUnits((u) => (e.target.checked ? [...u, c.id] : u.filter((x) => x !== c.id)))} />
                {c.name}
              </label>
            ))}
        </div>
      </fieldset>
      <WriteError error={write.error} />
      <div>
        <Button type="primary" htmlType="submit" loading={write.isPending}>
          {t('meeting.create')}
        </Button>
      </div>
    </form>
  );
}

export default function CommitteePage() {
  const { t, lang, pick } = useT();
  const { date } = useDateParam();
  const id = Number(useParams().committeeId);
  const q = useCommittee(id, date);
  const meetings = useMeetings({ committeeId: id });
  const directives = useDirectives(id, date);
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />;
  const c = q.data;
  return (
    <div className="page cm-page" data-testid="committee-page">
      <h1>{c.name}</h1>
      <p className="cm-sub">
        {c.unitName} · {t('committee.period', { period: formatPeriod(c.periodFrom, c.periodTo, lang) })}
        {c.decisionNo ? ` · ${c.decisionNo}` : ''}
        {c.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
      </p>
      <section className="cm-section" aria-labelledby="members-h">
        <h2 id="members-h">{t('committee.members', { date: formatDate(date) })}</h2>
        <table className="cm-table" data-testid="members">
          <TableHead cols={['committee.colName', 'committee.colPosition', 'committee.colRole', 'committee.colCriteria']} />
          <tbody>
            {c.members.map((m) => (
              <tr key={m.id}>
                <td>{m.personName}</td>
                <td>{m.position}</td>
                <td>{pick(m.roleLabel)}</td>
                <td>{m.criteria.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="cm-section" aria-labelledby="meetings-h">
        <h2 id="meetings-h">{t('committee.meetings')}</h2>
        {meetings.data?.length === 0 && <p>{t('committee.noMeetings')}</p>}
        <ul data-testid="meeting-list">
          {meetings.data?.map((m) => (
            <li key={m.id}>
              <Link to={`/meetings/${m.id}?date=${date}`}>
                {formatDate(m.heldOn)} — {m.title}
              </Link>{' '}
              <span className="cm-muted">({pick(m.statusLabel)})</span>
            </li>
          ))}
        </ul>
        <p>
          <Link to={`/tasks?committeeId=${c.id}&date=${date}`}>{t('committee.board')}</Link>
        </p>
      </section>
      <section className="cm-section" aria-labelledby="directives-h">
        <h2 id="directives-h">{t('committee.directives')}</h2>
        {directives.data?.groups.length === 0 && <p>{t('committee.noDirectives')}</p>}
        {directives.data?.groups.map((g) => (
          <div key={g.unitId}>
            <h3>{g.unitName}</h3>
            {g.conclusions.map((k) => (
              <div key={k.conclusionId ?? 0} className="cm-conclusion">
                <p>
                  {k.meetingOn ? `${formatDate(k.meetingOn)} · ` : ''}
                  {k.text}
                </p>
                {k.tasks.map((tk) => (
                  <TaskCard key={tk.id} task={tk} date={date} />
                ))}
              </div>
            ))}
          </div>
        ))}
      </section>
      <section className="cm-section">
        <NewMeetingForm committeeId={c.id} unitId={c.unitId} members={c.members} date={date} />
      </section>
      <section className="cm-section" aria-labelledby="history-h">
        <h2 id="history-h">{t('committee.history')}</h2>
        <table className="cm-table" data-testid="member-history">
          <TableHead cols={['committee.colName', 'committee.colPosition', 'committee.colRole', 'committee.colPeriod']} />
          <tbody>
            {c.history.map((m) => (
              <tr key={m.id}>
                <td>{m.personName}</td>
                <td>{m.position}</td>
                <td>{pick(m.roleLabel)}</td>
                <td>
                  {formatPeriod(m.joinedOn, m.leftOn, lang)}
                  {m.leftReason ? ` (${m.leftReason})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
