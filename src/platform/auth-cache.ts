/**
 * Short-lived caches that keep authentication cheap on every request (session rows, accounts with
 * their grants, tokens) — a few seconds at most, and emptied at once in this process whenever an
 * account, grant, session or token changes (`invalidateAuthCaches`). Another process (the CLI)
 * changing an account is seen within the TTL.
 */
let epoch = 0;

/** Call after any change to accounts, grants, sessions or tokens. */
export function invalidateAuthCaches(): void {
  epoch++;
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

/**
 * Failed sign-ins per client IP in a sliding window (memory of this process). Over the limit the
 * IP is refused until its oldest failure leaves the window.
 */
export class IpThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(ip: string, now: number): number[] {
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(ip, list);
    else this.failures.delete(ip);
    return list;
  }

  /** Milliseconds until this IP may try again, or 0. */
  retryAfter(ip: string, now: number): number {
    const list = this.recent(ip, now);
    return list.length >= this.limit ? this.windowMs - (now - list[0]!) : 0;
  }

  fail(ip: string, now: number): void {
    const list = this.recent(ip, now);
    list.push(now);
    this.failures.set(ip, list);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
