/** Who is reading: the `GET /auth/me` query, in a module of its own so the first view carries only this. */
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { SessionInfo } from './api.ts';

export const ME_KEY = ['auth', 'me'] as const;

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: ({ signal }) => apiGet<SessionInfo>('/auth/me', undefined, signal), staleTime: 30_000 });
}
