/**
 * Add or change one indicator of a draft: code, name, kind, unit, comparator, target (one value,
 * or by commune group 1/2/3), the source document (number, date, issuer, where in it, address)
 * and how far it can be trusted (secondary / reconstructed — "official" only comes from a second
 * officer's verification). Numbers are typed the Vietnamese way ("92,5"); the API's field
 * problems (`details.fields`) are shown beside the fields they concern and listed above the buttons.
 */
import { useId, useState, type ReactNode } from 'react';
import { parseNumberText } from '../../../src/domain/numbers.ts';
import type { FieldProblem, IndicatorInput, ResolvedIndicator } from '../api/criteria-authoring.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { useT, type Lang } from '../i18n/index.tsx';
import { formatDate, parseDate } from '../format.ts';
import { useS, type StringKey } from './strings.ts';

const KINDS = ['percent', 'number', 'boolean', 'ratio', 'none_count', 'grade'] as const;
const OPS = ['>=', '<=', '=', 'is'] as const;
const GROUPS = ['1', '2', '3'] as const;
type Key = 'code' | 'name' | 'kind' | 'unit' | 'op' | 'target' | 'number' | 'date' | 'issuer' | 'ref' | 'url' | 'level';

/** Which form field an API problem concerns (its JSON path names it). */
export function fieldKeyOf(path: string): Key | null {
  const p = path.toLowerCase();
  if (p.includes('provenance.level')) return 'level';
  if (p.includes('source')) {
    if (p.endsWith('url')) return 'url';
    if (p.endsWith('date')) return 'date';
    if (p.endsWith('issuer')) return 'issuer';
    if (p.endsWith('ref') || p.endsWith('appendix')) return 'ref';
    return 'number';
  }
  if (p.includes('target')) return p.endsWith('.op') ? 'op' : 'target';
  for (const k of ['code', 'name', 'kind', 'unit'] as const) if (p === k || p.endsWith(`.${k}`)) return k;
  return null;
}

function numberText(v: unknown, lang: Lang): string {
  if (typeof v !== 'number') return typeof v === 'string' ? v : '';
  return lang === 'vi' ? String(v).replace('.', ',') : String(v);
}

interface State {
  code: string;
  name: string;
  kind: string;
  unit: string;
  op: string;
  mode: 'single' | 'group';
  value: string;
  groups: Record<string, string>;
  number: string;
  date: string;
  issuer: string;
  ref: string;
  url: string;
  level: 'secondary' | 'reconstructed';
}

function initialState(ind: ResolvedIndicator | null, lang: Lang): State {
  const v = ind?.target.value as unknown;
  const byGroup = v && typeof v === 'object' && 'byGroup' in (v as object) ? ((v as { byGroup: Record<string, unknown> }).byGroup ?? {}) : null;
  const src = ind?.provenance.source ?? null;
  return {
    code: ind?.code ?? '',
    name: ind?.name ?? '',
    kind: ind?.kind ?? 'percent',
    unit: ind?.unit ?? '',
    op: ind?.target.op ?? '>=',
    mode: byGroup ? 'group' : 'single',
    value: byGroup ? '' : typeof v === 'boolean' ? String(v) : numberText(v, lang),
    groups: Object.fromEntries(GROUPS.map((g) => [g, numberText(byGroup?.[g], lang)])),
    number: src?.number ?? '',
    date: src?.date ? formatDate(src.date) : '',
    issuer: src?.issuer ?? '',
    ref: src?.ref ?? '',
    url: src?.url ?? '',
    level: ind?.provenance.level === 'reconstructed' ? 'reconstructed' : 'secondary',
  };
}

