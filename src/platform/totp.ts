/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) with `otpauth`, the enrolment
 * QR code with `qrcode`, and one-time recovery codes. A code is accepted one step either side of
 * now, and never twice (the last accepted step is kept per account).
 */
import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'Đạt Chuẩn';

function totp(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

export async function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The code for a moment (tests and the CLI use it). */
export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/** The time step a valid code belongs to, or null (wrong, expired, or already used). */
export function verifyTotp(secretBase32: string, code: string, at: Date, lastStep: number | null): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const t = totp(secretBase32);
  const delta = t.validate({ token, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = t.counter({ timestamp: at.getTime() }) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten recovery codes like `k7dm-x3qp-9w`: about 60 bits each. */
export function newRecoveryCodes(n = 10): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let j = 0; j < 12; j++) s += ALPHABET[randomInt(ALPHABET.length)];
    out.push(`${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`);
  }
  return out;
}

/** Recovery codes are compared without dashes, spaces or case. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}
