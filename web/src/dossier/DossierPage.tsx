/**
 * /dossiers/:id — one recognition (or revocation) dossier: header, the steps of the main path, the
 * steering committee deadline, preconditions and the commune's declarations, the document
 * checklist (upload, drafts), the actions open to the reader at the current step (disabled ones
 * with their reason), the timeline of transitions, residents' comments to moderate and the public
 * link while the consultation is open. Every write sends the dossier's version; a 409 shows the
 * conflict message and reloads the dossier.
 */
import { lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Modal, Select, Steps, Tooltip } from 'antd';
import {
  documentVersionUrl,
  dossierKeys,
  draftUrl,
  uploadDossierDocument,
  useDossier,
  useDossierComments,
  useDossierWrite,
  type DossierActionOption,
  type DossierDetail,
  type DossierDocument,
  type ModeratedComment,
} from '../api/dossier.ts';
import { ApiErrorView, errorMessage } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { unitPath } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { formatDate, formatDateTime, todayIso } from '../format.ts';
import { useT } from '../i18n/index.tsx';
import { FilePick } from '../components/FilePick.tsx';
import { parseNumberText } from '../../../src/domain/numbers.ts';
import { roleName, useS, type StringKey } from './strings.ts';
import { ConflictContext, ConflictNotice, Countdown, StepDue, WriteError, useConflictEvents } from './parts.tsx';
import './dossier.css';

const DateField = lazy(() => import('../components/DateField.tsx'));
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/png,image/jpeg,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 10 * 1024 * 1024;

function Header({ d }: { d: DossierDetail }) {
  const s = useS();
  const { pick } = useT();
  return (
    <header>
      <p className="ds-sub">
        <Link to={`/dossiers?unitId=${encodeURIComponent(d.unitId)}`}>{s('list.title')}</Link>
      </p>
      <h1 data-testid="dossier-title">
        {d.unitName} — {pick(d.levelName)}
      </h1>
      <p className="ds-header">
        <span>{pick(d.procedureName)}</span>
        <span>
          {s('detail.state')}: <strong data-testid="dossier-state">{pick(d.stateName)}</strong>
        </span>
        <span className="ds-small">
          {s('detail.opened', { date: formatDate(d.openedOn) })}
          {d.closedOn ? `, ${s('detail.closed', { date: formatDate(d.closedOn) })}` : ''}
        </span>
        <Link className="ds-small" to={unitPath(d.unitId)}>
          {d.unitId}
        </Link>
      </p>
      {!d.closed && d.dueOn && (
        <p>
          {s('detail.currentDue')} <StepDue dueOn={d.dueOn} workingDaysLeft={d.workingDaysLeft} risk={d.stepRisk} />
        </p>
      )}
      {d.baseReview && (
        <p className="ds-small" data-testid="base-review">
          <Link to={`/reviews/${d.baseReview.id}`}>
            {s('detail.baseReview', { date: formatDate(d.baseReview.date), cm: d.baseReview.criteriaMet, ct: d.baseReview.criteriaTotal, im: d.baseReview.indicatorsMet, it: d.baseReview.indicatorsTotal })}
          </Link>
          {d.baseReview.criteriaNotMet.length > 0 && ` · ${s('detail.notMet', { list: d.baseReview.criteriaNotMet.join(', ') })}`}
        </p>
      )}
      {d.recognition && (
        <p data-testid="dossier-recognition">
          {s('detail.recognition', { no: d.recognition.decisionNo, date: formatDate(d.recognition.decidedOn) })}
          {d.recognition.signer ? `, ${s('detail.signer', { name: d.recognition.signer })}` : ''}
          {d.recognition.revokedOn ? ` — ${s('detail.revokedOn', { date: formatDate(d.recognition.revokedOn) })}` : ''}
        </p>
      )}
      {d.consultationOpen && d.publicUrl && (
        <p className="notice notice-info" data-testid="public-link">
          {s('public.open')} <a href={d.publicUrl}>{`${window.location.origin}${d.publicUrl}`}</a>
        </p>
      )}
    </header>
  );
}

