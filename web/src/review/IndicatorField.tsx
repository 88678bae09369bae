/**
 * One indicator of the review form: its input by kind (yes/no, percent, number with its unit,
 * numerator/denominator, grade from the scale, a count that must be 0), the target that applies,
 * the verdict as the officer types (from the engine, in the browser), the server's error on the
 * field, and the evidence attached to it.
 */
import { memo, useEffect, useId, useRef } from 'react';
import type { Indicator, IndicatorVerdictView } from '../api/types.ts';
import { useT } from '../i18n/index.tsx';
import { formatPercent } from '../format.ts';
import { StatusTag } from '../components/StatusMark.tsx';
import { formatTarget } from '../components/IndicatorTable.tsx';
import { formatGap } from './format-gap.ts';
import type { FieldDraft } from './values.ts';
import { EvidenceList, type Evidence } from './EvidenceList.tsx';

export interface IndicatorFieldProps {
  indicator: Indicator;
  draft: FieldDraft;
  verdict: IndicatorVerdictView | undefined;
  /** Message from the server (or "not a number" from the field itself), already in the UI language. */
  error: string | null;
  disabled: boolean;
  evidence: Evidence[];
  onDraft: (code: string, draft: FieldDraft) => void;
  onAttach: (code: string, file: File) => void;
  onDetach: (code: string, index: number) => void;
  uploading: boolean;
}

export const IndicatorField = memo(function IndicatorField({ indicator: ind, draft, verdict, error, disabled, evidence, onDraft, onAttach, onDetach, uploading }: IndicatorFieldProps) {
  const { t, lang, pick } = useT();
  const uid = useId();
  const inputId = `v-${ind.code}`;
  const errId = `${uid}-err`;
  const targetId = `${uid}-target`;
  const describedBy = [targetId, error ? errId : null].filter(Boolean).join(' ');
  const unit = ind.unit ?? (ind.kind === 'percent' ? '%' : null);
  const status = verdict?.status;
  const basis = pick(verdict?.target?.basis?.text);
  // An error that appears under the field being typed in is scrolled into view (above the phone's
  // sticky summary: its scroll-margin); errors of other fields do not move the page.
  const errRef = useRef<HTMLParagraphElement>(null);
  const fieldRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error && fieldRef.current?.contains(document.activeElement)) errRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [error]);

  let input: React.ReactNode;
  if (ind.kind === 'compound') {
    // Its conditions are fields of their own, listed under it.
    input = <span className="muted">{t('review.compoundHint')}</span>;
  } else if (draft.kind === 'choice' && ind.kind === 'boolean') {
    input = (
      <div className="choice-group" role="radiogroup" aria-labelledby={`${uid}-label`} aria-describedby={describedBy} aria-invalid={!!error}>
        {[
          ['true', t('review.yes')],
          ['false', t('review.no')],
          ['', t('review.unanswered')],
        ].map(([v, label]) => (
          <label key={v} className="choice">
            <input type="radio" name={inputId} value={v} checked={draft.choice === v} disabled={disabled} onChange={() => onDraft(ind.code, { kind: 'choice', choice: v! })} />
            {label}
          </label>
        ))}
      </div>
    );
  } else if (draft.kind === 'choice') {
    input = (
      <select id={inputId} className="select-input" value={draft.choice} disabled={disabled} aria-describedby={describedBy} aria-invalid={!!error} onChange={(e) => onDraft(ind.code, { kind: 'choice', choice: e.target.value })}>
        <option value="">{t('review.choose')}</option>
        {(ind.scale ?? []).map((g) => (
          <option key={g} value={g}>
            {g}
          </option>
        ))}
      </select>
    );
  } else if (draft.kind === 'ratio') {
    const share = verdict?.measured;
    input = (
      <div className="ratio-inputs" role="group" aria-labelledby={`${uid}-label`}>
        <span className="field-inline">
          <label htmlFor={`${inputId}-n`}>{t('review.numerator')}</label>
          <input
            id={`${inputId}-n`}
            className="text-input num-input"
            inputMode="decimal"
            autoComplete="off"
            value={draft.numerator}
            disabled={disabled}
            aria-describedby={describedBy}
            aria-invalid={!!error}
            onChange={(e) => onDraft(ind.code, { ...draft, numerator: e.target.value })}
          />
        </span>
        <span aria-hidden="true" className="ratio-slash">
          /
        </span>
        <span className="field-inline">
          <label htmlFor={`${inputId}-d`}>{t('review.denominator')}</label>
          <input
            id={`${inputId}-d`}
            className="text-input num-input"
            inputMode="decimal"
            autoComplete="off"
            value={draft.denominator}
            disabled={disabled}
            aria-describedby={describedBy}
            aria-invalid={!!error}
            onChange={(e) => onDraft(ind.code, { ...draft, denominator: e.target.value })}
          />
        </span>
        {unit && <span className="unit">{unit}</span>}
        {share !== null && share !== undefined && <span className="ratio-share">= {formatPercent(share, lang)}</span>}
      </div>
    );
  } else {
    input = (
      <span className="input-with-unit">
        <input
          id={inputId}
          className="text-input num-input"
          inputMode={ind.kind === 'none_count' ? 'numeric' : 'decimal'}
          autoComplete="off"
          value={draft.text}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={!!error}
          onChange={(e) => onDraft(ind.code, { kind: 'text', text: e.target.value })}
        />
        {unit && <span className="unit">{unit}</span>}
      </span>
    );
  }

  const labelled = draft.kind === 'text' || (draft.kind === 'choice' && ind.kind === 'grade');
  const Label = labelled ? 'label' : 'span';
  return (
    <div ref={fieldRef} className={`ind-field${error ? ' has-error' : ''}`} data-indicator={ind.code} data-status={status ?? 'none'}>
      <div className="ind-field-head">
        <Label id={`${uid}-label`} className="ind-field-label" {...(labelled ? { htmlFor: inputId } : {})}>
          <span className="ind-code">{ind.code}</span> <span lang="vi">{ind.name}</span>
        </Label>
        {!ind.verified && (
          <span className="badge-unverified" title={t('commune.ind.unverifiedTitle')}>
            {t('commune.ind.unverified')}
          </span>
        )}
      </div>
      <div className="ind-field-body">
        <div className="ind-field-input">{input}</div>
        <div className="ind-field-eval" id={targetId}>
          <span className="ind-target">
            {t('commune.ind.target')}: {verdict ? formatTarget(verdict.target, verdict.unit, verdict.kind, lang, t) : '—'}
          </span>
          {status && <StatusTag status={status} />}
          {verdict && verdict.gap !== null && verdict.gap !== 0 && (
            <span className="ind-gap">
              {t('commune.ind.gap')}: {formatGap(verdict.gap, verdict.unit ?? (verdict.kind === 'ratio' || verdict.kind === 'percent' ? '%' : null), lang)}
            </span>
          )}
          {basis && <span className="ind-basis">{t('commune.ind.basis', { basis })}</span>}
        </div>
      </div>
      {error && (
        <p ref={errRef} className="field-error" id={errId} role="alert" data-testid={`field-error-${ind.code}`}>
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
      <EvidenceList code={ind.code} evidence={evidence} disabled={disabled} uploading={uploading} onAttach={onAttach} onDetach={onDetach} />
    </div>
  );
});
