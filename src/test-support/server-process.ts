/**
 * A real `datchuan serve` in a child process, for tests of several application servers on one
 * database (and of a server killed mid-write). Starting one costs a few seconds (tsx loads the
 * sources); the server is ready when it prints its address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SignedIn } from './http.ts';

const BIN = join(import.meta.dirname, '../../bin/datchuan.mjs');

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr (its log): shown when a test fails. */
  log(): string;
  /** Whether the process has exited (with its code or signal). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  fetch(path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<{ status: number; headers: Headers; json: () => unknown; text: string }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--no-seed'], {
    env: { ...process.env, DATCHUAN_LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes('running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited while starting (${JSON.stringify(exit)}):\n${out}`));
    });
  });
  return {
    url,
    child,
    log: () => out,
    exited: () => exit,
    async fetch(path, init = {}) {
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exit) return;
      child.kill(signal);
      await exitedPromise;
    },
  };
}

/** Sign in over real HTTP: the session cookie and the CSRF header, as a browser would hold them. */
export async function signInOver(server: ServerProcess, username: string, password: string): Promise<SignedIn> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await res.json()) as { csrfToken?: string };
  if (res.status !== 200 || !body.csrfToken) throw new Error(`login ${username} on ${server.url} failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
  return { cookie, 'x-csrf-token': body.csrfToken };
}
