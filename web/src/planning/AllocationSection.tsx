/**
 * Phân bổ kinh phí — the what-if. The budget (triệu đồng), the deadline and the indicators marked
 * as fixed drive two results: the greedy plan recomputed in the browser on every change
 * (whatif.ts, the pure domain's `greedyAllocation`) and the server's exact plan (MIP), fetched
 * 400 ms after the last change; a new deadline changes the candidate actions, so the instant figures
 * wait for the server's list. Then: save the plan as a proposal on a committee meeting, download it.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Input } from 'antd';
import { parseNumberText } from '../../../src/domain/numbers.ts';
import { ApiError } from '../api/client.ts';
import type { UnitDetail } from '../api/types.ts';
import { useCan } from '../auth/useCan.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { downloadAllocation, useAllocation, useCommitteeMeetings, useSaveProposal, useUnitCommittees, type AllocationRequest, type GapAnalysis, type UnitAllocation } from './api.ts';
import { millions } from './format.ts';
import { compactFixed, dongOfMillions, recompute, toggleFixed, type Fixed } from './whatif.ts';
import { useS } from './strings.ts';

/** The value `ms` after it last changed (compared by JSON: a new object with the same content is no change). */
function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [state, setState] = useState<{ key: string; value: T }>({ key, value });
  useEffect(() => {
    if (key === state.key) return;
    const h = setTimeout(() => setState({ key, value }), ms);
    return () => clearTimeout(h);
  }, [key, ms]); // `value` changes exactly when `key` (its JSON) does
  return state.value;
}

const DEFAULT_BUDGET_TEXT = '1.000';

