/** Fetch wrapper: same-origin `/api/v1`, JSON in and out, errors as `ApiError` from the envelope. */
import type { ErrorEnvelope, UnitAlternative } from './types.ts';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageVi: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, messageVi: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messageVi = messageVi;
    this.details = details;
  }

  /** Alternatives offered with `unit_not_valid_on_date` (predecessors or successors). */
  get alternatives(): UnitAlternative[] {
    const a = this.details?.alternatives;
    return Array.isArray(a) ? a.filter((x): x is UnitAlternative => typeof x === 'object' && x !== null && typeof (x as UnitAlternative).id === 'string') : [];
  }
}

/** A request that never reached the server, or whose answer was not JSON. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

function isEnvelope(x: unknown): x is ErrorEnvelope {
  return typeof x === 'object' && x !== null && typeof (x as ErrorEnvelope).error === 'object' && (x as ErrorEnvelope).error !== null;
}

export function apiUrl(path: string, params?: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return `${API_BASE}${path}${q ? `?${q}` : ''}`;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

/** Dispatched on `window` when a call is answered 401 (see auth/UserMenu.tsx). */
export const UNAUTHENTICATED_EVENT = 'datchuan:unauthenticated';

/** The session's CSRF token (cookie `datchuan_csrf`, readable by the page): writes send it back. */
export function csrfToken(): string | null {
  if (typeof document === 'undefined') return null;
  const m = /(?:^|;\s*)datchuan_csrf=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : null;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  opts: { body?: unknown; signal?: AbortSignal; headers?: Record<string, string>; /** A file sent as the raw body (uploads). */ file?: Blob } = {},
): Promise<ApiResponse<T>> {
  let res: Response;
  try {
    const type = opts.file ? opts.file.type || 'application/octet-stream' : opts.body !== undefined ? 'application/json' : null;
    res = await fetch(url, {
      method,
      signal: opts.signal ?? null,
      headers: {
        Accept: 'application/json',
        ...(type ? { 'Content-Type': type } : {}),
        ...(method !== 'GET' && csrfToken() ? { 'X-CSRF-Token': csrfToken()! } : {}),
        ...opts.headers,
      },
      body: opts.file ?? (opts.body !== undefined ? JSON.stringify(opts.body) : null),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e instanceof Error ? e.message : String(e));
  }
  let body: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) throw new NetworkError(`Invalid JSON from ${url}`);
    }
  }
  if (!res.ok) {
    // Signed out (session ended, idle timeout): the app sends the user to sign in and back.
    if (res.status === 401 && !url.includes('/auth/') && typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
    if (isEnvelope(body)) throw new ApiError(res.status, body.error.code, body.error.message, body.error.message_vi, body.error.details);
    throw new ApiError(res.status, res.status >= 500 ? 'internal' : 'http_error', `HTTP ${res.status}`, `Lỗi máy chủ (HTTP ${res.status})`);
  }
  return { data: body as T, etag: res.headers.get('ETag') };
}

/** POST a file as the request body (the server checks its type by content). */
export async function postFile<T>(url: string, file: Blob, contentType?: string): Promise<T> {
  return (await request<T>('POST', url, { file, ...(contentType ? { headers: { 'Content-Type': contentType } } : {}) })).data;
}

export async function apiGet<T>(path: string, params?: Record<string, string | number | undefined | null>, signal?: AbortSignal): Promise<T> {
  return (await request<T>('GET', apiUrl(path, params), signal ? { signal } : {})).data;
}
