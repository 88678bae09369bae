/** Rendering helpers for component tests (jsdom): providers, a router at a URL, a fake API. */
import type { ReactElement, ReactNode } from 'react';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nProvider } from './i18n/index.tsx';

export interface FakeRoute {
  method?: string;
  /** Matched against the path and query of the request. */
  url: RegExp;
  respond: (req: { url: string; method: string; body: unknown; headers: Record<string, string> }) => { status?: number; body: unknown; headers?: Record<string, string> };
}

/** Replace `fetch` with answers from `routes`; returns the calls made. */
export function fakeApi(routes: FakeRoute[]): Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }> {
  const calls: Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }> = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : init?.body;
    const call = { url, method, body, headers };
    calls.push(call);
    const route = routes.find((r) => (r.method ?? 'GET') === method && r.url.test(url));
    if (!route) return new Response(JSON.stringify({ error: { code: 'not_found', message: `no fake for ${method} ${url}`, message_vi: 'không có' } }), { status: 404 });
    const r = route.respond(call);
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { 'Content-Type': 'application/json', ...r.headers } });
  }) as typeof fetch;
  return calls;
}

export function renderAt(element: ReactElement, { url = '/', path = '*', lang }: { url?: string; path?: string; lang?: 'vi' | 'en' } = {}) {
  if (lang) localStorage.setItem('datchuan.lang', lang);
  else localStorage.removeItem('datchuan.lang');
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const router = createMemoryRouter([{ path, element }], { initialEntries: [url] });
  const wrap = (children: ReactNode) => (
    <QueryClientProvider client={qc}>
      <I18nProvider>{children}</I18nProvider>
    </QueryClientProvider>
  );
  return { ...render(wrap(<RouterProvider router={router} />)), router, qc };
}
