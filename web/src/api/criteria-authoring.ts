/**
 * Bộ tiêu chí soạn trong ứng dụng (issue 13): the stored versions of provincial sets — drafts,
 * edits, source copies, four-eyes verification, impact and publishing. Types are the HTTP
 * contract's (src/http/schemas/criteria-authoring.schema.ts, type-only imports: nothing of the
 * server reaches the bundle); the two diffs and the document are `unknown` in the contract, typed
 * here from the catalogue's own types. One hook per endpoint; writes send the version read
 * (If-Match) and a 409 `version_conflict` reloads the version. Loaded only by the lazy catalogue pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { ApiError, apiGet, apiUrl, postFile, request } from './client.ts';
import type { AuthoredVersionSchema, AuthoredVersionSummarySchema, ImpactSchema, NewDraftBody } from '../../../src/http/schemas/criteria-authoring.schema.ts';
import type { SetDiff } from '../../../src/catalog/diff.ts';
import type { IndicatorFile } from '../../../src/catalog/set-file.ts';

export type AuthoredSummary = Static<typeof AuthoredVersionSummarySchema>;
export type AuthoredVersion = Omit<Static<typeof AuthoredVersionSchema>, 'diffFromBase' | 'diffFromPrevious'> & {
  diffFromBase: SetDiff | null;
  diffFromPrevious: SetDiff | null;
};
export type { SetDiff };
export type Impact = Static<typeof ImpactSchema>;
export type NewDraftInput = Static<typeof NewDraftBody>;
export type Reevaluation = NonNullable<AuthoredSummary['reevaluation']>;
export type IndicatorMeta = AuthoredVersion['indicators'][string];
export type ResolvedSet = NonNullable<AuthoredVersion['resolved']>;
export type ResolvedCriterion = ResolvedSet['criteria'][number];
export type ResolvedIndicator = ResolvedCriterion['indicators'][number];
/** An indicator as the editor sends it (the set file format, docs/catalog.md): never `official` — a second officer makes it so. */
export type IndicatorInput = Omit<IndicatorFile, 'verified' | 'provenance'> & {
  verified: false;
  provenance: { level: 'secondary' | 'reconstructed'; source: { number: string; date: string | null; issuer: string | null; ref: string | null; url: string | null } | null };
};

/** One edit of a draft (PATCH body's `edit`). */
export type SetEditInput =
  | { op: 'put'; criterion: string; indicator: IndicatorInput }
  | { op: 'remove'; indicator: string }
  | { op: 'criterion'; criterion: string; critical: boolean }
  | { op: 'header'; name?: string; validFrom?: string; validTo?: string | null };

export const authoringKeys = {
  all: ['criteria-authoring'] as const,
  list: ['criteria-authoring', 'list'] as const,
  version: (id: string, v: number) => ['criteria-authoring', 'version', id, v] as const,
  impact: (id: string, v: number, rev: number) => ['criteria-authoring', 'impact', id, v, rev] as const,
};

const path = (id: string, v: number) => `/criteria-sets/${encodeURIComponent(id)}/versions/${v}`;

/** A field problem of the error envelope (`details.fields`). */
export interface FieldProblem {
  field: string;
  message: string;
  message_vi: string;
}

export function fieldProblems(e: unknown): FieldProblem[] {
  if (!(e instanceof ApiError)) return [];
  const f = e.details?.fields;
  return Array.isArray(f) ? f.filter((x): x is FieldProblem => typeof x === 'object' && x !== null && typeof (x as FieldProblem).field === 'string') : [];
}

export function isVersionConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'version_conflict';
}

export function useAuthoredSets() {
  return useQuery({
    queryKey: authoringKeys.list,
    queryFn: ({ signal }) => apiGet<{ items: AuthoredSummary[] }>('/criteria-sets/authored', undefined, signal),
    select: (d) => d.items,
    staleTime: 0,
  });
}

/** One version; polled every second while its re-evaluation runs. */
export function useSetVersion(id: string, v: number) {
  return useQuery({
    queryKey: authoringKeys.version(id, v),
    queryFn: ({ signal }) => apiGet<AuthoredVersion>(path(id, v), undefined, signal),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.reevaluation?.state === 'running' ? 1000 : false),
  });
}

/** What publishing would change (asked for when the officer wants to see it). */
export function useImpact(id: string, v: number, rev: number, enabled: boolean) {
  return useQuery({
    queryKey: authoringKeys.impact(id, v, rev),
    queryFn: ({ signal }) => apiGet<Impact>(`${path(id, v)}/impact`, undefined, signal),
    enabled,
    staleTime: 0,
  });
}

export function useCreateDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: NewDraftInput) => (await request<AuthoredVersion>('POST', apiUrl('/criteria-sets'), { body: input })).data,
    onSuccess: (v) => {
      qc.setQueryData(authoringKeys.version(v.setId, v.setVersion), v);
      void qc.invalidateQueries({ queryKey: authoringKeys.list });
    },
  });
}

type Write =
  | { kind: 'edit'; version: number; edit: SetEditInput }
  | { kind: 'verify'; version: number; code: string }
  | { kind: 'publish'; version: number }
  | { kind: 'source'; code: string; file: File };

/**
 * Writes to one version (edit, verify, publish, attach a source copy). The answer is the version
 * as it now is; on a version conflict the version is reloaded so the page shows what changed.
 */
export function useVersionWrite(id: string, v: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (w: Write): Promise<AuthoredVersion> => {
      const headers: Record<string, string> = 'version' in w ? { 'If-Match': `"${w.version}"` } : {};
      switch (w.kind) {
        case 'edit':
          return (await request<AuthoredVersion>('PATCH', apiUrl(path(id, v)), { body: { version: w.version, edit: w.edit }, headers })).data;
        case 'verify':
          return (await request<AuthoredVersion>('POST', apiUrl(`${path(id, v)}/indicators/${encodeURIComponent(w.code)}/verify`), { body: { version: w.version }, headers })).data;
        case 'publish':
          return (await request<AuthoredVersion>('POST', apiUrl(`${path(id, v)}/publish`), { body: { version: w.version }, headers })).data;
        case 'source':
          return postFile<AuthoredVersion>(apiUrl(`${path(id, v)}/indicators/${encodeURIComponent(w.code)}/source`, { filename: w.file.name }), w.file);
      }
    },
    onSuccess: (data, w) => {
      qc.setQueryData(authoringKeys.version(id, v), data);
      void qc.invalidateQueries({ queryKey: authoringKeys.list });
      if (w.kind === 'publish') void qc.invalidateQueries({ queryKey: ['criteria-sets'] });
    },
    onError: (e) => {
      if (isVersionConflict(e)) void qc.invalidateQueries({ queryKey: authoringKeys.version(id, v) });
    },
  });
}

export function useDiscardDraft(id: string, v: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) => {
      await request<null>('DELETE', apiUrl(path(id, v)), { headers: { 'If-Match': `"${version}"` } });
    },
    onSuccess: () => {
      qc.removeQueries({ queryKey: authoringKeys.version(id, v) });
      void qc.invalidateQueries({ queryKey: authoringKeys.list });
    },
  });
}

/** Where the source copy of an indicator downloads from. */
export function sourceCopyUrl(id: string, v: number, code: string): string {
  return apiUrl(`${path(id, v)}/indicators/${encodeURIComponent(code)}/source`);
}
