/**
 * `/reviews/:reviewId` — nhập bản rà soát. A form generated from the criteria set: one field per
 * indicator (and the set's yes/no flags), evaluated as the officer types by the same engine the
 * server runs (`evaluateCommune`, imported from src/domain), saved automatically (debounced PATCH
 * with the version read; 409 → the officer reloads and re-enters), with the server's validation
 * errors on their fields, evidence files per indicator, and submit. A submitted review opens
 * read-only.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { evaluateCommune } from '../../../src/domain/evaluation.ts';
import { conditionKey } from '../../../src/domain/criteria.ts';
import { ApiError, request, apiUrl } from '../api/client.ts';
import { queryKeys, uploadAttachment, useCriteriaDefinition, useReview, useSubmitReview } from '../api/hooks.ts';
import type { CommuneProfile, CriteriaSet, Indicator, IndicatorValue, IndicatorVerdictView, ReviewDetailData } from '../api/types.ts';
import { ApiErrorView, errorMessage } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { StatusTag } from '../components/StatusMark.tsx';
import { unitPath } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { useReviewStrings } from './strings.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { useCan } from '../auth/useCan.ts';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { IndicatorField } from './IndicatorField.tsx';
import type { Evidence } from './EvidenceList.tsx';
import { draftOf, sameValue, valueOf, type FieldDraft } from './values.ts';

const AUTOSAVE_MS = 700;

/** What the server holds now, sent with a 409 `version_conflict` (`details.current`). */
interface ConflictState {
  currentVersion: number | null;
  theirs: Record<string, { value: IndicatorValue; enteredBy: string; note: string | null; evidence: Evidence[] }>;
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; message: string; conflict: ConflictState };

function conflictOf(e: ApiError): ConflictState {
  const d = (e.details ?? {}) as { currentVersion?: number; current?: { values?: Array<{ code: string; value: IndicatorValue; enteredBy: string; note: string | null; evidence: Evidence[] }> } };
  return {
    currentVersion: typeof d.currentVersion === 'number' ? d.currentVersion : null,
    theirs: Object.fromEntries((d.current?.values ?? []).map((v) => [v.code, { value: v.value, enteredBy: v.enteredBy, note: v.note, evidence: v.evidence ?? [] }])),
  };
}

function shownValue(v: IndicatorValue | undefined, lang: 'vi' | 'en', t: (k: MessageKey) => string): string {
  if (v === null || v === undefined) return t('commune.ind.noValue');
  if (typeof v === 'boolean') return v ? t('review.yes') : t('review.no');
  if (typeof v === 'number') return formatNumber(v, lang, { maxFraction: 4 });
  if (typeof v === 'string') return v;
  return `${formatNumber(v.numerator, lang)}/${formatNumber(v.denominator, lang)}`;
}

interface Extra {
  note: string | null;
  evidence: Evidence[];
}

/** What the engine needs about the commune, as the server's evaluation of this review recorded it. */
function profileOf(r: ReviewDetailData): CommuneProfile {
  const c = r.evaluation.context;
  return { code: r.evaluation.commune.code, name: r.evaluation.commune.name, region: c.regionVia ? null : c.region, group: c.group, special: c.regionVia };
}

export default function ReviewPage() {
  const { reviewId } = useParams();
  const id = Number(reviewId);
  const { t } = useT();
  const review = useReview(Number.isInteger(id) && id > 0 ? id : undefined);
  const set = useCriteriaDefinition(review.data?.setId, review.data?.reviewedOn);
  useDocumentTitle(review.data ? `${t('review.title')} — ${review.data.unitName}` : t('review.title'));
  if (!Number.isInteger(id) || id <= 0) return <p className="notice notice-error">{t('error.notFoundPage')}</p>;
  if (review.isPending || (review.data && set.isPending)) return <PageLoading />;
  if (review.isError) return <ApiErrorView error={review.error} date="" onRetry={() => void review.refetch()} />;
  if (set.isError) return <ApiErrorView error={set.error} date="" onRetry={() => void set.refetch()} />;
  return <ReviewEditor key={`${id}`} initial={review.data!} set={set.data!} />;
}

