/**
 * The web bundle is built when it is missing or older than anything it is built from — its
 * sources, public files, config, and the domain code the browser runs (the evaluation engine).
 * One build at a time (a lock folder), so parallel test files and `npm start` never race.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const WEB_DIST = path.resolve('web/dist');

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), s.mtimeMs);
}

export function ensureWebBuilt(onBuild?: () => void): void {
  if (!existsSync(path.resolve('web/src'))) return;
  const manifest = path.join(WEB_DIST, '.vite/manifest.json');
  const sources = Math.max(newest('web/src'), newest('web/public'), newest('web/index.html'), newest('web/vite.config.ts'), newest('src/domain'));
  if (existsSync(manifest) && statSync(manifest).mtimeMs > sources) return;
  const lock = path.resolve('artifacts/.web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) throw new Error('web build lock held for 2 minutes');
      execFileSync('sleep', ['0.2']);
    }
  }
  try {
    if (existsSync(manifest) && statSync(manifest).mtimeMs > sources) return;
    onBuild?.();
    // NODE_ENV=production always: under Vitest it is `test`, and Vite would then bundle React's
    // development build (first view 319 KB instead of 249 KB gzip — what failed CI twice). `env`
    // sets it for the build alone; the build inherits the rest of this process's environment.
    execFileSync('env', ['NODE_ENV=production', 'npx', 'vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  } finally {
    rmdirSync(lock);
  }
}
