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

/**
 * Failed attempts per key (an address, an account at an address, an account's second factor) in
 * a sliding window, in this process's memory. From `threshold` failures on, the key waits a
 * progressive delay after its latest failure — never a lock: the wait is capped.
 */
export class FailureCounter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly capMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds this key must still wait, or 0. */
  delayMs(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length === 0) return 0;
    return Math.max(0, list[list.length - 1]! + progressiveDelayMs(list.length, this.threshold, this.capMs) - now);
  }

  fail(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    // Enough to reach the cap; an attacker's flood does not grow memory.
    if (list.length > 64) list.shift();
    this.failures.set(key, list);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** Forget every key starting with `prefix` (an account's keys at every address). */
  clearPrefix(prefix: string): void {
    for (const k of this.failures.keys()) if (k.startsWith(prefix)) this.failures.delete(k);
  }
}

/**
 * The sign-in throttles of one process: per client address (every account), per account at one
 * address (the attacker's address for that account), and per account for second-factor codes.
 * The per-account delay across all addresses is in the database (`app_user.locked_until`).
 */
export class LoginThrottle {
  readonly address: FailureCounter;
  readonly accountAtAddress: FailureCounter;
  readonly secondFactor: FailureCounter;

  constructor(o: { accountThreshold: number; accountCapMs: number; addressThreshold: number; addressWindowMs: number }) {
    this.address = new FailureCounter(o.addressThreshold, o.addressWindowMs, o.addressWindowMs);
    const day = 24 * 3600_000;
    this.accountAtAddress = new FailureCounter(o.accountThreshold, day, o.accountCapMs);
    this.secondFactor = new FailureCounter(o.accountThreshold, day, o.accountCapMs);
  }

  static pairKey(userId: number, ip: string): string {
    return `${userId}|${ip}`;
  }

  /** An administrator's unlock: the account's counters start again at every address. */
  forgetAccount(userId: number): void {
    this.accountAtAddress.clearPrefix(`${userId}|`);
    this.secondFactor.clear(String(userId));
  }
}
