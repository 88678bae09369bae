/**
 * Tải báo cáo — download buttons: on an overview the matrix and the summary (xlsx, Word), on a
 * commune page its self-assessment report and examination table (Word), its detail (xlsx) and the
 * template to fill; both link to the import page, for whoever may import. Plain links: the browser downloads the file.
 */
import { Link } from 'react-router';
import { reportUrl, templateUrl } from '../api/imports.ts';
import { useT } from '../i18n/index.tsx';
import { useCan } from '../auth/useCan.ts';
import '../pages/import.css';

const TEXT = {
  title: { vi: 'Tải báo cáo', en: 'Download reports' },
  matrix: { vi: 'Ma trận xã × tiêu chí (Excel)', en: 'Commune × criterion matrix (Excel)' },
  summaryXlsx: { vi: 'Báo cáo tổng hợp (Excel)', en: 'Summary (Excel)' },
  summaryDocx: { vi: 'Báo cáo tổng hợp (Word)', en: 'Summary report (Word)' },
  history: { vi: 'Diễn biến qua các kỳ (Excel)', en: 'History over review dates (Excel)' },
  selfAssessment: { vi: 'Báo cáo tự đánh giá (Word)', en: 'Self-assessment report (Word)' },
  examination: { vi: 'Biểu thẩm tra từng tiêu chí (Word)', en: 'Examination table (Word)' },
  detail: { vi: 'Chi tiết từng chỉ tiêu (Excel)', en: 'Detail by indicator (Excel)' },
  template: { vi: 'Mẫu nhập số liệu (Excel)', en: 'Data-entry template (Excel)' },
  import: { vi: 'Nhập số liệu từ Excel…', en: 'Import from Excel…' },
};

export function DownloadReports({ unitId, date, kind, setId }: { unitId: string; date: string; kind: 'overview' | 'commune'; setId?: string | null }) {
  const { pick } = useT();
  const can = useCan();
  const links: Array<{ href: string; label: string; testId: string }> =
    kind === 'overview'
      ? [
          { href: reportUrl('matrix', unitId, date, 'xlsx'), label: pick(TEXT.matrix), testId: 'dl-matrix' },
          { href: reportUrl('summary', unitId, date, 'xlsx'), label: pick(TEXT.summaryXlsx), testId: 'dl-summary-xlsx' },
          { href: reportUrl('summary', unitId, date, 'docx'), label: pick(TEXT.summaryDocx), testId: 'dl-summary-docx' },
          { href: reportUrl('history', unitId, date, 'xlsx'), label: pick(TEXT.history), testId: 'dl-history' },
        ]
      : [
          { href: reportUrl('self-assessment', unitId, date, 'docx'), label: pick(TEXT.selfAssessment), testId: 'dl-self-assessment' },
          { href: reportUrl('examination', unitId, date, 'docx'), label: pick(TEXT.examination), testId: 'dl-examination' },
          { href: reportUrl('commune-detail', unitId, date, 'xlsx'), label: pick(TEXT.detail), testId: 'dl-detail' },
          ...(setId ? [{ href: templateUrl(setId, unitId, date, 'per-commune', true), label: pick(TEXT.template), testId: 'dl-template' }] : []),
        ];
  return (
    <nav className="download-reports no-print" aria-label={pick(TEXT.title)} data-testid="download-reports">
      <span className="download-reports-title">{pick(TEXT.title)}:</span>
      <ul>
        {links.map((l) => (
          <li key={l.testId}>
            <a href={l.href} download data-testid={l.testId}>
              {l.label}
            </a>
          </li>
        ))}
        {can('data.import') && (
        <li>
          <Link to={`/import?unitId=${encodeURIComponent(unitId)}&date=${date}${setId ? `&setId=${encodeURIComponent(setId)}` : ''}`} data-testid="dl-import">
            {pick(TEXT.import)}
          </Link>
        </li>
        )}
      </ul>
    </nav>
  );
}

