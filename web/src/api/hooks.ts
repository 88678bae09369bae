/**
 * Data hooks: one per endpoint, keyed so the cache is shared between pages. Client errors
 * (4xx) are not retried: they are answers (unit not valid on that date, not found), not glitches.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiUrl, postFile, request } from './client.ts';
import type {
  AttachmentInfo,
  CommunePageData,
  CriteriaSet,
  CriteriaSetListItem,
  ProvinceMap,
  UnitTree,
  Health,
  ReviewDetailData,
  TrendPoint,
  UnitDetail,
  UnitRef,
  UnitSearchHit,
  UnitSummary,
} from './types.ts';

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 2;
}

export const queryKeys = {
  health: ['health'] as const,
  unit: (id: string) => ['unit', id] as const,
  children: (id: string) => ['unit', id, 'children'] as const,
  summary: (id: string, date: string) => ['unit', id, 'summary', date] as const,
  trend: (id: string, date: string) => ['unit', id, 'trend', date] as const,
  communePage: (id: string, date: string) => ['unit', id, 'commune-page', date] as const,
  search: (q: string) => ['units', 'search', q] as const,
  criteriaSets: ['criteria-sets'] as const,
  criteriaDefinition: (id: string, date?: string) => ['criteria-sets', id, 'definition', date ?? null] as const,
  review: (id: number) => ['review', id] as const,
  attachments: (reviewId: number) => ['review', reviewId, 'attachments'] as const,
  provinceMap: (date: string) => ['map', 'provinces', date] as const,
  tree: (date: string) => ['units', 'tree', date] as const,
};

/** Unit ids keep their `@` (`13510@2025-03`); everything else is escaped. */
const enc = (id: string) => encodeURIComponent(id).replace(/%40/g, '@');

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => apiGet<Health>('/health', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useUnit(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.unit(id ?? ''),
    queryFn: ({ signal }) => apiGet<UnitDetail>(`/units/${enc(id!)}`, undefined, signal),
    enabled: !!id,
    staleTime: 10 * 60_000,
  });
}

export function useUnitChildren(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.children(id ?? ''),
    queryFn: ({ signal }) => apiGet<{ items: UnitRef[] }>(`/units/${enc(id!)}/children`, undefined, signal),
    enabled: !!id && enabled,
    staleTime: 10 * 60_000,
    select: (d) => d.items,
  });
}

export function useUnitSummary(id: string | undefined, date: string) {
  return useQuery({
    queryKey: queryKeys.summary(id ?? '', date),
    queryFn: ({ signal }) => apiGet<UnitSummary>(`/units/${enc(id!)}/summary`, { date }, signal),
    enabled: !!id,
  });
}

export function useUnitTrend(id: string | undefined, date: string) {
  return useQuery({
    queryKey: queryKeys.trend(id ?? '', date),
    queryFn: ({ signal }) => apiGet<{ points: TrendPoint[] }>(`/units/${enc(id!)}/trend`, { date }, signal),
    enabled: !!id,
    select: (d) => d.points,
  });
}

export function useCommunePage(id: string | undefined, date: string) {
  return useQuery({
    queryKey: queryKeys.communePage(id ?? '', date),
    queryFn: ({ signal }) => apiGet<CommunePageData>(`/units/${enc(id!)}/commune-page`, { date }, signal),
    enabled: !!id,
  });
}

/**
 * Search as you type; the server matches without accents ("trang an" finds "Tràng An"). Across
 * both unit lists (no date filter): a commune merged in 2025 must still be findable by its name.
 */
export function useUnitSearch(q: string, limit = 20) {
  const term = q.trim();
  return useQuery({
    queryKey: queryKeys.search(term),
    queryFn: ({ signal }) => apiGet<{ items: UnitSearchHit[] }>('/units/search', { q: term, limit }, signal),
    enabled: term.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    select: (d) => d.items,
  });
}

