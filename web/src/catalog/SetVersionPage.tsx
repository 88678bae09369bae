/**
 * /bo-tieu-chi/:setId/:version — one stored version of a provincial set: the criteria → indicators
 * tree (target per group/region in words, provenance badge with its source, who entered and who
 * verified), the verification queue (four eyes: the officer who entered an indicator is told why
 * they cannot verify it), the editor (add/change/remove an indicator, mark a criterion critical,
 * attach the source copy), the diffs against its base and its previous version, and publishing:
 * "Xem ảnh hưởng" first, then the confirmation, then the background re-evaluation's progress.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  fieldProblems,
  isVersionConflict,
  sourceCopyUrl,
  useCreateDraft,
  useDiscardDraft,
  useImpact,
  useSetVersion,
  useVersionWrite,
  type AuthoredVersion,
  type IndicatorMeta,
  type ResolvedCriterion,
  type ResolvedIndicator,
} from '../api/criteria-authoring.ts';
import { ApiErrorView, errorMessage } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { FilePick } from '../components/FilePick.tsx';
import { useCan } from '../auth/useCan.ts';
import { useMe } from '../auth/session.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { useT } from '../i18n/index.tsx';
import { dayBefore, formatDate, formatDateTime, formatNumber, parseDate, todayIso } from '../format.ts';
import { useS, type StringKey } from './strings.ts';
import { CountsLine, DiffView, kindName, ProvenanceBadge, StatusTag, TargetText, useLevelName, validityText, versionPath } from './parts.tsx';
import { IndicatorForm } from './IndicatorForm.tsx';
import './catalog.css';

type Write = ReturnType<typeof useVersionWrite>;

function WriteError({ error }: { error: unknown }) {
  const s = useS();
  const { lang } = useT();
  if (!error) return null;
  return (
    <p className="ct-error" role="alert" data-testid="write-error">
      <span aria-hidden="true">✗ </span>
      {isVersionConflict(error) ? s('page.conflict') : errorMessage(error, lang)}
      {fieldProblems(error).length > 0 && !isVersionConflict(error) && <> — {fieldProblems(error).map((p) => (lang === 'vi' ? p.message_vi : p.message)).join(' ')}</>}
    </p>
  );
}

/** Who entered / verified an indicator, and its source copy. */
function IndicatorWho({ meta, v, code, basedOn }: { meta: IndicatorMeta | undefined; v: AuthoredVersion; code: string; basedOn: string | null }) {
  const s = useS();
  if (!meta) return basedOn ? <p className="ct-small">{s('tree.inherited', { set: basedOn })}</p> : null;
  return (
    <p className="ct-small">
      {s('tree.enteredBy', { who: meta.editedBy, at: formatDateTime(meta.editedAt) })}
      {meta.verifiedBy && (
        <>
          {' · '}
          <span data-testid="verified-by">{s('tree.verifiedBy', { who: meta.verifiedBy, at: formatDateTime(meta.verifiedAt) })}</span>
        </>
      )}
      {meta.sourceCopy && (
        <>
          {' · '}
          <a href={sourceCopyUrl(v.setId, v.setVersion, code)} target="_blank" rel="noreferrer" data-testid="source-copy-link">
            {s('tree.sourceCopy', { file: meta.sourceCopy.filename })}
          </a>
        </>
      )}
    </p>
  );
}

function SourceLine({ ind }: { ind: ResolvedIndicator }) {
  const s = useS();
  const src = ind.provenance.source;
  return (
    <span>
      <ProvenanceBadge level={ind.provenance.level} />{' '}
      {src ? (
        <>
          {[src.number, src.date ? formatDate(src.date) : null, src.issuer, src.ref].filter(Boolean).join(', ')}
          {src.url && (
            <>
              {' · '}
              <a href={src.url} target="_blank" rel="noreferrer">
                {src.url}
              </a>
            </>
          )}
        </>
      ) : (
        <span className="ct-muted">{s('prov.noSource')}</span>
      )}
    </span>
  );
}

