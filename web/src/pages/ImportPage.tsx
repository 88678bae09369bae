/**
 * Nhập số liệu từ Excel — the officer's loop: download the template for a criteria set and a unit,
 * fill it, upload it; the server checks everything first (dry run) and the page lists every
 * problem with its sheet, cell and value, highlighted, in the current language; once there is no
 * error, "Ghi vào hệ thống" commits the same file (its SHA-256 must match the preview), all or
 * nothing. Uploads are the raw .xlsx (the server checks the content, limit 20 MB by default).
 */
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Checkbox, Select, Table } from 'antd';
import { useCriteriaSets } from '../api/hooks.ts';
import { ApiError } from '../api/client.ts';
import { templateUrl, uploadWorkbook, type ImportProblem, type ImportResult, type ImportRow } from '../api/imports.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import './import.css';

const T = {
  title: { vi: 'Nhập số liệu rà soát từ Excel', en: 'Import review data from Excel' },
  intro: {
    vi: 'Tải mẫu, điền số liệu, rồi tải tệp lên. Hệ thống kiểm tra toàn bộ trước và chỉ ghi khi không còn lỗi — tất cả hoặc không gì cả. Nhập lại cùng một tệp không thay đổi gì.',
    en: 'Download the template, fill it in, upload it. Everything is checked first and written only when there is no error — all or nothing. Importing the same file again changes nothing.',
  },
  step1: { vi: '1. Tải mẫu', en: '1. Download the template' },
  step2: { vi: '2. Tải tệp lên để kiểm tra', en: '2. Upload the file to check it' },
  set: { vi: 'Bộ tiêu chí', en: 'Criteria set' },
  setHint: { vi: 'Mẫu của hệ thống tự ghi bộ tiêu chí; chỉ cần chọn với bảng tự lập.', en: 'Our templates name their set; choose one only for a hand-made sheet.' },
  unit: { vi: 'Đơn vị (mã@danh mục)', en: 'Unit (code@list)' },
  date: { vi: 'Ngày rà soát mặc định', en: 'Default review date' },
  layout: { vi: 'Kiểu mẫu', en: 'Layout' },
  matrix: { vi: 'Ma trận (mỗi dòng một xã)', en: 'Matrix (one row per commune)' },
  perCommune: { vi: 'Mỗi xã một trang', en: 'One sheet per commune' },
  download: { vi: 'Tải mẫu Excel', en: 'Download the Excel template' },
  needSetUnit: { vi: 'Chọn bộ tiêu chí và đơn vị để tải mẫu.', en: 'Choose a criteria set and a unit to download the template.' },
  file: { vi: 'Tệp .xlsx', en: '.xlsx file' },
  submit: { vi: 'Lưu ở trạng thái đã nộp (mặc định: bản nháp)', en: 'Store as submitted (default: draft)' },
  check: { vi: 'Kiểm tra', en: 'Check' },
  checking: { vi: 'Đang kiểm tra…', en: 'Checking…' },
  commit: { vi: 'Ghi vào hệ thống', en: 'Write to the system' },
  committing: { vi: 'Đang ghi…', en: 'Writing…' },
  summary: { vi: 'Kết quả kiểm tra', en: 'Check result' },
  counts: {
    vi: '{rows} dòng: {create} tạo mới, {update} cập nhật, {unchanged} không đổi, {withErrors} có lỗi, {skipped} dòng trống bỏ qua.',
    en: '{rows} rows: {create} new, {update} updated, {unchanged} unchanged, {withErrors} with errors, {skipped} empty rows skipped.',
  },
  source: { vi: 'Tệp {file}: {source}, bộ tiêu chí {set}.', en: 'File {file}: {source}, criteria set {set}.' },
  template: { vi: 'mẫu của hệ thống', en: 'our template' },
  handMade: { vi: 'bảng tự lập', en: 'hand-made sheet' },
  errors: { vi: '{n} lỗi phải sửa trước khi ghi; {w} cảnh báo.', en: '{n} errors to fix before writing; {w} warnings.' },
  noErrors: { vi: 'Không có lỗi. Kiểm tra lại bảng dưới đây rồi bấm "Ghi vào hệ thống".', en: 'No errors. Check the table below, then press "Write to the system".' },
  nothing: { vi: 'Không có gì thay đổi: mọi dòng trùng với số liệu đã có.', en: 'Nothing would change: every row matches what is stored.' },
  problems: { vi: 'Các vấn đề', en: 'Problems' },
  rows: { vi: 'Các dòng', en: 'Rows' },
  truncated: { vi: '(chỉ hiện phần đầu; dùng lệnh datchuan import xlsx --problems để có toàn bộ)', en: '(first ones only; use datchuan import xlsx --problems for all)' },
  done: { vi: 'Đã ghi: {create} bản rà soát mới, {update} bản nháp cập nhật, {unchanged} không đổi.', en: 'Written: {create} new reviews, {update} drafts updated, {unchanged} unchanged.' },
  refused: { vi: 'Không ghi gì', en: 'Nothing was written' },
  colSeverity: { vi: 'Mức', en: 'Level' },
  colSheet: { vi: 'Trang', en: 'Sheet' },
  colCell: { vi: 'Ô', en: 'Cell' },
  colValue: { vi: 'Giá trị', en: 'Value' },
  colMessage: { vi: 'Nội dung', en: 'Message' },
  colRow: { vi: 'Dòng', en: 'Row' },
  colUnit: { vi: 'Xã', en: 'Commune' },
  colDate: { vi: 'Ngày rà soát', en: 'Review date' },
  colAction: { vi: 'Xử lý', en: 'Action' },
  colValues: { vi: 'Số giá trị', en: 'Values' },
  error: { vi: 'Lỗi', en: 'Error' },
  warning: { vi: 'Cảnh báo', en: 'Warning' },
  create: { vi: 'Tạo mới', en: 'New' },
  update: { vi: 'Cập nhật bản nháp', en: 'Update draft' },
  unchanged: { vi: 'Không đổi', en: 'Unchanged' },
  skip: { vi: 'Bỏ qua', en: 'Skipped' },
  errorAction: { vi: 'Có lỗi', en: 'Has errors' },
};

