/**
 * The indicators behind one cell of the matrix: the commune's review shown in that cell (its
 * latest submitted one on the date), the criterion's verdict and each indicator with value,
 * target, gap and reason. A drawer (full width on a phone); lazy, with antd's Drawer.
 */
import { Drawer } from 'antd';
import { Link } from 'react-router';
import { useReview } from '../api/hooks.ts';
import type { CommuneStatusRow } from '../api/types.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { ApiErrorView } from './ApiErrorView.tsx';
import { PageLoading } from './AppLayout.tsx';
import { IndicatorTable } from './IndicatorTable.tsx';
import { StatusTag } from './StatusMark.tsx';

export default function CellDetail({ row, criterionCode, date, onClose }: { row: CommuneStatusRow; criterionCode: string; date: string; onClose: () => void }) {
  const { t } = useT();
  const review = useReview(row.reviewId ?? undefined);
  const criterion = review.data?.evaluation.criteria.find((c) => c.code === criterionCode);
  const narrow = typeof window !== 'undefined' && window.innerWidth < 640;
  return (
    <Drawer
      open
      onClose={onClose}
      placement={narrow ? 'bottom' : 'right'}
      size={narrow ? '85%' : 720}
      title={
        <span data-testid="cell-detail-title">
          {row.name} — {t('commune.criterion', { code: criterionCode })} {criterion ? <span lang="vi">{criterion.name}</span> : null}
        </span>
      }
      closable={{ 'aria-label': t('app.close') }}
      destroyOnHidden
      rootClassName="cell-detail"
    >
      <div data-testid="cell-detail">
        {review.isPending && <PageLoading />}
        {review.isError && <ApiErrorView error={review.error} date={date} onRetry={() => void review.refetch()} />}
        {review.data && criterion && (
          <>
            <p className="cell-detail-meta">
              <StatusTag status={criterion.status} size="lg" />{' '}
              <span>{t('commune.criterionCount', { met: criterion.indicatorsMet, total: criterion.indicatorsTotal })}</span>
            </p>
            <p className="muted">{t('commune.reviewOf', { date: formatDate(review.data.reviewedOn), set: review.data.setName })}</p>
            <IndicatorTable indicators={criterion.indicators} criterionCode={criterion.code} />
            <p>
              <Link to={unitPath(row.unitId, date)}>{t('overview.cell.openCommune', { name: row.name })}</Link>
            </p>
          </>
        )}
      </div>
    </Drawer>
  );
}