interface Editing {
  criterion: string;
  indicator: ResolvedIndicator | null;
}

function IndicatorItem({ ind, v, editable, write, onEdit }: { ind: ResolvedIndicator; v: AuthoredVersion; editable: boolean; write: Write; onEdit: () => void }) {
  const s = useS();
  const [removing, setRemoving] = useState(false);
  const [attached, setAttached] = useState<string | null>(null);
  const meta = v.indicators[ind.code];
  const attaching = write.isPending && write.variables?.kind === 'source' && write.variables.code === ind.code;
  return (
    <li className="ct-indicator" data-indicator={ind.code} data-testid={`indicator-${ind.code}`}>
      <div className="name">
        {ind.code}. {ind.name}
      </div>
      <dl className="ct-facts">
        <dt>{s('tree.target')}</dt>
        <dd data-testid="target">
          <TargetText op={ind.target.op} value={ind.target.value} unit={ind.unit} />
        </dd>
        <dt>{s('tree.kind')}</dt>
        <dd>
          {kindName(s, ind.kind)}
          {ind.unit ? ` (${ind.unit})` : ''} · <span className="ct-small">{s(`origin.${ind.origin}` as StringKey)}</span>
        </dd>
        <dt>{s('tree.source')}</dt>
        <dd>
          <SourceLine ind={ind} />
        </dd>
      </dl>
      <IndicatorWho meta={meta} v={v} code={ind.code} basedOn={v.basedOn} />
      {editable && (
        <div className="ct-actions">
          <button type="button" className="btn btn-small" onClick={onEdit}>
            {s('tree.edit')}
            <span className="sr-only"> {ind.code}</span>
          </button>
          <FilePick
            id={`attach-${ind.code}`}
            accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
            busy={attaching}
            label={meta?.sourceCopy ? s('tree.attachAgain') : s('tree.attach')}
            srLabel={s('tree.attachSr', { code: ind.code })}
            testId={`attach-${ind.code}`}
            onFile={(file) => write.mutate({ kind: 'source', code: ind.code, file }, { onSuccess: () => setAttached(file.name) })}
          />
          {!removing ? (
            <button type="button" className="btn btn-small btn-danger" onClick={() => setRemoving(true)}>
              {s('tree.remove')}
              <span className="sr-only"> {ind.code}</span>
            </button>
          ) : (
            <span className="ct-row" role="group" aria-label={s('tree.removeConfirm', { code: ind.code })}>
              <span>{s('tree.removeConfirm', { code: ind.code })}</span>
              <button type="button" className="btn btn-small btn-danger" disabled={write.isPending} onClick={() => write.mutate({ kind: 'edit', version: v.version, edit: { op: 'remove', indicator: ind.code } })}>
                {s('tree.remove')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setRemoving(false)}>
                {s('form.cancel')}
              </button>
            </span>
          )}
        </div>
      )}
      {write.variables?.kind === 'source' && write.variables.code === ind.code && <WriteError error={write.error} />}
      {attached && meta?.sourceCopy && (
        <p className="ct-ok" role="status">
          {s('tree.attached', { file: attached })}
        </p>
      )}
    </li>
  );
}

