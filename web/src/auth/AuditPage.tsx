/**
 * Nhật ký thay đổi — read only: who changed what, when, from where (web, API, command line,
 * import; IP address), the value before and after. Filters: unit (and the units under it),
 * user, entity, dates. Province offices and committee members see the units they were granted;
 * the audit-log reviewer sees everything and can check the hash chain.
 */
import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Table, Tag } from 'antd';
import { ApiError, apiGet } from '../api/client.ts';
import { useT } from '../i18n/index.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { authKeys, fetchAudit, useMe, type AuditFilter, type AuditRecord } from './api.ts';
import { fill } from './util.ts';
import { useRequireSignIn } from './useRequireSignIn.ts';
import './auth.css';

const T = {
  title: { vi: 'Nhật ký thay đổi', en: 'Audit trail' },
  intro: {
    vi: 'Mọi thay đổi số liệu và tài khoản: ai, khi nào, từ đâu, giá trị trước và sau. Nhật ký chỉ được ghi thêm, không sửa, không xóa (trừ khi hết thời hạn lưu).',
    en: 'Every change to data and accounts: who, when, from where, the value before and after. The trail is append-only: never edited or deleted (except past its retention period).',
  },
  unit: { vi: 'Đơn vị (mã@danh mục)', en: 'Unit (code@list)' },
  actor: { vi: 'Người thực hiện', en: 'User' },
  entity: { vi: 'Đối tượng', en: 'Entity' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  apply: { vi: 'Lọc', en: 'Filter' },
  needUnit: { vi: 'Nhập mã đơn vị được phân quyền để xem nhật ký của đơn vị đó.', en: 'Enter a unit you were granted to see its trail.' },
  more: { vi: 'Xem thêm', en: 'Load more' },
  colAt: { vi: 'Thời điểm', en: 'Time' },
  colWho: { vi: 'Ai / từ đâu', en: 'Who / from where' },
  colWhat: { vi: 'Hành động', en: 'Action' },
  colBefore: { vi: 'Trước', en: 'Before' },
  colAfter: { vi: 'Sau', en: 'After' },
  verify: { vi: 'Kiểm tra chuỗi băm', en: 'Verify the hash chain' },
  intact: { vi: 'Chuỗi băm nguyên vẹn: {n} dòng.', en: 'Hash chain intact: {n} rows.' },
  broken: { vi: 'Chuỗi băm bị phá vỡ ở {n} chỗ (dòng {ids}).', en: 'Hash chain broken in {n} places (rows {ids}).' },
  source: { vi: 'nguồn', en: 'source' },
} as const;

const SOURCES: Record<string, { vi: string; en: string }> = {
  web: { vi: 'web', en: 'web' },
  api: { vi: 'API', en: 'API' },
  cli: { vi: 'dòng lệnh', en: 'command line' },
  import: { vi: 'nhập tệp', en: 'import' },
  system: { vi: 'hệ thống', en: 'system' },
};

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span aria-label="—">—</span>;
  return <pre className="audit-json">{JSON.stringify(value, null, 1).slice(0, 2000)}</pre>;
}

