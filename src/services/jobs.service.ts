/**
 * Scheduled jobs: disable accounts unused for N days (SEC-AUTH-08, audited one by one), delete
 * audit rows past the retention period (chain kept verifiable), delete expired sessions. `serve`
 * runs them at start and then every DATCHUAN_JOBS_INTERVAL_MINUTES; `datchuan jobs run` runs them
 * once (for a system cron). Each job is idempotent.
 */
import type { Db } from '../db/database.ts';
import * as users from '../db/user.repository.ts';
import * as sessions from '../db/session.repository.ts';
import { purgeFailures } from '../db/sign-in-failure.repository.ts';
import { recordSecurityAudit } from '../db/audit.repository.ts';
import { claimLease, isDemoDatabase } from '../db/meta.repository.ts';
import { randomUUID } from 'node:crypto';
import type { SecurityConfig } from '../config.ts';
import { invalidateAuthCaches } from '../platform/auth-cache.ts';
import { publishAnchor, purgeExpiredAudit } from './audit.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { eraseExpiredPersonalData } from './consultation.service.ts';
import { todayInVietnam } from '../domain/dates.ts';

export interface JobDeps {
  db: Db;
  config: SecurityConfig;
  clock: () => Date;
}

export interface JobsResult {
  inactiveDisabled: string[];
  auditDeleted: number;
  auditCutoff: string;
  sessionsDeleted: number;
  /** Public comments whose name and contact were erased (retention passed). */
  commentsErased: number;
  /** The audit chain head published to DATCHUAN_AUDIT_ANCHOR_FILE at the end of the run (null = no file configured). */
  anchoredSeq: number | null;
  ms: number;
}

/** Disable active accounts with no sign-in for `inactiveDays` (demo accounts of a demo database excepted). */
export async function disableInactiveAccounts(deps: JobDeps): Promise<string[]> {
  const days = deps.config.inactiveDays;
  if (days <= 0) return [];
  const now = deps.clock();
  const before = new Date(now.getTime() - days * 86400_000).toISOString();
  const demo = await isDemoDatabase(deps.db.kysely);
  const stale = (await users.listInactiveUsers(deps.db.kysely, before)).filter((u) => !(demo && u.is_demo === 1));
  const at = now.toISOString();
  for (const u of stale) {
    await deps.db.kysely.transaction().execute(async (trx) => {
      await users.updateUser(trx, u.id, { status: 'disabled', disabled_reason: 'inactive', disabled_at: at, updated_at: at });
      await sessions.deleteSessionsOfUser(trx, u.id);
      await recordSecurityAudit(
        trx,
        SYSTEM_ACTOR,
        {
          action: 'user.disable',
          entity: 'user',
          entityId: u.id,
          before: { username: u.username, status: u.status, lastLoginAt: u.last_login_at },
          after: { status: 'disabled', reason: 'inactive', inactiveDays: days },
        },
        at,
      );
    });
  }
  if (stale.length) await invalidateAuthCaches(deps.db);
  return stale.map((u) => u.username);
}

export async function runJobs(deps: JobDeps): Promise<JobsResult> {
  const started = Date.now();
  const inactiveDisabled = await disableInactiveAccounts(deps);
  const purge = await purgeExpiredAudit(deps.db, deps.clock(), deps.config.auditRetentionMonths);
  const sessionsDeleted = await sessions.deleteExpiredSessions(deps.db.kysely, deps.clock());
  // Failed sign-ins older than the longest throttle window (a day) count for nothing.
  await purgeFailures(deps.db.kysely, deps.clock().getTime() - 24 * 3600_000);
  if (sessionsDeleted) await invalidateAuthCaches(deps.db);
  const commentsErased = await eraseExpiredPersonalData(deps.db, todayInVietnam(deps.clock()), SYSTEM_ACTOR, deps.clock());
  // Periodic anchor: the chain head leaves the database, so a later rewrite or cut is detectable.
  const anchor = deps.config.auditAnchorFile ? await publishAnchor(deps.db, deps.config.auditAnchorFile, deps.clock()) : null;
  return { inactiveDisabled, auditDeleted: purge.deleted, auditCutoff: purge.cutoff, sessionsDeleted, commentsErased, anchoredSeq: anchor?.seq ?? null, ms: Date.now() - started };
}

/**
 * Run the jobs now and then every `minutes`; returns a stop function. Errors are reported, not
 * thrown. With several servers on one database, each run takes the `jobs` lease for most of the
 * interval first: one server runs them, the others skip (and take over when it stops renewing).
 */
export function startScheduler(deps: JobDeps, minutes: number, report: (msg: string, err?: unknown) => void): () => void {
  if (minutes <= 0) return () => {};
  let running = false;
  const holder = randomUUID();
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      if (!(await claimLease(deps.db.kysely, 'jobs', holder, deps.clock(), minutes * 60_000 * 0.9))) return;
      const r = await runJobs(deps);
      if (r.inactiveDisabled.length || r.auditDeleted) {
        report(`jobs: disabled ${r.inactiveDisabled.length} inactive account(s), purged ${r.auditDeleted} audit row(s) before ${r.auditCutoff}, ${r.sessionsDeleted} expired session(s)`);
      }
    } catch (e) {
      report('jobs failed', e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
