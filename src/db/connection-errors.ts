/**
 * Whether an error means the database could not be reached or dropped the connection (as opposed
 * to a query the database refused): PostgreSQL restarting or failing over, an administrator ending
 * the backend, the network cut, the pool unable to connect in time. Such a request is answered 503
 * `database_unavailable`; the pool opens new connections on the next query, so the server recovers
 * by itself once the database is back.
 */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, terminated backend, cannot connect now). */
const SQLSTATE = /^(08...|57P0[1-4])$/;
const MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Connection ended unexpectedly/i, /the database system is (starting up|shutting down)/i];

export function isConnectionError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && (NODE_CODES.has(err.code) || SQLSTATE.test(err.code))) return true;
  if (typeof err.message === 'string' && MESSAGES.some((m) => m.test(err.message as string))) return true;
  // AggregateError (a host with several addresses refused on each) and wrapped causes.
  if (Array.isArray(err.errors) && err.errors.some((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(err.cause, depth + 1);
}
