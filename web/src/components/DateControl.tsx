/**
 * The date every figure is read at, bound to `?date=` in the URL. The antd DatePicker (format
 * DD/MM/YYYY) is its own chunk: until it arrives — right after the first render — a read-only
 * field with the same id, label and value stands in, so the first view does not wait for it. It is
 * asked for once the page's content is on screen (useContentPainted): not in the way of it.
 */
import { lazy, Suspense } from 'react';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { useContentPainted } from '../hooks/useAfterPaint.ts';

const DateField = lazy(() => import('./DateField.tsx'));

export const DATE_INPUT_ID = 'data-date';

export function DateControl() {
  const { t } = useT();
  const { date, setDate } = useDateParam();
  const load = useContentPainted();
  const standIn = (
    <span className="date-fallback">
      <input id={DATE_INPUT_ID} readOnly value={formatDate(date)} aria-describedby="data-date-help" />
    </span>
  );
  return (
    <div className="date-control">
      <label htmlFor={DATE_INPUT_ID} className="control-label">
        {t('date.label')}
      </label>
      {load ? (
        <Suspense fallback={standIn}>
          <DateField id={DATE_INPUT_ID} date={date} onChange={setDate} describedBy="data-date-help" />
        </Suspense>
      ) : (
        standIn
      )}
      <span id="data-date-help" className="sr-only">
        {t('date.help')}
      </span>
    </div>
  );
}
