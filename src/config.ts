/**
 * Configuration, parsed once from the environment, typed and frozen. Every problem is reported
 * at once. Secrets may come from `<NAME>_FILE` (a path whose content is the value) and only from
 * the environment: never from files in the repository. `.env.example` documents every variable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import { isRole, type Role, DEFAULT_MFA_ROLES } from './domain/policy.ts';
import { DEFAULT_PASSWORD_RULES, type PasswordRules } from './domain/password-policy.ts';
import { DEFAULT_SCRYPT, type ScryptParams } from './platform/password-hash.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './files/imports/limits.ts';

/** Accounts, sessions, lockout, MFA, retention: everything the security services read. */
export interface SecurityConfig {
  scrypt: ScryptParams;
  password: PasswordRules;
  /** Previous passwords an administrator may not reuse (SEC-AUTH-07); 0 = off. */
  adminPasswordHistory: number;
  /** Administrators must change their password after this many days (SEC-AUTH-07); 0 = never. */
  adminPasswordMaxAgeDays: number;
  sessionIdleMinutes: number;
  adminSessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Failed sign-ins in a row after which an account waits a progressive delay (SEC-AUTH-05). */
  lockoutThreshold: number;
  /** The longest such delay (30 s doubling up to this); an administrator lifts it at once. */
  lockoutMinutes: number;
  /** Failed sign-ins from one IP address within the window before it waits a progressive delay. */
  ipFailureLimit: number;
  ipWindowMinutes: number;
  /** Minutes a re-authentication (or a sign-in) allows sensitive changes to one's own account. */
  reauthMinutes: number;
  /** Roles that must use a second factor; `all` = every account. */
  mfaRoles: readonly Role[] | 'all';
  /** Accounts unused this many days are disabled by the daily job (SEC-AUTH-08); 0 = off. */
  inactiveDays: number;
  /** Audit rows older than this are deleted by the retention job (chain stays verifiable). */
  auditRetentionMonths: number;
  /** CIDR ranges allowed to use administration (user and token management); empty = anywhere. */
  adminIpAllowlist: readonly string[];
  /** Cookie `Secure` flag: `auto` = when the request came over HTTPS. */
  cookieSecure: 'auto' | 'always' | 'never';
  /** 32-byte key encrypting TOTP secrets at rest; null = stored unencrypted (demo, laptops). */
  secretKey: Buffer | null;
  /**
   * Where the audit chain's anchors are published (one JSON line each: `datchuan audit anchor` and
   * every scheduled jobs run), and where `audit verify` reads the last one; null = none.
   */
  auditAnchorFile: string | null;
}

/** The default of DATCHUAN_SATISFACTION_REQUIRED. */
export const DEFAULT_SATISFACTION_REQUIRED = 90;

/** What the evidence and dossier services are given by their callers (they never read the environment). */
export interface ServiceSettings {
  /** Uploaded evidence and dossier documents: `<DATCHUAN_DATA_DIR>/attachments`. */
  attachmentDir: string;
  /** Residents' satisfaction (%) a recognition dossier requires (DATCHUAN_SATISFACTION_REQUIRED). */
  satisfactionRequired: number;
  /** Largest spreadsheet accepted over HTTP, bytes (DATCHUAN_IMPORT_MAX_BYTES, 1 MB – 1 GB; default 20 MB). */
  importMaxBytes: number;
  /** What reading an uploaded workbook may cost (DATCHUAN_IMPORT_*: inflated size, ratio, rows, columns, cells, shared strings, cell length, parse time and memory). */
  importLimits: XlsxLimits;
}

export interface Config {
  /** `sqlite:<path>` or `postgres://…` */
  databaseUrl: string;
  dialect: 'sqlite' | 'postgres';
  port: number;
  host: string;
  /** Seed demo data on first start when the database is empty. */
  seedDemo: boolean;
  dataDir: string;
  logLevel: string;
  /**
   * Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or CIDR ranges). The
   * client address is the right-most hop that is not one of them; empty = the socket address.
   */
  trustedProxies: readonly string[];
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** Contact for `/.well-known/security.txt`. */
  securityContact: string;
  /** How often `serve` runs the scheduled jobs; 0 = never (use `datchuan jobs run`). */
  jobsIntervalMinutes: number;
  /** 32-byte key for `backup --encrypt` / restore; null when not configured. */
  backupKey: Buffer | null;
  /**
   * 32-byte key of the audit chain's HMAC (DATCHUAN_AUDIT_KEY), kept outside the database; null =
   * not set: the command line then uses `<data dir>/audit.key`, made on first use with a warning.
   */
  auditKey: Buffer | null;
  /** Reminder e-mail through SMTP (`smtp://…`, `smtps://…`); null = in-app inbox only. */
  smtpUrl: string | null;
  /** Sender of reminder e-mail. */
  smtpFrom: string;
  security: SecurityConfig;
  services: ServiceSettings;
  /** The operating-system account running the process (USER): the CLI acts as `cli:<osUser>`. */
  osUser: string | null;
}