export default function AuditPage() {
  const { lang, pick } = useT();
  const t = (k: keyof typeof T, p?: Record<string, string | number>) => fill(T[k][lang], p);
  useDocumentTitle(t('title'));
  useRequireSignIn();
  const me = useMe();
  const grants = me.data?.user?.grants ?? [];
  const nationwide = grants.some((g) => g.role === 'auditor' && g.unitId === null);
  const firstUnit = grants.find((g) => ['province_office', 'committee_member', 'auditor'].includes(g.role) && g.unitId)?.unitId ?? '';
  const [draft, setDraft] = useState<AuditFilter>({ unitId: firstUnit });
  const [filter, setFilter] = useState<AuditFilter | null>(null);
  const active = filter ?? (nationwide || firstUnit ? { unitId: firstUnit || undefined } : null);
  const clean = (f: AuditFilter): AuditFilter => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as AuditFilter;

  const q = useInfiniteQuery({
    queryKey: authKeys.audit(active ?? {}),
    queryFn: ({ pageParam, signal }) => fetchAudit(clean(active ?? {}), pageParam, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBeforeSeq ?? undefined,
    enabled: active !== null && (nationwide || !!active.unitId),
  });
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: ({ signal }) => apiGet<{ ok: boolean; checked: number; problems: Array<{ id: number | null }> }>('/audit/verify', undefined, signal),
    enabled: false,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const error = q.error instanceof ApiError ? (lang === 'vi' ? q.error.messageVi : q.error.message) : null;

  return (
    <section className="auth-page wide" aria-labelledby="audit-title" data-testid="audit-page">
      <h1 id="audit-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(clean(draft));
        }}
      >
        <label>
          {t('unit')}
          <Input value={draft.unitId ?? ''} onChange={(e) => setDraft({ ...draft, unitId: e.target.value.trim() })} placeholder="13510@2025-03" maxLength={40} />
        </label>
        <label>
          {t('actor')}
          <Input value={draft.actor ?? ''} onChange={(e) => setDraft({ ...draft, actor: e.target.value.trim() })} maxLength={120} />
        </label>
        <label>
          {t('entity')}
          <Input value={draft.entity ?? ''} onChange={(e) => setDraft({ ...draft, entity: e.target.value.trim() })} placeholder="review" maxLength={60} />
        </label>
        <label>
          {t('from')}
          <DateInput allowEmpty value={draft.from ?? null} onChange={(v) => setDraft({ ...draft, from: v ?? undefined })} />
        </label>
        <label>
          {t('to')}
          <DateInput allowEmpty value={draft.to ?? null} onChange={(v) => setDraft({ ...draft, to: v ?? undefined })} />
        </label>
        <Button type="primary" htmlType="submit">
          {t('apply')}
        </Button>
        {nationwide && (
          <Button onClick={() => void verify.refetch()} loading={verify.isFetching}>
            {t('verify')}
          </Button>
        )}
      </form>
      {verify.data && (
        <Alert
          type={verify.data.ok ? 'success' : 'error'}
          showIcon
          role="status"
          title={verify.data.ok ? t('intact', { n: verify.data.checked }) : t('broken', { n: verify.data.problems.length, ids: verify.data.problems.map((p) => p.id ?? '-').slice(0, 10).join(', ') })}
          className="auth-alert"
        />
      )}
      {!nationwide && !active?.unitId && <Alert type="info" showIcon title={t('needUnit')} className="auth-alert" />}
      {error && <Alert type="error" showIcon role="alert" title={error} className="auth-alert" />}
      <Table
        rowKey="id"
        size="small"
        loading={q.isFetching && !q.isFetchingNextPage}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('colAt'), key: 'at', render: (_: unknown, r: AuditRecord) => <time dateTime={r.at}>{new Date(r.at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</time> },
          {
            title: t('colWho'),
            key: 'who',
            render: (_: unknown, r: AuditRecord) => (
              <>
                <strong>{r.actor}</strong>
                <br />
                <Tag>{SOURCES[r.source] ? pick(SOURCES[r.source]!) : r.source}</Tag>
                {r.ip && <code>{r.ip}</code>}
              </>
            ),
          },
          {
            title: t('colWhat'),
            key: 'what',
            render: (_: unknown, r: AuditRecord) => (
              <>
                <code>{r.action}</code>
                <br />
                {r.entity} {r.entityId}
                {r.unitId && <><br /><small>{r.unitId}</small></>}
              </>
            ),
          },
          { title: t('colBefore'), key: 'b', render: (_: unknown, r: AuditRecord) => <Json value={r.before} /> },
          { title: t('colAfter'), key: 'a', render: (_: unknown, r: AuditRecord) => <Json value={r.after} /> },
        ]}
      />
      {q.hasNextPage && (
        <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ marginTop: '1rem' }}>
          {t('more')}
        </Button>
      )}
    </section>
  );
}