/** The indicator the form describes, or the problems that keep it from being sent. */
export function buildIndicator(f: State, fallbackDecision: string, s: ReturnType<typeof useS>): { indicator: IndicatorInput } | { errors: Partial<Record<Key, string>> } {
  const errors: Partial<Record<Key, string>> = {};
  if (!f.code.trim()) errors.code = s('form.required', { field: s('form.code') });
  if (!f.name.trim()) errors.name = s('form.required', { field: s('form.name') });
  const leaf = (text: string): number | boolean | string | null => {
    const t = text.trim();
    if (f.kind === 'boolean') return t === 'false' ? false : true;
    if (f.kind === 'grade') return t;
    const n = parseNumberText(t);
    if (n === null) errors.target = t ? s('form.badNumber') : s('form.required', { field: s('form.value') });
    return n;
  };
  const value = f.mode === 'group' && f.kind !== 'boolean' ? { byGroup: Object.fromEntries(GROUPS.map((g) => [g, leaf(f.groups[g] ?? '')])) } : leaf(f.value);
  const date = f.date.trim() ? parseDate(f.date) : null;
  if (f.date.trim() && !date) errors.date = s('form.badDate');
  if (f.level === 'secondary' && !f.number.trim()) errors.number = s('form.required', { field: s('form.number') });
  if (Object.keys(errors).length > 0) return { errors };
  const source = f.level === 'secondary' ? { number: f.number.trim(), date, issuer: f.issuer.trim() || null, ref: f.ref.trim() || null, url: f.url.trim() || null } : null;
  return {
    indicator: {
      code: f.code.trim(),
      name: f.name.trim(),
      kind: f.kind as IndicatorInput['kind'],
      unit: f.unit.trim() || null,
      target: { op: (f.kind === 'boolean' ? 'is' : f.op) as IndicatorInput['target']['op'], value: value as IndicatorInput['target']['value'] },
      source: { decision: source?.number || fallbackDecision, appendix: source?.ref ?? null },
      verified: false,
      provenance: { level: f.level, source },
    },
  };
}

