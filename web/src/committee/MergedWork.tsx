/**
 * Việc còn mở của xã đã sáp nhập — on a commune's task board, the open tasks of the communes merged
 * into it (1/7/2025), with their origin; the commune's office takes them over or closes them as no
 * longer relevant, several at once, with a reason (the server checks the lineage and each version).
 * Strings are local to this lazy page: the first-view bundle stays within its budget.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Input } from 'antd';
import { useCommitteeWrite, type TaskView } from '../api/committee.ts';
import { useCan } from '../auth/useCan.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { WriteError } from './parts.tsx';

const S = {
  title: { vi: 'Việc còn mở của xã đã sáp nhập', en: 'Open work of merged communes' },
  intro: {
    vi: 'Nhiệm vụ của các xã cũ sáp nhập vào xã này chưa hoàn thành: tiếp nhận để tiếp tục thực hiện, hoặc đóng nếu không còn phù hợp (ghi lý do).',
    en: 'Unfinished tasks of the old communes merged into this one: take them over to carry on, or close those no longer relevant (with a reason).',
  },
  from: { vi: 'Từ', en: 'From' },
  due: { vi: 'hạn', en: 'due' },
  reason: { vi: 'Lý do (ghi vào lịch sử từng nhiệm vụ)', en: "Reason (goes into each task's history)" },
  takeOver: { vi: 'Tiếp nhận các việc đã chọn', en: 'Take over the selected tasks' },
  close: { vi: 'Đóng vì không còn phù hợp', en: 'Close as no longer relevant' },
  readOnly: { vi: 'Chỉ cán bộ của xã (hoặc văn phòng điều phối) được tiếp nhận hay đóng các việc này.', en: "Only the commune's officers (or the coordination office) may take these over or close them." },
} as const;

export function MergedWork({ unitId, tasks, date }: { unitId: string; tasks: readonly TaskView[]; date: string }) {
  const { pick } = useT();
  const can = useCan();
  const write = useCommitteeWrite<unknown>();
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(tasks.map((t) => t.id)));
  const [reason, setReason] = useState('');
  if (tasks.length === 0) return null;
  const may = can('task.write');
  const act = (action: 'take_over' | 'close_obsolete') =>
    write.mutate({ method: 'POST', path: `/units/${encodeURIComponent(unitId)}/merged-work`, params: { date }, body: { action, reason, tasks: tasks.filter((t) => chosen.has(t.id)).map((t) => ({ id: t.id, version: t.version })) } });
  return (
    <section className="cm-merged" data-testid="merged-work" aria-labelledby="merged-work-title">
      <h2 id="merged-work-title">
        {pick(S.title)} ({tasks.length})
      </h2>
      <p className="cm-muted">{pick(S.intro)}</p>
      <ul className="cm-merged-list">
        {tasks.map((t) => (
          <li key={t.id}>
            <label>
              {may && (
                <input
                  type="checkbox"
                  checked={chosen.has(t.id)}
                  onChange={(e) => setChosen((s) => { const n = new Set(s); if (e.target.checked) n.add(t.id); else n.delete(t.id); return n; })}
                />
              )}{' '}
              <Link to={`/tasks/${t.id}?date=${date}`}>{t.title}</Link>
            </label>{' '}
            <span className="cm-muted">
              · {pick(S.from)} {t.unitName} · {pick(S.due)} {formatDate(t.dueOn)}
              {t.overdue ? ' ⚠' : ''}
            </span>
          </li>
        ))}
      </ul>
      {may ? (
        <div className="cm-merged-actions">
          <label>
            {pick(S.reason)}
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={2000} />
          </label>
          <WriteError error={write.error} />
          <Button type="primary" loading={write.isPending} disabled={chosen.size === 0} onClick={() => act('take_over')} style={{ marginRight: 8, marginTop: 8 }}>
            {pick(S.takeOver)}
          </Button>
          <Button disabled={write.isPending || chosen.size === 0} onClick={() => act('close_obsolete')} style={{ marginTop: 8 }}>
            {pick(S.close)}
          </Button>
        </div>
      ) : (
        <p className="cm-muted">{pick(S.readOnly)}</p>
      )}
    </section>
  );
}
