/**
 * The OpenAPI document as a contract: every operation named (a unique camelCase operationId),
 * tagged, summarised, with its success and error responses; every JSON response a closed schema
 * (no `additionalProperties: true`, no empty object); files declared with their content types;
 * and Redocly CLI's recommended rules pass with no error and no warning — the lint CI runs
 * (`npm test`; alone: `npm run lint:api`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { buildApp, type App } from './app.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  info: { license?: { name: string } };
  servers?: unknown[];
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

function operations(doc: Document): Array<[string, Operation]> {
  return Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([m]) => METHODS.has(m)).map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${p}`, op]));
}

/** Places in a schema that leave a body's shape open: `additionalProperties: true`, or an object with no properties at all. */
function openPlaces(schema: unknown, at = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const here: string[] = [];
  if (s.additionalProperties === true) here.push(`${at}: additionalProperties true`);
  const isNull = Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null;
  const noProperties = !s.properties || Object.keys(s.properties as object).length === 0;
  if (s.type === 'object' && !isNull && noProperties && (s.additionalProperties === undefined || s.additionalProperties === true || s.additionalProperties === false)) here.push(`${at}: empty object`);
  return [...here, ...Object.entries(s).flatMap(([k, v]) => openPlaces(v, `${at}/${k}`))];
}

describe('OpenAPI document', () => {
  let db: Db;
  let app: App;
  let doc: Document;
  let dir: string;

  beforeAll(async () => {
    db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
    app = await buildApp({ db, webDist: '/nonexistent' });
    await app.ready();
    doc = app.swagger() as unknown as Document;
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-openapi-'));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names, tags and summarises every operation, with success and error responses', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(100);
    const ids = ops.map(([, op]) => op.operationId);
    expect(ops.filter(([, op]) => !op.operationId || !/^[a-z][a-zA-Z0-9]+$/.test(op.operationId)).map(([k]) => k)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ops.filter(([, op]) => !op.tags?.length || !op.summary).map(([k]) => k)).toEqual([]);
    expect(ops.filter(([, op]) => !Object.keys(op.responses).some((s) => s.startsWith('2'))).map(([k]) => k)).toEqual([]);
    expect(ops.filter(([, op]) => !Object.keys(op.responses).some((s) => s.startsWith('4'))).map(([k]) => k)).toEqual([]);
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.info.license?.name).toMatch(/Proprietary/);
  });

  it('describes every JSON response exactly and every file with its content types', () => {
    const open: string[] = [];
    const binaryJson: string[] = [];
    for (const [key, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          const schema = media.schema as Record<string, unknown> | undefined;
          if (type.startsWith('application/json')) {
            open.push(...openPlaces(schema).map((p) => `${key} ${status}${p}`));
            if (schema?.format === 'binary') binaryJson.push(`${key} ${status}`);
          }
        }
      }
    }
    expect(open).toEqual([]);
    expect(binaryJson).toEqual([]);
    const download = doc.paths['/api/v1/reports/{kind}']!.get!.responses['200']!.content!;
    expect(Object.keys(download)).toEqual(expect.arrayContaining(['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']));
  });

  it('passes Redocly CLI (recommended rules) with no error and no warning', () => {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync('npx', ['redocly', 'lint', file, '--extends', 'recommended', '--format', 'json', '--max-problems', '1000'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
    });
    const start = run.stdout.indexOf('{');
    expect(start, `redocly printed no report: ${run.stderr}`).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(run.stdout.slice(start)) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);
});
