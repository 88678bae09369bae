/**
 * Telling the other application servers on the same PostgreSQL database that something they cache
 * changed: `NOTIFY` on a channel after the change commits, `LISTEN` on one dedicated connection per
 * server. A notification is a hint that saves waiting, never the only guarantee: every cache it
 * empties also has its own bound (a TTL of a few seconds, a revision read, a poll), and the listener
 * calls every handler when it (re)connects, since notifications sent while it was away are lost.
 * On SQLite (one server per database file) both are no-ops.
 */
import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from './database.ts';

/** `auth`: accounts, grants, sessions, tokens. `sets`: a criteria set published or withdrawn. `units`: the unit lists imported (scopes). */
export type ChangeChannel = 'auth' | 'sets' | 'units';

const CHANNELS: Record<ChangeChannel, string> = { auth: 'datchuan_auth', sets: 'datchuan_sets', units: 'datchuan_units' };

/** Announce a committed change (outside a transaction, so it is delivered at once). */
export async function announceChange(db: Db, channel: ChangeChannel): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await sql`select pg_notify(${CHANNELS[channel]}, '')`.execute(db.kysely);
}

export interface ChangeListener {
  /** Resolves once the first LISTEN is in place (or failed: the listener keeps retrying). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Call `handlers[channel]` on each notification, and every handler after each (re)connection.
 * Reconnects after a lost connection (1 s, doubling to 30 s); never throws.
 */
export function listenForChanges(db: Db, handlers: Record<ChangeChannel, () => void>, report: (msg: string, err?: unknown) => void): ChangeListener {
  if (db.dialect !== 'postgres') return { ready: Promise.resolve(), stop: async () => {} };
  const byName = new Map(Object.entries(CHANNELS).map(([k, v]) => [v, k as ChangeChannel]));
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = 1000;
  let timer: NodeJS.Timeout | null = null;
  const all = () => {
    for (const h of Object.values(handlers)) h();
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 5000 });
    client = c;
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      c.removeAllListeners('notification');
      void c.end().catch(() => {});
      if (stopped) return;
      report('change listener lost its connection; reconnecting', err);
      timer = setTimeout(() => void connect(), retryMs);
      timer.unref();
      retryMs = Math.min(30_000, retryMs * 2);
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (n) => {
      const ch = byName.get(n.channel);
      if (ch) handlers[ch]();
    });
    try {
      await c.connect();
      for (const name of Object.values(CHANNELS)) await c.query(`LISTEN ${name}`);
      retryMs = 1000;
      // Whatever changed while we were not listening.
      all();
    } catch (e) {
      onLost(e);
    }
  };

  const ready = connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