function readEnv(env: NodeJS.ProcessEnv, name: string, problems?: string[]): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (e) {
      problems?.push(`${name}_FILE: không đọc được tệp / cannot read "${file}" (${(e as Error).message})`);
      return undefined;
    }
  }
  return env[name];
}

/** A 32-byte key written as 64 hex digits or base64 (44 characters). */
export function parseKey(raw: string): Buffer | null {
  const s = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(s)) {
    const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} phải là số nguyên ${min}–${max} / must be an integer ${min}–${max} (got "${raw}")`);
    return def;
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  problems.push(`${name} phải là true/false / must be true or false (got "${raw}")`);
  return def;
}

function percent(env: NodeJS.ProcessEnv, name: string, def: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 100) {
    problems.push(`${name} phải là số lớn hơn 0, tối đa 100 / must be a number above 0 and at most 100 (got "${raw}")`);
    return def;
  }
  return n;
}

function key(env: NodeJS.ProcessEnv, name: string, problems: string[]): Buffer | null {
  const raw = readEnv(env, name, problems);
  if (raw === undefined || raw === '') return null;
  const k = parseKey(raw);
  if (!k) problems.push(`${name} phải là khóa 32 byte (64 chữ số hex hoặc base64) / must be a 32-byte key (64 hex digits or base64)`);
  return k;
}

function validCidr(s: string): boolean {
  const [addr, bits, ...rest] = s.split('/');
  if (rest.length || !addr) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * DATCHUAN_TRUSTED_PROXIES: the reverse proxies in front of the server. The former
 * DATCHUAN_TRUST_PROXY=true believed any client's X-Forwarded-For (forged addresses passed the
 * administration allowlist, the sign-in throttle and the comment limit): it is refused by name.
 */
function trustedProxies(env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const legacy = (env.DATCHUAN_TRUST_PROXY ?? '').trim().toLowerCase();
  if (legacy !== '' && !['false', '0', 'no'].includes(legacy)) {
    problems.push(
      'DATCHUAN_TRUST_PROXY không còn dùng: hãy liệt kê địa chỉ các máy proxy trong DATCHUAN_TRUSTED_PROXIES (ví dụ 127.0.0.1,10.0.0.0/8) / ' +
        'DATCHUAN_TRUST_PROXY is no longer supported (it believed any client’s X-Forwarded-For): list the addresses of your reverse proxies in DATCHUAN_TRUSTED_PROXIES instead (e.g. 127.0.0.1,10.0.0.0/8)',
    );
  }
  const list = (env.DATCHUAN_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((c) => !validCidr(c));
  if (bad.length) problems.push(`DATCHUAN_TRUSTED_PROXIES: địa chỉ hoặc dải sai / invalid address or CIDR ${bad.join(', ')}`);
  return list.filter(validCidr);
}

/** 0 used to lock until an administrator unlocked: a lock any stranger could set off. */
function lockoutMinutes(env: NodeJS.ProcessEnv, problems: string[]): number {
  if ((env.DATCHUAN_LOCKOUT_MINUTES ?? '').trim() === '0') {
    problems.push(
      'DATCHUAN_LOCKOUT_MINUTES=0 (khóa đến khi quản trị viên mở) không còn dùng: người lạ có thể khóa mọi tài khoản; hãy đặt thời gian chờ dài nhất 1–1440 phút / ' +
        'DATCHUAN_LOCKOUT_MINUTES=0 (locked until an administrator unlocks) is no longer supported: any stranger could lock any account; set the longest delay, 1–1440 minutes',
    );
    return 15;
  }
  return int(env, 'DATCHUAN_LOCKOUT_MINUTES', 15, 1, 24 * 60, problems);
}

export function parseSecurityConfig(env: NodeJS.ProcessEnv, problems: string[]): SecurityConfig {
  const nLog = int(env, 'DATCHUAN_SCRYPT_LOG_N', Math.log2(DEFAULT_SCRYPT.N), 10, 20, problems);
  const parallel = int(env, 'DATCHUAN_SCRYPT_P', DEFAULT_SCRYPT.p, 1, 16, problems);
  const mfaRaw = (env.DATCHUAN_MFA_REQUIRED_ROLES ?? DEFAULT_MFA_ROLES.join(',')).trim();
  let mfaRoles: readonly Role[] | 'all' = DEFAULT_MFA_ROLES;
  if (mfaRaw === 'all') mfaRoles = 'all';
  else {
    const list = mfaRaw.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((r) => !isRole(r));
    if (bad.length) problems.push(`DATCHUAN_MFA_REQUIRED_ROLES: vai trò không có / unknown roles ${bad.join(', ')} (or "all")`);
    mfaRoles = list.filter(isRole);
  }
  const allow = (env.DATCHUAN_ADMIN_IP_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badCidr = allow.filter((c) => !validCidr(c));
  if (badCidr.length) problems.push(`DATCHUAN_ADMIN_IP_ALLOWLIST: dải địa chỉ sai / invalid CIDR ${badCidr.join(', ')}`);
  const secure = (env.DATCHUAN_COOKIE_SECURE ?? 'auto').toLowerCase();
  if (!['auto', 'always', 'never'].includes(secure)) problems.push('DATCHUAN_COOKIE_SECURE phải là auto|always|never / must be auto, always or never');
  const minLength = int(env, 'DATCHUAN_PASSWORD_MIN_LENGTH', DEFAULT_PASSWORD_RULES.minLength, 8, 64, problems);
  return {
    scrypt: { N: 2 ** nLog, r: DEFAULT_SCRYPT.r, p: parallel },
    password: { minLength, maxLength: DEFAULT_PASSWORD_RULES.maxLength, minClasses: int(env, 'DATCHUAN_PASSWORD_MIN_CLASSES', 0, 0, 4, problems) },
    adminPasswordHistory: int(env, 'DATCHUAN_ADMIN_PASSWORD_HISTORY', 10, 0, 50, problems),
    adminPasswordMaxAgeDays: int(env, 'DATCHUAN_ADMIN_PASSWORD_MAX_AGE_DAYS', 60, 0, 3650, problems),
    sessionIdleMinutes: int(env, 'DATCHUAN_SESSION_IDLE_MINUTES', 15, 1, 24 * 60, problems),
    adminSessionIdleMinutes: int(env, 'DATCHUAN_ADMIN_SESSION_IDLE_MINUTES', 5, 1, 24 * 60, problems),
    sessionAbsoluteHours: int(env, 'DATCHUAN_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30, problems),
    lockoutThreshold: int(env, 'DATCHUAN_LOCKOUT_THRESHOLD', 5, 1, 100, problems),
    lockoutMinutes: lockoutMinutes(env, problems),
    ipFailureLimit: int(env, 'DATCHUAN_LOGIN_IP_LIMIT', 20, 1, 10_000, problems),
    ipWindowMinutes: int(env, 'DATCHUAN_LOGIN_IP_WINDOW_MINUTES', 15, 1, 24 * 60, problems),
    reauthMinutes: int(env, 'DATCHUAN_REAUTH_MINUTES', 5, 1, 60, problems),
    mfaRoles,
    inactiveDays: int(env, 'DATCHUAN_INACTIVE_DAYS', 45, 0, 3650, problems),
    auditRetentionMonths: int(env, 'DATCHUAN_AUDIT_RETENTION_MONTHS', 12, 3, 1200, problems),
    adminIpAllowlist: allow.filter(validCidr),
    cookieSecure: secure as SecurityConfig['cookieSecure'],
    secretKey: key(env, 'DATCHUAN_SECRET_KEY', problems),
    auditAnchorFile: env.DATCHUAN_AUDIT_ANCHOR_FILE === '' ? null : path.resolve(env.DATCHUAN_AUDIT_ANCHOR_FILE ?? path.join(dataDirOf(env), 'audit-anchors.jsonl')),
  };
}

/** The security settings with their defaults (tests override a few). */
export function defaultSecurityConfig(overrides: Partial<SecurityConfig> = {}): SecurityConfig {
  const problems: string[] = [];
  return { ...parseSecurityConfig({}, problems), auditAnchorFile: null, ...overrides };
}

function smtpUrl(env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const raw = readEnv(env, 'DATCHUAN_SMTP_URL', problems);
  if (raw === undefined || raw === '') return null;
  if (!/^smtps?:\/\/[^\s]+$/.test(raw)) {
    problems.push('DATCHUAN_SMTP_URL phải có dạng smtp://máy:cổng hoặc smtps://… / must look like smtp://host:port or smtps://…');
    return null;
  }
  return raw;
}

function dataDirOf(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATCHUAN_DATA_DIR ?? 'data');
}

export function parseServiceSettings(env: NodeJS.ProcessEnv, problems: string[]): ServiceSettings {
  return {
    attachmentDir: path.join(dataDirOf(env), 'attachments'),
    satisfactionRequired: percent(env, 'DATCHUAN_SATISFACTION_REQUIRED', DEFAULT_SATISFACTION_REQUIRED, problems),
    importMaxBytes: int(env, 'DATCHUAN_IMPORT_MAX_BYTES', 20 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024, problems),
    importLimits: parseImportLimits(env, problems),
  };
}

function parseImportLimits(env: NodeJS.ProcessEnv, problems: string[]): XlsxLimits {
  const d = DEFAULT_XLSX_LIMITS;
  const MB = 1024 * 1024;
  return {
    maxInflatedBytes: int(env, 'DATCHUAN_IMPORT_MAX_INFLATED_MB', d.maxInflatedBytes / MB, 1, 4096, problems) * MB,
    maxRatio: int(env, 'DATCHUAN_IMPORT_MAX_RATIO', d.maxRatio, 10, 1100, problems),
    maxEntries: int(env, 'DATCHUAN_IMPORT_MAX_ENTRIES', d.maxEntries, 10, 65535, problems),
    maxRows: int(env, 'DATCHUAN_IMPORT_MAX_ROWS', d.maxRows, 100, 1_048_576, problems),
    maxColumns: int(env, 'DATCHUAN_IMPORT_MAX_COLUMNS', d.maxColumns, 10, 16_384, problems),
    maxCells: int(env, 'DATCHUAN_IMPORT_MAX_CELLS', d.maxCells, 1000, 100_000_000, problems),
    maxSharedStrings: int(env, 'DATCHUAN_IMPORT_MAX_SHARED_STRINGS', d.maxSharedStrings, 1000, 50_000_000, problems),
    maxCellChars: int(env, 'DATCHUAN_IMPORT_MAX_CELL_CHARS', d.maxCellChars, 255, 1_000_000, problems),
    parseMs: int(env, 'DATCHUAN_IMPORT_PARSE_SECONDS', d.parseMs / 1000, 1, 3600, problems) * 1000,
    workerMemoryMb: int(env, 'DATCHUAN_IMPORT_WORKER_MB', d.workerMemoryMb, 32, 8192, problems),
    workers: int(env, 'DATCHUAN_IMPORT_WORKERS', d.workers, 1, 64, problems),
  };
}

function invalidConfig(problems: string[]): Error {
  return new Error(`Cấu hình sai / Invalid configuration:\n- ${problems.join('\n- ')}`);
}

/**
 * The service settings alone, from the environment: for an HTTP app built without a Config (tests,
 * the browser tests' server) and the demo seed. Problems are reported at once, as by `loadConfig`.
 */
export function loadServiceSettings(env: NodeJS.ProcessEnv = process.env): Readonly<ServiceSettings> {
  const problems: string[] = [];
  const settings = parseServiceSettings(env, problems);
  if (problems.length) throw invalidConfig(problems);
  return Object.freeze(settings);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const dataDir = dataDirOf(env);
  const databaseUrl =
    readEnv(env, 'DATABASE_URL', problems) ?? readEnv(env, 'DATCHUAN_DATABASE_URL', problems) ?? `sqlite:${path.join(dataDir, 'datchuan.sqlite')}`;
  let dialect: Config['dialect'] = 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) dialect = 'postgres';
  else if (!databaseUrl.startsWith('sqlite:'))
    problems.push(`DATABASE_URL phải bắt đầu bằng postgres:// hoặc sqlite: / must start with postgres:// or sqlite: (got "${databaseUrl.slice(0, 20)}…")`);
  const portRaw = env.PORT ?? env.DATCHUAN_PORT ?? '3000';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT không hợp lệ / invalid PORT: "${portRaw}"`);
  const seedDemo = bool(env, 'DATCHUAN_SEED_DEMO', true, problems);
  const security = parseSecurityConfig(env, problems);
  const config: Config = {
    databaseUrl,
    dialect,
    port,
    // Loopback unless HOST says otherwise: a fresh install is not reachable from the network by accident.
    host: env.HOST ?? env.DATCHUAN_HOST ?? '127.0.0.1',
    seedDemo,
    dataDir,
    logLevel: env.DATCHUAN_LOG_LEVEL ?? 'info',
    trustedProxies: trustedProxies(env, problems),
    bodyLimit: int(env, 'DATCHUAN_BODY_LIMIT_KB', 2048, 16, 100 * 1024, problems) * 1024,
    securityContact: env.DATCHUAN_SECURITY_CONTACT ?? 'mailto:security@datchuan.invalid',
    jobsIntervalMinutes: int(env, 'DATCHUAN_JOBS_INTERVAL_MINUTES', 60, 0, 24 * 60, problems),
    backupKey: key(env, 'DATCHUAN_BACKUP_KEY', problems),
    auditKey: key(env, 'DATCHUAN_AUDIT_KEY', problems),
    smtpUrl: smtpUrl(env, problems),
    smtpFrom: env.DATCHUAN_SMTP_FROM ?? 'Đạt Chuẩn <no-reply@datchuan.invalid>',
    security,
    services: parseServiceSettings(env, problems),
    osUser: env.USER || null,
  };
  if (problems.length) throw invalidConfig(problems);
  return Object.freeze(config);
}
