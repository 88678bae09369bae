/**
 * Xác nhận lại danh tính — the server refuses a new second factor, new recovery codes, a new password
 * and signing out other sessions (`reauthentication_required`) unless this session proved the
 * password (and the two-factor code) in the last few minutes. `useReauth` catches that answer, asks
 * for the password and a code (or a recovery code) in a dialog, calls `POST /auth/reauth`, then runs
 * the refused call again. A sign-in counts, so right after signing in nothing is asked.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Button, Input, Modal } from 'antd';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/index.tsx';
import { reauthenticate, useMe } from './api.ts';
import { fill } from './util.ts';

const T = {
  title: { vi: 'Xác nhận lại danh tính', en: 'Confirm it is you' },
  intro: {
    vi: 'Thao tác này thay đổi cách bảo vệ tài khoản. Hãy nhập lại mật khẩu{code} — có hiệu lực vài phút.',
    en: 'This change affects how your account is protected. Enter your password again{code} — valid for a few minutes.',
  },
  withCode: { vi: ' và mã xác thực hai lớp', en: ' and your two-factor code' },
  password: { vi: 'Mật khẩu hiện tại', en: 'Current password' },
  code: { vi: 'Mã xác thực (6 chữ số)', en: 'Verification code (6 digits)' },
  recovery: { vi: 'Mã khôi phục', en: 'Recovery code' },
  useRecovery: { vi: 'Dùng mã khôi phục', en: 'Use a recovery code' },
  useCode: { vi: 'Dùng mã từ ứng dụng', en: 'Use a code from the app' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
} as const;

/** Whether an API error asks for a re-authentication. */
export function needsReauth(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'reauthentication_required';
}

function ReauthDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { lang } = useT();
  const t = (k: keyof typeof T, p?: Record<string, string>) => fill(T[k][lang], p);
  const me = useMe();
  const mfa = me.data?.user?.mfaEnabled === true && me.data?.demo !== true;
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryMode, setRecoveryMode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await reauthenticate({ password, ...(mfa && code ? (recoveryMode ? { recoveryCode: code } : { code: code.replace(/\s/g, '') }) : {}) });
      onDone();
    } catch (x) {
      setError(x instanceof ApiError ? (lang === 'vi' ? x.messageVi : x.message) : String(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('title')}
      okText={t('confirm')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !password || (mfa && !code), ...({ 'data-testid': 'reauth-confirm' } as object) }}
      onOk={() => void submit()}
      onCancel={onCancel}
    >
      <form className="auth-form" data-testid="reauth-dialog" onSubmit={(e) => void submit(e)} noValidate>
        <p>{t('intro', { code: mfa ? T.withCode[lang] : '' })}</p>
        {error && <Alert type="error" showIcon role="alert" title={error} className="auth-alert" />}
        <label htmlFor="reauth-password">{t('password')}</label>
        <Input.Password id="reauth-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {mfa && (
          <>
            <label htmlFor="reauth-code">{recoveryMode ? t('recovery') : t('code')}</label>
            <Input
              id="reauth-code"
              inputMode={recoveryMode ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              maxLength={recoveryMode ? 40 : 6}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <Button type="link" onClick={() => {
                setRecoveryMode(!recoveryMode);
                setCode('');
              }}>
              {recoveryMode ? t('useCode') : t('useRecovery')}
            </Button>
          </>
        )}
        {/* Enter submits. */}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

/**
 * `const { guard, dialog } = useReauth();` — in a call's error handler, `if (guard(err, retry)) return;`
 * shows the dialog and runs `retry` once the session is confirmed; render `{dialog}` in the page.
 */
export function useReauth(): { guard: (e: unknown, retry: () => void) => boolean; dialog: ReactNode } {
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const guard = (e: unknown, again: () => void) => {
    if (!needsReauth(e)) return false;
    setRetry(() => again);
    return true;
  };
  const dialog = retry ? (
    <ReauthDialog
      onDone={() => {
        setRetry(null);
        retry();
      }}
      onCancel={() => setRetry(null)}
    />
  ) : null;
  return { guard, dialog };
}
