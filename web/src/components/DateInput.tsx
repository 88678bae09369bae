/**
 * A date field of a form, shown and typed as DD/MM/YYYY whatever the browser's language (a native
 * date input shows mm/dd/yyyy in an English browser). Value and onChange are ISO dates; `null`
 * when the field is empty and `allowEmpty`.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';

export function DateInput({ value, onChange, allowEmpty = false, id, label }: { value: string | null; onChange: (iso: string | null) => void; allowEmpty?: boolean; id?: string; label?: string }) {
  return (
    <DatePicker
      id={id}
      aria-label={label}
      value={value ? dayjs(value) : null}
      format={['DD/MM/YYYY', 'D/M/YYYY', 'DDMMYYYY']}
      placeholder="dd/mm/yyyy"
      allowClear={allowEmpty}
      onChange={(d) => onChange(d && d.isValid() ? d.format('YYYY-MM-DD') : null)}
      className="date-input"
    />
  );
}
