/**
 * Configuration, parsed once from the environment, typed and frozen. Every problem is reported
 * at once. Secrets may come from `<NAME>_FILE` (a path whose content is the value).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
}

function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  return env[name];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const dataDir = path.resolve(env.DATCHUAN_DATA_DIR ?? 'data');
  const databaseUrl =
    readEnv(env, 'DATABASE_URL') ?? readEnv(env, 'DATCHUAN_DATABASE_URL') ?? `sqlite:${path.join(dataDir, 'datchuan.sqlite')}`;
  let dialect: Config['dialect'] = 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) dialect = 'postgres';
  else if (!databaseUrl.startsWith('sqlite:'))
    problems.push(`DATABASE_URL phải bắt đầu bằng postgres:// hoặc sqlite: / must start with postgres:// or sqlite: (got "${databaseUrl.slice(0, 20)}…")`);
  const portRaw = env.PORT ?? env.DATCHUAN_PORT ?? '3000';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT không hợp lệ / invalid PORT: "${portRaw}"`);
  const seedRaw = (env.DATCHUAN_SEED_DEMO ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(seedRaw)) problems.push(`DATCHUAN_SEED_DEMO phải là true/false / must be true or false`);
  if (problems.length) throw new Error(`Cấu hình sai / Invalid configuration:\n- ${problems.join('\n- ')}`);
  return Object.freeze({
    databaseUrl,
    dialect,
    port,
    host: env.HOST ?? env.DATCHUAN_HOST ?? '0.0.0.0',
    seedDemo: seedRaw === 'true' || seedRaw === '1',
    dataDir,
    logLevel: env.DATCHUAN_LOG_LEVEL ?? 'info',
  });
}
