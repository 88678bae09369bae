/**
 * Tài khoản của tôi:
 *   /account/password — change the password (also the forced change at first sign-in or after a
 *                       reset); the rules come from the server, its message is shown as is.
 *   /account/mfa      — set up two-factor authentication: QR code (or the key typed by hand),
 *                       confirm a code, then the ten recovery codes, shown once.
 * Both changes need a recent sign-in or re-authentication: when the server asks for it, the
 * re-authentication dialog (ReauthDialog.tsx) asks for the password and code, then the call runs again.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Input } from 'antd';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/index.tsx';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { changePassword, mfaEnable, mfaSetup, useMe, useSessionMutation } from './api.ts';
import { fill, safeNext } from './util.ts';
import { useRequireSignIn } from './useRequireSignIn.ts';
import { useReauth } from './ReauthDialog.tsx';
import './auth.css';

const T = {
  pwTitle: { vi: 'Đổi mật khẩu', en: 'Change password' },
  pwForced: {
    vi: 'Bạn cần đặt mật khẩu mới trước khi tiếp tục (lần đăng nhập đầu, mật khẩu được đặt lại, hoặc đã quá hạn).',
    en: 'You need to set a new password before continuing (first sign-in, a reset, or the password is too old).',
  },
  pwRules: {
    vi: 'Nên dùng một cụm vài từ dễ nhớ, dài ít nhất 12 ký tự; không dùng mật khẩu phổ biến hay tên của mình.',
    en: 'Use a passphrase of a few words, at least 12 characters; no common passwords, not your name.',
  },
  current: { vi: 'Mật khẩu hiện tại', en: 'Current password' },
  next: { vi: 'Mật khẩu mới', en: 'New password' },
  repeat: { vi: 'Nhập lại mật khẩu mới', en: 'Repeat the new password' },
  mismatch: { vi: 'Hai lần nhập mật khẩu mới không khớp.', en: 'The two new passwords differ.' },
  save: { vi: 'Đổi mật khẩu', en: 'Change password' },
  saved: { vi: 'Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.', en: 'Password changed. Your other sessions were signed out.' },
  mfaTitle: { vi: 'Xác thực hai lớp', en: 'Two-factor authentication' },
  mfaRequired: { vi: 'Vai trò của bạn bắt buộc dùng xác thực hai lớp. Hãy cài đặt trước khi tiếp tục.', en: 'Your role requires two-factor authentication. Set it up before continuing.' },
  mfaOn: { vi: 'Xác thực hai lớp đang bật cho tài khoản này.', en: 'Two-factor authentication is on for this account.' },
  step1: { vi: '1. Quét mã QR bằng ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…)', en: '1. Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator…)' },
  qrAlt: { vi: 'Mã QR để thêm tài khoản vào ứng dụng xác thực', en: 'QR code to add the account to an authenticator app' },
  manual: { vi: 'Hoặc nhập khóa: {secret}', en: 'Or type the key: {secret}' },
  step2: { vi: '2. Nhập mã 6 chữ số ứng dụng hiển thị', en: '2. Enter the 6-digit code the app shows' },
  code: { vi: 'Mã xác thực', en: 'Verification code' },
  enable: { vi: 'Bật xác thực hai lớp', en: 'Turn on two-factor' },
  start: { vi: 'Bắt đầu cài đặt', en: 'Start the setup' },
  codesTitle: { vi: 'Mã khôi phục — chỉ hiện một lần', en: 'Recovery codes — shown once' },
  codesIntro: {
    vi: 'Lưu các mã này ở nơi an toàn (in ra giấy). Khi mất điện thoại, mỗi mã dùng được một lần để đăng nhập.',
    en: 'Keep these codes somewhere safe (print them). If you lose your phone, each code signs you in once.',
  },
  done: { vi: 'Tôi đã lưu mã, tiếp tục', en: 'I have saved them, continue' },
} as const;

function useText() {
  const { lang } = useT();
  return { lang, t: (k: keyof typeof T, p?: Record<string, string>) => fill(T[k][lang], p) };
}

function errorText(e: unknown, lang: 'vi' | 'en'): string {
  return e instanceof ApiError ? (lang === 'vi' ? e.messageVi : e.message) : String(e);
}

export function ChangePasswordPage() {
  const { lang, t } = useText();
  useDocumentTitle(t('pwTitle'));
  useRequireSignIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const change = useSessionMutation(changePassword);
  const reauth = useReauth();
  const forced = me.data?.mustChangePassword === true;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    if (next !== repeat) return setError(t('mismatch'));
    const input = { currentPassword: current, newPassword: next };
    change.mutate(
      input,
      {
        onSuccess: (s) => {
          setDone(true);
          setCurrent('');
          setNext('');
          setRepeat('');
          if (forced) navigate(s.mfaSetupRequired ? `/account/mfa?next=${encodeURIComponent(safeNext(params.get('next')))}` : safeNext(params.get('next')), { replace: true });
        },
        onError: (x) => {
          if (!reauth.guard(x, () => submit())) setError(errorText(x, lang));
        },
      },
    );
  };

  return (
    <section className="auth-page" aria-labelledby="pw-title" data-testid="change-password-page">
      <h1 id="pw-title">{t('pwTitle')}</h1>
      {forced && <Alert type="warning" showIcon title={t('pwForced')} className="auth-alert" />}
      {error && <Alert type="error" showIcon role="alert" title={error} className="auth-alert" />}
      {done && !forced && <Alert type="success" showIcon role="status" title={t('saved')} className="auth-alert" />}
      {reauth.dialog}
      <p>{t('pwRules')}</p>
      <form className="auth-form" onSubmit={submit} noValidate>
        <label htmlFor="pw-current">{t('current')}</label>
        <Input.Password id="pw-current" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        <label htmlFor="pw-new">{t('next')}</label>
        <Input.Password id="pw-new" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
        <label htmlFor="pw-repeat">{t('repeat')}</label>
        <Input.Password id="pw-repeat" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <Button type="primary" htmlType="submit" loading={change.isPending} disabled={!current || !next || !repeat}>
          {t('save')}
        </Button>
      </form>
    </section>
  );
}

export function MfaSetupPage() {
  const { lang, t } = useText();
  useDocumentTitle(t('mfaTitle'));
  useRequireSignIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const [setup, setSetup] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useSessionMutation(mfaSetup);
  const enable = useSessionMutation(mfaEnable);
  const reauth = useReauth();
  const required = me.data?.mfaSetupRequired === true;
  const already = me.data?.user?.mfaEnabled === true && !codes;

  const start = () => {
    setError(null);
    begin.mutate(undefined, {
      onSuccess: setSetup,
      onError: (x) => {
        if (!reauth.guard(x, start)) setError(errorText(x, lang));
      },
    });
  };

  // A required enrolment starts at once.
  useEffect(() => {
    if (required && !setup && !begin.isPending && !begin.isError) start();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [required, setup, begin]);

  const confirm = (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    enable.mutate(code, {
      onSuccess: (r) => setCodes(r.recoveryCodes),
      onError: (x) => {
        if (!reauth.guard(x, () => confirm())) setError(errorText(x, lang));
      },
    });
  };

  return (
    <section className="auth-page" aria-labelledby="mfa-title" data-testid="mfa-setup-page">
      <h1 id="mfa-title">{t('mfaTitle')}</h1>
      {required && !codes && <Alert type="warning" showIcon title={t('mfaRequired')} className="auth-alert" />}
      {error && <Alert type="error" showIcon role="alert" title={error} className="auth-alert" />}
      {already && <p>{t('mfaOn')}</p>}
      {reauth.dialog}
      {codes ? (
        <div data-testid="recovery-codes">
          <h2>{t('codesTitle')}</h2>
          <p>{t('codesIntro')}</p>
          <ul className="auth-codes">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <Button type="primary" onClick={() => navigate(safeNext(params.get('next')), { replace: true })}>
            {t('done')}
          </Button>
        </div>
      ) : setup ? (
        <form className="auth-form" onSubmit={confirm} noValidate>
          <p>{t('step1')}</p>
          <img className="auth-qr" src={setup.qrDataUrl} alt={t('qrAlt')} width={240} height={240} />
          <p>
            {t('manual', { secret: '' })}
            <code data-testid="mfa-secret">{setup.secret}</code>
          </p>
          <label htmlFor="mfa-confirm">{t('step2')}</label>
          <Input id="mfa-confirm" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
          <Button type="primary" htmlType="submit" loading={enable.isPending} disabled={code.length < 6}>
            {t('enable')}
          </Button>
        </form>
      ) : (
        !already && (
          <Button type="primary" loading={begin.isPending} onClick={start}>
            {t('start')}
          </Button>
        )
      )}
    </section>
  );
}