export function AllocationSection({ unit, date, gaps }: { unit: UnitDetail; date: string; gaps: GapAnalysis | null }) {
  const s = useS();
  const { lang } = useT();
  const [budgetText, setBudgetText] = useState(DEFAULT_BUDGET_TEXT);
  const [deadline, setDeadline] = useState<string | null>(null);
  const [fixed, setFixed] = useState<Fixed>({});
  const budget = dongOfMillions(parseNumberText(budgetText));
  const fixedSent = useMemo(() => compactFixed(fixed), [fixed]);
  const body: AllocationRequest | null = budget === null ? null : { unitId: unit.id, date, budget, ...(deadline ? { deadline } : {}), ...(Object.keys(fixedSent).length ? { fixed: fixedSent } : {}) };
  const sent = useDebounced(body, 400);
  const q = useAllocation(sent);
  const current = JSON.stringify(body) === JSON.stringify(sent) && !q.isPlaceholderData && !q.isFetching;
  // The candidates depend on the unit, the date and the deadline (not on the budget or the fixed ones).
  const base = q.data && q.data.unit.id === unit.id && q.data.date === date && q.data.deadline === (deadline ?? null) ? q.data : null;
  const live = useMemo(() => (base && budget !== null ? recompute(base, budget, fixed) : null), [base, budget, fixed]);
  const names = useMemo(() => indicatorNames(gaps), [gaps]);
  const communeName = useMemo(() => new Map((base?.communes ?? []).map((c) => [c.id, c.name])), [base]);
  const list = (ids: readonly string[]) => ids.map((id) => communeName.get(id) ?? id).join(', ');

  return (
    <section aria-labelledby="ds-alloc-h" data-testid="allocation-section">
      <h2 id="ds-alloc-h" className="ds-h2">
        {s('alloc.title')}
      </h2>
      <p className="ds-help-block">{s('alloc.intro')}</p>
      <div className="ds-controls">
        <div className="field">
          <label htmlFor="ds-budget" className="control-label">
            {s('alloc.budget')}
          </label>
          <Input id="ds-budget" inputMode="decimal" value={budgetText} onChange={(e) => setBudgetText(e.target.value)} aria-describedby="ds-budget-help" status={budget === null ? 'error' : undefined} className="ds-budget" data-testid="budget-input" />
          <span id="ds-budget-help" className={budget === null ? 'ds-field-error' : 'ds-help'} role={budget === null ? 'alert' : undefined}>
            {budget === null ? s('alloc.budgetInvalid') : s('alloc.budgetHelp')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="ds-deadline" className="control-label">
            {s('alloc.deadline')}
          </label>
          <DateInput id="ds-deadline" value={deadline} onChange={setDeadline} allowEmpty />
          <span className="ds-help">{s('alloc.deadlineHelp')}</span>
        </div>
      </div>

      <div className="ds-results">
        <section className="ds-panel ds-live" aria-labelledby="ds-live-h" aria-live="polite" data-testid="whatif-live" data-budget={budget ?? ''} data-budget-text={budgetText} data-ready={live ? 'true' : 'false'} data-compute-ms={live ? live.ms.toFixed(2) : ''}>
          <h3 id="ds-live-h" className="ds-h3">
            {s('alloc.live')}
          </h3>
          {!live && budget !== null && <p className="muted">{q.isError ? '' : s('alloc.live.waiting')}</p>}
          {live && (
            <>
              <div className="ds-kpis">
                <p>
                  <strong data-testid="live-reaching">{formatNumber(live.plan.communesReaching, lang)}</strong> {s('alloc.live.reaching')}
                </p>
                <p>
                  <strong data-testid="live-closed">{formatNumber(live.plan.indicatorsClosed, lang)}</strong> {s('alloc.live.closed')}
                </p>
                <p>
                  <strong data-testid="live-cost">{millions(live.plan.cost, lang)}</strong> {s('alloc.live.cost')}
                  <span className="ds-sub"> · {s('alloc.live.left', { left: millions(budget! - live.plan.cost, lang) })}</span>
                </p>
              </div>
              <p data-testid="live-names">{live.plan.reaching.length > 0 ? s('alloc.live.names', { names: list(live.plan.reaching) }) : s('alloc.live.none')}</p>
              {live.freeReaching.length > 0 && <p className="ds-sub">{s('alloc.live.free', { names: list(live.freeReaching) })}</p>}
              <p className="ds-sub">{s('alloc.live.ms', { ms: formatNumber(live.ms, lang, { maxFraction: 1 }) })}</p>
            </>
          )}
        </section>
        <OptimalPanel q={q} current={current} list={list} names={names} fixed={fixed} />
      </div>

      {base && <CommunesFixed base={base} names={names} fixed={fixed} reaching={live?.plan.reaching ?? []} onToggle={(c, code, on) => setFixed((f) => toggleFixed(f, c, code, on))} />}
      {base && base.leftOut.length > 0 && (
        <details className="ds-leftout" data-testid="left-out">
          <summary>{s('alloc.leftOut', { n: base.leftOut.length })}</summary>
          <ul>
            {groupLeftOut(base.leftOut).map(([commune, reasons]) => (
              <li key={commune}>
                <strong>{reasons[0]!.communeName}</strong>
                <ul>
                  {reasons.map((r, i) => (
                    <li key={i}>{lang === 'vi' ? r.reason.vi : r.reason.en}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
      {body && <Exports body={body} />}
      {body && <SaveProposal unit={unit} date={date} body={body} />}
    </section>
  );
}

type Names = Map<string, Map<string, string>>;

/** Indicator names by commune and code, from the gap analysis. */
function indicatorNames(g: GapAnalysis | null): Names {
  const out: Names = new Map();
  for (const c of g?.communes ?? []) out.set(c.id, new Map(c.unmet.map((u) => [u.code, u.name])));
  return out;
}

function groupLeftOut(items: UnitAllocation['leftOut']): Array<[string, UnitAllocation['leftOut']]> {
  const m = new Map<string, UnitAllocation['leftOut']>();
  for (const x of items) m.set(x.commune, [...(m.get(x.commune) ?? []), x]);
  return [...m.entries()];
}

function OptimalPanel({ q, current, list, names, fixed }: { q: ReturnType<typeof useAllocation>; current: boolean; list: (ids: readonly string[]) => string; names: Names; fixed: Fixed }) {
  const s = useS();
  const { pick, lang } = useT();
  const d = q.data;
  const state = q.isError && !q.isFetching ? 'error' : current && d ? 'ready' : 'computing';
  const byId = new Map((d?.candidates ?? []).map((c) => [c.id, c]));
  return (
    <section className="ds-panel ds-optimal" aria-labelledby="ds-opt-h" data-testid="optimal-result" data-state={state} aria-busy={state === 'computing'}>
      <h3 id="ds-opt-h" className="ds-h3">
        {s('alloc.optimal')}
      </h3>
      {state === 'computing' && (
        <p className="ds-computing" role="status" data-testid="optimal-computing">
          <span className="spinner" aria-hidden="true" /> {s('alloc.computing')}
        </p>
      )}
      {q.isError && (
        <p className="ds-field-error" role="alert">
          {s('alloc.error')} {errorMessage(q.error, lang)}
        </p>
      )}
      {d && (
        <div className={state === 'ready' ? undefined : 'ds-stale'}>
          <p className="ds-status-line">
            <span className={`ds-tag ${d.result.status === 'optimal' ? 'ds-tag-ok' : 'ds-tag-warn'}`}>{d.result.status === 'optimal' ? `✓ ${s('alloc.status.optimal')}` : `~ ${s('alloc.status.feasible')}`}</span>
          </p>
          <p className="ds-sentence" data-testid="optimal-summary">
            {pick(d.result.summary)}
          </p>
          <p data-testid="optimal-comparison">{pick(d.result.comparison)}</p>
          {d.result.note && (
            <p className="notice notice-warning" data-testid="optimal-note">
              {pick(d.result.note)}
            </p>
          )}
          {d.result.reaching.length > 0 && <p>{s('alloc.reaching', { names: list(d.result.reaching) })}</p>}
          <h4 className="ds-h4">{s('alloc.chosen')}</h4>
          {d.result.chosen.length === 0 ? (
            <p className="muted">{s('alloc.chosenNone')}</p>
          ) : (
            <div className="ds-scroll">
              <table className="ds-table" data-testid="chosen-actions">
                <thead>
                  <tr>
                    <th scope="col">{s('col.commune')}</th>
                    <th scope="col">{s('col.action')}</th>
                    <th scope="col">{s('col.closes')}</th>
                    <th scope="col">{s('col.cost')}</th>
                    <th scope="col">{s('col.source')}</th>
                    <th scope="col">{s('col.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.result.chosen.map((id) => {
                    const c = byId.get(id);
                    if (!c) return null;
                    const closes = c.closes.filter((code) => !(fixed[c.commune] ?? []).includes(code));
                    return (
                      <tr key={id} data-source={c.source}>
                        <td>{c.communeName}</td>
                        <td>{c.name}</td>
                        <td>{closes.map((code) => `${code} ${names.get(c.commune)?.get(code) ?? ''}`.trim()).join('; ')}</td>
                        <td className="num">{millions(c.cost, lang)}</td>
                        <td>{s(`source.${c.source}`)}</td>
                        <td>{formatDate(c.targetOn)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p className="ds-sub">{s('alloc.solveMs', { ms: formatNumber(Math.round(d.result.solveMs), lang) })}</p>
        </div>
      )}
    </section>
  );
}

function CommunesFixed({ base, names, fixed, reaching, onToggle }: { base: UnitAllocation; names: Names; fixed: Fixed; reaching: readonly string[]; onToggle: (commune: string, code: string, on: boolean) => void }) {
  const s = useS();
  return (
    <section className="ds-communes" aria-labelledby="ds-communes-h">
      <h3 id="ds-communes-h" className="ds-h3">
        {s('alloc.communes')}
      </h3>
      <p className="ds-help-block">{s('alloc.communesHelp')}</p>
      <ul className="ds-commune-list" data-testid="whatif-communes">
        {base.communes.map((c) => {
          const mine = fixed[c.id] ?? [];
          const left = c.unmet.filter((code) => !mine.includes(code)).length;
          const reaches = c.inAllocation && reaching.includes(c.id);
          return (
            <li key={c.id} data-unit-id={c.id} data-reaches={reaches ? 'true' : 'false'}>
              <details>
                <summary>
                  <span className="ds-commune-name">{c.name}</span>{' '}
                  <span className={reaches ? 'ds-tag ds-tag-ok' : 'ds-tag'} data-testid="commune-state">
                    {!c.inAllocation ? `? ${s('alloc.commune.pending')}` : reaches ? s('alloc.commune.reaches') : s('alloc.commune.short', { n: left })}
                  </span>
                  {mine.length > 0 && <span className="ds-sub"> · {s('alloc.fixedCount', { n: mine.length })}</span>}
                </summary>
                {c.fundedCodes.length > 0 && <p className="ds-sub">{s('alloc.commune.funded', { codes: c.fundedCodes.join(', ') })}</p>}
                <fieldset className="ds-fixed" disabled={c.pending > 0}>
                  <legend className="sr-only">{c.name}</legend>
                  {c.unmet.map((code) => (
                    <label key={code} className="ds-check">
                      <input type="checkbox" checked={mine.includes(code)} onChange={(e) => onToggle(c.id, code, e.target.checked)} />{' '}
                      <span className="ds-code">{code}</span> {names.get(c.id)?.get(code) ?? ''} <span className="ds-sub">({s('alloc.fixed')})</span>
                    </label>
                  ))}
                </fieldset>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Exports({ body }: { body: AllocationRequest }) {
  const s = useS();
  const { lang } = useT();
  const [state, setState] = useState<{ busy: 'xlsx' | 'docx' | null; done: string | null; error: unknown }>({ busy: null, done: null, error: null });
  const run = async (kind: 'xlsx' | 'docx') => {
    setState({ busy: kind, done: null, error: null });
    try {
      const name = await downloadAllocation(kind, body);
      setState({ busy: null, done: name, error: null });
    } catch (e) {
      setState({ busy: null, done: null, error: e });
    }
  };
  return (
    <div className="ds-exports" data-testid="allocation-exports">
      <span className="ds-h4">{s('alloc.export')}:</span>
      <Button onClick={() => void run('xlsx')} loading={state.busy === 'xlsx'} data-testid="export-xlsx">
        {s('alloc.export.xlsx')}
      </Button>
      <Button onClick={() => void run('docx')} loading={state.busy === 'docx'} data-testid="export-docx">
        {s('alloc.export.docx')}
      </Button>
      {state.done && (
        <span className="ds-sub" role="status">
          {s('alloc.export.done', { name: state.done })}
        </span>
      )}
      {state.error !== null && (
        <span className="ds-field-error" role="alert">
          {errorMessage(state.error, lang)}
        </span>
      )}
    </div>
  );
}

/** Save the plan as a proposal on a meeting of the unit's committee (committee writers only). */
function SaveProposal({ unit, date, body }: { unit: UnitDetail; date: string; body: AllocationRequest }) {
  const s = useS();
  const { lang } = useT();
  const can = useCan();
  const may = can('committee.write');
  const committees = useUnitCommittees(unit.id, date, may);
  const own = committees.data ?? [];
  const [committeeId, setCommitteeId] = useState<number | null>(null);
  const chosenCommittee = committeeId ?? own[0]?.id ?? null;
  const meetings = useCommitteeMeetings(chosenCommittee);
  const [meetingId, setMeetingId] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const save = useSaveProposal();
  if (!may) return null;
  const list = chosenCommittee ? (meetings.data ?? []) : [];
  return (
    <section className="ds-panel ds-save" aria-labelledby="ds-save-h" data-testid="save-proposal">
      <h3 id="ds-save-h" className="ds-h3">
        {s('alloc.save')}
      </h3>
      {committees.isSuccess && own.length === 0 && <p className="muted">{s('alloc.save.noCommittee')}</p>}
      {own.length > 1 && (
        <div className="field">
          <label htmlFor="ds-committee" className="control-label">
            {s('alloc.save.committee')}
          </label>
          <select id="ds-committee" className="select-input" value={chosenCommittee ?? ''} onChange={(e) => setCommitteeId(Number(e.target.value))}>
            {own.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {own.length > 0 && meetings.isSuccess && list.length === 0 && <p className="muted">{s('alloc.save.noMeeting')}</p>}
      {list.length > 0 && (
        <form
          className="ds-save-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (meetingId) save.mutate({ meetingId, body: { ...body, ...(title.trim() ? { title: title.trim() } : {}) } });
          }}
        >
          <div className="field">
            <label htmlFor="ds-meeting" className="control-label">
              {s('alloc.save.meeting')}
            </label>
            <select id="ds-meeting" className="select-input" value={meetingId ?? ''} onChange={(e) => setMeetingId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{s('alloc.save.pickMeeting')}</option>
              {list.map((m) => (
                <option key={m.id} value={m.id}>
                  {formatDate(m.heldOn)} — {m.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field ds-grow">
            <label htmlFor="ds-proposal-title" className="control-label">
              {s('alloc.save.title')}
            </label>
            <Input id="ds-proposal-title" value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <Button type="primary" htmlType="submit" disabled={!meetingId} loading={save.isPending} data-testid="save-proposal-button">
            {s('alloc.save.button')}
          </Button>
        </form>
      )}
      {save.isSuccess && (
        <p className="notice notice-info" role="status" data-testid="proposal-saved">
          {s('alloc.save.done', { title: save.data.title })} <Link to={`/meetings/${save.data.meetingId}?date=${date}`}>{list.find((m) => m.id === save.data.meetingId)?.title ?? `#${save.data.meetingId}`}</Link>.
        </p>
      )}
      {save.isError && (
        <p className="ds-field-error" role="alert">
          {save.error instanceof ApiError || save.error instanceof Error ? errorMessage(save.error, lang) : String(save.error)}
        </p>
      )}
    </section>
  );
}