function StepsBar({ d }: { d: DossierDetail }) {
  const s = useS();
  const { pick } = useT();
  const current = d.steps.findIndex((x) => x.status === 'current');
  const status = { done: 'finish', current: 'process', pending: 'wait' } as const;
  const word = { done: s('detail.stepDone'), current: s('detail.stepCurrent'), pending: s('detail.stepPending') };
  return (
    <section className="ds-section" aria-labelledby="steps-h">
      <h2 id="steps-h">{s('detail.steps')}</h2>
      <div className="ds-steps" data-testid="dossier-steps">
        <Steps
          size="small"
          titlePlacement="vertical"
          current={current < 0 ? d.steps.length : current}
          items={d.steps.map((st) => ({
            key: st.id,
            status: status[st.status],
            title: <span data-step={st.id} data-status={st.status}>{pick(st.name)}</span>,
            content: (
              <span className="ds-small">
                {word[st.status]}
                {st.enteredOn && (
                  <>
                    <br />
                    {s('detail.entered', { date: formatDate(st.enteredOn) })}
                  </>
                )}
                {st.dueOn && (
                  <>
                    <br />
                    {s('detail.dueOn', { date: formatDate(st.dueOn) })}
                  </>
                )}
                {!st.enteredOn && st.limitDays !== null && (
                  <>
                    <br />
                    {s('detail.limit', { n: st.limitDays })}
                  </>
                )}
              </span>
            ),
          }))}
        />
      </div>
    </section>
  );
}

function DeadlineSection({ d }: { d: DossierDetail }) {
  const s = useS();
  const uid = useId();
  const write = useDossierWrite(useConflictEvents());
  const [deadline, setDeadline] = useState(d.deadline ?? todayIso());
  const [note, setNote] = useState('');
  const save = (value: string | null) => write.mutate({ method: 'PUT', path: `/dossiers/${d.id}/deadline`, body: { version: d.version, deadline: value, note: note.trim() || null } });
  return (
    <section className="ds-box" aria-labelledby={`${uid}-h`} data-testid="deadline-section">
      <h2 id={`${uid}-h`}>{s('deadline.title')}</h2>
      <p>{d.deadline ? <Countdown deadline={d.deadline} daysLeft={d.deadlineDaysLeft} risk={d.deadlineRisk} /> : s('deadline.none')}</p>
      {!d.closed && (
        <form
          className="ds-form"
          onSubmit={(e) => {
            e.preventDefault();
            save(deadline);
          }}
        >
          <label htmlFor={`${uid}-date`}>{s('deadline.field')}</label>
          <Suspense fallback={<Input disabled value={formatDate(deadline)} />}>
            <DateField id={`${uid}-date`} date={deadline} onChange={setDeadline} />
          </Suspense>
          <label>
            {s('deadline.note')}
            <Input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="ds-row">
            <Button type="primary" htmlType="submit" loading={write.isPending}>
              {s('deadline.save')}
            </Button>
            {d.deadline && <Button onClick={() => save(null)}>{s('deadline.clear')}</Button>}
          </div>
          <WriteError error={write.error} />
        </form>
      )}
    </section>
  );
}

type Tri = 'yes' | 'no' | '';
const toTri = (b: boolean | null): Tri => (b === null ? '' : b ? 'yes' : 'no');
const fromTri = (t: Tri): boolean | null => (t === '' ? null : t === 'yes');

