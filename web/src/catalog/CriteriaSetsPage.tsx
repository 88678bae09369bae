/**
 * /bo-tieu-chi — Bộ tiêu chí: the sets shipped with the software (read-only) and the provincial
 * sets authored in the application, each version with its status (Dự thảo / Đã ban hành),
 * validity and "47 chỉ tiêu, 41 chính thức, 6 thứ cấp…"; "Tạo dự thảo" for whoever may
 * `catalog.write`.
 */
import { useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCriteriaSets } from '../api/hooks.ts';
import type { CriteriaSetListItem } from '../api/types.ts';
import { fieldProblems, useAuthoredSets, useCreateDraft, type AuthoredSummary } from '../api/criteria-authoring.ts';
import { ApiErrorView, errorMessage } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useCan } from '../auth/useCan.ts';
import { useMe } from '../auth/session.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, parseDate, todayIso } from '../format.ts';
import { useS } from './strings.ts';
import { CountsLine, StatusTag, validityText, versionPath } from './parts.tsx';
import './catalog.css';

/** Province units the reader holds a writing role on (their set's issuing province). */
function useOwnProvinces(): string[] {
  const me = useMe();
  const grants = me.data?.user?.grants ?? [];
  return [...new Set(grants.filter((g) => (g.role === 'province_office' || g.role === 'admin') && g.unitId && /^\d{2}@/.test(g.unitId)).map((g) => g.unitId!))];
}

function CreateDraftForm({ sets, onCancel }: { sets: CriteriaSetListItem[]; onCancel: () => void }) {
  const s = useS();
  const { lang } = useT();
  const uid = useId();
  const navigate = useNavigate();
  const create = useCreateDraft();
  const provinces = useOwnProvinces();
  const bases = useMemo(() => {
    const byId = new Map<string, CriteriaSetListItem>();
    for (const x of sets) if (x.status === 'published' && (byId.get(x.id)?.version ?? 0) < x.version) byId.set(x.id, x);
    // The national sets first, the newest first.
    return [...byId.values()].sort((a, b) => (a.scope === b.scope ? b.validFrom.localeCompare(a.validFrom) : a.scope === 'national' ? -1 : 1));
  }, [sets]);
  const [basedOn, setBasedOn] = useState(bases[0]?.id ?? '');
  const [setId, setSetId] = useState('');
  const [provinceId, setProvinceId] = useState(provinces[0] ?? '');
  const [name, setName] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [dateError, setDateError] = useState(false);
  const problems = fieldProblems(create.error);
  const problemOf = (field: string) => problems.filter((p) => p.field === field).map((p) => (lang === 'vi' ? p.message_vi : p.message));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const from = validFrom.trim() ? parseDate(validFrom) : null;
    setDateError(!!validFrom.trim() && !from);
    if (validFrom.trim() && !from) return;
    create.mutate(
      { basedOn, setId: setId.trim(), provinceId: provinceId.trim(), ...(name.trim() ? { name: name.trim() } : {}), ...(from ? { validFrom: from } : {}) },
      { onSuccess: (v) => navigate(versionPath(v.setId, v.setVersion)) },
    );
  };
  const field = (id: string, label: string, input: React.ReactNode, errors: string[], help?: string) => (
    <label htmlFor={`${uid}-${id}`}>
      {label}
      {input}
      {help && (
        <span className="ct-small" id={`${uid}-${id}-help`}>
          {help}
        </span>
      )}
      {errors.map((m) => (
        <span key={m} className="ct-field-error" role="alert">
          {m}
        </span>
      ))}
    </label>
  );
  return (
    <form className="ct-form" onSubmit={submit} data-testid="create-draft-form" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>{s('create.title')}</h2>
      <div className="ct-grid">
        {field(
          'based',
          s('create.basedOn'),
          <select id={`${uid}-based`} value={basedOn} onChange={(e) => setBasedOn(e.target.value)} aria-invalid={problemOf('basedOn').length > 0}>
            {bases.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.id})
              </option>
            ))}
          </select>,
          problemOf('basedOn'),
        )}
        {field(
          'id',
          s('create.setId'),
          <input id={`${uid}-id`} value={setId} onChange={(e) => setSetId(e.target.value)} aria-invalid={problemOf('setId').length > 0} aria-describedby={`${uid}-id-help`} autoComplete="off" spellCheck={false} />,
          problemOf('setId'),
          s('create.setIdHelp'),
        )}
        {field(
          'prov',
          s('create.province'),
          provinces.length > 1 || provinces.length === 0 ? (
            <input id={`${uid}-prov`} value={provinceId} list={`${uid}-provs`} onChange={(e) => setProvinceId(e.target.value)} aria-invalid={problemOf('provinceId').length > 0} aria-describedby={`${uid}-prov-help`} />
          ) : (
            <select id={`${uid}-prov`} value={provinceId} onChange={(e) => setProvinceId(e.target.value)}>
              {provinces.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          ),
          problemOf('provinceId'),
          provinces.length === 1 ? undefined : s('create.provinceHelp'),
        )}
        {field('name', s('create.name'), <input id={`${uid}-name`} value={name} onChange={(e) => setName(e.target.value)} />, problemOf('name'))}
        {field(
          'from',
          s('create.validFrom'),
          <input id={`${uid}-from`} value={validFrom} placeholder="dd/mm/yyyy" inputMode="numeric" onChange={(e) => setValidFrom(e.target.value)} aria-invalid={dateError || problemOf('validFrom').length > 0} />,
          [...(dateError ? [s('create.badDate')] : []), ...problemOf('validFrom')],
        )}
      </div>
      {provinces.length > 1 && (
        <datalist id={`${uid}-provs`}>
          {provinces.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      )}
      {create.error && problems.length === 0 && (
        <p className="ct-error" role="alert">
          {errorMessage(create.error, lang)}
        </p>
      )}
      <div className="ct-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {s('create.submit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {s('create.cancel')}
        </button>
      </div>
    </form>
  );
}

