/**
 * Query plans of the hot paths (issue 16): the real repository functions run on a database with a
 * 63 provinces of 150 communes, 28 000 reviews and 227 000 value rows, statistics gathered (`ANALYZE`), their
 * SQL captured by a Kysely plugin and explained — `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (FORMAT
 * JSON)` on PostgreSQL. No plan may read the whole of `review`, `indicator_value` or
 * `review_evaluation` (SQLite: `SCAN <table>` without an index; PostgreSQL: `Seq Scan`). Each plan
 * is printed on one line for the record.
 */
import { CompiledQuery, sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './database.ts';
import { currentValuesOfReviews, evaluationsOfReviews, latestSubmittedReviews, listReviewsOfUnits, reviewDatesOfUnits, submittedReviewDates } from './review.repository.ts';
import {
  communesWithLatestReviewOn,
  countCommunesValidOn,
  countLatestReviewsByLevelOn,
  listCommunesWithParents,
  listProvincesValidOn,
  predecessorsOfCommunesValidOn,
  recognitionsOfCommunesValidOn,
  recognitionsOfPredecessorsOfCommunesValidOn,
} from './report.repository.ts';
import { listCommunesUnder } from './unit.repository.ts';
import { getRevision } from './meta.repository.ts';
import { findSession, touchSession } from './session.repository.ts';

/** The tables too big to read whole on a request. */
const VALUE_TABLES = ['review', 'indicator_value', 'review_evaluation'] as const;

const PROVINCES = 63;
const COMMUNES_PER_PROVINCE = 150;
const REVIEWS_PER_COMMUNE = 3;
const VALUES_PER_REVIEW = 8;
const DATE = '2026-06-30';
const NOW = '2026-06-01T00:00:00.000Z';

/** Records the operation nodes of the queries run through it. */
class CapturePlugin implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The SQL (with parameters) of every query `run` sends. */
async function captured(db: Kysely<Database>, run: (k: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery[]> {
  const plugin = new CapturePlugin();
  await run(db.withPlugin(plugin));
  return plugin.nodes.map((n) => db.getExecutor().compileQuery(n, { queryId: 'plan' }));
}

interface Plan {
  /** One line for the record. */
  line: string;
  /** The value tables the plan reads in full. */
  fullScans: string[];
}

async function explain(db: Kysely<Database>, dialect: Dialect, q: CompiledQuery): Promise<Plan> {
  if (dialect === 'sqlite') {
    const rows = (await db.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]))).rows as Array<{ detail: string }>;
    const details = rows.map((r) => r.detail);
    // SQLite names a table by its alias when it has one (`SCAN r`): map aliases back to tables.
    const names = new Map<string, string>(VALUE_TABLES.map((t) => [t, t]));
    for (const m of q.sql.matchAll(/"(\w+)" as "(\w+)"/g)) if ((VALUE_TABLES as readonly string[]).includes(m[1]!)) names.set(m[2]!, m[1]!);
    const fullScans = details.flatMap((d) => {
      const m = /^SCAN (\w+)/.exec(d);
      const table = m ? names.get(m[1]!) : undefined;
      return table && !/USING (COVERING )?INDEX/.test(d) ? [table] : [];
    });
    return { line: details.join(' | '), fullScans };
  }
  const rows = (await db.executeQuery(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${q.sql}`, [...q.parameters]))).rows as Array<{ 'QUERY PLAN': unknown }>;
  const raw = rows[0]!['QUERY PLAN'];
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PgNode }>;
  const parts: string[] = [];
  const fullScans: string[] = [];
  const walk = (n: PgNode, depth: number): void => {
    const rel = n['Relation Name'];
    const idx = n['Index Name'];
    parts.push(`${'>'.repeat(depth)}${n['Node Type']}${rel ? ` on ${rel}` : ''}${idx ? ` using ${idx}` : ''}`);
    if (n['Node Type'] === 'Seq Scan' && rel && (VALUE_TABLES as readonly string[]).includes(rel)) fullScans.push(rel);
    for (const c of n.Plans ?? []) walk(c, depth + 1);
  };
  walk(doc[0]!.Plan, 0);
  return { line: parts.join(' | '), fullScans };
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
}

async function insertMany<T extends keyof Database>(db: Kysely<Database>, table: T, rows: readonly Record<string, unknown>[]): Promise<void> {
  const per = Math.floor(30_000 / Math.max(1, Object.keys(rows[0] ?? { a: 1 }).length));
  for (let i = 0; i < rows.length; i += per) await db.insertInto(table).values(rows.slice(i, i + per) as never).execute();
}

/** A country-sized slice: provinces, communes, two submitted or draft reviews each, values, evaluations, sessions. */
async function seed(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await db.insertInto('unit_list').values({ id: '2025-07', name: 'Danh mục từ 1/7/2025', valid_from: '2025-07-01', valid_to: null, source: 'test', imported_at: NOW }).execute();
  const units: Record<string, unknown>[] = [];
  const communes: string[] = [];
  for (let p = 1; p <= PROVINCES; p++) {
    const pid = `${p}@2025-07`;
    units.push({ id: pid, list_id: '2025-07', code: String(p), name: `Tỉnh ${p}`, full_name: `Tỉnh ${p}`, name_folded: `tinh ${p}`, type: 'Tỉnh', level: 'province', parent_id: null, province_id: null, valid_from: '2025-07-01', valid_to: null });
    for (let c = 1; c <= COMMUNES_PER_PROVINCE; c++) {
      const code = String(p * 1000 + c);
      const id = `${code}@2025-07`;
      communes.push(id);
      units.push({ id, list_id: '2025-07', code, name: `Xã ${code}`, full_name: `Xã ${code}`, name_folded: `xa ${code}`, type: 'Xã', level: 'commune', parent_id: pid, province_id: pid, valid_from: '2025-07-01', valid_to: null });
    }
  }
  await insertMany(db, 'unit', units);
  const reviews: Record<string, unknown>[] = [];
  let id = 0;
  for (const unitId of communes) {
    for (let k = 0; k < REVIEWS_PER_COMMUNE; k++) {
      id++;
      const month = String(1 + ((id * 7 + k * 5) % 12)).padStart(2, '0');
      reviews.push({
        id,
        unit_id: unitId,
        set_id: 'ntm-2021',
        reviewed_on: `${2024 + k}-${month}-15`,
        status: id % 5 === 0 ? 'draft' : 'submitted',
        title: null,
        note: null,
        version: 1,
        is_demo: 0,
        created_by: 'test',
        created_at: NOW,
        updated_at: NOW,
        submitted_by: null,
        submitted_at: null,
      });
    }
  }
  await insertMany(db, 'review', reviews);
  const values: Record<string, unknown>[] = [];
  const evaluations: Record<string, unknown>[] = [];
  for (let r = 1; r <= id; r++) {
    for (let v = 1; v <= VALUES_PER_REVIEW; v++) {
      values.push({ review_id: r, indicator_code: `${v}.1`, seq: 1, value_json: '1', note: null, evidence_json: null, entered_by: 'test', entered_at: NOW, source: 'test', restored_from_seq: null });
    }
    evaluations.push({
      review_id: r,
      review_version: 1,
      catalog_hash: 'h',
      criteria_met: 10,
      criteria_total: 19,
      indicators_met: 40,
      indicators_total: 56,
      not_evaluable: 0,
      not_applicable: 0,
      level: null,
      meets_standard: 0,
      criteria_status: 'M'.repeat(19),
      inputs_json: '{}',
      computed_at: NOW,
    });
  }
  await insertMany(db, 'indicator_value', values);
  await insertMany(db, 'review_evaluation', evaluations);
  if (dialect === 'postgres') await sql`SELECT setval(pg_get_serial_sequence('review', 'id'), ${id})`.execute(db);
  const user = await db
    .insertInto('app_user')
    .values({
      username: 'u',
      display_name: 'U',
      email: null,
      password_hash: 'x',
      password_changed_at: NOW,
      must_change_password: 0,
      status: 'active',
      disabled_reason: null,
      disabled_at: null,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      last_login_ip: null,
      mfa_enabled: 0,
      mfa_secret: null,
      mfa_pending_secret: null,
      totp_last_step: null,
      is_demo: 0,
      version: 1,
      created_at: NOW,
      created_by: 'test',
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sessions = Array.from({ length: 2000 }, (_, i) => ({
    id: `s${String(i).padStart(63, '0')}`,
    user_id: user.id,
    stage: 'active' as const,
    csrf_token: 'c',
    created_at: NOW,
    last_seen_at: NOW,
    expires_at: '2026-07-01T00:00:00.000Z',
    idle_seconds: 3600,
    ip: null,
    user_agent: null,
    reauthenticated_at: null,
  }));
  await insertMany(db, 'user_session', sessions);
  if (dialect === 'postgres') await sql`VACUUM ANALYZE`.execute(db);
  else await sql`ANALYZE`.execute(db);
}

describeEachDialect('query plans of the hot paths', (ctx) => {
  const province = '7@2025-07';
  const provinceCommunes = Array.from({ length: COMMUNES_PER_PROVINCE }, (_, c) => `${7000 + c + 1}@2025-07`);
  let reviewIds: number[] = [];

  beforeAll(async () => {
    await seed(ctx.db.kysely, ctx.dialect);
    reviewIds = (await latestSubmittedReviews(ctx.db.kysely, provinceCommunes, DATE)).map((r) => r.review_id);
  }, 120_000);

  const hotPaths: Array<[string, (k: Kysely<Database>) => Promise<unknown>]> = [
    ['latestSubmittedReviews (unit summary)', (k) => latestSubmittedReviews(k, provinceCommunes, DATE)],
    ['evaluationsOfReviews (unit summary)', (k) => evaluationsOfReviews(k, reviewIds)],
    ['currentValuesOfReviews (summary refresh)', (k) => currentValuesOfReviews(k, reviewIds)],
    ['reviewDatesOfUnits (unit trend)', (k) => reviewDatesOfUnits(k, provinceCommunes)],
    ['listReviewsOfUnits (commune page)', (k) => listReviewsOfUnits(k, [provinceCommunes[3]!])],
    ['evaluationsOfReviews (commune page)', (k) => evaluationsOfReviews(k, reviewIds.slice(0, 2))],
    ['currentValuesOfReviews (commune page)', (k) => currentValuesOfReviews(k, reviewIds.slice(0, 1))],
    ['submittedReviewDates (national trend)', (k) => submittedReviewDates(k, '2024-06-30')],
    ['countLatestReviewsByLevelOn (national trend)', (k) => countLatestReviewsByLevelOn(k, '2024-06-30', 'Xã')],
    ['listProvincesValidOn (national summary)', (k) => listProvincesValidOn(k, DATE)],
    ['communesWithLatestReviewOn (national summary)', (k) => communesWithLatestReviewOn(k, DATE, 'Xã')],
    ['recognitionsOfCommunesValidOn (national summary)', (k) => recognitionsOfCommunesValidOn(k, DATE, 'Xã')],
    ['predecessorsOfCommunesValidOn (national summary)', (k) => predecessorsOfCommunesValidOn(k, DATE, 'Xã')],
    ['recognitionsOfPredecessorsOfCommunesValidOn (national summary)', (k) => recognitionsOfPredecessorsOfCommunesValidOn(k, DATE, 'Xã')],
    ['listCommunesWithParents (reports, imports)', (k) => listCommunesWithParents(k, DATE)],
    ['countCommunesValidOn (national trend)', (k) => countCommunesValidOn(k, DATE, 'Xã')],
    ['listCommunesUnder (unit lookup)', (k) => listCommunesUnder(k, { id: province, level: 'province' }, DATE)],
    ['getRevision (read caches)', (k) => getRevision(k)],
    ['findSession (every request)', (k) => findSession(k, `s${'0'.repeat(63)}`)],
    ['touchSession (every request)', (k) => touchSession(k, `s${'0'.repeat(63)}`, NOW)],
  ];

  it('reads no value table in full on any hot path', async () => {
    const offenders: string[] = [];
    const lines: string[] = [];
    for (const [name, run] of hotPaths) {
      const queries = await captured(ctx.db.kysely, run);
      expect(queries.length, name).toBeGreaterThan(0);
      for (const q of queries) {
        const plan = await explain(ctx.db.kysely, ctx.dialect, q);
        lines.push(`[${ctx.dialect}] ${name}: ${plan.line}`);
        if (plan.fullScans.length) offenders.push(`${name}: full scan of ${plan.fullScans.join(', ')} — ${plan.line}`);
      }
    }
    console.log(lines.join('\n'));
    expect(offenders).toEqual([]);
  }, 120_000);
});
