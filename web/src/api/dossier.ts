/**
 * Hồ sơ công nhận (issue 7): recognition and revocation dossiers, residents' comments and the
 * public transparency portal. Types follow the HTTP contract (docs/dossier-api.md); one hook per
 * endpoint. Signed-in writes send the dossier's `version`; a 409 `version_conflict` is shown and
 * the dossier reloaded (see `isVersionConflict`). The public hooks call `/public/*` only: they work
 * for an anonymous visitor on any server. Loaded only by the lazy dossier and public pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiUrl, postFile, request } from './client.ts';

export interface Bilingual {
  vi: string;
  en: string;
}
export type Risk = 'none' | 'ok' | 'at_risk' | 'overdue';

export interface DossierListItem {
  id: number;
  unitId: string;
  unitName: string;
  kind: 'recognition' | 'revocation';
  level: string;
  levelName: Bilingual;
  procedure: 'three-level' | 'two-level' | 'revocation';
  procedureName: Bilingual;
  state: string;
  stateName: Bilingual;
  stepRole: string | null;
  closed: boolean;
  stateSince: string;
  dueOn: string | null;
  workingDaysLeft: number | null;
  stepRisk: Risk;
  deadline: string | null;
  deadlineDaysLeft: number | null;
  deadlineRisk: Risk;
  version: number;
  openedOn: string;
  closedOn: string | null;
}

export interface DossierStep {
  id: string;
  name: Bilingual;
  role: string | null;
  limitDays: number | null;
  publicConsultation: boolean;
  status: 'done' | 'current' | 'pending';
  enteredOn: string | null;
  dueOn: string | null;
}

export interface DocumentVersion {
  id: number;
  version: number;
  filename: string;
  contentType: string;
  size: number;
  note: string | null;
  createdBy: string;
  createdAt: string;
  url: string;
}

export interface DossierDocument {
  type: string;
  name: Bilingual;
  requiredNow: boolean;
  requiredAt: string[];
  draft: boolean;
  versions: DocumentVersion[];
}

export interface DossierTransition {
  seq: number;
  action: string;
  actionName: Bilingual;
  from: string | null;
  fromName: Bilingual | null;
  to: string;
  toName: Bilingual;
  onDate: string;
  actor: string;
  actorRole: string | null;
  comment: string | null;
  at: string;
}

export interface DossierActionOption {
  action: string;
  name: Bilingual;
  to: string;
  needsComment: boolean;
  returnTo: { id: string; name: Bilingual }[];
  allowed: boolean;
  reason: Bilingual | null;
}

export interface DossierDetail extends DossierListItem {
  setId: string;
  baseReview: { id: number; date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number; criteriaNotMet: string[] } | null;
  steps: DossierStep[];
  preconditions: { code: string; met: boolean; name: Bilingual; detail: Bilingual }[];
  satisfactionRate: number | null;
  satisfactionRequired: number;
  noConstructionDebt: boolean | null;
  securityOk: boolean | null;
  documents: DossierDocument[];
  transitions: DossierTransition[];
  actions: DossierActionOption[];
  consultationOpen: boolean;
  publicUrl: string | null;
  commentCounts: { pending: number; published: number; rejected: number };
  recognition: { id: number; level: string; decisionNo: string; decidedOn: string; signer: string | null; revokedOn: string | null } | null;
  alertId: number | null;
}

export interface ModeratedComment {
  id: number;
  dossierId: number;
  stage: string;
  stageName: Bilingual;
  body: string;
  authorName: string | null;
  contact: string | null;
  consents: { purpose: string; granted: boolean; at: string }[];
  status: 'pending' | 'published' | 'rejected';
  createdAt: string;
  moderatedBy: string | null;
  moderatedAt: string | null;
  moderationNote: string | null;
  deleteAfter: string;
  personalDataErased: boolean;
}

export interface RevocationAlert {
  id: number;
  unitId: string;
  unitName: string;
  reviewId: number;
  reviewDate: string;
  recognitionId: number;
  level: string;
  levelName: Bilingual;
  decisionNo: string;
  rule: string;
  failingCriteria: string[];
  reason: Bilingual;
  status: 'open' | 'dossier_opened' | 'dismissed';
  dossierId: number | null;
  createdAt: string;
}

export interface PublicConsultation {
  dossierId: number;
  unitId: string;
  unitName: string;
  provinceName: string;
  level: string;
  levelName: Bilingual;
  stage: string;
  stageName: Bilingual;
  openedOn: string;
  closesOn: string | null;
}

export type ConsentPurpose = 'publish_name' | 'contact_reply';

export interface PublicDossier {
  dossierId: number;
  unit: { id: string; name: string; parentName: string | null };
  level: string;
  levelName: Bilingual;
  stage: string;
  stageName: Bilingual;
  open: boolean;
  openedOn: string;
  closesOn: string | null;
  review: { date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number } | null;
  criteria: { code: string; name: string; status: 'met' | 'not_met' | 'not_applicable' | 'not_evaluable'; indicatorsMet: number; indicatorsTotal: number }[];
  comments: { id: number; body: string; authorName: string | null; createdAt: string }[];
  form: {
    token: string;
    minSeconds: number;
    maxLength: number;
    notice: { version: string; controller: string; purposes: { purpose: ConsentPurpose; text: Bilingual }[]; retentionDays: number };
  };
}

export interface PublicRecognitionRow {
  unitId: string;
  name: string;
  provinceId: string;
  provinceName: string;
  currentLevel: string | null;
  currentLevelName: Bilingual | null;
  recognitions: { level: string; levelName: Bilingual; decisionNo: string; decidedOn: string; revokedOn: string | null }[];
}

export interface PublicCommentInput {
  body: string;
  name?: string;
  contact?: string;
  consents: Record<ConsentPurpose, boolean>;
  token: string;
  website: string;
}

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

export interface CommentReceipt {
  id: number;
  status: 'pending';
  message: Bilingual;
  /** Shown once: withdraws the consents and erases name and contact. */
  withdrawCode: string;
}

export async function postPublicComment(dossierId: number, input: PublicCommentInput): Promise<CommentReceipt> {
  return (await request<CommentReceipt>('POST', apiUrl(`/public/dossiers/${dossierId}/comments`), { body: input })).data;
}

/** Rút lại sự đồng ý with the code given on sending. */
export async function withdrawPublicConsent(code: string): Promise<{ id: number; message: Bilingual }> {
  return (await request<{ id: number; message: Bilingual }>('POST', apiUrl('/public/comments/withdraw'), { body: { code } })).data;
}
