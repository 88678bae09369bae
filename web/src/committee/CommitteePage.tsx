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
import { DateInput } from '../components/DateInput.tsx';
import { useCan } from '../auth/useCan.ts';
import './committee.css';

/** "Họ tên — chức vụ" per line → participants of a role (guests, commune representatives). */
function linesToPeople(text: string, role: 'commune' | 'guest' | 'secretary'): Array<{ personName: string; position: string | null; role: typeof role }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, ...rest] = l.split(/\s+[—–-]\s+/);
      return { personName: name!.trim(), position: rest.join(' — ').trim() || null, role };
    });
}

type Member = { id: number; personName: string; position: string | null };

/** A new meeting: title, date, place, chair, the members present, other participants, agenda, communes reviewed, minutes. */
function NewMeetingForm({ committeeId, unitId, members, date }: { committeeId: number; unitId: string; members: Member[]; date: string }) {
  const { t, pick } = useT();
  const navigate = useNavigate();
  const communes = useUnitChildren(unitId);
  const write = useCommitteeWrite<MeetingDetail>();
  const [title, setTitle] = useState('');
  const [heldOn, setHeldOn] = useState<string | null>(date);
  const [place, setPlace] = useState('');
  const [chair, setChair] = useState(members[0]?.personName ?? '');
  const [present, setPresent] = useState<number[]>(members.map((m) => m.id));
  const [others, setOthers] = useState('');
  const [agenda, setAgenda] = useState('');
  const [minutes, setMinutes] = useState('');
  const [units, setUnits] = useState<string[]>([]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const attending = members.filter((m) => m.personName === chair || present.includes(m.id));
    const m = await write.mutateAsync({
      method: 'POST',
      path: '/meetings',
      body: {
        committeeId,
        title,
        heldOn: heldOn ?? '',
        place: place || null,
        unitIds: units,
        status: 'held',
        agenda: agenda
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
        minutes: minutes.trim() || null,
        participants: [
          ...attending.map((x) => ({ personName: x.personName, position: x.position, role: x.personName === chair ? ('chair' as const) : ('member' as const), memberId: x.id })),
          ...linesToPeople(others, 'guest'),
        ],
      },
    });
    navigate(`/meetings/${m.id}?date=${m.heldOn}`);
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
          <DateInput value={heldOn} onChange={setHeldOn} />
        </label>
        <label>
          {t('meeting.place')}
          <Input value={place} onChange={(e) => setPlace(e.target.value)} />
        </label>
        <label>
          {t('meeting.chair')}
          <select value={chair} onChange={(e) => setChair(e.target.value)} className="ant-input">
            {members.map((m) => (
              <option key={m.id} value={m.personName}>
                {m.personName}
                {m.position ? ` — ${m.position}` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>{t('meeting.participants')}</legend>
        <div className="cm-checks" data-testid="meeting-present">
          {members.map((m) => (
            <label key={m.id}>
              <input type="checkbox" checked={m.personName === chair || present.includes(m.id)} disabled={m.personName === chair} onChange={(e) => setPresent((p) => (e.target.checked ? [...p, m.id] : p.filter((x) => x !== m.id)))} />
              {m.personName}
            </label>
          ))}
        </div>
        <label>
          {pick({ vi: 'Thành phần khác (mỗi dòng: Họ tên — chức vụ)', en: 'Other participants (one per line: name — position)' })}
          <Input.TextArea value={others} onChange={(e) => setOthers(e.target.value)} rows={2} data-testid="meeting-others" />
        </label>
      </fieldset>
      <label>
        {pick({ vi: 'Chương trình (mỗi dòng một nội dung)', en: 'Agenda (one item per line)' })}
        <Input.TextArea value={agenda} onChange={(e) => setAgenda(e.target.value)} rows={3} data-testid="meeting-agenda" />
      </label>
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
      <label>
        {t('meeting.minutes')}
        <Input.TextArea value={minutes} onChange={(e) => setMinutes(e.target.value)} rows={4} data-testid="meeting-minutes" />
      </label>
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
  const can = useCan();
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
      {can('committee.write') && (
        <section className="cm-section">
          <NewMeetingForm committeeId={c.id} unitId={c.unitId} members={c.members} date={date} />
        </section>
      )}
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
