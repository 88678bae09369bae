/**
 * Trang xã — one commune on a date: identity and lineage across the 2025 merge, the committee's
 * summary sentence, recognitions, the criterion checklist and the review history. Everything is
 * from `GET /units/:id/commune-page`; the server decides every status.
 */
import { useCommunePage } from '../api/hooks.ts';
import type { CommunePageData, UnitDetail } from '../api/types.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { CriterionChecklist } from '../components/CriterionChecklist.tsx';
import { RecognitionList } from '../components/RecognitionList.tsx';
import { ReviewHistory } from '../components/ReviewHistory.tsx';
import { StatusTag } from '../components/StatusMark.tsx';
import { UnitHeader } from '../components/UnitHeader.tsx';
import { UnitLineage, ValidityNotice } from '../components/UnitLineage.tsx';
import { PrintLink, PrintSource, usePrintMode } from '../components/PrintView.tsx';
import { ReviewStart } from '../review/ReviewStart.tsx';
import { useSearchParams } from 'react-router';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { CommuneTasksSection } from '../committee/CommuneTasksSection.tsx';
import { DownloadReports } from '../components/DownloadReports.tsx';
import { useCan } from '../auth/useCan.ts';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { AfterFirstPaint } from '../components/AfterFirstPaint.tsx';

// Hồ sơ công nhận: the link to the commune's dossiers and "Lập hồ sơ" (antd modal) load with their own chunk.
const CommuneDossiers = lazy(() => import('../dossier/CommuneDossiers.tsx'));

function SummaryPanel({ page }: { page: CommunePageData }) {
  const { t, pick } = useT();
  const ev = page.evaluation;
  return (
    <section className="summary-panel" aria-labelledby="summary-h" data-testid="commune-summary">
      <h2 id="summary-h" className="section-title-sm">
        {t('commune.summary')}
      </h2>
      {ev && page.review ? (
        <>
          <p className="summary-line" data-testid="summary-line">
            {pick(page.summaryLine) ||
              t('commune.totals', { cm: ev.totals.criteriaMet, ct: ev.totals.criteriaTotal, im: ev.totals.indicatorsMet, it: ev.totals.indicatorsTotal })}
          </p>
          <div className="summary-facts">
            <StatusTag status={ev.meetsStandard ? 'met' : 'not_met'} size="lg" label={ev.meetsStandard ? t('commune.meetsStandard') : t('commune.notMeetsStandard')} />
            <span>{t('commune.levelReached', { level: ev.level ? t(`ntmLevel.${ev.level}` as MessageKey) : t('ntmLevel.none') })}</span>
          </div>
          {page.levelReason && (
            <p className="summary-meta level-reason" data-testid="level-reason">
              {pick(page.levelReason)}
            </p>
          )}
          {page.setNote && (
            <p className="notice notice-warning" data-testid="set-note">
              {pick(page.setNote)}
            </p>
          )}
          <p className="summary-meta">
            {t('commune.totals', { cm: ev.totals.criteriaMet, ct: ev.totals.criteriaTotal, im: ev.totals.indicatorsMet, it: ev.totals.indicatorsTotal })}
            {(ev.totals.notEvaluable > 0 || ev.totals.notApplicable > 0) && ` · ${t('commune.totalsExtra', { ne: ev.totals.notEvaluable, na: ev.totals.notApplicable })}`}
          </p>
          <p className="summary-meta muted">
            {t('commune.reviewOf', { date: formatDate(page.review.reviewedOn), set: page.reviewSetName ?? page.review.setId })}
            {page.review.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
          </p>
          {page.versionNote && <p className="summary-meta muted" data-testid="version-note">{pick(page.versionNote)}</p>}
          {page.setProvenance && <p className="summary-meta muted" data-testid="set-provenance">{pick(page.setProvenance)}</p>}
        </>
      ) : (
        <p className="summary-line summary-empty" data-testid="summary-line">
          {t('commune.noReview', { date: formatDate(page.date) })}
        </p>
      )}
      {page.coverage && (
        <p className="summary-meta" data-testid="coverage">
          <strong>{t('commune.coverage')}: </strong>
          {pick(page.coverage)}
        </p>
      )}
      {page.draft && <p className="notice notice-info">{t('commune.draft', { date: formatDate(page.draft.reviewedOn) })}</p>}
    </section>
  );
}

export default function CommunePage({ unit }: { unit: UnitDetail }) {
  const { t, pick } = useT();
  const can = useCan();
  const { date } = useDateParam();
  const page = useCommunePage(unit.id, date);
  const print = usePrintMode();
  const [params] = useSearchParams();
  const submitted = params.get('submitted');
  // The dossiers (antd modal, requests of their own) and the committee's tasks and meetings are
  // asked for once the summary is on screen.
  const dossiersLink = <Link to={`/dossiers?unitId=${encodeURIComponent(unit.id)}&open=all`}>{t('nav.dossiers')}</Link>;
  return (
    <div className="page commune" data-testid="commune-page">
      <UnitHeader unit={unit} actions={<PrintLink />} />
      <ValidityNotice unit={unit} />
      {submitted && (
        <p className="notice notice-success" role="status" data-testid="submitted-notice">
          <span aria-hidden="true">✓ </span>
          {t('review.submittedNotice', { date: formatDate(date) })}
        </p>
      )}
      {page.isPending && <PageLoading />}
      {page.isError && <ApiErrorView error={page.error} date={date} onRetry={() => void page.refetch()} />}
      {page.data && (
        <>
          <div className="commune-top">
            <SummaryPanel page={page.data} />
            <aside className="commune-side">
              {!print && <ReviewStart unit={unit} page={page.data} />}
              {!print && (
                <AfterFirstPaint fallback={dossiersLink}>
                  <Suspense fallback={dossiersLink}>
                    <CommuneDossiers unit={unit} page={page.data} />
                  </Suspense>
                </AfterFirstPaint>
              )}
              {!print && can('plan.read') && (
                <Link to={`/ho-tro-quyet-dinh/${encodeURIComponent(unit.id).replace(/%40/g, '@')}?date=${date}`} data-testid="decision-support-link">
                  {pick({ vi: 'Hỗ trợ quyết định: khoảng cách đến chuẩn, việc nên làm trước', en: 'Decision support: gaps, what to do first' })}
                </Link>
              )}
              <UnitLineage unit={page.data.unit ?? unit} />
              <RecognitionList recognitions={page.data.recognitions} date={page.data.date} />
            </aside>
          </div>
          {page.data.evaluation && <CriterionChecklist key={`${page.data.review?.id ?? 'none'}${print}`} criteria={page.data.evaluation.criteria} allOpen={print} />}
          <ReviewHistory history={page.data.history} />
          <DownloadReports unitId={unit.id} date={date} kind="commune" setId={page.data.review?.setId ?? page.data.draft?.setId ?? null} />
          {!print && (
            <AfterFirstPaint>
              <CommuneTasksSection unitId={unit.id} date={date} />
            </AfterFirstPaint>
          )}
          <PrintSource isDemo={!!page.data.review?.isDemo} date={page.data.date} />
        </>
      )}
    </div>
  );
}
