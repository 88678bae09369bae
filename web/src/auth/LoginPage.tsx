/**
 * Đăng nhập — username and password, then (when the account has it) the two-factor code or a
 * recovery code. The server's own message is shown as is, in the current language: wrong
 * credentials (the same answer while an account waits out a delay), too many attempts from this
 * address or too many wrong codes (with the seconds to wait). On a demo
 * database — and only there — the demo accounts are listed with their shared password.
 * After sign-in: the forced password change or the MFA enrolment if due, else back to `?next=`.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Input, Table } from 'antd';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/index.tsx';
import { login, useMe, useSessionMutation, verifyMfa, type SessionInfo } from './api.ts';
import { fill, safeNext } from './util.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import './auth.css';

const T = {
  title: { vi: 'Đăng nhập', en: 'Sign in' },
  intro: { vi: 'Đăng nhập bằng tài khoản do quản trị viên cấp.', en: 'Sign in with the account your administrator gave you.' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  submit: { vi: 'Đăng nhập', en: 'Sign in' },
  busy: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  mfaTitle: { vi: 'Xác thực hai lớp', en: 'Two-factor authentication' },
  mfaIntro: { vi: 'Nhập mã 6 chữ số trong ứng dụng xác thực trên điện thoại.', en: 'Enter the 6-digit code from the authenticator app on your phone.' },
  code: { vi: 'Mã xác thực', en: 'Verification code' },
  verify: { vi: 'Xác nhận', en: 'Verify' },
  useRecovery: { vi: 'Dùng mã khôi phục', en: 'Use a recovery code' },
  useCode: { vi: 'Dùng mã từ ứng dụng', en: 'Use a code from the app' },
  recovery: { vi: 'Mã khôi phục', en: 'Recovery code' },
  recoveryHint: { vi: 'Mỗi mã khôi phục chỉ dùng được một lần.', en: 'Each recovery code works once.' },
  demoTitle: { vi: 'Tài khoản minh họa (chỉ trên dữ liệu minh họa)', en: 'Demo accounts (demo data only)' },
  demoPassword: { vi: 'Mật khẩu chung: {password}. Các tài khoản này không bắt đổi mật khẩu hay bật xác thực hai lớp — chỉ vì đây là dữ liệu minh họa.', en: 'Shared password: {password}. These accounts are not asked to change the password or set up two-factor — only because this is demo data.' },
  demoUse: { vi: 'Dùng', en: 'Use' },
  already: { vi: 'Bạn đang đăng nhập với tên {name}.', en: 'You are signed in as {name}.' },
  continue: { vi: 'Tiếp tục', en: 'Continue' },
  colUser: { vi: 'Tài khoản', en: 'Account' },
  colWhat: { vi: 'Vai trò', en: 'Role' },
} as const;

export default function LoginPage() {
  const { lang, pick } = useT();
  const t = (k: keyof typeof T, p?: Record<string, string>) => fill(T[k][lang], p);
  useDocumentTitle(t('title'));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const me = useMe();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryMode, setRecoveryMode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signIn = useSessionMutation(login);
  const second = useSessionMutation(verifyMfa);

  const errorText = (e: unknown) => (e instanceof ApiError ? (lang === 'vi' ? e.messageVi : e.message) : String(e));

  const after = (s: SessionInfo) => {
    if (s.stage === 'mfa') return;
    if (s.mustChangePassword) navigate(`/account/password?next=${encodeURIComponent(next)}`, { replace: true });
    else if (s.mfaSetupRequired) navigate(`/account/mfa?next=${encodeURIComponent(next)}`, { replace: true });
    else navigate(next, { replace: true });
  };

  const onLogin = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    signIn.mutate({ username, password }, { onSuccess: after, onError: (x) => setError(errorText(x)) });
  };
  const onVerify = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    second.mutate(recoveryMode ? { recoveryCode: code } : { code }, { onSuccess: after, onError: (x) => setError(errorText(x)) });
  };

  const session = me.data;
  const waitingForCode = session?.authenticated && session.stage === 'mfa';

  return (
    <section className="auth-page" aria-labelledby="auth-title" data-testid="login-page">
      <h1 id="auth-title">{waitingForCode ? t('mfaTitle') : t('title')}</h1>
      {error && (
        <Alert type="error" showIcon role="alert" title={error} className="auth-alert" data-testid="login-error" />
      )}
      {session?.authenticated && session.stage === 'active' && (
        <p className="auth-note">
          {t('already', { name: session.user?.displayName ?? '' })} <Button onClick={() => after(session)}>{t('continue')}</Button>
        </p>
      )}
      {waitingForCode ? (
        <form onSubmit={onVerify} className="auth-form" noValidate>
          <p>{recoveryMode ? t('recoveryHint') : t('mfaIntro')}</p>
          <label htmlFor="mfa-code">{recoveryMode ? t('recovery') : t('code')}</label>
          <Input
            id="mfa-code"
            autoFocus
            autoComplete="one-time-code"
            inputMode={recoveryMode ? 'text' : 'numeric'}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            maxLength={recoveryMode ? 40 : 6}
          />
          <Button type="primary" htmlType="submit" loading={second.isPending} disabled={!code}>
            {t('verify')}
          </Button>
          <Button type="link" onClick={() => (setRecoveryMode(!recoveryMode), setCode(''))}>
            {recoveryMode ? t('useCode') : t('useRecovery')}
          </Button>
        </form>
      ) : (
        <form onSubmit={onLogin} className="auth-form" noValidate>
          <p>{t('intro')}</p>
          <label htmlFor="login-username">{t('username')}</label>
          <Input id="login-username" autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={100} />
          <label htmlFor="login-password">{t('password')}</label>
          <Input.Password id="login-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={256} />
          <Button type="primary" htmlType="submit" loading={signIn.isPending} disabled={!username || !password}>
            {signIn.isPending ? t('busy') : t('submit')}
          </Button>
        </form>
      )}
      {!waitingForCode && session?.demo && session.demoAccounts && session.demoAccounts.length > 0 && (
        <section className="auth-demo" aria-labelledby="demo-accounts" data-testid="demo-accounts">
          <h2 id="demo-accounts">{t('demoTitle')}</h2>
          <p>{t('demoPassword', { password: session.demoAccounts[0]!.password })}</p>
          <Table
            size="small"
            pagination={false}
            rowKey="username"
            dataSource={session.demoAccounts}
            columns={[
              { title: t('colUser'), dataIndex: 'username', render: (u: string) => <code>{u}</code> },
              { title: t('colWhat'), key: 'd', render: (_: unknown, a) => pick(a.description) },
              {
                title: '',
                key: 'use',
                render: (_: unknown, a) => (
                  <Button size="small" onClick={() => (setUsername(a.username), setPassword(a.password))}>
                    {t('demoUse')} <span className="sr-only">{a.username}</span>
                  </Button>
                ),
              },
            ]}
          />
        </section>
      )}
    </section>
  );
}
