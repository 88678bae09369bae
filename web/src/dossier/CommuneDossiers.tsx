/**
 * On the commune page (lazy): "Hồ sơ công nhận" — a link to the commune's dossiers, the number in
 * progress, and "Lập hồ sơ đề nghị công nhận": a modal with the level applied for and the base
 * review (one of the commune's submitted reviews), POST /dossiers, then the new dossier.
 */
import { useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Modal, Select } from 'antd';
import type { CommunePageData, UnitDetail } from '../api/types.ts';
import { useDossierWrite, useDossiers, type DossierDetail } from '../api/dossier.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { ApiError, apiGet } from '../api/client.ts';
import { useQuery } from '@tanstack/react-query';
import { useS } from './strings.ts';
import './dossier.css';

const LEVELS = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'] as const;

export default function CommuneDossiers({ unit, page }: { unit: UnitDetail; page: CommunePageData }) {
  const s = useS();
  const { t, lang } = useT();
  const uid = useId();
  const navigate = useNavigate();
  const dossiers = useDossiers({ unitId: unit.id, open: '1' });
  const create = useDossierWrite<DossierDetail>();
  const reviews = useMemo(
    () => page.history.filter((h) => h.relation === 'self' && h.status === 'submitted').sort((a, b) => b.reviewedOn.localeCompare(a.reviewedOn)),
    [page.history],
  );
  const own = page.recognitions.filter((r) => r.relation === 'self').map((r) => LEVELS.indexOf(r.level as (typeof LEVELS)[number]));
  const nextLevel = LEVELS[Math.min(own.length ? Math.max(...own) + 1 : 0, LEVELS.length - 1)]!;
  // The criteria sets' levels (same query as the review form's; not through api/hooks.ts, whose
  // import from here splits the first view's code into one more chunk).
  const sets = useQuery({
    queryKey: ['criteria-sets'],
    queryFn: ({ signal }) => apiGet<{ items: Array<{ id: string; level?: string }> } | Array<{ id: string; level?: string }>>('/criteria-sets', undefined, signal),
    staleTime: 30 * 60_000,
    select: (d) => (Array.isArray(d) ? d : d.items),
  });
  const [open, setOpen] = useState(false);
  const [reviewId, setReviewId] = useState<number | null>(reviews[0]?.id ?? null);
  // The level follows the base review's criteria set (the server checks they match); the officer may change it.
  const [levelChoice, setLevelChoice] = useState<string | null>(null);
  const setLevelOfReview = (sets.data ?? []).find((x) => x.id === reviews.find((r) => r.id === reviewId)?.setId)?.level;
  const level = levelChoice ?? setLevelOfReview ?? nextLevel;
  const existing = create.error instanceof ApiError && create.error.code === 'conflict' ? Number(create.error.details?.dossierId) || null : null;
  const openCount = dossiers.data?.length ?? 0;
  const submit = () => {
    if (reviewId === null) return;
    const base = reviews.find((r) => r.id === reviewId);
    create.mutate(
      { method: 'POST', path: '/dossiers', body: { unitId: unit.id, level, baseReviewId: reviewId, ...(base ? { setId: base.setId } : {}) } },
      { onSuccess: (d) => navigate(`/dossiers/${d.id}`) },
    );
  };
  return (
    <section className="no-print" aria-labelledby={`${uid}-h`} data-testid="commune-dossiers" style={{ margin: '12px 0' }}>
      <h2 id={`${uid}-h`} className="section-title-sm">
        {s('commune.section')}
      </h2>
      <p>
        <Link to={`/dossiers?unitId=${encodeURIComponent(unit.id)}&open=all`} data-testid="dossiers-link">
          {s('commune.link')}
        </Link>
        {openCount > 0 && <span className="ds-small"> · {s('commune.openCount', { n: openCount })}</span>}
      </p>
      <button
        type="button"
        className="btn"
        data-testid="new-dossier"
        onClick={() => {
          create.reset();
          setOpen(true);
        }}
      >
        {s('new.button')}
      </button>
      <Modal
        open={open}
        title={s('new.title')}
        okText={s('new.create')}
        cancelText={s('actions.cancel')}
        okButtonProps={{ disabled: reviewId === null, ...({ 'data-testid': 'create-dossier' } as object) }}
        confirmLoading={create.isPending}
        onOk={submit}
        onCancel={() => setOpen(false)}
      >
        <div className="ds-form" data-testid="new-dossier-form">
          <p>{unit.fullName}</p>
          <label htmlFor={`${uid}-level`}>{s('new.level')}</label>
          <Select id={`${uid}-level`} value={level} onChange={setLevelChoice} options={LEVELS.map((l) => ({ value: l, label: t(`ntmLevel.${l}` as MessageKey) }))} />
          {reviews.length === 0 ? (
            <p className="ds-error" role="alert">
              {s('new.noReview')}
            </p>
          ) : (
            <>
              <label htmlFor={`${uid}-review`}>{s('new.review')}</label>
              <Select
                id={`${uid}-review`}
                value={reviewId ?? undefined}
                onChange={(v: number) => {
                  setReviewId(v);
                  setLevelChoice(null);
                }}
                options={reviews.map((r) => ({
                  value: r.id,
                  label: `${s('new.reviewOption', { date: formatDate(r.reviewedOn), set: r.setId })}${r.criteriaMet !== null ? ` (${r.criteriaMet}/${r.criteriaTotal})` : ''}`,
                }))}
              />
            </>
          )}
          {/* Not parts.tsx's WriteError: sharing that chunk with the commune page splits the first view's code. */}
          {create.error && (
            <p className="ds-error" role="alert" data-testid="write-error">
              {create.error instanceof ApiError ? (lang === 'vi' ? create.error.messageVi : create.error.message) : String(create.error)}
              {existing && (
                <>
                  {' '}
                  <Link to={`/dossiers/${existing}`} data-testid="existing-dossier">
                    {s('new.openExisting', { id: existing })}
                  </Link>
                </>
              )}
            </p>
          )}
        </div>
      </Modal>
    </section>
  );
}