function CriterionBlock({ c, v, editable, write, editing, setEditing }: { c: ResolvedCriterion; v: AuthoredVersion; editable: boolean; write: Write; editing: Editing | null; setEditing: (e: Editing | null) => void }) {
  const s = useS();
  const { pick } = useT();
  const formHere = editing && editing.criterion === c.code;
  return (
    <section className="ct-criterion" data-criterion={c.code} aria-labelledby={`crit-${c.code}`}>
      <header>
        <h3 id={`crit-${c.code}`}>{s('tree.criterion', { code: c.code, name: c.name })}</h3>
        {c.critical && <span className="ct-tag critical">{s('tree.critical')}</span>}
        {editable && (
          <span className="ct-actions">
            <button
              type="button"
              className="btn btn-small"
              disabled={write.isPending}
              onClick={() => write.mutate({ kind: 'edit', version: v.version, edit: { op: 'criterion', criterion: c.code, critical: !c.critical } })}
              data-testid={`critical-${c.code}`}
            >
              {c.critical ? s('tree.unmarkCritical') : s('tree.markCritical')}
              <span className="sr-only"> {c.code}</span>
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing({ criterion: c.code, indicator: null })} data-testid={`add-indicator-${c.code}`}>
              {s('tree.addIndicator')}
              <span className="sr-only"> — {s('tree.criterion', { code: c.code, name: c.name })}</span>
            </button>
          </span>
        )}
      </header>
      {c.indicators.length === 0 && (
        <p style={{ padding: '0 12px' }} className="ct-small">
          {s('tree.noIndicators')} {pick(c.pendingIndicators)}
        </p>
      )}
      <ul className="ct-indicators">
        {c.indicators.map((i) =>
          formHere && editing.indicator?.code === i.code ? null : <IndicatorItem key={i.code} ind={i} v={v} editable={editable} write={write} onEdit={() => setEditing({ criterion: c.code, indicator: i })} />,
        )}
      </ul>
      {formHere && (
        <div style={{ padding: '0 12px' }}>
          <IndicatorForm
            key={`${c.code}-${editing.indicator?.code ?? 'new'}`}
            criterion={c.code}
            indicator={editing.indicator}
            fallbackDecision={v.resolved?.decision.number ?? ''}
            busy={write.isPending}
            error={write.variables?.kind === 'edit' && write.variables.edit.op === 'put' ? write.error : null}
            problems={write.variables?.kind === 'edit' && write.variables.edit.op === 'put' ? fieldProblems(write.error) : []}
            onCancel={() => setEditing(null)}
            onSave={(indicator) => write.mutate({ kind: 'edit', version: v.version, edit: { op: 'put', criterion: c.code, indicator } }, { onSuccess: () => setEditing(null) })}
          />
        </div>
      )}
    </section>
  );
}

