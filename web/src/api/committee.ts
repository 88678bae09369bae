/**
 * Committees, meetings, tasks, action plans and the inbox: response types taken from the HTTP
 * contract (the schemas in src/http/schemas, `import type` only) and one hook per endpoint.
 * Writes send If-Match with the version read; after a write the related queries are refetched.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { apiGet, apiUrl, request } from './client.ts';
import type { CommitteeDetailSchema, CommitteeSummarySchema } from '../../../src/http/schemas/committee.schema.ts';
import type { ConclusionViewSchema, MeetingDetailSchema, MeetingSummarySchema } from '../../../src/http/schemas/meeting.schema.ts';
import type { DirectiveGroupSchema, DirectivesSchema, TaskBoardSchema, TaskDetailSchema, TaskInputBody, TaskViewSchema } from '../../../src/http/schemas/task.schema.ts';
import type { CommunePlanningSchema } from '../../../src/http/schemas/action-plan.schema.ts';
import type { UserInboxSchema } from '../../../src/http/schemas/inbox.schema.ts';

export type CommitteeSummary = Static<typeof CommitteeSummarySchema>;
export type CommitteeDetail = Static<typeof CommitteeDetailSchema>;
export type MeetingSummary = Static<typeof MeetingSummarySchema>;
export type MeetingDetail = Static<typeof MeetingDetailSchema>;
export type ConclusionView = Static<typeof ConclusionViewSchema>;
export type TaskView = Static<typeof TaskViewSchema>;
export type TaskDetail = Static<typeof TaskDetailSchema>;
export type TaskBoard = Static<typeof TaskBoardSchema>;
export type DirectiveGroup = Static<typeof DirectiveGroupSchema>;
/** What a new task sends (inside a conclusion, or with its conclusion). */
export type TaskInput = Static<typeof TaskInputBody>;
export type CommunePlanning = Static<typeof CommunePlanningSchema>;
export type UserInbox = Static<typeof UserInboxSchema>;

const enc = (id: string) => encodeURIComponent(id).replace(/%40/g, '@');

export const committeeKeys = {
  all: ['committee'] as const,
  committees: (unitId: string | undefined, date: string) => ['committee', 'list', unitId ?? '', date] as const,
  committee: (id: number, date: string) => ['committee', 'one', id, date] as const,
  directives: (id: number, date: string) => ['committee', 'directives', id, date] as const,
  meetings: (q: { committeeId?: number; unitId?: string }) => ['committee', 'meetings', q.committeeId ?? 0, q.unitId ?? ''] as const,
  meeting: (id: number, date: string) => ['committee', 'meeting', id, date] as const,
  board: (q: Record<string, string | number | undefined>) => ['committee', 'board', JSON.stringify(q)] as const,
  task: (id: number, date: string) => ['committee', 'task', id, date] as const,
  planning: (unitId: string, date: string) => ['committee', 'planning', unitId, date] as const,
  inbox: (date: string) => ['committee', 'inbox', date] as const,
};

export function useCommittees(unitId: string | undefined, date: string) {
  return useQuery({
    queryKey: committeeKeys.committees(unitId, date),
    queryFn: ({ signal }) => apiGet<{ items: CommitteeSummary[] }>('/committees', { unitId, date }, signal),
    select: (d) => d.items,
  });
}

export function useCommittee(id: number, date: string) {
  return useQuery({ queryKey: committeeKeys.committee(id, date), queryFn: ({ signal }) => apiGet<CommitteeDetail>(`/committees/${id}`, { date }, signal) });
}

export function useDirectives(id: number, date: string) {
  return useQuery({
    queryKey: committeeKeys.directives(id, date),
    queryFn: ({ signal }) => apiGet<Static<typeof DirectivesSchema>>(`/committees/${id}/directives`, { date }, signal),
  });
}

export function useMeetings(q: { committeeId?: number; unitId?: string }) {
  return useQuery({
    queryKey: committeeKeys.meetings(q),
    queryFn: ({ signal }) => apiGet<{ items: MeetingSummary[] }>('/meetings', q, signal),
    select: (d) => d.items,
  });
}

export function useMeeting(id: number, date: string) {
  return useQuery({ queryKey: committeeKeys.meeting(id, date), queryFn: ({ signal }) => apiGet<MeetingDetail>(`/meetings/${id}`, { date }, signal) });
}

/** The risk watch of a meeting's communes on the meeting date: its own request, after the meeting. */
export function useMeetingRisks(id: number, enabled: boolean) {
  return useQuery({ queryKey: [...committeeKeys.meeting(id, ''), 'risks'] as const, queryFn: ({ signal }) => apiGet<UserInbox['risks'][number]>(`/meetings/${id}/risks`, {}, signal), enabled });
}

export function useTaskBoard(q: { unitId?: string; assignee?: string; committeeId?: number; meetingId?: number; date: string }, enabled = true) {
  return useQuery({ queryKey: committeeKeys.board(q), queryFn: ({ signal }) => apiGet<TaskBoard>('/tasks', q, signal), enabled });
}

export function useTask(id: number, date: string) {
  return useQuery({ queryKey: committeeKeys.task(id, date), queryFn: ({ signal }) => apiGet<TaskDetail>(`/tasks/${id}`, { date }, signal) });
}

export function usePlanning(unitId: string, date: string) {
  return useQuery({ queryKey: committeeKeys.planning(unitId, date), queryFn: ({ signal }) => apiGet<CommunePlanning>(`/units/${enc(unitId)}/action-plans`, { date }, signal) });
}

export function useInbox(date: string) {
  return useQuery({ queryKey: committeeKeys.inbox(date), queryFn: ({ signal }) => apiGet<UserInbox>('/inbox', { date }, signal) });
}

/** A write: POST/PATCH with an optional If-Match; refetches every committee query on success. */
export function useCommitteeWrite<T>() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (w: { method: 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; version?: number; params?: Record<string, string | number | undefined> }) =>
      (await request<T>(w.method, apiUrl(w.path, w.params), { ...(w.body !== undefined ? { body: w.body } : {}), ...(w.version !== undefined ? { headers: { 'If-Match': `"${w.version}"` } } : {}) })).data,
    onSuccess: () => qc.invalidateQueries({ queryKey: committeeKeys.all }),
  });
}

export function documentUrl(meetingId: number, kind: 'progress-report' | 'conclusion-notice', params: Record<string, string | undefined> = {}): string {
  return apiUrl(`/meetings/${meetingId}/documents/${kind}.docx`, params);
}

export { enc as encodeId };
