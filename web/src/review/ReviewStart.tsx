/**
 * On the commune page: continue the draft being prepared, or create a review ("Tạo bản rà soát")
 * for a date and criteria set, optionally starting from the values of the latest submitted one.
 */
import { useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiGet } from '../api/client.ts';
import { useCreateReview, useCriteriaSets, type CreateReviewInput } from '../api/hooks.ts';
import type { CommunePageData, ReviewDetailData, UnitDetail } from '../api/types.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { useT } from '../i18n/index.tsx';
import { formatDate, parseDate, todayIso, withinPeriod } from '../format.ts';
import { provenanceLine, type ProvenanceCounts } from '../../../src/domain/provenance.ts';

interface SetItem {
  id: string;
  name: string;
  version?: number;
  indicators?: number;
  validFrom?: string;
  validTo?: string | null;
  provenance?: ProvenanceCounts;
}

export function ReviewStart({ unit, page }: { unit: UnitDetail; page: CommunePageData }) {
  const { t, lang, pick } = useT();
  const uid = useId();
  const navigate = useNavigate();
  const create = useCreateReview();
  const sets = useCriteriaSets();
  const [open, setOpen] = useState(false);
  const defaultDate = withinPeriod(page.date, unit.validFrom, unit.validTo) ? page.date : withinPeriod(todayIso(), unit.validFrom, unit.validTo) ? todayIso() : (unit.validTo ?? todayIso());
  const [dateText, setDateText] = useState(formatDate(defaultDate));
  const date = parseDate(dateText);
  const validSets = useMemo(
    () => {
      const inForce = ((sets.data ?? []) as SetItem[]).filter((s) => !date || withinPeriod(date, s.validFrom ?? null, s.validTo ?? null));
      // One entry per set id (the list has one per version): the version in force, else the latest.
      const byId = new Map<string, SetItem>();
      for (const s of inForce) if ((byId.get(s.id)?.version ?? 0) < (s.version ?? 1)) byId.set(s.id, s);
      return [...byId.values()];
    },
    [sets.data, date],
  );
  const [setId, setSetId] = useState<string>(page.review?.setId ?? '');
  const chosenSet = validSets.some((s) => s.id === setId) ? setId : (validSets.find((s) => s.id === page.review?.setId)?.id ?? validSets[0]?.id ?? '');
  const [copy, setCopy] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canCopy = !!page.review && page.review.setId === chosenSet;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!date) {
      setError(t('review.badDate'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input: CreateReviewInput = { unitId: unit.id, setId: chosenSet, reviewedOn: date };
      if (copy && canCopy && page.review) {
        const prev = await apiGet<ReviewDetailData>(`/reviews/${page.review.id}`);
        input.values = Object.fromEntries(prev.values.map((v) => [v.code, { value: v.value, note: v.note, evidence: v.evidence }]));
      }
      const r = await create.mutateAsync(input);
      navigate(`/reviews/${r.id}`);
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="review-start no-print" aria-labelledby={`${uid}-h`} data-testid="review-start">
      <h2 id={`${uid}-h`} className="section-title-sm">
        {t('review.section')}
      </h2>
      {page.draft && (
        <p>
          <Link className="btn" to={`/reviews/${page.draft.id}`} data-testid="continue-draft">
            {t('review.continueDraft', { date: formatDate(page.draft.reviewedOn) })}
          </Link>
        </p>
      )}
      {!open ? (
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)} data-testid="new-review">
          {t('review.create')}
        </button>
      ) : (
        <form className="review-start-form" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor={`${uid}-date`}>{t('review.date')}</label>
            <input id={`${uid}-date`} className="text-input" value={dateText} onChange={(e) => setDateText(e.target.value)} inputMode="numeric" placeholder="dd/mm/yyyy" aria-describedby={`${uid}-date-help`} />
            <span id={`${uid}-date-help`} className="field-help">
              {t('review.dateHelp', { period: `${formatDate(unit.validFrom)} – ${unit.validTo ? formatDate(unit.validTo) : lang === 'vi' ? 'nay' : 'now'}` })}
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${uid}-set`}>{t('overview.matrix.set')}</label>
            <select id={`${uid}-set`} className="select-input" value={chosenSet} onChange={(e) => setSetId(e.target.value)}>
              {validSets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.provenance && s.indicators !== undefined ? ` — ${pick(provenanceLine(s.indicators, s.provenance))}` : ''}
                </option>
              ))}
            </select>
          </div>
          {page.review && (
            <label className="choice">
              <input type="checkbox" checked={copy && canCopy} disabled={!canCopy} onChange={(e) => setCopy(e.target.checked)} />
              {t('review.copyFrom', { date: formatDate(page.review.reviewedOn) })}
            </label>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || !chosenSet} data-testid="create-review">
              {busy ? t('review.creating') : t('review.createConfirm')}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('review.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
