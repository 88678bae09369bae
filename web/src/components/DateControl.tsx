/**
 * The date every figure is read at, bound to `?date=` in the URL. The antd DatePicker (format
 * DD/MM/YYYY) is its own chunk: until it arrives — right after the first render — a read-only
 * field with the same id, label and value stands in, so the first view does not wait for it.
 */
import { lazy, Suspense } from 'react';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';

const DateField = lazy(() => import('./DateField.tsx'));

export const DATE_INPUT_ID = 'data-date';

export function DateControl() {
  const { t } = useT();
  const { date, setDate } = useDateParam();
  return (
    <div className="date-control">
      <label htmlFor={DATE_INPUT_ID} className="control-label">
        {t('date.label')}
      </label>
      <Suspense
        fallback={
          <span className="date-fallback">
            <input id={DATE_INPUT_ID} readOnly value={formatDate(date)} aria-describedby="data-date-help" />
          </span>
        }
      >
        <DateField id={DATE_INPUT_ID} date={date} onChange={setDate} describedBy="data-date-help" />
      </Suspense>
      <span id="data-date-help" className="sr-only">
        {t('date.help')}
      </span>
    </div>
  );
}