export function useCriteriaSets() {
  return useQuery({
    queryKey: queryKeys.criteriaSets,
    queryFn: ({ signal }) => apiGet<{ items: CriteriaSetListItem[] } | CriteriaSetListItem[]>('/criteria-sets', undefined, signal),
    staleTime: 30 * 60_000,
    select: (d) => (Array.isArray(d) ? d : d.items),
  });
}

/** A review with its evaluation; `version` (also the ETag) is what an edit must send back. */
export function useReview(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.review(id ?? 0),
    queryFn: async ({ signal }) => (await request<ReviewDetailData>('GET', apiUrl(`/reviews/${id}`), { signal })).data,
    enabled: id !== undefined,
  });
}

export interface ValuesPatch {
  version: number;
  values: Record<string, { value: unknown; note?: string | null }>;
}

/**
 * Save indicator values. A stale `version` fails with ApiError code `version_conflict` (409):
 * callers reload the review and let the officer choose which values to keep.
 */
export function useUpdateReviewValues(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (patch: ValuesPatch) => (await request<ReviewDetailData>('PATCH', apiUrl(`/reviews/${id}/values`), { body: patch })).data,
    onSuccess: (review) => {
      qc.setQueryData(queryKeys.review(id), review);
      void qc.invalidateQueries({ queryKey: ['unit', review.unitId] });
    },
  });
}

/**
 * The resolved criteria set as the engine takes it (for evaluation as the officer types): the
 * version valid on `date` (the review's date), as the server evaluates it.
 */
export function useCriteriaDefinition(id: string | undefined, date?: string) {
  return useQuery({
    queryKey: queryKeys.criteriaDefinition(id ?? '', date),
    queryFn: ({ signal }) => apiGet<CriteriaSet>(`/criteria-sets/${encodeURIComponent(id!)}/definition`, { date }, signal),
    enabled: !!id,
    staleTime: 30 * 60_000,
  });
}

export interface CreateReviewInput {
  unitId: string;
  setId: string;
  reviewedOn: string;
  values?: Record<string, { value: unknown; note?: string | null; evidence?: Array<{ title: string; url?: string | null }> | null }>;
}

export function useCreateReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateReviewInput) => (await request<ReviewDetailData>('POST', apiUrl('/reviews'), { body: input })).data,
    onSuccess: (review) => {
      qc.setQueryData(queryKeys.review(review.id), review);
      void qc.invalidateQueries({ queryKey: ['unit', review.unitId] });
    },
  });
}

/** Submit a draft (with the version read: a stale one fails with 409 `version_conflict`). */
export function useSubmitReview(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) =>
      (await request<ReviewDetailData>('POST', apiUrl(`/reviews/${id}/submit`), { body: { version }, headers: { 'If-Match': `"${version}"` } })).data,
    onSuccess: (review) => {
      qc.setQueryData(queryKeys.review(id), review);
      void qc.invalidateQueries({ queryKey: ['unit'] });
    },
  });
}

export function useAttachments(reviewId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.attachments(reviewId ?? 0),
    queryFn: ({ signal }) => apiGet<{ items: AttachmentInfo[] }>(`/reviews/${reviewId}/attachments`, undefined, signal),
    enabled: reviewId !== undefined,
    select: (d) => d.items,
  });
}

/** Upload one evidence file as the request body (the server checks its type by content). */
export async function uploadAttachment(reviewId: number, file: File, indicatorCode: string | null): Promise<AttachmentInfo> {
  const url = apiUrl(`/reviews/${reviewId}/attachments`, { indicator: indicatorCode, filename: file.name });
  return postFile<AttachmentInfo>(url, file);
}

export function useProvinceMap(date: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.provinceMap(date),
    queryFn: ({ signal }) => apiGet<ProvinceMap>('/map/provinces', { date }, signal),
    enabled,
  });
}

export function useUnitTree(date: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.tree(date),
    queryFn: ({ signal }) => apiGet<UnitTree>('/units/tree', { date }, signal),
    enabled,
    staleTime: 30 * 60_000,
  });
}
