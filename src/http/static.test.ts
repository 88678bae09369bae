/** The built web app: hashed assets cached for a year and sent pre-compressed; index.html revalidated. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, migrateToLatest, type Db } from '../db/database.ts';
import { buildApp, type App } from './app.ts';

let dir = '';
let db: Db;
let app: App;
const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'datchuan-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Đạt Chuẩn</title>');
  writeFileSync(path.join(dir, 'assets/index-CZI_-Neu.js'), js);
  writeFileSync(path.join(dir, 'assets/index-CZI_-Neu.js.gz'), gzipSync(js));
  db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  app = await buildApp({ db, strictResponses: true, webDist: dir });
});

afterAll(async () => {
  await app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves hashed assets immutable for a year, gzipped when the browser accepts it', async () => {
  const gz = await app.inject({ method: 'GET', url: '/assets/index-CZI_-Neu.js', headers: { 'accept-encoding': 'gzip' } });
  expect(gz.statusCode).toBe(200);
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(Number(gz.headers['content-length'] ?? gz.rawPayload.length)).toBeLessThan(js.length / 10);
  const plain = await app.inject({ method: 'GET', url: '/assets/index-CZI_-Neu.js' });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toBe(js);
  expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
});

it('revalidates index.html and the single-page fallback', async () => {
  for (const url of ['/', '/units/37@2025-07?date=2023-03-20']) {
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Đạt Chuẩn');
    expect(r.headers['cache-control']).toBe('no-cache');
  }
});
