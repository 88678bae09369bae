/**
 * Start what the first page needs before React has rendered anything: the unit and, guessed from
 * the code's length (province 2 digits, district 3, commune 5), its summary or commune page, and
 * the page's code. Saves the round trips that would otherwise run one after another
 * (render → unit → page chunk → summary).
 */
import type { QueryClient } from '@tanstack/react-query';
import { apiGet } from './api/client.ts';
import { queryKeys } from './api/hooks.ts';
import { isIsoDate, todayIso } from './format.ts';
import { HOME_UNITS } from './config.ts';

const unitUrl = /^\/units\/([^/?#]+)$/;

export function isCommuneId(id: string): boolean {
  return /^\d{5}@/.test(id);
}

export const loadOverviewPage = () => import('./pages/OverviewPage.tsx');
export const loadCommunePage = () => import('./pages/CommunePage.tsx');

export function prefetchFor(qc: QueryClient, pathname: string, search: string): void {
  // Every page waits for it (the demo banner above the page, see AppLayout).
  void qc.prefetchQuery({ queryKey: queryKeys.health, queryFn: () => apiGet('/health'), staleTime: 5 * 60_000 });
  const raw = new URLSearchParams(search).get('date');
  const date = isIsoDate(raw) ? raw : todayIso();
  if (pathname === '/') {
    // The home page redirects to the demo province (see HomeRedirect).
    const id = date >= HOME_UNITS.mergeOn ? HOME_UNITS.after : HOME_UNITS.before;
    void loadOverviewPage();
    void qc.prefetchQuery({ queryKey: queryKeys.summary(id, date), queryFn: () => apiGet(`/units/${id}/summary`, { date }) });
    void qc.prefetchQuery({ queryKey: queryKeys.unit(id), queryFn: () => apiGet(`/units/${id}`), staleTime: 10 * 60_000 });
    return;
  }
  const m = unitUrl.exec(pathname);
  if (!m) return;
  const id = decodeURIComponent(m[1]!);
  const enc = encodeURIComponent(id).replace(/%40/g, '@');
  void qc.prefetchQuery({ queryKey: queryKeys.unit(id), queryFn: () => apiGet(`/units/${enc}`), staleTime: 10 * 60_000 });
  if (isCommuneId(id)) {
    void loadCommunePage();
    void qc.prefetchQuery({ queryKey: queryKeys.communePage(id, date), queryFn: () => apiGet(`/units/${enc}/commune-page`, { date }) });
  } else {
    void loadOverviewPage();
    void qc.prefetchQuery({ queryKey: queryKeys.summary(id, date), queryFn: () => apiGet(`/units/${enc}/summary`, { date }) });
  }
}
