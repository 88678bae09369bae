/**
 * The header's account corner: "Đăng nhập" for anonymous visitors; the signed-in person's name
 * with a menu (change password, two-factor, administration and the audit trail when their roles
 * allow, sign out). It also keeps the session's rules in the browser: a 401 anywhere sends to the
 * sign-in page and back (`?next=`), a forced password change or a required MFA enrolment is shown
 * before anything else.
 */
import { useEffect } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Button, Dropdown } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '../i18n/index.tsx';
import { authKeys, logout, useMe, useSessionMutation } from './api.ts';
import { UNAUTHENTICATED_EVENT } from '../api/client.ts';
import './auth.css';

const T = {
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  account: { vi: 'Tài khoản', en: 'Account' },
  password: { vi: 'Đổi mật khẩu', en: 'Change password' },
  mfa: { vi: 'Xác thực hai lớp', en: 'Two-factor authentication' },
  admin: { vi: 'Quản trị tài khoản', en: 'Accounts and roles' },
  audit: { vi: 'Nhật ký thay đổi', en: 'Audit trail' },
  country: { vi: 'Cả nước', en: 'Whole country' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
} as const;

const OPEN_PATHS = ['/login', '/account/password', '/account/mfa'];

export function UserMenu() {
  const { lang } = useT();
  const t = (k: keyof typeof T) => T[k][lang];
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const out = useSessionMutation(logout);
  const here = `${location.pathname}${location.search}`;

  // Any call answered 401 (session ended, idle timeout): sign in, then come back here.
  useEffect(() => {
    const onUnauthenticated = () => {
      void qc.invalidateQueries({ queryKey: authKeys.me });
      if (!location.pathname.startsWith('/login')) navigate(`/login?next=${encodeURIComponent(here)}`);
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
  }, [qc, navigate, location.pathname, here]);

  // What must happen before anything else.
  const s = me.data;
  useEffect(() => {
    if (!s?.authenticated || OPEN_PATHS.some((p) => location.pathname.startsWith(p))) return;
    if (s.stage === 'mfa') navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    else if (s.mustChangePassword) navigate(`/account/password?next=${encodeURIComponent(here)}`, { replace: true });
    else if (s.mfaSetupRequired) navigate(`/account/mfa?next=${encodeURIComponent(here)}`, { replace: true });
  }, [s, location.pathname, navigate, here]);

  if (!s) return <div className="user-menu" />;
  if (!s.authenticated || s.stage !== 'active' || !s.user) {
    if (location.pathname.startsWith('/login')) return <div className="user-menu" />;
    return (
      <div className="user-menu">
        <Link to={`/login?next=${encodeURIComponent(here)}`} className="ant-btn ant-btn-default" data-testid="sign-in-link">
          {t('signIn')}
        </Link>
      </div>
    );
  }
  const roles = new Set(s.user.grants.map((g) => g.role));
  const items = [
    { key: 'password', label: <Link to="/account/password">{t('password')}</Link> },
    { key: 'mfa', label: <Link to="/account/mfa">{t('mfa')}</Link> },
    ...(roles.has('national_office') || roles.has('admin') ? [{ key: 'country', label: <Link to="/ca-nuoc">{t('country')}</Link> }] : []),
    ...(roles.has('admin') ? [{ key: 'admin', label: <Link to="/admin">{t('admin')}</Link> }] : []),
    ...((['auditor', 'national_office', 'province_office', 'committee_member'] as const).some((r) => roles.has(r)) ? [{ key: 'audit', label: <Link to="/audit">{t('audit')}</Link> }] : []),
    { type: 'divider' as const },
    {
      key: 'logout',
      label: t('signOut'),
      onClick: () => out.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) }),
    },
  ];
  return (
    <div className="user-menu" data-testid="user-menu">
      <Dropdown menu={{ items }} trigger={['click']}>
        <Button aria-label={`${t('account')}: ${s.user.displayName}`}>
          <span className="user-name">{s.user.displayName}</span>
        </Button>
      </Dropdown>
    </div>
  );
}