function fill(s: string, params: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export default function ImportPage() {
  const { pick, lang } = useT();
  const tr = (k: keyof typeof T, params?: Record<string, string | number>) => fill(pick(T[k]), params ?? {});
  const [params] = useSearchParams();
  const { date } = useDateParam();
  const sets = useCriteriaSets();
  const [setId, setSetId] = useState<string | null>(params.get('setId'));
  const [unitId, setUnitId] = useState(params.get('unitId') ?? '');
  const [layout, setLayout] = useState<'matrix' | 'per-commune'>('matrix');
  const [file, setFile] = useState<File | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<{ message: string; problems: ImportProblem[] } | null>(null);

  const setOptions = useMemo(() => (sets.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.id})` })), [sets.data]);
  const canCommit = result && result.dryRun && result.errors === 0 && result.counts.create + result.counts.update > 0;

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'commit');
    setFailure(null);
    try {
      const r = await uploadWorkbook(file, { dryRun, setId, status: submitted ? 'submitted' : 'draft', expectHash: dryRun ? null : (result?.fileHash ?? null) });
      setResult(r);
    } catch (e) {
      const problems = e instanceof ApiError && Array.isArray(e.details?.problems) ? (e.details!.problems as ImportProblem[]) : [];
      setFailure({ message: e instanceof ApiError ? (lang === 'vi' ? e.messageVi : e.message) : String(e), problems });
      if (!dryRun) setResult(null);
    } finally {
      setBusy(null);
    }
  }

  const severityLabel = (s: ImportProblem['severity']) => (s === 'error' ? tr('error') : tr('warning'));
  const actionLabel = (a: ImportRow['action']) => tr(a === 'error' ? 'errorAction' : a);
  const problems = result?.problems ?? failure?.problems ?? [];

  return (
    <div className="page import-page" data-testid="import-page">
      <h1 className="page-title">{tr('title')}</h1>
      <p className="muted">{tr('intro')}</p>

      <section className="import-step" aria-labelledby="step1-h">
        <h2 id="step1-h" className="section-title">
          {tr('step1')}
        </h2>
        <div className="import-form">
          <label className="import-field">
            <span className="control-label">{tr('set')}</span>
            <Select aria-label={tr('set')} value={setId ?? undefined} onChange={(v) => setSetId(v)} options={setOptions} style={{ width: 360, maxWidth: '100%' }} allowClear onClear={() => setSetId(null)} />
          </label>
          <label className="import-field">
            <span className="control-label">{tr('unit')}</span>
            <input className="text-input" value={unitId} onChange={(e) => setUnitId(e.target.value.trim())} placeholder="352@2025-03" />
          </label>
          <span>
            <span className="control-label">{tr('date')}</span> {formatDate(date)}
          </span>
          <label className="import-field">
            <span className="control-label">{tr('layout')}</span>
            <select className="text-input" value={layout} onChange={(e) => setLayout(e.target.value as 'matrix' | 'per-commune')}>
              <option value="matrix">{tr('matrix')}</option>
              <option value="per-commune">{tr('perCommune')}</option>
            </select>
          </label>
          {setId && unitId ? (
            <a className="import-download" href={templateUrl(setId, unitId, date, layout)} download data-testid="download-template">
              {tr('download')}
            </a>
          ) : (
            <span className="muted">{tr('needSetUnit')}</span>
          )}
        </div>
      </section>

      <section className="import-step" aria-labelledby="step2-h">
        <h2 id="step2-h" className="section-title">
          {tr('step2')}
        </h2>
        <div className="import-form">
          <label className="import-field">
            <span className="control-label">{tr('file')}</span>
            <input
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              data-testid="import-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setResult(null);
                setFailure(null);
              }}
            />
          </label>
          <Checkbox checked={submitted} onChange={(e) => setSubmitted(e.target.checked)}>
            {tr('submit')}
          </Checkbox>
          <Button type="primary" disabled={!file || busy !== null} onClick={() => void run(true)} data-testid="import-check">
            {busy === 'check' ? tr('checking') : tr('check')}
          </Button>
        </div>
        <p className="muted">{tr('setHint')}</p>
      </section>

      {failure && (
        <Alert type="error" showIcon role="alert" title={tr('refused')} description={failure.message} data-testid="import-failure" />
      )}

      {result && (
        <section aria-labelledby="result-h" className="import-result" data-testid="import-result">
          <h2 id="result-h" className="section-title">
            {tr('summary')}
          </h2>
          <p>{tr('source', { file: result.fileName ?? '', source: result.source === 'template' ? tr('template') : tr('handMade'), set: result.setName ?? result.setId ?? '—' })}</p>
          <p data-testid="import-counts">{tr('counts', result.counts)}</p>
          {result.committed && !result.dryRun ? (
            <Alert type="success" showIcon title={tr('done', result.counts)} data-testid="import-done" />
          ) : result.errors > 0 ? (
            <Alert type="error" showIcon title={tr('errors', { n: result.errors, w: result.warnings })} data-testid="import-errors" />
          ) : result.counts.create + result.counts.update === 0 ? (
            <Alert type="info" showIcon title={tr('nothing')} />
          ) : (
            <Alert type="success" showIcon title={tr('noErrors')} />
          )}
          {canCommit && (
            <p>
              <Button type="primary" onClick={() => void run(false)} disabled={busy !== null} data-testid="import-commit">
                {busy === 'commit' ? tr('committing') : tr('commit')}
              </Button>
            </p>
          )}
        </section>
      )}

      {problems.length > 0 && (
        <section aria-labelledby="problems-h">
          <h2 id="problems-h" className="section-title">
            {tr('problems')} {(result?.problemsTruncated ?? false) && <span className="muted">{tr('truncated')}</span>}
          </h2>
          <Table<ImportProblem>
            size="small"
            data-testid="import-problems"
            rowKey={(p) => `${p.code}|${p.sheet}|${p.cell}|${p.row}|${p.message.en}`}
            dataSource={problems}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            rowClassName={(p) => (p.severity === 'error' ? 'import-row-error' : 'import-row-warning')}
            columns={[
              { title: tr('colSeverity'), dataIndex: 'severity', width: 90, render: (s: ImportProblem['severity']) => <span className={`import-badge import-badge-${s}`}>{severityLabel(s)}</span> },
              { title: tr('colSheet'), dataIndex: 'sheet', width: 140 },
              { title: tr('colCell'), dataIndex: 'cell', width: 70, render: (c: string | null) => (c ? <code>{c}</code> : '') },
              { title: tr('colValue'), dataIndex: 'value', width: 140 },
              { title: tr('colMessage'), key: 'message', render: (_: unknown, p) => pick(p.message) },
            ]}
          />
        </section>
      )}

      {result && result.rows.length > 0 && (
        <section aria-labelledby="rows-h">
          <h2 id="rows-h" className="section-title">
            {tr('rows')} {result.rowsTruncated && <span className="muted">{tr('truncated')}</span>}
          </h2>
          <Table<ImportRow>
            size="small"
            data-testid="import-rows"
            rowKey={(r) => `${r.sheet}|${r.row}`}
            dataSource={result.rows}
            pagination={{ pageSize: 100, hideOnSinglePage: true }}
            rowClassName={(r) => (r.action === 'error' ? 'import-row-error' : '')}
            columns={[
              { title: tr('colSheet'), dataIndex: 'sheet', width: 140 },
              { title: tr('colRow'), dataIndex: 'row', width: 70 },
              { title: tr('colUnit'), key: 'unit', render: (_: unknown, r) => (r.unitId ? <Link to={unitPath(r.unitId, r.reviewedOn)}>{r.unitName}</Link> : (r.unitName ?? '')) },
              { title: tr('colDate'), dataIndex: 'reviewedOn', width: 120, render: (d: string | null) => formatDate(d) },
              { title: tr('colAction'), dataIndex: 'action', width: 160, render: (a: ImportRow['action']) => actionLabel(a) },
              { title: tr('colValues'), dataIndex: 'values', width: 90 },
            ]}
          />
        </section>
      )}
    </div>
  );
}
