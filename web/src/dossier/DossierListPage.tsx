/**
 * /dossiers — Hồ sơ đề nghị công nhận: the list (open / closed, kind, one unit with ?unitId=), each
 * with its current step, the step's due date in working days with a risk tag, and the steering
 * committee deadline as a countdown. Above it, the open revocation alerts with "Lập hồ sơ thu hồi"
 * and "Bỏ qua" (with a note).
 */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Input, Modal } from 'antd';
import { useDossierWrite, useDossiers, useRevocationAlerts, type DossierDetail, type RevocationAlert } from '../api/dossier.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { unitPath } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { todayIso, formatDate } from '../format.ts';
import { useT } from '../i18n/index.tsx';
import { useS } from './strings.ts';
import { Countdown, StepDue, WriteError } from './parts.tsx';
import './dossier.css';

function AlertsPanel() {
  const s = useS();
  const { pick } = useT();
  const navigate = useNavigate();
  const alerts = useRevocationAlerts();
  const open = useDossierWrite<DossierDetail>();
  const dismiss = useDossierWrite<RevocationAlert>();
  const [dismissing, setDismissing] = useState<RevocationAlert | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  // Readers without access to alerts (or none open): nothing to show.
  if (!alerts.data || alerts.data.length === 0) return null;
  return (
    <section className="ds-alerts" aria-labelledby="alerts-h" data-testid="revocation-alerts">
      <h2 id="alerts-h">
        <span aria-hidden="true">⚠ </span>
        {s('alerts.title')} ({alerts.data.length})
      </h2>
      <ul>
        {alerts.data.map((a) => (
          <li key={a.id} data-alert-id={a.id}>
            <strong>{s('alerts.item', { unit: a.unitName, level: pick(a.levelName), decision: a.decisionNo, date: formatDate(a.reviewDate) })}</strong>
            <br />
            {pick(a.reason)}
            {a.failingCriteria.length > 0 && (
              <>
                <br />
                <span className="ds-small">{s('alerts.failing', { list: a.failingCriteria.join(', ') })}</span>
              </>
            )}
            <div className="ds-row" style={{ marginTop: 4 }}>
              <Button
                type="primary"
                size="small"
                loading={open.isPending && open.variables?.path.includes(`/${a.id}/`)}
                onClick={() => open.mutate({ method: 'POST', path: `/revocation-alerts/${a.id}/open-dossier`, body: {} }, { onSuccess: (d) => navigate(`/dossiers/${d.id}`) })}
              >
                {s('alerts.open')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  setDismissing(a);
                  setNote('');
                  setNoteError(false);
                }}
              >
                {s('alerts.dismiss')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      <WriteError error={open.error} />
      <Modal
        open={!!dismissing}
        title={s('alerts.dismissTitle')}
        okText={s('alerts.dismiss')}
        cancelText={s('actions.cancel')}
        confirmLoading={dismiss.isPending}
        onCancel={() => setDismissing(null)}
        onOk={() => {
          if (!dismissing) return;
          if (!note.trim()) {
            setNoteError(true);
            return;
          }
          dismiss.mutate({ method: 'POST', path: `/revocation-alerts/${dismissing.id}/dismiss`, body: { note: note.trim() } }, { onSuccess: () => setDismissing(null) });
        }}
      >
        {dismissing && <p>{dismissing.unitName}</p>}
        <label className="ds-form">
          <span style={{ fontWeight: 600 }}>{s('alerts.note')}</span>
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} rows={3} aria-required="true" status={noteError ? 'error' : undefined} />
        </label>
        {noteError && (
          <p className="ds-error" role="alert">
            {s('alerts.noteRequired')}
          </p>
        )}
        <WriteError error={dismiss.error} />
      </Modal>
    </section>
  );
}

export default function DossierListPage() {
  const s = useS();
  const { pick } = useT();
  const [params, setParams] = useSearchParams();
  const openParam = params.get('open') ?? '1';
  const kind = params.get('kind') ?? '';
  const unitId = params.get('unitId') ?? '';
  useDocumentTitle(s('list.title'));
  const q = useDossiers({ ...(unitId ? { unitId } : {}), ...(openParam === '1' || openParam === '0' ? { open: openParam } : {}), ...(kind ? { kind } : {}) });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const items = q.data ?? [];
  const unitName = unitId ? items.find((d) => d.unitId === unitId)?.unitName : undefined;
  return (
    <div className="page ds-page" data-testid="dossier-list-page">
      <h1>{s('list.title')}</h1>
      <p className="ds-sub">{s('list.intro')}</p>
      <AlertsPanel />
      {unitId && (
        <p>
          {s('list.forUnit', { unit: unitName ?? unitId })} · <Link to="/dossiers">{s('list.allUnits')}</Link>
        </p>
      )}
      <div className="ds-filters">
        <label>
          {s('list.filterOpen')}
          <select value={openParam} onChange={(e) => set('open', e.target.value === '1' ? '' : e.target.value)}>
            <option value="1">{s('list.open')}</option>
            <option value="0">{s('list.closed')}</option>
            <option value="all">{s('list.all')}</option>
          </select>
        </label>
        <label>
          {s('list.kind')}
          <select value={kind} onChange={(e) => set('kind', e.target.value)}>
            <option value="">{s('list.all')}</option>
            <option value="recognition">{s('list.kind.recognition')}</option>
            <option value="revocation">{s('list.kind.revocation')}</option>
          </select>
        </label>
      </div>
      {q.isPending && <PageLoading />}
      {q.isError && <ApiErrorView error={q.error} date={todayIso()} onRetry={() => void q.refetch()} />}
      {q.data && items.length === 0 && <p data-testid="dossier-list-empty">{s('list.empty')}</p>}
      {items.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <table className="ds-table" data-testid="dossier-list">
            <caption className="sr-only">{s('list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{s('col.commune')}</th>
                <th scope="col">{s('col.level')}</th>
                <th scope="col">{s('col.procedure')}</th>
                <th scope="col">{s('col.step')}</th>
                <th scope="col">{s('col.due')}</th>
                <th scope="col">{s('col.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-dossier-id={d.id} data-risk={d.stepRisk}>
                  <th scope="row">
                    <Link to={`/dossiers/${d.id}`}>{d.unitName}</Link>
                    {d.kind === 'revocation' && <span className="ds-small"> · {s('list.kind.revocation')}</span>}
                    <br />
                    <Link className="ds-small" to={unitPath(d.unitId)}>
                      {d.unitId}
                    </Link>
                  </th>
                  <td>{pick(d.levelName)}</td>
                  <td>{pick(d.procedureName)}</td>
                  <td>
                    {pick(d.stateName)}
                    {d.closed && d.closedOn && <span className="ds-small"> ({s('detail.closed', { date: formatDate(d.closedOn) })})</span>}
                  </td>
                  <td>{d.closed ? s('none') : <StepDue dueOn={d.dueOn} workingDaysLeft={d.workingDaysLeft} risk={d.stepRisk} />}</td>
                  <td>{d.closed ? s('none') : <Countdown deadline={d.deadline} daysLeft={d.deadlineDaysLeft} risk={d.deadlineRisk} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
