/** antd DatePicker for an ISO date, shown and typed as DD/MM/YYYY (lazy: see DateControl). */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';

export default function DateField({ id, date, onChange, describedBy }: { id: string; date: string; onChange: (iso: string) => void; describedBy?: string }) {
  return (
    <DatePicker
      id={id}
      value={dayjs(date)}
      // Shown as DD/MM/YYYY; typing also accepts 20/3/2023 and 20032023.
      format={['DD/MM/YYYY', 'D/M/YYYY', 'DDMMYYYY']}
      allowClear={false}
      aria-describedby={describedBy}
      onChange={(d) => {
        if (d && d.isValid()) onChange(d.format('YYYY-MM-DD'));
      }}
      className="date-input"
    />
  );
}
