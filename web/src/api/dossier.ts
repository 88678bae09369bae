/**
 * Hồ sơ công nhận (issue 7): recognition and revocation dossiers, residents' comments and the
 * public transparency portal. Types follow the HTTP contract (docs/dossier-api.md); one hook per
 * endpoint. Signed-in writes send the dossier's `version`; a 409 `version_conflict` is shown and
 * the dossier reloaded (see `isVersionConflict`). The public hooks call `/public/*` only: they work
 * for an anonymous visitor on any server. Loaded only by the lazy dossier and public pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { ApiError, apiGet, apiUrl, postFile, request } from './client.ts';

// The types are the HTTP contract's (type-only imports: nothing of the server reaches the bundle).
import type { Bilingual as BilingualSchema } from '../../../src/http/schemas/common.schema.ts';
import type { DocumentVersionSchema, DossierDetailSchema, DossierListItemSchema } from '../../../src/http/schemas/dossier.schema.ts';
import type { CommentBody, CommentReceiptSchema, ConsentPurposeSchema, ModeratedCommentSchema, PublicDossierSchema, WithdrawResultSchema } from '../../../src/http/schemas/consultation.schema.ts';
import type { OpenConsultationSchema, PublicRecognitionRowSchema } from '../../../src/http/schemas/transparency.schema.ts';
import type { RevocationAlertSchema } from '../../../src/http/schemas/revocation-alert.schema.ts';

export type Bilingual = Static<typeof BilingualSchema>;
export type DossierListItem = Static<typeof DossierListItemSchema>;
export type DossierDetail = Static<typeof DossierDetailSchema>;
export type DocumentVersion = Static<typeof DocumentVersionSchema>;
export type Risk = DossierListItem['stepRisk'];
export type DossierStep = DossierDetail['steps'][number];
export type DossierDocument = DossierDetail['documents'][number];
export type DossierTransition = DossierDetail['transitions'][number];
export type DossierActionOption = DossierDetail['actions'][number];
export type RevocationAlert = Static<typeof RevocationAlertSchema>;
export type PublicConsultation = Static<typeof OpenConsultationSchema>;
export type PublicRecognitionRow = Static<typeof PublicRecognitionRowSchema>;
export type PublicDossier = Static<typeof PublicDossierSchema>;
export type ModeratedComment = Static<typeof ModeratedCommentSchema>;
export type CommentReceipt = Static<typeof CommentReceiptSchema>;
export type ConsentPurpose = Static<typeof ConsentPurposeSchema>;
/** What the comment form sends (the dossier is in the URL). */
export type PublicCommentInput = Static<typeof CommentBody>;
type WithdrawResult = Static<typeof WithdrawResultSchema>;

export const dossierKeys = {
  all: ['dossier'] as const,
  list: (q: Record<string, string | number | undefined>) => ['dossier', 'list', JSON.stringify(q)] as const,
  one: (id: number) => ['dossier', 'one', id] as const,
  comments: (id: number) => ['dossier', 'comments', id] as const,
  alerts: () => ['dossier', 'alerts'] as const,
};

export const publicKeys = {
  all: ['public'] as const,
  consultations: () => ['public', 'consultations'] as const,
  dossier: (id: number) => ['public', 'dossier', id] as const,
  recognitions: (q: { provinceId?: string; q?: string }) => ['public', 'recognitions', q.provinceId ?? '', q.q ?? ''] as const,
};

/** The dossier changed since it was read (409 `version_conflict`; other 409s, e.g. a duplicate dossier, are not). */
export function isVersionConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'version_conflict';
}

export function useDossiers(q: { unitId?: string; open?: '1' | '0'; kind?: string }) {
  return useQuery({
    queryKey: dossierKeys.list(q),
    queryFn: ({ signal }) => apiGet<{ items: DossierListItem[] }>('/dossiers', q, signal),
    select: (d) => d.items,
  });
}

export function useDossier(id: number) {
  return useQuery({ queryKey: dossierKeys.one(id), queryFn: ({ signal }) => apiGet<DossierDetail>(`/dossiers/${id}`, undefined, signal), staleTime: 0 });
}

export function useDossierComments(id: number) {
  return useQuery({
    queryKey: dossierKeys.comments(id),
    queryFn: ({ signal }) => apiGet<{ items: ModeratedComment[] }>(`/dossiers/${id}/comments`, undefined, signal),
    select: (d) => d.items,
    staleTime: 0,
  });
}

export function useRevocationAlerts() {
  return useQuery({
    queryKey: dossierKeys.alerts(),
    queryFn: ({ signal }) => apiGet<{ items: RevocationAlert[] }>('/revocation-alerts', { status: 'open' }, signal),
    select: (d) => d.items,
  });
}

/**
 * A signed-in write (JSON). On success the dossier's queries are refetched; on a version
 * conflict too, so the page shows the current data under the conflict message.
 */
export function useDossierWrite<T = DossierDetail>(events: { onConflict?: () => void; onDone?: () => void } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (w: { method: 'POST' | 'PUT'; path: string; body?: unknown }) => (await request<T>(w.method, apiUrl(w.path), w.body !== undefined ? { body: w.body } : {})).data,
    onSuccess: () => events.onDone?.(),
    onError: (error) => {
      if (isVersionConflict(error)) events.onConflict?.();
    },
    onSettled: (_d, error) => {
      if (!error || isVersionConflict(error)) void qc.invalidateQueries({ queryKey: dossierKeys.all });
    },
  });
}

/** Upload one file as raw bytes (like the review attachments): POST /dossiers/:id/documents/:type. */
export async function uploadDossierDocument(dossierId: number, type: string, file: File, note?: string): Promise<DossierDetail> {
  const url = apiUrl(`/dossiers/${dossierId}/documents/${encodeURIComponent(type)}`, { filename: file.name, note: note || null });
  return postFile<DossierDetail>(url, file);
}

export function draftUrl(dossierId: number, type: string): string {
  return apiUrl(`/dossiers/${dossierId}/drafts/${encodeURIComponent(type)}`);
}

/** A document version's address: the server's `url`, or the download route. */
export function documentVersionUrl(v: DocumentVersion): string {
  return v.url || apiUrl(`/dossier-documents/${v.id}`);
}

// ——— Public (no sign-in) ———

export function usePublicConsultations() {
  return useQuery({
    queryKey: publicKeys.consultations(),
    queryFn: ({ signal }) => apiGet<{ items: PublicConsultation[] }>('/public/consultations', undefined, signal),
    select: (d) => d.items,
  });
}

export function usePublicDossier(id: number) {
  return useQuery({ queryKey: publicKeys.dossier(id), queryFn: ({ signal }) => apiGet<PublicDossier>(`/public/dossiers/${id}`, undefined, signal), staleTime: 0 });
}

export function usePublicRecognitions(q: { provinceId?: string; q?: string }) {
  return useQuery({
    queryKey: publicKeys.recognitions(q),
    queryFn: ({ signal }) => apiGet<{ items: PublicRecognitionRow[] }>('/public/recognitions', q, signal),
    select: (d) => d.items,
    placeholderData: (prev) => prev,
  });
}


export async function postPublicComment(dossierId: number, input: PublicCommentInput): Promise<CommentReceipt> {
  return (await request<CommentReceipt>('POST', apiUrl(`/public/dossiers/${dossierId}/comments`), { body: input })).data;
}

/** Rút lại sự đồng ý with the code given on sending. */
export async function withdrawPublicConsent(code: string): Promise<WithdrawResult> {
  return (await request<WithdrawResult>('POST', apiUrl('/public/comments/withdraw'), { body: { code } })).data;
}