/** Indicators with a source copy, waiting for a second officer. */
function VerificationQueue({ v, write }: { v: AuthoredVersion; write: Write }) {
  const s = useS();
  const can = useCan();
  const me = useMe();
  const username = me.data?.user?.username ?? null;
  const names = new Map<string, string>();
  for (const c of v.resolved?.criteria ?? []) for (const i of c.indicators) names.set(i.code, i.name);
  const waiting = Object.entries(v.indicators).filter(([, m]) => m.sourceCopy && !m.verifiedBy);
  const [done, setDone] = useState<string | null>(null);
  if (v.status !== 'draft')
    return waiting.length > 0 ? (
      <p className="ct-small" data-testid="published-unverified">
        {s('queue.published', { n: waiting.length })}
      </p>
    ) : null;
  return (
    <section className="ct-section" aria-labelledby="ct-queue-h" data-testid="verification-queue">
      <h2 id="ct-queue-h">
        {s('queue.title')} ({waiting.length})
      </h2>
      <p className="ct-sub">{s('queue.intro')}</p>
      {done && (
        <p className="ct-ok" role="status" data-testid="verified-notice">
          {s('queue.verified', { code: done })}
        </p>
      )}
      {write.variables?.kind === 'verify' && !isVersionConflict(write.error) && <WriteError error={write.error} />}
      {waiting.length === 0 ? (
        <p>{s('queue.empty')}</p>
      ) : (
        <ul className="ct-queue">
          {waiting.map(([code, m]) => {
            const own = username !== null && (m.editedBy === username || m.sourceCopy?.uploadedBy === username);
            return (
              <li key={code} data-indicator={code}>
                <div>
                  <strong>{code}</strong> {names.get(code) ?? ''}
                </div>
                <p className="ct-small">
                  {s('tree.enteredBy', { who: m.editedBy, at: formatDateTime(m.editedAt) })} ·{' '}
                  <a href={sourceCopyUrl(v.setId, v.setVersion, code)} target="_blank" rel="noreferrer">
                    {s('queue.download')}: {m.sourceCopy!.filename}
                  </a>
                </p>
                {!username ? (
                  <p className="ct-small">{s('queue.signIn')}</p>
                ) : !can('catalog.write') ? (
                  <p className="ct-small">{s('queue.noRight')}</p>
                ) : own ? (
                  <p className="ct-box warn" data-testid="verify-own">
                    <span aria-hidden="true">⚠ </span>
                    {s('queue.ownEntry')}
                  </p>
                ) : (
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={write.isPending}
                    data-testid={`verify-${code}`}
                    onClick={() => write.mutate({ kind: 'verify', version: v.version, code }, { onSuccess: () => setDone(code) })}
                  >
                    {s('queue.verify', { code })}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ReevaluationView({ v }: { v: AuthoredVersion }) {
  const s = useS();
  const { lang } = useT();
  const levelName = useLevelName();
  const r = v.reevaluation;
  if (!r) return null;
  return (
    <div className="ct-box" data-testid="reevaluation" data-state={r.state} aria-live="polite">
      <h3>{s('reeval.title')}</h3>
      {r.state === 'running' && (
        <>
          <p>{s('reeval.running', { done: r.done, total: r.total })}</p>
          <progress className="ct-progress" max={Math.max(r.total, 1)} value={r.done} aria-label={s('reeval.title')} />
        </>
      )}
      {r.state === 'done' && (
        <>
          <p data-testid="reevaluation-result">{s('reeval.done', { total: r.total, ms: formatNumber(r.ms ?? 0, lang), n: r.changedVerdicts })}</p>
          {r.levelChanges.length > 0 ? (
            <>
              <p>{s('impact.levels', { n: r.levelChanges.length })}</p>
              <ul>
                {r.levelChanges.map((c) => (
                  <li key={c.reviewId}>
                    <Link to={`/reviews/${c.reviewId}`}>{s('impact.level', { unit: c.unitName, date: formatDate(c.reviewedOn), from: levelName(c.from), to: levelName(c.to) })}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{s('impact.noLevels')}</p>
          )}
        </>
      )}
      {r.state === 'failed' && (
        <p className="ct-error" role="alert">
          {s('reeval.failed', { error: r.error ?? '' })}
        </p>
      )}
    </div>
  );
}

/** "Xem ảnh hưởng" → the impact → the confirmation → publish. */
function PublishPanel({ v, write }: { v: AuthoredVersion; write: Write }) {
  const s = useS();
  const levelName = useLevelName();
  const [asked, setAsked] = useState(false);
  const impact = useImpact(v.setId, v.setVersion, v.version, asked);
  const blocked = v.problems.length > 0;
  return (
    <section className="ct-section" aria-labelledby="ct-publish-h" data-testid="publish-panel">
      <h2 id="ct-publish-h">{s('publish.title')}</h2>
      {blocked && <p className="ct-small">{s('publish.blocked')}</p>}
      {!asked && (
        <button type="button" className="btn" disabled={blocked} onClick={() => setAsked(true)} data-testid="impact-button">
          {s('impact.button')}
        </button>
      )}
      {asked && (
        <div className="ct-box" data-testid="impact">
          <h3>{s('impact.title')}</h3>
          {impact.isPending && <p role="status">{s('impact.loading')}</p>}
          {impact.isError && <ApiErrorView error={impact.error} date={todayIso()} onRetry={() => void impact.refetch()} />}
          {impact.data && (
            <>
              <p data-testid="impact-line">
                {s('impact.line', { n: impact.data.changedVerdicts, reviews: impact.data.reviews })}{' '}
                {impact.data.levelChanges.length > 0 ? s('impact.levelsInline', { n: impact.data.levelChanges.length }) : s('impact.noLevelsInline')}
              </p>
              {impact.data.levelChanges.length > 0 && (
                <ul>
                  {impact.data.levelChanges.map((c) => (
                    <li key={c.reviewId}>{s('impact.level', { unit: c.unitName, date: formatDate(c.reviewedOn), from: levelName(c.from), to: levelName(c.to) })}</li>
                  ))}
                </ul>
              )}
              <p>
                <strong>{s('publish.confirm', { n: v.setVersion, date: formatDate(dayBefore(v.validFrom)) })}</strong>
              </p>
              <div className="ct-actions">
                <button type="button" className="btn btn-primary" disabled={write.isPending || blocked} onClick={() => write.mutate({ kind: 'publish', version: v.version })} data-testid="publish-confirm">
                  {s('publish.button')}
                </button>
                <button type="button" className="btn" onClick={() => setAsked(false)}>
                  {s('publish.cancel')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      {write.variables?.kind === 'publish' && <WriteError error={write.error} />}
    </section>
  );
}

/** Name and validity of a draft (the header edit). */
function HeaderForm({ v, write }: { v: AuthoredVersion; write: Write }) {
  const s = useS();
  const { lang } = useT();
  const [name, setName] = useState(v.name);
  const [from, setFrom] = useState(formatDate(v.validFrom));
  const [to, setTo] = useState(v.validTo ? formatDate(v.validTo) : '');
  const [bad, setBad] = useState<'from' | 'to' | null>(null);
  const [saved, setSaved] = useState(false);
  const mine = write.variables?.kind === 'edit' && write.variables.edit.op === 'header';
  const problems = mine ? fieldProblems(write.error) : [];
  const about = (k: string) => problems.filter((p) => p.field.toLowerCase().includes(k.toLowerCase())).map((p) => (lang === 'vi' ? p.message_vi : p.message));
  return (
    <details className="ct-section" data-testid="header-form">
      <summary>{s('header.title')}</summary>
      <form
        className="ct-form"
        onSubmit={(e) => {
          e.preventDefault();
          const f = parseDate(from);
          const tt = to.trim() ? parseDate(to) : null;
          setBad(!f ? 'from' : to.trim() && !tt ? 'to' : null);
          if (!f || (to.trim() && !tt)) return;
          setSaved(false);
          write.mutate({ kind: 'edit', version: v.version, edit: { op: 'header', name: name.trim(), validFrom: f, validTo: tt } }, { onSuccess: () => setSaved(true) });
        }}
      >
        <div className="ct-grid">
          <label htmlFor="ct-h-name">
            {s('header.name')}
            <input id="ct-h-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={about('name').length > 0} />
            {about('name').map((m) => <span key={m} className="ct-field-error">{m}</span>)}
          </label>
          <label htmlFor="ct-h-from">
            {s('header.validFrom')}
            <input id="ct-h-from" value={from} placeholder="dd/mm/yyyy" inputMode="numeric" onChange={(e) => setFrom(e.target.value)} aria-invalid={bad === 'from' || about('validFrom').length > 0} />
            {bad === 'from' && <span className="ct-field-error">{s('form.badDate')}</span>}
            {about('validFrom').map((m) => <span key={m} className="ct-field-error">{m}</span>)}
          </label>
          <label htmlFor="ct-h-to">
            {s('header.validTo')}
            <input id="ct-h-to" value={to} placeholder="dd/mm/yyyy" inputMode="numeric" onChange={(e) => setTo(e.target.value)} aria-invalid={bad === 'to' || about('validTo').length > 0} />
            {bad === 'to' && <span className="ct-field-error">{s('form.badDate')}</span>}
            {about('validTo').map((m) => <span key={m} className="ct-field-error">{m}</span>)}
          </label>
        </div>
        {mine && problems.length === 0 && <WriteError error={write.error} />}
        {saved && !write.error && (
          <p className="ct-ok" role="status">
            {s('header.saved')}
          </p>
        )}
        <div className="ct-actions">
          <button type="submit" className="btn btn-primary" disabled={write.isPending}>
            {s('header.save')}
          </button>
        </div>
      </form>
    </details>
  );
}

function NewVersionPanel({ v }: { v: AuthoredVersion }) {
  const s = useS();
  const { lang } = useT();
  const navigate = useNavigate();
  const create = useCreateDraft();
  const [from, setFrom] = useState('');
  const [bad, setBad] = useState(false);
  const problems = fieldProblems(create.error);
  return (
    <form
      className="ct-form"
      data-testid="new-version-form"
      onSubmit={(e) => {
        e.preventDefault();
        const iso = parseDate(from);
        setBad(!iso);
        if (!iso) return;
        create.mutate({ newVersionOf: v.setId, validFrom: iso }, { onSuccess: (n) => navigate(versionPath(n.setId, n.setVersion)) });
      }}
    >
      <h2>{s('newVersion.title')}</h2>
      <label htmlFor="ct-newfrom">
        {s('newVersion.validFrom')}
        <input id="ct-newfrom" value={from} placeholder="dd/mm/yyyy" inputMode="numeric" onChange={(e) => setFrom(e.target.value)} aria-invalid={bad || problems.length > 0} />
        {bad && <span className="ct-field-error">{s('form.badDate')}</span>}
      </label>
      {create.error && (
        <p className="ct-error" role="alert">
          {problems.length > 0 ? problems.map((p) => (lang === 'vi' ? p.message_vi : p.message)).join(' ') : errorMessage(create.error, lang)}
        </p>
      )}
      <div className="ct-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {s('newVersion.button')}
        </button>
      </div>
    </form>
  );
}

function DiscardDraft({ v }: { v: AuthoredVersion }) {
  const s = useS();
  const { lang } = useT();
  const navigate = useNavigate();
  const discard = useDiscardDraft(v.setId, v.setVersion);
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn btn-danger" onClick={() => setAsking(true)}>
        {s('discard.button')}
      </button>
    );
  return (
    <div className="ct-box warn" role="group" aria-label={s('discard.button')}>
      <p>{s('discard.confirm', { n: v.setVersion })}</p>
      <div className="ct-actions">
        <button type="button" className="btn btn-danger" disabled={discard.isPending} onClick={() => discard.mutate(v.version, { onSuccess: () => navigate('/bo-tieu-chi') })}>
          {s('discard.button')}
        </button>
        <button type="button" className="btn" onClick={() => setAsking(false)}>
          {s('form.cancel')}
        </button>
      </div>
      {discard.error && (
        <p className="ct-error" role="alert">
          {errorMessage(discard.error, lang)}
        </p>
      )}
    </div>
  );
}

export default function SetVersionPage() {
  const s = useS();
  const { lang } = useT();
  const can = useCan();
  const params = useParams();
  const setId = params.setId ?? '';
  const version = Number(params.version);
  const q = useSetVersion(setId, version);
  const write = useVersionWrite(setId, version);
  const [editing, setEditing] = useState<Editing | null>(null);
  const v = q.data;
  useDocumentTitle(v ? `${v.name} — ${s('version.n', { n: v.setVersion })}` : s('list.title'));
  if (q.isPending) return <PageLoading />;
  if (q.isError || !v)
    return (
      <div className="page ct-page">
        <p>
          <Link to="/bo-tieu-chi">{s('page.back')}</Link>
        </p>
        <ApiErrorView error={q.error} date={todayIso()} onRetry={() => void q.refetch()} />
      </div>
    );
  const draft = v.status === 'draft';
  const editable = draft && can('catalog.write');
  // Errors of the writes that have no form of their own (critical, remove) are shown at the top; the others beside their control.
  const w = write.variables;
  const nonPutError = w && w.kind === 'edit' && w.edit.op !== 'put' && w.edit.op !== 'header' ? write.error : null;
  return (
    <div className="page ct-page" data-testid="set-version-page" data-status={v.status} data-version={v.version}>
      <p>
        <Link to="/bo-tieu-chi">{s('page.back')}</Link>
      </p>
      <h1>{v.name}</h1>
      <div className="ct-row">
        <strong>{s('version.n', { n: v.setVersion })}</strong>
        <StatusTag status={v.status} />
        <span>{validityText(v.validFrom, v.validTo, lang)}</span>
        {v.supersededOn && <span className="ct-small">({s('status.superseded', { date: formatDate(v.supersededOn) })})</span>}
      </div>
      <p>
        <CountsLine indicators={v.counts?.indicators} provenance={v.counts?.provenance} />
        {v.awaitingVerification > 0 && draft && <> · {s('counts.awaiting', { n: v.awaitingVerification })}</>}
      </p>
      <p className="ct-small">
        {v.setId}
        {v.basedOn ? ` · ${s('page.based', { set: v.basedOn })}` : ''} · {s('page.createdBy', { who: v.createdBy, at: formatDateTime(v.createdAt) })}
        {v.publishedBy && v.publishedAt ? ` · ${s('page.publishedBy', { who: v.publishedBy, at: formatDateTime(v.publishedAt) })}` : ''}
      </p>
      {!draft && <p className="notice notice-info">{s('page.readOnly')}</p>}
      {draft && can('catalog.write') && (
        <p className="ct-small">
          <a href="#ct-publish-h">{s('page.toPublish')}</a>
        </p>
      )}
      {isVersionConflict(write.error) && (
        <p className="ct-error" role="alert" data-testid="version-conflict">
          {s('page.conflict')}
        </p>
      )}
      {nonPutError && !isVersionConflict(nonPutError) && <WriteError error={nonPutError} />}
      {v.problems.length > 0 && (
        <div className="ct-error" role="alert" data-testid="set-problems">
          <strong>{s('page.problems')}</strong>
          <ul>
            {v.problems.map((p, i) => (
              <li key={i}>
                {lang === 'vi' ? p.message_vi : p.message} <span className="ct-small">({p.field})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ReevaluationView v={v} />
      {editable && <HeaderForm key={v.setVersion} v={v} write={write} />}

      <VerificationQueue v={v} write={write} />

      <section className="ct-section" aria-labelledby="ct-tree-h" data-testid="set-tree">
        <h2 id="ct-tree-h">{s('tree.title')}</h2>
        {v.resolved?.criteria.map((c) => <CriterionBlock key={c.code} c={c} v={v} editable={editable} write={write} editing={editing} setEditing={setEditing} />)}
      </section>

      <section className="ct-section" aria-labelledby="ct-diff-h">
        <h2 id="ct-diff-h">{s('diff.base', { set: v.basedOn ?? '—' })}</h2>
        {v.diffFromBase ? <DiffView diff={v.diffFromBase} testId="diff-base" /> : <p>{s('diff.none')}</p>}
      </section>
      <section className="ct-section" aria-labelledby="ct-diffp-h">
        <h2 id="ct-diffp-h">{s('diff.previous')}</h2>
        {v.diffFromPrevious ? <DiffView diff={v.diffFromPrevious} testId="diff-previous" /> : <p>{v.setVersion === 1 ? s('diff.noPrevious') : s('diff.none')}</p>}
      </section>

      {editable && <PublishPanel v={v} write={write} />}
      {editable && (
        <section className="ct-section">
          <DiscardDraft v={v} />
        </section>
      )}
      {!draft && can('catalog.write') && <NewVersionPanel v={v} />}
    </div>
  );
}