/** The conditions of a compound indicator as fields of their own, coded by their values-map key. */
function conditionFields(ind: Indicator): Indicator[] {
  return (ind.conditions ?? []).map((c) => ({ ...ind, code: conditionKey(ind.code, c.code), name: c.name, kind: c.kind, unit: c.unit, target: c.target, scale: null, conditions: null, applicableIf: null }));
}

/** The set's attributes (numbers a target depends on, e.g. the school count) as number fields. */
function attributeFields(set: CriteriaSet): Indicator[] {
  const template = set.criteria.flatMap((c) => c.indicators)[0];
  if (!template) return [];
  return set.attributes.map((a) => ({ ...template, code: a.code, name: a.name, kind: 'number' as const, unit: a.unit, scale: null, conditions: null, applicableIf: null, target: { op: '>=' as const, value: null, setBy: set.id, override: false, derivedFrom: null } }));
}

function ReviewEditor({ initial, set }: { initial: ReviewDetailData; set: CriteriaSet }) {
  const { t, lang, pick } = useT();
  const rs = useReviewStrings();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const readOnly = initial.status !== 'draft';
  // The fields that take a value: a compound indicator's conditions ("5.toi_thieu") stand for it,
  // and the set's attributes (e.g. the school count) are number fields.
  const indicators = useMemo(() => [...set.criteria.flatMap((c) => c.indicators.flatMap((i) => (i.kind === 'compound' ? conditionFields(i) : [i]))), ...attributeFields(set)], [set]);
  const byCode = useMemo(() => new Map(indicators.map((i) => [i.code, i])), [indicators]);

  // Server state: the review as last read or saved.
  const [server, setServer] = useState(initial);
  const version = useRef(initial.version);
  // Form state.
  const [values, setValues] = useState<Record<string, IndicatorValue>>(() => Object.fromEntries(initial.values.map((v) => [v.code, v.value])));
  const [drafts, setDrafts] = useState<Record<string, FieldDraft>>(() => {
    const cur = Object.fromEntries(initial.values.map((v) => [v.code, v.value]));
    return Object.fromEntries(indicators.map((i) => [i.code, draftOf(i, cur[i.code], lang)]));
  });
  const [extras, setExtras] = useState<Record<string, Extra>>(() => Object.fromEntries(initial.values.map((v) => [v.code, { note: v.note, evidence: v.evidence }])));
  const [dirty, setDirty] = useState<Set<string>>(() => new Set());
  const [invalid, setInvalid] = useState<Set<string>>(() => new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const submit = useSubmitReview(initial.id);
  const can = useCan();
  // Discarding (or discarded): autosave stops, nothing more is sent.
  const discarding = useRef(false);

  // The engine, in the browser: what the server will compute on save.
  const live = useMemo(() => {
    try {
      return evaluateCommune(set, profileOf(server), server.reviewedOn, values, { recognisedLevels: server.evaluation.prerequisites.held });
    } catch {
      return null;
    }
  }, [set, server, values]);
  const verdictOf = useMemo(
    () =>
      new Map<string, IndicatorVerdictView>(
        (live?.criteria ?? []).flatMap((c) =>
          c.indicators.flatMap((i) => [[i.code, i] as const, ...(i.conditions ?? []).map((k) => [k.code, { ...k, measured: null, verified: i.verified }] as const)]),
        ),
      ),
    [live],
  );

  const onDraft = useCallback(
    (code: string, d: FieldDraft) => {
      const ind = byCode.get(code);
      setDrafts((prev) => ({ ...prev, [code]: d }));
      const parsed = ind ? valueOf(ind, d, lang) : { value: d.kind === 'choice' ? (d.choice === 'true' ? true : d.choice === 'false' ? false : null) : null };
      setInvalid((prev) => {
        const next = new Set(prev);
        if ('invalid' in parsed) next.add(code);
        else next.delete(code);
        return next;
      });
      if ('invalid' in parsed) return;
      setValues((prev) => (sameValue(prev[code], parsed.value) ? prev : { ...prev, [code]: parsed.value }));
      setDirty((prev) => new Set(prev).add(code));
      setServerErrors((prev) => {
        if (!(code in prev)) return prev;
        const next = { ...prev };
        delete next[code];
        return next;
      });
      setSave({ kind: 'pending' });
    },
    [byCode, lang],
  );

  // Autosave: a while after the last keystroke, send every changed, well-formed value.
  // A value the server refused waits for the officer to change it (onDraft clears its error); the
  // others are saved without it — the server takes a save whole or not at all.
  const latest = useRef({ values, extras, dirty, invalid, serverErrors });
  latest.current = { values, extras, dirty, invalid, serverErrors };
  const flush = useCallback(async (refused: Record<string, string> = {}): Promise<boolean> => {
    if (inFlight.current || readOnly || discarding.current) return false;
    const { values: vals, extras: ex, dirty: d, invalid: bad, serverErrors: rejected } = latest.current;
    const codes = [...d].filter((c) => !bad.has(c) && !(c in rejected) && !(c in refused));
    if (codes.length === 0) return Object.keys(refused).length === 0;
    inFlight.current = true;
    setSave({ kind: 'saving' });
    const sent: Record<string, { value: IndicatorValue; note?: string | null; evidence?: Evidence[] }> = {};
    for (const c of codes) sent[c] = { value: vals[c] ?? null, note: ex[c]?.note ?? null, evidence: ex[c]?.evidence ?? [] };
    let retry: Record<string, string> | null = null;
    try {
      const { data } = await request<ReviewDetailData>('PATCH', apiUrl(`/reviews/${initial.id}/values`), {
        body: { values: sent },
        headers: { 'If-Match': `"${version.current}"` },
      });
      version.current = data.version;
      setServer(data);
      qc.setQueryData(queryKeys.review(initial.id), data);
      void qc.invalidateQueries({ queryKey: ['unit', data.unitId] });
      // Done with what was sent, unless it changed again meanwhile.
      setDirty((prev) => {
        const next = new Set(prev);
        for (const c of codes) if (sameValue(latest.current.values[c], sent[c]!.value) && latest.current.extras[c]?.evidence === ex[c]?.evidence) next.delete(c);
        return next;
      });
      if (Object.keys(refused).length > 0) {
        setSave({ kind: 'error', message: rs('savedExceptErrors', { n: Object.keys(refused).length }) });
        return false;
      }
      setSave({ kind: 'saved', at: new Date() });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        setSave({ kind: 'conflict', message: errorMessage(e, lang), conflict: conflictOf(e) });
      } else if (e instanceof ApiError && Array.isArray((e.details as { fields?: unknown })?.fields)) {
        const fields = (e.details as { fields: Array<{ field: string; message?: string; message_vi?: string }> }).fields;
        const errs: Record<string, string> = {};
        for (const f of fields) {
          const code = f.field.replace(/^values\./, '');
          errs[code] = (lang === 'vi' ? f.message_vi : f.message) ?? errorMessage(e, lang);
        }
        setServerErrors((prev) => ({ ...prev, ...errs }));
        setSave({ kind: 'error', message: errorMessage(e, lang) });
        // Save the rest now, without the refused values (only when the server named fields we sent).
        const named = Object.keys(errs);
        if (named.length > 0 && named.every((c) => codes.includes(c)) && codes.some((c) => !(c in errs))) retry = { ...refused, ...errs };
      } else {
        setSave({ kind: 'error', message: errorMessage(e, lang) });
      }
    } finally {
      inFlight.current = false;
    }
    return retry ? flush(retry) : false;
  }, [initial.id, lang, qc, readOnly, rs]);

  const failedWith = save.kind === 'error' || save.kind === 'conflict';
  useEffect(() => {
    if (readOnly || dirty.size === 0 || failedWith) return;
    const h = setTimeout(() => void flush(), AUTOSAVE_MS);
    return () => clearTimeout(h);
  }, [values, extras, dirty, flush, readOnly, failedWith]);
  // After an error, try again when the officer changes something (onDraft sets `pending`).

  // Leaving with unsaved changes: the browser asks.
  useEffect(() => {
    if (dirty.size === 0) return;
    const h = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, [dirty]);

  const onAttach = useCallback(
    async (code: string, file: File) => {
      setUploading(code);
      setUploadError(null);
      try {
        const a = await uploadAttachment(initial.id, file, code);
        setExtras((prev) => ({ ...prev, [code]: { note: prev[code]?.note ?? null, evidence: [...(prev[code]?.evidence ?? []), { title: a.filename, url: a.url }] } }));
        setDirty((prev) => new Set(prev).add(code));
        setSave({ kind: 'pending' });
      } catch (e) {
        setUploadError(`${file.name}: ${errorMessage(e, lang)}`);
      } finally {
        setUploading(null);
      }
    },
    [initial.id, lang],
  );

  // Taking a file off an indicator is a change of its value's evidence list, saved like any other.
  const onDetach = useCallback((code: string, index: number) => {
    setExtras((prev) => ({ ...prev, [code]: { note: prev[code]?.note ?? null, evidence: (prev[code]?.evidence ?? []).filter((_, i) => i !== index) } }));
    setDirty((prev) => new Set(prev).add(code));
    setSave({ kind: 'pending' });
  }, []);

  const reload = async () => {
    const fresh = await qc.fetchQuery({ queryKey: queryKeys.review(initial.id), queryFn: async () => (await request<ReviewDetailData>('GET', apiUrl(`/reviews/${initial.id}`))).data, staleTime: 0 });
    version.current = fresh.version;
    setServer(fresh);
    const cur = Object.fromEntries(fresh.values.map((v) => [v.code, v.value]));
    setValues(cur);
    setDrafts(Object.fromEntries(indicators.map((i) => [i.code, draftOf(i, cur[i.code], lang)])));
    setExtras(Object.fromEntries(fresh.values.map((v) => [v.code, { note: v.note, evidence: v.evidence }])));
    setDirty(new Set());
    setInvalid(new Set());
    setServerErrors({});
    setSave({ kind: 'idle' });
  };

  /** Settle a conflict field by field: keep mine (saved over the newer version) or take theirs. */
  const [choices, setChoices] = useState<Record<string, 'mine' | 'theirs'>>({});
  const resolve = (c: ConflictState) => {
    if (c.currentVersion === null) return void reload();
    version.current = c.currentVersion;
    const takeTheirs = [...dirty].filter((code) => (choices[code] ?? 'mine') === 'theirs');
    setValues((prev) => ({ ...prev, ...Object.fromEntries(takeTheirs.map((code) => [code, c.theirs[code]?.value ?? null])) }));
    setDrafts((prev) => ({ ...prev, ...Object.fromEntries(takeTheirs.map((code) => [code, draftOf(byCode.get(code) ?? { kind: 'boolean' }, c.theirs[code]?.value, lang)])) }));
    setExtras((prev) => ({ ...prev, ...Object.fromEntries(takeTheirs.map((code) => [code, { note: c.theirs[code]?.note ?? null, evidence: c.theirs[code]?.evidence ?? [] }])) }));
    setDirty((prev) => new Set([...prev].filter((code) => !takeTheirs.includes(code))));
    setChoices({});
    setSave({ kind: 'pending' });
  };

  // Submitting asks first, with what it will submit (the saved result: totals, level, what is empty).
  const [confirming, setConfirming] = useState(false);
  const askSubmit = async () => {
    // Saved first (true: everything sent was taken), so the dialog lists what the server holds.
    if (await flush()) setConfirming(true);
  };
  const doSubmit = async () => {
    setConfirming(false);
    if (!(await flush())) return;
    if (latest.current.dirty.size > 0) return;
    try {
      const r = await submit.mutateAsync(version.current);
      navigate(`${unitPath(r.unitId, r.reviewedOn)}&submitted=${r.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') setSave({ kind: 'conflict', message: errorMessage(e, lang), conflict: conflictOf(e) });
    }
  };

  // "Hủy bản nháp": asks first, then deletes the draft (its values, evaluation, evidence rows) and goes back to the commune.
  const [askingDiscard, setAskingDiscard] = useState(false);
  const [discardState, setDiscardState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const doDiscard = async () => {
    setAskingDiscard(false);
    discarding.current = true;
    setDiscardState({ busy: true, error: null });
    // A save already on its way finishes first: its answer carries the version to state.
    for (let i = 0; inFlight.current && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    try {
      await request('DELETE', apiUrl(`/reviews/${initial.id}`), { headers: { 'If-Match': `"${version.current}"` } });
      qc.removeQueries({ queryKey: queryKeys.review(initial.id) });
      void qc.invalidateQueries({ queryKey: ['unit'] });
      navigate(unitPath(server.unitId, server.reviewedOn));
    } catch (e) {
      discarding.current = false;
      setDiscardState({ busy: false, error: errorMessage(e, lang) });
    }
  };

  const totals = live?.totals;
  const flags = set.flags;
  const openInitially = useMemo(() => new Set((live?.criteria ?? []).filter((c) => c.status !== 'met' && c.status !== 'not_applicable').map((c) => c.code)), []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="page review-page" data-testid="review-page" data-review-id={initial.id}>
      <nav aria-label={t('unit.parents')} className="breadcrumb">
        <ol>
          <li>
            <Link to={unitPath(server.unitId, server.reviewedOn)}>{server.unitName}</Link>
          </li>
          <li aria-current="page">{t('review.title')}</li>
        </ol>
      </nav>
      <h1 className="unit-title">
        {t('review.heading', { date: formatDate(server.reviewedOn) })} — {server.unitName}
      </h1>
      <p className="unit-meta">
        <span>{t('review.set', { set: server.setName })}</span>
        <span>{server.status === 'draft' ? t('review.statusDraft') : t('review.statusSubmitted', { date: formatDateTime(server.submittedAt) })}</span>
        <span>{t('review.version', { v: server.version })}</span>
        {server.isDemo && <span className="demo-mark">{t('demo.mark')}</span>}
      </p>
      {readOnly && (
        <p className="notice notice-info" role="status">
          {t('review.readOnly')}
        </p>
      )}
      {server.warnings.map((w) => (
        <p key={w.vi} className="notice notice-warning" data-testid="review-warning">
          {pick(w)}
        </p>
      ))}

      <div className="review-bar" role="region" aria-label={t('review.liveTitle')}>
        <div className="review-bar-main">
          <p className="review-live" data-testid="live-summary" aria-live="polite">
            {live ? (
              <>
                <StatusTag status={live.meetsStandard ? 'met' : 'not_met'} label={live.meetsStandard ? t('commune.meetsStandard') : t('commune.notMeetsStandard')} />{' '}
                <span className="summary-text">{pick(live.summary)}</span>
              </>
            ) : (
              t('review.cannotEvaluate')
            )}
          </p>
          {totals && (
            <p className="review-totals muted" data-testid="live-totals">
              {t('review.liveLabel')}: {t('commune.totals', { cm: totals.criteriaMet, ct: totals.criteriaTotal, im: totals.indicatorsMet, it: totals.indicatorsTotal })}
            </p>
          )}
          <p className="review-saved muted" data-testid="saved-summary">
            {t('review.savedLabel')}: {pick(server.evaluation.summary)}
          </p>
        </div>
        <div className="review-bar-side">
          <p className={`save-state save-${save.kind}`} data-testid="save-state" role="status" aria-live="polite">
            {save.kind === 'idle' && (readOnly ? '' : t('review.saveIdle'))}
            {save.kind === 'pending' && t('review.savePending')}
            {save.kind === 'saving' && t('review.saving')}
            {save.kind === 'saved' && t('review.savedAt', { time: formatDateTime(save.at.toISOString()).slice(11) })}
            {save.kind === 'error' && (
              <>
                <span aria-hidden="true">✗ </span>
                {t('review.saveFailed')}
              </>
            )}
          </p>
          {!readOnly && (
            <button type="button" className="btn btn-primary" onClick={() => void askSubmit()} aria-expanded={confirming} aria-controls="submit-confirm" disabled={submit.isPending || save.kind === 'saving' || invalid.size > 0 || Object.keys(serverErrors).length > 0}>
              {submit.isPending ? t('review.submitting') : t('review.submit')}
            </button>
          )}
          {!readOnly && can('review.write') && (
            <button type="button" className="btn" onClick={() => setAskingDiscard(true)} aria-expanded={askingDiscard} aria-controls="discard-confirm" disabled={discardState.busy || submit.isPending} data-testid="discard-draft">
              {discardState.busy ? rs('discarding') : rs('discard')}
            </button>
          )}
        </div>
      </div>

      {confirming && !readOnly && (
        <SubmitConfirm
          review={server}
          empty={indicators.filter((i) => values[i.code] === undefined || values[i.code] === null).length}
          onConfirm={() => void doSubmit()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {askingDiscard && !readOnly && (
        <DiscardConfirm review={server} filled={indicators.filter((i) => values[i.code] !== undefined && values[i.code] !== null).length} unsaved={dirty.size > 0} onConfirm={() => void doDiscard()} onCancel={() => setAskingDiscard(false)} />
      )}
      {discardState.error && (
        <p className="notice notice-error" role="alert" data-testid="discard-error">
          {discardState.error}
        </p>
      )}
      {save.kind === 'conflict' && (
        <div className="notice notice-warning" role="alert" data-testid="version-conflict">
          <p className="notice-title">
            <span aria-hidden="true">⚠ </span>
            {t('review.conflictTitle')}
          </p>
          <p>{save.message}</p>
          <p>{t('review.conflictHelp', { codes: [...dirty].join(', ') || '—' })}</p>
          {dirty.size > 0 && (
            <table className="simple-table conflict-table">
              <caption className="sr-only">{t('review.conflictTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('commune.ind.indicator')}</th>
                  <th scope="col">{t('review.conflictMine')}</th>
                  <th scope="col">{t('review.conflictTheirs')}</th>
                </tr>
              </thead>
              <tbody>
                {[...dirty].map((code) => {
                  const theirs = save.conflict.theirs[code];
                  const choice = choices[code] ?? 'mine';
                  return (
                    <tr key={code} data-indicator={code}>
                      <th scope="row">{code}</th>
                      <td>
                        <label className="choice">
                          <input type="radio" name={`conflict-${code}`} checked={choice === 'mine'} onChange={() => setChoices((p) => ({ ...p, [code]: 'mine' }))} />
                          {shownValue(values[code], lang, t)}
                        </label>
                      </td>
                      <td>
                        <label className="choice">
                          <input type="radio" name={`conflict-${code}`} checked={choice === 'theirs'} onChange={() => setChoices((p) => ({ ...p, [code]: 'theirs' }))} />
                          {shownValue(theirs?.value, lang, t)}
                          {theirs && <span className="muted"> ({theirs.enteredBy})</span>}
                        </label>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={() => resolve(save.conflict)} data-testid="conflict-apply">
              {t('review.conflictApply')}
            </button>
            <button type="button" className="btn" onClick={() => void reload()}>
              {t('review.reload')}
            </button>
          </div>
        </div>
      )}
      {save.kind === 'error' && (
        <div className="notice notice-error" role="alert" data-testid="save-error">
          <p>{save.message}</p>
          {Object.keys(serverErrors).length > 0 && (
            <ul>
              {Object.entries(serverErrors).map(([code, msg]) => (
                <li key={code}>
                  <a href={`#v-${code}`} onClick={(e) => focusField(e, code)}>
                    {code}
                  </a>
                  : {msg}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {submit.isError && !(submit.error instanceof ApiError && submit.error.code === 'version_conflict') && (
        <p className="notice notice-error" role="alert">
          {errorMessage(submit.error, lang)}
        </p>
      )}
      {uploadError && (
        <p className="notice notice-error" role="alert" data-testid="upload-error">
          {uploadError}
        </p>
      )}

      <form className="review-form" onSubmit={(e) => e.preventDefault()} noValidate aria-label={t('review.formLabel')}>
        {flags.length > 0 && (
          <fieldset className="flags">
            <legend className="section-title-sm">{t('review.flags')}</legend>
            {flags.map((f) => {
              const d = drafts[f.code] ?? draftOf({ kind: 'boolean' }, values[f.code], lang);
              const v = d.kind === 'choice' ? d.choice : '';
              return (
                <div key={f.code} className="flag-row" role="radiogroup" aria-labelledby={`flag-${f.code}`}>
                  <span id={`flag-${f.code}`} className="flag-name" lang="vi">
                    {f.name}
                  </span>
                  {[
                    ['true', t('review.yes')],
                    ['false', t('review.no')],
                    ['', t('review.unanswered')],
                  ].map(([val, label]) => (
                    <label key={val} className="choice">
                      <input
                        type="radio"
                        name={`flag-${f.code}`}
                        value={val}
                        checked={v === val}
                        disabled={readOnly}
                        onChange={() => onDraft(f.code, { kind: 'choice', choice: val! })}
                      />
                      {label}
                    </label>
                  ))}
                </div>
              );
            })}
          </fieldset>
        )}
        {set.attributes.length > 0 && (
          <fieldset className="review-flags">
            <legend>{t('review.attributes')}</legend>
            {attributeFields(set).map((ind) => (
              <IndicatorField
                key={ind.code}
                indicator={ind}
                draft={drafts[ind.code]!}
                verdict={undefined}
                error={serverErrors[ind.code] ?? (invalid.has(ind.code) ? t('review.notANumber') : null)}
                disabled={readOnly}
                evidence={extras[ind.code]?.evidence ?? []}
                onDraft={onDraft}
                onAttach={onAttach}
                onDetach={onDetach}
                uploading={uploading === ind.code}
              />
            ))}
          </fieldset>
        )}
        {set.criteria.map((c) => {
          const cv = live?.criteria.find((x) => x.code === c.code);
          return (
            <details key={c.code} className="review-criterion" data-criterion={c.code} data-status={cv?.status ?? 'none'} open={openInitially.has(c.code) || undefined}>
              <summary>
                {cv && <StatusTag status={cv.status} />}
                <span className="crit-title">
                  {t('commune.criterion', { code: c.code })} <span lang="vi">{c.name}</span>
                </span>
                {cv && <span className="crit-count">{t('commune.criterionCount', { met: cv.indicatorsMet, total: cv.indicatorsTotal })}</span>}
              </summary>
              <div className="crit-body">
                {c.pendingIndicators && <p className="muted">{pick(c.pendingIndicators)}</p>}
                {c.indicators.flatMap((ind) => (ind.kind === 'compound' ? [ind, ...conditionFields(ind)] : [ind])).map((ind) => (
                  <IndicatorField
                    key={ind.code}
                    indicator={ind}
                    draft={drafts[ind.code]!}
                    verdict={verdictOf.get(ind.code)}
                    error={serverErrors[ind.code] ?? (invalid.has(ind.code) ? t('review.notANumber') : null)}
                    disabled={readOnly}
                    evidence={extras[ind.code]?.evidence ?? []}
                    onDraft={onDraft}
                    onAttach={onAttach}
                onDetach={onDetach}
                    uploading={uploading === ind.code}
                  />
                ))}
              </div>
            </details>
          );
        })}
      </form>
      <p className="muted review-foot">{t('review.engineNote' as MessageKey)}</p>
      {/* On a phone the bar above scrolls away: a one-line summary stays at the bottom. */}
      {totals && (
        <p className="review-mini" aria-hidden="true">
          <strong>{t('commune.totals', { cm: totals.criteriaMet, ct: totals.criteriaTotal, im: totals.indicatorsMet, it: totals.indicatorsTotal })}</strong>
          <span>
            {save.kind === 'saved' ? t('review.savedAt', { time: formatDateTime(save.at.toISOString()).slice(11) }) : save.kind === 'saving' ? t('review.saving') : save.kind === 'pending' ? t('review.savePending') : ''}
          </span>
        </p>
      )}
    </div>
  );
}

function focusField(e: React.MouseEvent, code: string) {
  e.preventDefault();
  const el = document.getElementById(`v-${code}`) ?? document.getElementById(`v-${code}-n`) ?? document.querySelector<HTMLElement>(`[name="v-${code}"]`);
  if (!el) return;
  el.closest('details')?.setAttribute('open', '');
  el.focus();
  // The whole field with its error, clear of the phone's sticky summary (scroll-margin in styles.css).
  el.closest('.ind-field')?.scrollIntoView?.({ block: 'nearest' });
}

/** "Nộp bản rà soát?" — what will be submitted: the saved totals and level, the empty fields, and that it is final. */
function SubmitConfirm({ review, empty, onConfirm, onCancel }: { review: ReviewDetailData; empty: number; onConfirm: () => void; onCancel: () => void }) {
  const { t, pick } = useT();
  const rs = useReviewStrings();
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), []);
  const e = review.evaluation;
  const tt = e.totals;
  return (
    <div
      id="submit-confirm"
      className="notice notice-warning submit-confirm"
      role="alertdialog"
      aria-labelledby="submit-confirm-title"
      aria-describedby="submit-confirm-body"
      data-testid="submit-confirm"
      onKeyDown={(ev) => ev.key === 'Escape' && onCancel()}
    >
      <p className="notice-title" id="submit-confirm-title">
        {rs('confirmTitle', { unit: review.unitName, date: formatDate(review.reviewedOn) })}
      </p>
      <ul id="submit-confirm-body">
        <li data-testid="confirm-totals">{t('commune.totals', { cm: tt.criteriaMet, ct: tt.criteriaTotal, im: tt.indicatorsMet, it: tt.indicatorsTotal })}</li>
        <li data-testid="confirm-level">{rs('confirmLevel', { level: t(`ntmLevel.${e.level ?? 'none'}` as MessageKey) })} — {pick(e.summary)}</li>
        {empty > 0 && <li data-testid="confirm-empty">{rs('confirmEmpty', { n: empty })}</li>}
        <li>{rs('confirmFinal')}</li>
      </ul>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" ref={ok} onClick={onConfirm}>
          {rs('confirmSubmit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {rs('confirmCancel')}
        </button>
      </div>
    </div>
  );
}

/** "Hủy bản nháp?" — what goes with the draft (its values, notes, evidence), and that it cannot be undone here. */
function DiscardConfirm({ review, filled, unsaved, onConfirm, onCancel }: { review: ReviewDetailData; filled: number; unsaved: boolean; onConfirm: () => void; onCancel: () => void }) {
  const rs = useReviewStrings();
  const keep = useRef<HTMLButtonElement>(null);
  // The safe choice has the focus: Enter keeps the draft.
  useEffect(() => keep.current?.focus(), []);
  return (
    <div
      id="discard-confirm"
      className="notice notice-error submit-confirm"
      role="alertdialog"
      aria-labelledby="discard-confirm-title"
      aria-describedby="discard-confirm-body"
      data-testid="discard-confirm"
      onKeyDown={(ev) => ev.key === 'Escape' && onCancel()}
    >
      <p className="notice-title" id="discard-confirm-title">
        {rs('discardTitle', { unit: review.unitName, date: formatDate(review.reviewedOn) })}
      </p>
      <ul id="discard-confirm-body">
        <li>{rs('discardWhat', { n: filled })}</li>
        {unsaved && <li>{rs('discardUnsaved')}</li>}
      </ul>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="discard-confirm-ok">
          {rs('discardConfirm')}
        </button>
        <button type="button" className="btn" ref={keep} onClick={onCancel}>
          {rs('discardCancel')}
        </button>
      </div>
    </div>
  );
}