function AuthoredSet({ versions }: { versions: AuthoredSummary[] }) {
  const s = useS();
  const { lang } = useT();
  const last = versions[versions.length - 1]!;
  return (
    <li className="ct-set" data-set-id={last.setId}>
      <h3>
        {last.name} {last.demo && <span className="ct-small">{s('demo')}</span>}
      </h3>
      <p className="ct-small">
        {last.setId}
        {last.basedOn ? ` · ${s('page.based', { set: last.basedOn })}` : ''}
      </p>
      <ul className="ct-versions">
        {versions.map((v) => (
          <li key={v.setVersion} data-version={v.setVersion} data-status={v.status}>
            <div className="ct-row">
              <Link to={versionPath(v.setId, v.setVersion)}>{s('version.n', { n: v.setVersion })}</Link>
              <StatusTag status={v.status} />
              <span>{validityText(v.validFrom, v.validTo, lang)}</span>
              {v.supersededOn && <span className="ct-small">({s('status.superseded', { date: formatDate(v.supersededOn) })})</span>}
            </div>
            <div className="ct-row">
              <CountsLine indicators={v.counts?.indicators} provenance={v.counts?.provenance} />
              {v.awaitingVerification > 0 && v.status === 'draft' && <span className="ct-tag" data-status="draft">{s('counts.awaiting', { n: v.awaitingVerification })}</span>}
            </div>
          </li>
        ))}
      </ul>
    </li>
  );
}

export default function CriteriaSetsPage() {
  const s = useS();
  const { lang } = useT();
  const can = useCan();
  useDocumentTitle(s('list.title'));
  const sets = useCriteriaSets();
  const authored = useAuthoredSets();
  const [creating, setCreating] = useState(false);
  const authoredIds = useMemo(() => new Set((authored.data ?? []).map((a) => a.setId)), [authored.data]);
  const shipped = (sets.data ?? []).filter((x) => !authoredIds.has(x.id));
  const groups = useMemo(() => {
    const m = new Map<string, AuthoredSummary[]>();
    for (const a of authored.data ?? []) m.set(a.setId, [...(m.get(a.setId) ?? []), a]);
    for (const list of m.values()) list.sort((a, b) => a.setVersion - b.setVersion);
    return [...m.values()];
  }, [authored.data]);
  return (
    <div className="page ct-page" data-testid="criteria-sets-page">
      <h1>{s('list.title')}</h1>
      <p className="ct-sub">{s('list.intro')}</p>
      {can('catalog.write') && !creating && (
        <p>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="create-draft">
            {s('create.button')}
          </button>
        </p>
      )}
      {creating && sets.data && <CreateDraftForm sets={sets.data} onCancel={() => setCreating(false)} />}

      <section className="ct-section" aria-labelledby="ct-authored-h">
        <h2 id="ct-authored-h">{s('list.authored')}</h2>
        {authored.isPending && <PageLoading />}
        {authored.isError && <ApiErrorView error={authored.error} date={todayIso()} onRetry={() => void authored.refetch()} />}
        {authored.data && groups.length === 0 && <p>{s('list.noAuthored')}</p>}
        {groups.length > 0 && (
          <ul className="ct-sets" data-testid="authored-sets">
            {groups.map((g) => (
              <AuthoredSet key={g[0]!.setId} versions={g} />
            ))}
          </ul>
        )}
      </section>

      <section className="ct-section" aria-labelledby="ct-shipped-h">
        <h2 id="ct-shipped-h">{s('list.shipped')}</h2>
        {sets.isPending && <PageLoading />}
        {sets.isError && <ApiErrorView error={sets.error} date={todayIso()} onRetry={() => void sets.refetch()} />}
        <ul className="ct-sets" data-testid="shipped-sets">
          {shipped.map((x) => (
            <li key={`${x.id}@${x.version}`} className="ct-set" data-set-id={x.id}>
              <h3>
                {x.name} {x.demo && <span className="ct-small">{s('demo')}</span>}
              </h3>
              <p className="ct-small">
                {x.id} · {s(`scope.${x.scope}`)}
                {x.version > 1 ? ` · ${s('version.n', { n: x.version })}` : ''} · {x.decision.number}
              </p>
              <div className="ct-row">
                <StatusTag status={x.status === 'draft' ? 'draft' : 'published'} />
                <span>{validityText(x.validFrom, x.validTo, lang)}</span>
              </div>
              <p>
                <CountsLine indicators={x.indicators} provenance={x.provenance} />
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
