/**
 * Quản trị tài khoản (administrators): the accounts with their roles on units, their state
 * (locked, disabled, must change password, MFA), and the actions — create (a one-time password
 * shown once), grant or revoke a role on a unit for a period, reset the password, unlock, disable
 * or enable, reset two-factor; and the API tokens for machine clients (shown once, revocable).
 * The audit-log reviewer role is not granted here: only the server command line can.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/index.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { formatDate } from '../format.ts';
import { adminApi, useAdminMutation, useMe, usePolicy, useTokens, useUsers, type UserSummary } from './api.ts';
import { fill } from './util.ts';
import { useRequireSignIn } from './useRequireSignIn.ts';
import { UnitPicker, type PickedUnit } from './UnitPicker.tsx';
import './auth.css';

const T = {
  title: { vi: 'Quản trị tài khoản và phân quyền', en: 'Accounts and roles' },
  notAdmin: { vi: 'Trang này dành cho quản trị viên hệ thống.', en: 'This page is for system administrators.' },
  users: { vi: 'Tài khoản', en: 'Accounts' },
  newUser: { vi: 'Tạo tài khoản', en: 'New account' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  displayName: { vi: 'Họ tên', en: 'Name' },
  role: { vi: 'Vai trò', en: 'Role' },
  unit: { vi: 'Đơn vị (tìm theo tên, bỏ trống = toàn quốc)', en: 'Unit (search by name, empty = whole country)' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  create: { vi: 'Tạo tài khoản', en: 'Create account' },
  createToken: { vi: 'Tạo khóa API', en: 'Create token' },
  oneTime: { vi: 'Mật khẩu dùng một lần của {user} (chỉ hiện lúc này; phải đổi khi đăng nhập): {password}', en: 'One-time password of {user} (shown only now; must be changed at sign-in): {password}' },
  colUser: { vi: 'Tài khoản', en: 'Account' },
  colRoles: { vi: 'Vai trò trên đơn vị', en: 'Roles on units' },
  colState: { vi: 'Trạng thái', en: 'State' },
  colLast: { vi: 'Đăng nhập gần nhất', en: 'Last sign-in' },
  colActions: { vi: 'Thao tác', en: 'Actions' },
  locked: { vi: 'bị khóa', en: 'locked' },
  disabled: { vi: 'vô hiệu hóa', en: 'disabled' },
  mustChange: { vi: 'phải đổi mật khẩu', en: 'must change password' },
  mfaOn: { vi: 'xác thực hai lớp', en: 'two-factor' },
  demo: { vi: 'minh họa', en: 'demo' },
  never: { vi: 'chưa', en: 'never' },
  everywhere: { vi: 'toàn quốc', en: 'everywhere' },
  grant: { vi: 'Cấp vai trò', en: 'Grant' },
  revoke: { vi: 'Thu hồi', en: 'Revoke' },
  reset: { vi: 'Đặt lại mật khẩu', en: 'Reset password' },
  unlock: { vi: 'Mở khóa', en: 'Unlock' },
  disable: { vi: 'Vô hiệu hóa', en: 'Disable' },
  enable: { vi: 'Kích hoạt', en: 'Enable' },
  resetMfa: { vi: 'Tắt xác thực hai lớp', en: 'Reset two-factor' },
  sure: { vi: 'Chắc chắn?', en: 'Are you sure?' },
  tokens: { vi: 'Khóa API (cho máy: CSDL quốc gia, kịch bản)', en: 'API tokens (machines: national database, scripts)' },
  tokenName: { vi: 'Tên khóa', en: 'Token name' },
  tokenActions: { vi: 'Quyền', en: 'Actions' },
  tokenUnits: { vi: 'Đơn vị (tìm theo tên, chọn một hoặc nhiều; bỏ trống = mọi đơn vị)', en: 'Units (search by name, one or more; empty = all)' },
  tokenShown: { vi: 'Khóa API "{name}" (chỉ hiện một lần, hãy lưu ngay): {token}', en: 'API token "{name}" (shown once, store it now): {token}' },
  colLastUse: { vi: 'Dùng gần nhất', en: 'Last used' },
  active: { vi: 'còn hiệu lực', en: 'active' },
  revoked: { vi: 'đã thu hồi', en: 'revoked' },
} as const;

export default function AdminPage() {
  const { lang, pick } = useT();
  const t = (k: keyof typeof T, p?: Record<string, string>) => fill(T[k][lang], p);
  useDocumentTitle(t('title'));
  useRequireSignIn();
  const me = useMe();
  const isAdmin = !!me.data?.user?.grants.some((g) => g.role === 'admin');
  const users = useUsers(isAdmin);
  const tokens = useTokens(isAdmin);
  const policy = usePolicy();
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'info'; text: string } | null>(null);
  const run = useAdminMutation(async (f: () => Promise<unknown>) => f());
  const act = (f: () => Promise<unknown>, done?: (r: unknown) => void) =>
    run.mutate(f, {
      onSuccess: (r) => (done ? done(r) : setNotice(null)),
      onError: (e) => setNotice({ type: 'error', text: e instanceof ApiError ? (lang === 'vi' ? e.messageVi : e.message) : String(e) }),
    });

  const roleLabel = (r: string) => {
    const p = policy.data?.roles.find((x) => x.role === r);
    return p ? pick(p.label) : r;
  };
  const grantableRoles = (policy.data?.roles ?? []).filter((r) => r.role !== 'auditor').map((r) => ({ value: r.role, label: pick(r.label) }));
  const tokenActions = (policy.data?.actions ?? []).filter((a) => a.tokens && a.action !== 'public' && a.action !== 'health.read').map((a) => ({ value: a.action, label: `${a.action} — ${pick(a.label)}` }));

  // New account form.
  const [nu, setNu] = useState<{ username: string; displayName: string; role: string; unit: PickedUnit | null }>({ username: '', displayName: '', role: 'commune_officer', unit: null });
  const createUser = (e: FormEvent) => {
    e.preventDefault();
    act(
      () => adminApi.createUser({ username: nu.username, displayName: nu.displayName, grants: [{ role: nu.role, unitId: nu.unit?.value ?? null, validFrom: null, validTo: null }] }),
      (r) => {
        const res = r as { user: UserSummary; initialPassword: string | null };
        setNotice({ type: 'info', text: t('oneTime', { user: res.user.username, password: res.initialPassword ?? '' }) });
        setNu({ username: '', displayName: '', role: nu.role, unit: null });
      },
    );
  };
  // Grant form (per account, one open at a time).
  const [grantFor, setGrantFor] = useState<number | null>(null);
  const [ng, setNg] = useState<{ role: string; unit: PickedUnit | null; validFrom: string; validTo: string }>({ role: 'viewer', unit: null, validFrom: '', validTo: '' });
  // Token form.
  const [nt, setNt] = useState<{ name: string; actions: string[]; units: PickedUnit[] }>({ name: '', actions: ['feed.read'], units: [] });

  if (me.data && !isAdmin) {
    return (
      <section className="auth-page">
        <h1>{t('title')}</h1>
        <Alert type="warning" showIcon title={t('notAdmin')} />
      </section>
    );
  }

  return (
    <section className="auth-page wide" aria-labelledby="admin-title" data-testid="admin-page">
      <h1 id="admin-title">{t('title')}</h1>
      {notice && <Alert type={notice.type} showIcon role={notice.type === 'error' ? 'alert' : 'status'} title={<span data-testid="admin-notice">{notice.text}</span>} closable onClose={() => setNotice(null)} className="auth-alert" />}

      <h2>{t('newUser')}</h2>
      <form className="audit-filters" onSubmit={createUser}>
        <label>
          {t('username')}
          <Input value={nu.username} onChange={(e) => setNu({ ...nu, username: e.target.value })} maxLength={50} />
        </label>
        <label>
          {t('displayName')}
          <Input value={nu.displayName} onChange={(e) => setNu({ ...nu, displayName: e.target.value })} maxLength={200} />
        </label>
        <label>
          {t('role')}
          <Select style={{ width: 220, maxWidth: '100%' }} value={nu.role} options={grantableRoles} onChange={(v) => setNu({ ...nu, role: v })} aria-label={t('role')} />
        </label>
        <label>
          {t('unit')}
          <UnitPicker value={nu.unit} onChange={(unit) => setNu({ ...nu, unit })} ariaLabel={t('unit')} />
        </label>
        <Button type="primary" htmlType="submit" disabled={!nu.username || !nu.displayName} loading={run.isPending}>
          {t('create')}
        </Button>
      </form>

      <h2>{t('users')}</h2>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('colUser'), key: 'u', render: (_: unknown, u: UserSummary) => (<><strong>{u.displayName}</strong><br /><code>{u.username}</code></>) },
          {
            title: t('colRoles'),
            key: 'g',
            render: (_: unknown, u: UserSummary) => (
              <Space orientation="vertical" size={2}>
                {u.grants.map((g) => (
                  <span key={g.id}>
                    {roleLabel(g.role)} — {g.unitId ?? t('everywhere')}
                    {(g.validFrom || g.validTo) && ` (${g.validFrom ? formatDate(g.validFrom) : '…'} – ${g.validTo ? formatDate(g.validTo) : '…'})`}{' '}
                    {g.role !== 'auditor' && (
                      <Popconfirm title={t('sure')} onConfirm={() => act(() => adminApi.revoke(u.id, g.id!))}>
                        <Button size="small" type="link">{t('revoke')}</Button>
                      </Popconfirm>
                    )}
                  </span>
                ))}
                {grantFor === u.id ? (
                  <Space wrap>
                    <Select size="small" style={{ minWidth: 200 }} value={ng.role} options={grantableRoles} onChange={(v) => setNg({ ...ng, role: v })} aria-label={t('role')} />
                    <UnitPicker size="small" width={260} ariaLabel={t('unit')} value={ng.unit} onChange={(unit) => setNg({ ...ng, unit })} />
                    <Input size="small" style={{ width: 120 }} placeholder="YYYY-MM-DD" aria-label={t('from')} value={ng.validFrom} onChange={(e) => setNg({ ...ng, validFrom: e.target.value })} />
                    <Input size="small" style={{ width: 120 }} placeholder="YYYY-MM-DD" aria-label={t('to')} value={ng.validTo} onChange={(e) => setNg({ ...ng, validTo: e.target.value })} />
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => act(() => adminApi.grant(u.id, { role: ng.role, unitId: ng.unit?.value ?? null, validFrom: ng.validFrom || null, validTo: ng.validTo || null }), () => setGrantFor(null))}
                    >
                      {t('grant')}
                    </Button>
                  </Space>
                ) : (
                  <Button size="small" onClick={() => setGrantFor(u.id)}>{t('grant')}</Button>
                )}
              </Space>
            ),
          },
          {
            title: t('colState'),
            key: 's',
            render: (_: unknown, u: UserSummary) => (
              <>
                {u.status === 'disabled' && <Tag color="red">{t('disabled')}{u.disabledReason ? ` (${u.disabledReason})` : ''}</Tag>}
                {u.locked && <Tag color="orange">{t('locked')}</Tag>}
                {u.mustChangePassword && <Tag>{t('mustChange')}</Tag>}
                {u.mfaEnabled && <Tag color="green">{t('mfaOn')}</Tag>}
                {u.isDemo && <Tag>{t('demo')}</Tag>}
              </>
            ),
          },
          { title: t('colLast'), key: 'l', render: (_: unknown, u: UserSummary) => (u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : t('never')) },
          {
            title: t('colActions'),
            key: 'a',
            render: (_: unknown, u: UserSummary) => (
              <Space wrap size={4}>
                <Popconfirm title={t('sure')} onConfirm={() => act(() => adminApi.resetPassword(u.id), (r) => setNotice({ type: 'info', text: t('oneTime', { user: u.username, password: (r as { temporaryPassword: string }).temporaryPassword }) }))}>
                  <Button size="small">{t('reset')}</Button>
                </Popconfirm>
                {u.locked && <Button size="small" onClick={() => act(() => adminApi.unlock(u.id))}>{t('unlock')}</Button>}
                {u.status === 'active' ? (
                  <Popconfirm title={t('sure')} onConfirm={() => act(() => adminApi.disable(u.id))}>
                    <Button size="small" danger>{t('disable')}</Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => act(() => adminApi.enable(u.id))}>{t('enable')}</Button>
                )}
                {u.mfaEnabled && (
                  <Popconfirm title={t('sure')} onConfirm={() => act(() => adminApi.resetMfa(u.id))}>
                    <Button size="small">{t('resetMfa')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />

      <h2>{t('tokens')}</h2>
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          act(
            () => adminApi.createToken({ name: nt.name, actions: nt.actions, unitIds: nt.units.map((u) => u.value) }),
            (r) => {
              const tok = r as { name: string; token: string };
              setNotice({ type: 'info', text: t('tokenShown', { name: tok.name, token: tok.token }) });
              setNt({ name: '', actions: nt.actions, units: [] });
            },
          );
        }}
      >
        <label>
          {t('tokenName')}
          <Input value={nt.name} onChange={(e) => setNt({ ...nt, name: e.target.value })} maxLength={50} placeholder="csdl-quoc-gia" />
        </label>
        <label>
          {t('tokenActions')}
          <Select mode="multiple" style={{ width: 320, maxWidth: '100%' }} value={nt.actions} options={tokenActions} onChange={(v) => setNt({ ...nt, actions: v })} aria-label={t('tokenActions')} />
        </label>
        <label>
          {t('tokenUnits')}
          <UnitPicker multiple value={nt.units} onChange={(units) => setNt({ ...nt, units })} ariaLabel={t('tokenUnits')} />
        </label>
        <Button type="primary" htmlType="submit" disabled={!nt.name || nt.actions.length === 0}>
          {t('createToken')}
        </Button>
      </form>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: 'max-content' }}
        loading={tokens.isPending}
        dataSource={tokens.data ?? []}
        pagination={false}
        columns={[
          { title: t('tokenName'), key: 'n', render: (_: unknown, k) => (<><strong>{k.name}</strong> <code>{k.prefix}…</code></>) },
          { title: t('tokenActions'), key: 'a', render: (_: unknown, k) => k.actions.join(', ') },
          { title: t('unit'), key: 'u', render: (_: unknown, k) => k.unitIds?.join(', ') ?? t('everywhere') },
          { title: t('colLastUse'), key: 'l', render: (_: unknown, k) => (k.lastUsedAt ? `${new Date(k.lastUsedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')} (${k.lastUsedIp ?? ''})` : t('never')) },
          { title: t('colState'), key: 's', render: (_: unknown, k) => (k.active ? <Tag color="green">{t('active')}</Tag> : <Tag>{t('revoked')}</Tag>) },
          {
            title: t('colActions'),
            key: 'x',
            render: (_: unknown, k) =>
              k.active && (
                <Popconfirm title={t('sure')} onConfirm={() => act(() => adminApi.revokeToken(k.id))}>
                  <Button size="small" danger>{t('revoke')}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </section>
  );
}