function YesNo({ legend, value, onChange, name }: { legend: string; value: Tri; onChange: (v: Tri) => void; name: string }) {
  const s = useS();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="ds-radios">
        {(['yes', 'no', ''] as const).map((v) => (
          <label key={v || 'unknown'}>
            <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
            {v === 'yes' ? s('decl.yes') : v === 'no' ? s('decl.no') : s('decl.unknown')}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function ConditionsSection({ d }: { d: DossierDetail }) {
  const s = useS();
  const { pick, lang } = useT();
  const uid = useId();
  const write = useDossierWrite(useConflictEvents());
  const rateText = (r: number | null) => (r === null ? '' : lang === 'vi' ? String(r).replace('.', ',') : String(r));
  const [rate, setRate] = useState(rateText(d.satisfactionRate));
  const [rateError, setRateError] = useState(false);
  const [debt, setDebt] = useState<Tri>(toTri(d.noConstructionDebt));
  const [security, setSecurity] = useState<Tri>(toTri(d.securityOk));
  // Not remounted on a new version (the "saved" status would vanish): take the server's values instead.
  useEffect(() => {
    setRate(rateText(d.satisfactionRate));
    setDebt(toTri(d.noConstructionDebt));
    setSecurity(toTri(d.securityOk));
  }, [d.version, d.satisfactionRate, d.noConstructionDebt, d.securityOk]);
  if (d.kind !== 'recognition') return null;
  return (
    <section className="ds-box" aria-labelledby={`${uid}-h`} data-testid="preconditions">
      <h2 id={`${uid}-h`}>{s('pre.title')}</h2>
      <ul className="ds-pre">
        {d.preconditions.map((p) => (
          <li key={p.code} data-code={p.code} data-met={p.met}>
            <span className="mark" aria-hidden="true">
              {p.met ? '✓' : '✗'}
            </span>
            <strong>{pick(p.name)}</strong>: {p.met ? s('pre.met') : s('pre.notMet')}
            {pick(p.detail) && <span className="ds-small"> — {pick(p.detail)}</span>}
          </li>
        ))}
      </ul>
      {!d.closed && (
        <form
          className="ds-form"
          aria-label={s('decl.title')}
          data-testid="declarations-form"
          onSubmit={(e) => {
            e.preventDefault();
            // "92,5" and "92.5" alike; text that is not a number is said on the field, and nothing is sent.
            const n = rate.trim() === '' ? null : parseNumberText(rate);
            setRateError(n === null && rate.trim() !== '');
            if (n === null && rate.trim() !== '') return;
            write.mutate({
              method: 'PUT',
              path: `/dossiers/${d.id}/declarations`,
              body: { version: d.version, satisfactionRate: n, noConstructionDebt: fromTri(debt), securityOk: fromTri(security) },
            });
          }}
        >
          <h3 style={{ margin: '12px 0 0', fontSize: 16 }}>{s('decl.title')}</h3>
          <label>
            {s('decl.satisfaction')}
            <Input
              inputMode="decimal"
              autoComplete="off"
              value={rate}
              onChange={(e) => setRate(e.target.value)}
              style={{ maxWidth: 160 }}
              aria-invalid={rateError}
              aria-describedby={rateError ? `${uid}-req ${uid}-rate-err` : `${uid}-req`}
            />
            <span id={`${uid}-req`} className="ds-small" style={{ fontWeight: 400 }}>
              {s('decl.required', { n: d.satisfactionRequired })}
            </span>
            {rateError && (
              <span id={`${uid}-rate-err`} className="field-error" role="alert">
                {s('decl.notNumber')}
              </span>
            )}
          </label>
          <YesNo legend={s('decl.debt')} value={debt} onChange={setDebt} name={`${uid}-debt`} />
          <YesNo legend={s('decl.security')} value={security} onChange={setSecurity} name={`${uid}-sec`} />
          <div>
            <Button type="primary" htmlType="submit" loading={write.isPending}>
              {s('decl.save')}
            </Button>
          </div>
          {write.isSuccess && !write.isPending && (
            <p className="ds-ok" role="status">
              {s('decl.saved')}
            </p>
          )}
          <WriteError error={write.error} />
        </form>
      )}
    </section>
  );
}

function DocumentRow({ d, doc, onUploaded }: { d: DossierDetail; doc: DossierDocument; onUploaded: (x: DossierDetail) => void }) {
  const s = useS();
  const { pick, lang } = useT();
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const upload = async (file: File) => {
    setError(null);
    setDone(null);
    if (file.size > MAX_BYTES) {
      setError(s('docs.tooBig'));
      return;
    }
    setBusy(true);
    try {
      onUploaded(await uploadDossierDocument(d.id, doc.type, file));
      setDone(s('docs.uploaded', { file: file.name }));
    } catch (e) {
      setError(errorMessage(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const need = doc.requiredNow ? 'requiredNow' : doc.requiredAt.length > 0 ? 'requiredLater' : 'optional';
  return (
    <tr data-doc-type={doc.type} data-required={doc.requiredNow}>
      <th scope="row">
        {pick(doc.name)}
        <br />
        <span className="ds-tag" data-risk={doc.requiredNow ? (doc.versions.length ? 'ok' : 'overdue') : 'none'}>
          {s(`docs.${need}` as StringKey)}
        </span>
      </th>
      <td>
        {doc.versions.length === 0 ? (
          <span className="ds-small">{s('docs.missing')}</span>
        ) : (
          <ul aria-label={`${s('docs.versions')}: ${pick(doc.name)}`}>
            {[...doc.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.id}>
                  <a href={documentVersionUrl(v)} target="_blank" rel="noopener noreferrer">
                    {s('docs.version', { n: v.version, file: v.filename, who: v.createdBy, date: formatDate(v.createdAt.slice(0, 10)) })}
                  </a>
                  {v.note && <span className="ds-small"> — {v.note}</span>}
                </li>
              ))}
          </ul>
        )}
      </td>
      <td>
        <div className="ds-row">
          {!d.closed && (
            <FilePick
              id={`${uid}-file`}
              accept={ACCEPT}
              busy={busy}
              testId={`upload-${doc.type}`}
              label={busy ? s('docs.uploading') : s('docs.upload')}
              srLabel={pick(doc.name)}
              onFile={(f) => void upload(f)}
            />
          )}
          {doc.draft && (
            <a className="btn btn-small" href={draftUrl(d.id, doc.type)} data-testid={`draft-${doc.type}`}>
              {s('docs.draft')}
              <span className="sr-only"> — {pick(doc.name)}</span>
            </a>
          )}
        </div>
        {error && (
          <p className="ds-error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p className="ds-ok" role="status">
            {done}
          </p>
        )}
      </td>
    </tr>
  );
}

function DocumentsSection({ d }: { d: DossierDetail }) {
  const s = useS();
  const qc = useQueryClient();
  return (
    <section className="ds-section" aria-labelledby="docs-h">
      <h2 id="docs-h">{s('docs.title')}</h2>
      <p className="ds-small">{s('docs.formats')}</p>
      <div style={{ overflowX: 'auto' }}>
        <table className="ds-table ds-docs" data-testid="dossier-documents">
          <thead>
            <tr>
              <th scope="col">{s('docs.type')}</th>
              <th scope="col">{s('docs.versions')}</th>
              <th scope="col">
                <span className="sr-only">{s('actions.title')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.documents.map((doc) => (
              <DocumentRow
                key={doc.type}
                d={d}
                doc={doc}
                onUploaded={(x) => {
                  qc.setQueryData(dossierKeys.one(d.id), x);
                  void qc.invalidateQueries({ queryKey: dossierKeys.all });
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The actions at the current step: buttons, disabled with the reason (tooltip and text) when refused. */
export function ActionButtons({ actions, onPick }: { actions: DossierActionOption[]; onPick: (a: DossierActionOption) => void }) {
  const s = useS();
  const { pick } = useT();
  const uid = useId();
  if (actions.length === 0) return <p className="ds-small">{s('actions.none')}</p>;
  return (
    <>
      <div className="ds-actions" data-testid="dossier-actions">
        {actions.map((a) => {
          const reason = !a.allowed ? pick(a.reason) : '';
          const button = (
            <Button
              key={a.action}
              type={a.allowed && a.action !== 'return' && a.action !== 'withdraw' && a.action !== 'reject' ? 'primary' : 'default'}
              className={a.allowed && (a.action === 'reject' || a.action === 'withdraw') ? 'ds-btn-danger' : undefined}
              disabled={!a.allowed}
              data-action={a.action}
              aria-describedby={reason ? `${uid}-${a.action}` : undefined}
              title={reason || undefined}
              onClick={() => onPick(a)}
            >
              {pick(a.name)}
            </Button>
          );
          return reason ? (
            <Tooltip key={a.action} title={reason}>
              <span>{button}</span>
            </Tooltip>
          ) : (
            button
          );
        })}
      </div>
      {actions.some((a) => !a.allowed) && (
        <ul className="ds-small" style={{ marginTop: 8 }}>
          {actions
            .filter((a) => !a.allowed)
            .map((a) => (
              <li key={a.action} id={`${uid}-${a.action}`} data-testid={`reason-${a.action}`}>
                {pick(a.name)}: {pick(a.reason)}
              </li>
            ))}
        </ul>
      )}
    </>
  );
}

function ActionsSection({ d }: { d: DossierDetail }) {
  const s = useS();
  const { pick } = useT();
  const uid = useId();
  const write = useDossierWrite(useConflictEvents());
  const [chosen, setChosen] = useState<DossierActionOption | null>(null);
  const [comment, setComment] = useState('');
  const [returnTo, setReturnTo] = useState<string>('');
  const [decisionNo, setDecisionNo] = useState('');
  const [decidedOn, setDecidedOn] = useState(todayIso());
  const [signer, setSigner] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const open = (a: DossierActionOption) => {
    write.reset();
    setChosen(a);
    setComment('');
    setReturnTo(a.returnTo[0]?.id ?? '');
    setDecisionNo('');
    setDecidedOn(todayIso());
    setSigner('');
    setFormError(null);
  };
  const isReturn = chosen?.action === 'return';
  const isDecide = chosen?.action === 'decide';
  const confirm = () => {
    if (!chosen) return;
    if ((chosen.needsComment || isReturn) && !comment.trim()) {
      setFormError(s('actions.commentRequired'));
      return;
    }
    if (isDecide && (!decisionNo.trim() || !decidedOn || !signer.trim())) {
      setFormError(s('decide.required'));
      return;
    }
    setFormError(null);
    write.mutate(
      {
        method: 'POST',
        path: `/dossiers/${d.id}/actions`,
        body: {
          action: chosen.action,
          version: d.version,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
          ...(isReturn && returnTo ? { returnTo } : {}),
          ...(isDecide ? { decision: { decisionNo: decisionNo.trim(), decidedOn, signer: signer.trim() } } : {}),
        },
      },
      { onSuccess: () => setChosen(null), onError: () => setChosen(null) },
    );
  };
  return (
    <section className="ds-section" aria-labelledby="actions-h">
      <h2 id="actions-h">{s('actions.title')}</h2>
      <ActionButtons actions={d.actions} onPick={open} />
      <WriteError error={write.error} />
      <Modal
        open={!!chosen}
        title={isReturn ? s('return.title') : isDecide ? s('decide.title') : chosen ? pick(chosen.name) : ''}
        okText={s('actions.confirm')}
        cancelText={s('actions.cancel')}
        confirmLoading={write.isPending}
        onOk={confirm}
        onCancel={() => setChosen(null)}
        destroyOnHidden
      >
        {chosen && (
          <div className="ds-form" data-testid="action-modal" data-action={chosen.action}>
            <p>
              {pick(d.stateName)} → {pick(isReturn ? chosen.returnTo.find((r) => r.id === returnTo)?.name : d.steps.find((x) => x.id === chosen.to)?.name) || chosen.to}
            </p>
            {isReturn && chosen.returnTo.length > 0 && (
              <label htmlFor={`${uid}-target`}>
                {s('return.target')}
                <Select id={`${uid}-target`} value={returnTo} onChange={setReturnTo} options={chosen.returnTo.map((r) => ({ value: r.id, label: pick(r.name) }))} />
              </label>
            )}
            {isDecide && (
              <>
                <label>
                  {s('decide.number')}
                  <Input value={decisionNo} onChange={(e) => setDecisionNo(e.target.value)} aria-required="true" />
                </label>
                <label htmlFor={`${uid}-decided`}>{s('decide.date')}</label>
                <Suspense fallback={<Input disabled value={formatDate(decidedOn)} />}>
                  <DateField id={`${uid}-decided`} date={decidedOn} onChange={setDecidedOn} />
                </Suspense>
                <label>
                  {s('decide.signer')}
                  <Input value={signer} onChange={(e) => setSigner(e.target.value)} aria-required="true" />
                </label>
              </>
            )}
            <label>
              {isReturn ? s('return.reasons') : s('actions.comment')}
              <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} aria-required={chosen.needsComment || isReturn} />
            </label>
            {formError && (
              <p className="ds-error" role="alert">
                {formError}
              </p>
            )}
          </div>
        )}
      </Modal>
    </section>
  );
}

function Timeline({ d }: { d: DossierDetail }) {
  const s = useS();
  const { pick } = useT();
  return (
    <section className="ds-section" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{s('timeline.title')}</h2>
      {d.transitions.length === 0 ? (
        <p className="ds-small">{s('timeline.empty')}</p>
      ) : (
        <ol className="ds-timeline" data-testid="dossier-timeline">
          {[...d.transitions]
            .sort((a, b) => a.seq - b.seq)
            .map((tr) => (
              <li key={tr.seq} data-action={tr.action}>
                <strong>{pick(tr.actionName)}</strong>: {tr.fromName ? pick(tr.fromName) : s('timeline.start')} → {pick(tr.toName)}
                <br />
                <span className="ds-small">
                  {tr.actor}
                  {tr.actorRole ? ` (${roleName(s, tr.actorRole)})` : ''} · <time dateTime={tr.at}>{formatDateTime(tr.at)}</time>
                  {tr.onDate && formatDate(tr.onDate) !== formatDateTime(tr.at).slice(0, 10) ? ` · ${s('timeline.onDate', { date: formatDate(tr.onDate) })}` : ''}
                </span>
                {tr.comment && <p className="ds-comment-body">{tr.comment}</p>}
              </li>
            ))}
        </ol>
      )}
    </section>
  );
}

export function CommentItem({ c, onModerate, busy }: { c: ModeratedComment; onModerate?: (status: 'published' | 'rejected', note: string) => void; busy?: boolean }) {
  const s = useS();
  const { pick } = useT();
  const [note, setNote] = useState('');
  const granted = c.consents.filter((x) => x.granted).map((x) => s(`comments.consent.${x.purpose}` as StringKey));
  return (
    <li className="ds-comment" data-comment-id={c.id} data-status={c.status}>
      <p className="ds-row" style={{ margin: 0 }}>
        <span className="ds-tag" data-status={c.status}>
          {s(`comments.status.${c.status}` as StringKey)}
        </span>
        <strong>{c.authorName ?? s('comments.anonymous')}</strong>
        <span className="ds-small">
          {formatDateTime(c.createdAt)} · {pick(c.stageName)}
        </span>
      </p>
      <p className="ds-comment-body" data-testid="comment-body">
        {c.body}
      </p>
      <p className="ds-small" style={{ margin: 0 }}>
        {c.personalDataErased ? s('comments.erased') : <>{c.contact ? `${s('comments.contact', { c: c.contact })} · ` : ''}</>}
        {s('comments.consents', { list: granted.length ? granted.join(', ') : s('comments.noConsent') })}
        {!c.personalDataErased && ` · ${s('comments.deleteAfter', { date: formatDate(c.deleteAfter) })}`}
        {c.moderatedBy && c.moderatedAt && ` · ${s('comments.moderated', { who: c.moderatedBy, date: formatDateTime(c.moderatedAt) })}`}
        {c.moderationNote && ` — ${c.moderationNote}`}
      </p>
      {c.status === 'pending' && onModerate && (
        <div className="ds-row" style={{ marginTop: 6 }}>
          <Input size="small" placeholder={s('comments.note')} aria-label={s('comments.note')} value={note} onChange={(e) => setNote(e.target.value)} style={{ maxWidth: 280 }} />
          <Button size="small" type="primary" disabled={busy} onClick={() => onModerate('published', note)}>
            {s('comments.publish')}
          </Button>
          <Button size="small" className="ds-btn-danger" disabled={busy} onClick={() => onModerate('rejected', note)}>
            {s('comments.reject')}
          </Button>
        </div>
      )}
    </li>
  );
}

function CommentsSection({ d }: { d: DossierDetail }) {
  const s = useS();
  const q = useDossierComments(d.id);
  const write = useDossierWrite<ModeratedComment>(useConflictEvents());
  const hasPublicStep = d.steps.some((x) => x.publicConsultation);
  const total = d.commentCounts.pending + d.commentCounts.published + d.commentCounts.rejected;
  if (!hasPublicStep && total === 0) return null;
  return (
    <section className="ds-section" aria-labelledby="comments-h" data-testid="dossier-comments">
      <h2 id="comments-h">{s('comments.title')}</h2>
      <p className="ds-small">{s('comments.counts', { p: d.commentCounts.pending, pub: d.commentCounts.published, r: d.commentCounts.rejected })}</p>
      {q.isError && <WriteError error={q.error} />}
      {q.data && q.data.length === 0 && <p className="ds-small">{s('comments.empty')}</p>}
      {q.data && q.data.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {q.data.map((c) => (
            <CommentItem
              key={c.id}
              c={c}
              busy={write.isPending}
              onModerate={(status, note) => write.mutate({ method: 'POST', path: `/public-comments/${c.id}/moderation`, body: { status, ...(note.trim() ? { note: note.trim() } : {}) } })}
            />
          ))}
        </ul>
      )}
      <WriteError error={write.error} />
    </section>
  );
}

export function DossierView({ d }: { d: DossierDetail }) {
  const [conflict, setConflict] = useState(false);
  const events = useMemo(() => ({ report: () => setConflict(true), clear: () => setConflict(false) }), []);
  return (
    <ConflictContext.Provider value={events}>
    <div className="page ds-page" data-testid="dossier-page" data-dossier-id={d.id} data-state={d.state} data-version={d.version}>
      {conflict && <ConflictNotice />}
      <Header d={d} />
      {d.steps.length > 0 && <StepsBar d={d} />}
      <ActionsSection d={d} />
      <div className="ds-grid">
        {/* Keyed by version: after a write or a reload the forms show the server's values. */}
        <ConditionsSection d={d} />
        <DeadlineSection key={`d${d.version}`} d={d} />
      </div>
      <DocumentsSection d={d} />
      <CommentsSection d={d} />
      <Timeline d={d} />
    </div>
    </ConflictContext.Provider>
  );
}

export default function DossierPage() {
  const s = useS();
  const { pick } = useT();
  const id = Number(useParams().dossierId);
  const q = useDossier(id);
  useDocumentTitle(q.data ? `${q.data.unitName} — ${pick(q.data.levelName)}` : s('list.title'));
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={todayIso()} onRetry={() => void q.refetch()} />;
  return <DossierView d={q.data} />;
}

