/**
 * Short-lived caches that keep authentication cheap on every request (session rows, accounts with
 * their grants, tokens) — a few seconds at most, and emptied at once in this process whenever an
 * account, grant, session or token changes (`invalidateAuthCaches`). On PostgreSQL the change is
 * also announced (`NOTIFY datchuan_auth`) and every other server listening empties its caches
 * (`invalidateLocalAuthCaches`, called by the listener the server starts): a session signed out on
 * one server is refused by the others within milliseconds. A missed notification (the listener
 * reconnecting) or a process that does not listen (the CLI on SQLite) is bounded by the TTL.
 */
import type { Db } from '../db/database.ts';
import { announceChange } from '../db/change-channel.ts';
import type { FailureStore } from '../db/sign-in-failure.repository.ts';

let epoch = 0;

/** Empty this process's caches (a change announced by another server, or the listener reconnecting). */
export function invalidateLocalAuthCaches(): void {
  epoch++;
}

/** Call after any committed change to accounts, grants, sessions or tokens: here and on every other server. */
export async function invalidateAuthCaches(db: Db): Promise<void> {
  epoch++;
  await announceChange(db, 'auth');
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number; epoch: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.epoch !== epoch || now - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now, epoch });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** The first delay once a threshold is reached; each further failure doubles it, up to a cap. */
export const FIRST_DELAY_MS = 30_000;

/** How long to wait after the latest failure, given how many failures there were (0 below the threshold). */
export function progressiveDelayMs(failures: number, threshold: number, capMs: number): number {
  if (failures < threshold) return 0;
  return Math.min(capMs, FIRST_DELAY_MS * 2 ** Math.min(20, failures - threshold));
}

/** Failures in memory (one process): the unit tests' store; servers count in the database. */
export function memoryFailureStore(): FailureStore {
  const failures = new Map<string, number[]>();
  return {
    async recent(key, since, limit) {
      return (failures.get(key) ?? []).filter((t) => t > since).slice(-limit);
    },
    async add(key, at, pruneBefore) {
      const list = (failures.get(key) ?? []).filter((t) => t > pruneBefore);
      list.push(at);
      if (list.length > 64) list.shift();
      failures.set(key, list);
    },
    async clear(key) {
      failures.delete(key);
    },
    async clearPrefix(prefix) {
      for (const k of failures.keys()) if (k.startsWith(prefix)) failures.delete(k);
    },
  };
}

/** Enough failures to reach any cap: a flood neither grows what is read nor what is kept. */
const MAX_COUNTED = 64;

/**
 * Failed attempts per key (an address, an account at an address, an account's second factor) in
 * a sliding window, counted in a `FailureStore` — the database, so that every server on it counts
 * the same failures. From `threshold` failures on, the key waits a progressive delay after its
 * latest failure — never a lock: the wait is capped.
 */
export class FailureCounter {
  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly capMs: number,
    private readonly store: FailureStore = memoryFailureStore(),
  ) {}

  /** Milliseconds this key must still wait, or 0. */
  async delayMs(key: string, now: number): Promise<number> {
    const list = await this.store.recent(key, now - this.windowMs, MAX_COUNTED);
    if (list.length === 0) return 0;
    return Math.max(0, list[list.length - 1]! + progressiveDelayMs(list.length, this.threshold, this.capMs) - now);
  }

  async fail(key: string, now: number): Promise<void> {
    await this.store.add(key, now, now - this.windowMs);
  }

  async clear(key: string): Promise<void> {
    await this.store.clear(key);
  }

  /** Forget every key starting with `prefix` (an account's keys at every address). */
  async clearPrefix(prefix: string): Promise<void> {
    await this.store.clearPrefix(prefix);
  }
}

/**
 * The sign-in throttles: per client address (every account), per account at one address (the
 * attacker's address for that account), and per account for second-factor codes — counted in the
 * store (the database on a server: shared by every server on it). The per-account delay across all
 * addresses is in the database too (`app_user.locked_until`).
 */
export class LoginThrottle {
  readonly address: FailureCounter;
  readonly accountAtAddress: FailureCounter;
  readonly secondFactor: FailureCounter;

  constructor(o: { accountThreshold: number; accountCapMs: number; addressThreshold: number; addressWindowMs: number }, store: FailureStore = memoryFailureStore()) {
    this.address = new FailureCounter(o.addressThreshold, o.addressWindowMs, o.addressWindowMs, store);
    const day = 24 * 3600_000;
    this.accountAtAddress = new FailureCounter(o.accountThreshold, day, o.accountCapMs, store);
    this.secondFactor = new FailureCounter(o.accountThreshold, day, o.accountCapMs, store);
  }

  /** Keys of the three counters never collide: `a|<ip>`, `<user id>|<ip>`, `2fa|<user id>` in one store. */
  static addressKey(ip: string): string {
    return `a|${ip}`;
  }

  static pairKey(userId: number, ip: string): string {
    return `${userId}|${ip}`;
  }

  static secondFactorKey(userId: number): string {
    return `2fa|${userId}`;
  }

  /** An administrator's unlock: the account's counters start again at every address. */
  async forgetAccount(userId: number): Promise<void> {
    await this.accountAtAddress.clearPrefix(`${userId}|`);
    await this.secondFactor.clear(LoginThrottle.secondFactorKey(userId));
  }
}