export function IndicatorForm({
  criterion,
  indicator,
  fallbackDecision,
  busy,
  error,
  problems,
  onSave,
  onCancel,
}: {
  criterion: string;
  indicator: ResolvedIndicator | null;
  fallbackDecision: string;
  busy: boolean;
  error: unknown;
  problems: FieldProblem[];
  onSave: (ind: IndicatorInput) => void;
  onCancel: () => void;
}) {
  const s = useS();
  const { lang } = useT();
  const uid = useId();
  const [f, setF] = useState<State>(() => initialState(indicator, lang));
  const [local, setLocal] = useState<Partial<Record<Key, string>>>({});
  const set = <K extends keyof State>(k: K, v: State[K]) => setF((x) => ({ ...x, [k]: v }));
  const apiErrors = (k: Key) => problems.filter((p) => fieldKeyOf(p.field) === k).map((p) => (lang === 'vi' ? p.message_vi : p.message));
  const errorsOf = (k: Key) => [...(local[k] ? [local[k]!] : []), ...apiErrors(k)];
  const id = (k: string) => `${uid}-${k}`;
  const invalid = (k: Key) => errorsOf(k).length > 0;
  const described = (k: Key) => (invalid(k) ? `${id(k)}-err` : undefined);
  const Errors = ({ k }: { k: Key }) => {
    const list = errorsOf(k);
    if (list.length === 0) return null;
    return (
      <span className="ct-field-error" id={`${id(k)}-err`} data-testid={`field-error-${k}`}>
        {list.join(' ')}
      </span>
    );
  };
  const text = (k: 'code' | 'name' | 'unit' | 'number' | 'issuer' | 'ref' | 'url' | 'date', label: string, extra: { disabled?: boolean; placeholder?: string; inputMode?: 'numeric' | 'url' } = {}): ReactNode => (
    <label htmlFor={id(k)}>
      {label}
      <input id={id(k)} value={f[k]} onChange={(e) => set(k, e.target.value)} aria-invalid={invalid(k)} aria-describedby={described(k)} autoComplete="off" {...extra} />
      <Errors k={k} />
    </label>
  );
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const r = buildIndicator(f, fallbackDecision, s);
    if ('errors' in r) {
      setLocal(r.errors);
      return;
    }
    setLocal({});
    onSave(r.indicator);
  };
  const unmatched = problems.filter((p) => fieldKeyOf(p.field) === null);
  const title = indicator ? s('form.editTitle', { code: indicator.code }) : s('form.addTitle', { criterion });
  return (
    <form className="ct-form" onSubmit={submit} aria-labelledby={`${uid}-h`} data-testid="indicator-form" noValidate>
      <h3 id={`${uid}-h`}>{title}</h3>
      <div className="ct-grid">
        {text('code', s('form.code'), indicator ? { disabled: true } : {})}
        {text('name', s('form.name'))}
        <label htmlFor={id('kind')}>
          {s('form.kind')}
          <select id={id('kind')} value={f.kind} onChange={(e) => set('kind', e.target.value)} aria-invalid={invalid('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {s(`kind.${k}` as StringKey)}
              </option>
            ))}
          </select>
          <Errors k="kind" />
        </label>
        {text('unit', s('form.unit'))}
      </div>
      {f.kind !== 'boolean' ? (
        <fieldset>
          <legend>{s('form.targetMode')}</legend>
          <div className="ct-radios">
            <label>
              <input type="radio" name={`${uid}-mode`} checked={f.mode === 'single'} onChange={() => set('mode', 'single')} />
              {s('form.single')}
            </label>
            <label>
              <input type="radio" name={`${uid}-mode`} checked={f.mode === 'group'} onChange={() => set('mode', 'group')} />
              {s('form.byGroup')}
            </label>
          </div>
          <div className="ct-grid">
            <label htmlFor={id('op')}>
              {s('form.op')}
              <select id={id('op')} value={f.op} onChange={(e) => set('op', e.target.value)} aria-invalid={invalid('op')}>
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {o === '>=' ? '≥' : o === '<=' ? '≤' : o}
                  </option>
                ))}
              </select>
            </label>
            {f.mode === 'single' ? (
              <label htmlFor={id('target')}>
                {s('form.value')}
                <input id={id('target')} value={f.value} inputMode="decimal" onChange={(e) => set('value', e.target.value)} aria-invalid={invalid('target')} aria-describedby={described('target')} autoComplete="off" />
              </label>
            ) : (
              GROUPS.map((g) => (
                <label key={g} htmlFor={id(`g${g}`)}>
                  {s('form.group', { g })}
                  <input
                    id={id(`g${g}`)}
                    value={f.groups[g] ?? ''}
                    inputMode="decimal"
                    onChange={(e) => set('groups', { ...f.groups, [g]: e.target.value })}
                    aria-invalid={invalid('target')}
                    aria-describedby={described('target')}
                    autoComplete="off"
                  />
                </label>
              ))
            )}
          </div>
          <Errors k="target" />
        </fieldset>
      ) : (
        <label htmlFor={id('target')}>
          {s('form.value')}
          <select id={id('target')} value={f.value === 'false' ? 'false' : 'true'} onChange={(e) => set('value', e.target.value)}>
            <option value="true">{s('target.yes')}</option>
            <option value="false">{s('target.no')}</option>
          </select>
        </label>
      )}
      <fieldset>
        <legend>{s('form.level')}</legend>
        <div className="ct-radios">
          <label>
            <input type="radio" name={`${uid}-level`} checked={f.level === 'secondary'} onChange={() => set('level', 'secondary')} />
            {s('form.secondary')}
          </label>
          <label>
            <input type="radio" name={`${uid}-level`} checked={f.level === 'reconstructed'} onChange={() => set('level', 'reconstructed')} />
            {s('form.reconstructed')}
          </label>
        </div>
        <Errors k="level" />
        <p className="ct-small">{s('form.officialNote')}</p>
      </fieldset>
      {f.level === 'secondary' && (
        <fieldset>
          <legend>{s('form.sourceLegend')}</legend>
          <div className="ct-grid">
            {text('number', s('form.number'))}
            {text('date', s('form.date'), { placeholder: 'dd/mm/yyyy', inputMode: 'numeric' })}
            {text('issuer', s('form.issuer'))}
            {text('ref', s('form.ref'))}
            {text('url', s('form.url'), { inputMode: 'url' })}
          </div>
        </fieldset>
      )}
      {(problems.length > 0 || !!error) && (
        <div className="ct-error" role="alert" data-testid="indicator-form-errors">
          {s('form.errors')} {problems.length === 0 && errorMessage(error, lang)}
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  {lang === 'vi' ? p.message_vi : p.message}
                  {unmatched.includes(p) && <span className="ct-small"> ({p.field})</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="ct-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {s('form.save')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {s('form.cancel')}
        </button>
      </div>
    </form>
  );
}
