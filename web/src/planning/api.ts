/**
 * Hỗ trợ quyết định — the decision-support calls (`/plans/…`, `/meetings/:id/allocation-proposals`):
 * response types from the HTTP contract (src/http/schemas/plan.schema.ts, `import type` only) and
 * one hook per endpoint. Loaded with the decision-support page and the overview's card only.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { apiGet, apiUrl, ApiError, csrfToken, NetworkError, request } from '../api/client.ts';
import type {
  CommuneGapSchema,
  CostDefaultsSchema,
  CostDefaultViewSchema,
  GapAnalysisSchema,
  IndicatorGapSchema,
  PriorityPlanSchema,
  ProposalSchema,
  UnitAllocationBody,
  UnitAllocationSchema,
} from '../../../src/http/schemas/plan.schema.ts';
import type { CommitteeSummarySchema } from '../../../src/http/schemas/committee.schema.ts';
import type { MeetingSummarySchema } from '../../../src/http/schemas/meeting.schema.ts';

export type GapAnalysis = Static<typeof GapAnalysisSchema>;
export type CommuneGap = Static<typeof CommuneGapSchema>;
export type IndicatorGap = Static<typeof IndicatorGapSchema>;
export type PriorityPlan = Static<typeof PriorityPlanSchema>;
export type PriorityItem = PriorityPlan['items'][number];
export type CostDefaults = Static<typeof CostDefaultsSchema>;
export type CostDefaultView = Static<typeof CostDefaultViewSchema>;
export type UnitAllocation = Static<typeof UnitAllocationSchema>;
export type AllocationRequest = Static<typeof UnitAllocationBody>;
export type Proposal = Static<typeof ProposalSchema>;
export type Candidate = UnitAllocation['candidates'][number];
export type PriorityGoal = PriorityPlan['goal'];
export type CommitteeSummary = Static<typeof CommitteeSummarySchema>;
export type MeetingSummary = Static<typeof MeetingSummarySchema>;

export const planKeys = {
  all: ['plans'] as const,
  gaps: (unitId: string, date: string) => ['plans', 'gaps', unitId, date] as const,
  priorities: (communeId: string, date: string, goal: PriorityGoal) => ['plans', 'priorities', communeId, date, goal] as const,
  defaults: (unitId: string, setId: string) => ['plans', 'defaults', unitId, setId] as const,
  allocation: (body: AllocationRequest) => ['plans', 'allocation', JSON.stringify(body)] as const,
};

export function useGaps(unitId: string | undefined, date: string, enabled = true) {
  return useQuery({
    queryKey: planKeys.gaps(unitId ?? '', date),
    queryFn: ({ signal }) => apiGet<GapAnalysis>('/plans/gaps', { unitId, date }, signal),
    enabled: enabled && !!unitId,
  });
}

export function usePriorities(communeId: string, date: string, goal: PriorityGoal) {
  return useQuery({
    queryKey: planKeys.priorities(communeId, date, goal),
    queryFn: ({ signal }) => apiGet<PriorityPlan>('/plans/priorities', { unitId: communeId, date, goal }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCostDefaults(unitId: string, setId: string | null) {
  return useQuery({
    queryKey: planKeys.defaults(unitId, setId ?? ''),
    queryFn: ({ signal }) => apiGet<CostDefaults>('/plans/cost-defaults', { unitId, setId }, signal),
    enabled: !!setId,
  });
}

/**
 * The allocation for a request (`POST /plans/allocation`): a read, so a query keyed by the body.
 * The previous answer stays on screen while the next is computed (`isPlaceholderData`).
 */
export function useAllocation(body: AllocationRequest | null) {
  return useQuery({
    queryKey: body ? planKeys.allocation(body) : ['plans', 'allocation', 'none'],
    queryFn: async ({ signal }) => (await request<UnitAllocation>('POST', apiUrl('/plans/allocation'), { body, signal })).data,
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The unit's steering committees on the date (for saving a proposal); only when asked for. */
export function useUnitCommittees(unitId: string, date: string, enabled: boolean) {
  return useQuery({
    queryKey: ['plans', 'committees', unitId, date],
    queryFn: ({ signal }) => apiGet<{ items: CommitteeSummary[] }>('/committees', { unitId, date }, signal),
    enabled,
    select: (d) => d.items.filter((c) => c.unitId === unitId),
  });
}

export function useCommitteeMeetings(committeeId: number | null) {
  return useQuery({
    queryKey: ['plans', 'meetings', committeeId ?? 0],
    queryFn: ({ signal }) => apiGet<{ items: MeetingSummary[] }>('/meetings', { committeeId: committeeId ?? undefined }, signal),
    enabled: committeeId !== null,
    select: (d) => d.items.filter((m) => !m.deleted),
  });
}

/** Set or remove a province default (PUT / DELETE with the version read); refetches the table. */
export function useCostDefaultWrite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (w: { method: 'PUT'; body: { unitId: string; setId: string; code: string; cost: number | null; days: number | null; note?: string; version?: number } } | { method: 'DELETE'; params: { unitId: string; setId: string; code: string; version: number } }) =>
      w.method === 'PUT' ? (await request<CostDefaultView>('PUT', apiUrl('/plans/cost-defaults'), { body: w.body })).data : (await request<null>('DELETE', apiUrl('/plans/cost-defaults', w.params))).data,
    onSettled: () => qc.invalidateQueries({ queryKey: ['plans'] }),
  });
}

export function useSaveProposal() {
  return useMutation({
    mutationFn: async (w: { meetingId: number; body: AllocationRequest & { title?: string } }) => (await request<Proposal>('POST', apiUrl(`/meetings/${w.meetingId}/allocation-proposals`), { body: w.body })).data,
  });
}

/** The file name of a `Content-Disposition` header (RFC 5987 `filename*` first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}

function envelopeOf(text: string): { code: string; message: string; message_vi: string; details?: Record<string, unknown> } | null {
  try {
    const body = JSON.parse(text) as { error?: { code: string; message: string; message_vi: string; details?: Record<string, unknown> } };
    return body.error ?? null;
  } catch {
    return null;
  }
}

/**
 * POST the allocation request to an export route (`/plans/allocation.xlsx`, `.docx`) and save the
 * answer as a file: the downloads of the app are links, but these take a body (the what-if).
 */
export async function downloadAllocation(kind: 'xlsx' | 'docx', body: AllocationRequest): Promise<string> {
  let res: Response;
  try {
    res = await fetch(apiUrl(`/plans/allocation.${kind}`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: '*/*', ...(csrfToken() ? { 'X-CSRF-Token': csrfToken()! } : {}) },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const env = envelopeOf(await res.text());
    if (env) throw new ApiError(res.status, env.code, env.message, env.message_vi, env.details);
    throw new ApiError(res.status, 'http_error', `HTTP ${res.status}`, `Lỗi máy chủ (HTTP ${res.status})`);
  }
  const blob = await res.blob();
  const name = fileNameOf(res.headers.get('Content-Disposition'), `phan-bo-kinh-phi-${body.unitId.replace(/[^0-9A-Za-z-]+/g, '-')}-${body.date}.${kind}`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
