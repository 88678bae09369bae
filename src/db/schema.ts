/**
 * Row types of the database, kept apart from domain types and mapped at the repository edge.
 * Dates are ISO `YYYY-MM-DD` text, timestamps ISO-8601 UTC text, JSON as text: one shape on
 * SQLite and PostgreSQL. Flags are integers 0/1 for the same reason.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UnitListTable {
  id: string;
  name: string;
  valid_from: string | null;
  valid_to: string | null;
  source: string;
  imported_at: string;
}

export interface UnitTable {
  /** `<code>@<list>`: identity is code + list version, never the code alone. */
  id: string;
  list_id: string;
  code: string;
  name: string;
  /** Type + name as people write it: "Xã Tràng An". */
  full_name: string;
  name_folded: string;
  type: string;
  level: 'province' | 'district' | 'commune';
  parent_id: string | null;
  province_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface UnitLineageTable {
  predecessor_id: string;
  successor_id: string;
  part: 'full' | 'partial';
  effective_on: string;
}

export interface UnitAttributeTable {
  id: Generated<number>;
  unit_id: string;
  name: 'region' | 'group' | 'special';
  value: string | null;
  valid_from: string | null;
  valid_to: string | null;
  source: string;
  created_at: string;
}

export interface ReviewTable {
  id: Generated<number>;
  unit_id: string;
  set_id: string;
  reviewed_on: string;
  status: 'draft' | 'submitted';
  title: string | null;
  note: string | null;
  version: number;
  is_demo: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
}

export interface IndicatorValueTable {
  id: Generated<number>;
  review_id: number;
  indicator_code: string;
  /** 1, 2, 3… per (review, indicator): append-only history. */
  seq: number;
  value_json: string;
  note: string | null;
  evidence_json: string | null;
  entered_by: string;
  entered_at: string;
  source: string;
  restored_from_seq: number | null;
}

export interface ReviewEvaluationTable {
  review_id: number;
  review_version: number;
  catalog_hash: string;
  criteria_met: number;
  criteria_total: number;
  indicators_met: number;
  indicators_total: number;
  not_evaluable: number;
  not_applicable: number;
  level: string | null;
  meets_standard: number;
  /** One status letter per criterion in set order: M met, N not met, E not evaluable, A not applicable. */
  criteria_status: string;
  /** The engine's inputs (profile, recognised levels, values) as JSON: the verdict is derived again from them. */
  inputs_json: string;
  computed_at: string;
}

export interface RecognitionTable {
  id: Generated<number>;
  unit_id: string;
  level: string;
  set_id: string | null;
  decision_no: string;
  decided_on: string;
  signer: string | null;
  note: string | null;
  is_demo: number;
  created_at: string;
  /** The dossier whose decision this is (null for recognitions imported or seeded without one). */
  dossier_id: number | null;
  /** Set when a revocation decision withdrew it. */
  revoked_on: string | null;
  revoked_by_dossier_id: number | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor: string;
  source: 'web' | 'api' | 'cli' | 'import' | 'system';
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string;
  unit_id: string | null;
  before_json: string | null;
  after_json: string | null;
  /** Place in the hash chain (1, 2, 3…); null only never (backfilled by the migration). */
  seq: number | null;
  prev_hash: string | null;
  /** SHA-256 over the canonical serialisation of this row and `prev_hash` (see audit.repository.ts). */
  hash: string | null;
}

/** Tài khoản — a person's account. Passwords only as scrypt hashes with their parameters. */
export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: string | null;
  /** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` */
  password_hash: string;
  password_changed_at: string;
  must_change_password: number;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: string | null;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  last_login_ip: string | null;
  mfa_enabled: number;
  /** The TOTP secret, encrypted with DATCHUAN_SECRET_KEY when set (`v1:`), else `plain:`. */
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  totp_last_step: number | null;
  is_demo: number;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

/** Phân quyền — a role on a unit's subtree (NULL unit: everywhere) for a period. */
export interface RoleGrantTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  unit_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  granted_by: string;
  granted_at: string;
  revoked_by: string | null;
  revoked_at: string | null;
}

export interface UserSessionTable {
  /** SHA-256 (hex) of the cookie value. */
  id: string;
  user_id: number;
  /** `mfa`: password checked, second factor pending; `active`: signed in. */
  stage: 'mfa' | 'active';
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  idle_seconds: number;
  ip: string | null;
  user_agent: string | null;
  /** When this session last proved the password (and second factor): sign-in or `POST /auth/reauth`. */
  reauthenticated_at: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  /** First characters of the token, to recognise it in lists. */
  prefix: string;
  actions_json: string;
  units_json: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_by: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  created_at: string;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface Database {
  unit_list: UnitListTable;
  unit: UnitTable;
  unit_lineage: UnitLineageTable;
  unit_attribute: UnitAttributeTable;
  review: ReviewTable;
  indicator_value: IndicatorValueTable;
  review_evaluation: ReviewEvaluationTable;
  recognition: RecognitionTable;
  audit_event: AuditEventTable;
  app_meta: AppMetaTable;
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  recovery_code: RecoveryCodeTable;
  password_history: PasswordHistoryTable;
  committee: CommitteeTable;
  committee_member: CommitteeMemberTable;
  meeting: MeetingTable;
  meeting_unit: MeetingUnitTable;
  meeting_participant: MeetingParticipantTable;
  conclusion: ConclusionTable;
  task: TaskTable;
  task_update: TaskUpdateTable;
  action_plan: ActionPlanTable;
  action_plan_item: ActionPlanItemTable;
  funding_line: FundingLineTable;
  budget_request: BudgetRequestTable;
  reminder_log: ReminderLogTable;
  indicator_cost_default: IndicatorCostDefaultTable;
  allocation_proposal: AllocationProposalTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnitRow = Insertable<UnitTable>;
export type ReviewRow = Selectable<ReviewTable>;
export type IndicatorValueRow = Selectable<IndicatorValueTable>;
export type ReviewEvaluationRow = Selectable<ReviewEvaluationTable>;
export type RecognitionRow = Selectable<RecognitionTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type RoleGrantRow = Selectable<RoleGrantTable>;
export type UserSessionRow = Selectable<UserSessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

/** Minh chứng đính kèm — a file attached to a review (bytes in the data folder, by SHA-256). */
export interface AttachmentTable {
  id: Generated<number>;
  review_id: number;
  indicator_code: string | null;
  sha256: string;
  filename: string;
  /** Detected from the content (PDF, PNG, JPEG, DOCX, XLSX), not taken from the client. */
  content_type: string;
  size: number;
  created_by: string;
  created_at: string;
}

// Declaration merging: the attachment table joins the schema above.
export interface Database {
  attachment: AttachmentTable;
}

export type AttachmentRow = Selectable<AttachmentTable>;

// ── Steering committees, meetings, tasks, action plans (issue 6) ─────────────────────────

/** Ban Chỉ đạo — a unit's steering committee for a period. */
export interface CommitteeTable {
  id: Generated<number>;
  unit_id: string;
  name: string;
  decision_no: string | null;
  period_from: string;
  period_to: string | null;
  note: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Thành viên Ban Chỉ đạo — one membership (a change of role is a new row: history). */
export interface CommitteeMemberTable {
  id: Generated<number>;
  committee_id: number;
  person_name: string;
  position: string | null;
  agency: string | null;
  role: string;
  /** Criteria the member is responsible for: JSON array of criterion codes. */
  criteria_json: string;
  username: string | null;
  email: string | null;
  joined_on: string;
  left_on: string | null;
  left_reason: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Buổi làm việc / hội nghị. Deleted meetings are kept (deleted_at) so their tasks never vanish. */
export interface MeetingTable {
  id: Generated<number>;
  committee_id: number;
  kind: string;
  title: string;
  held_on: string;
  place: string | null;
  status: string;
  agenda_json: string;
  minutes: string | null;
  attachments_json: string;
  notice_no: string | null;
  notice_on: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
  delete_reason: string | null;
}

/** A unit reviewed at a meeting, with its status frozen as of the meeting date. */
export interface MeetingUnitTable {
  meeting_id: number;
  unit_id: string;
  position: number;
  snapshot_on: string;
  review_id: number | null;
  review_version: number | null;
  set_id: string | null;
  criteria_met: number | null;
  criteria_total: number | null;
  indicators_met: number | null;
  indicators_total: number | null;
  summary_vi: string | null;
  summary_en: string | null;
  snapshot_json: string;
  frozen_at: string;
  frozen_by: string;
}

export interface MeetingParticipantTable {
  id: Generated<number>;
  meeting_id: number;
  member_id: number | null;
  person_name: string;
  position: string | null;
  agency: string | null;
  role: string;
  sort_order: number;
}

/** Kết luận, chỉ đạo — one numbered conclusion of a meeting. */
export interface ConclusionTable {
  id: Generated<number>;
  meeting_id: number;
  seq: number;
  unit_id: string | null;
  text: string;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Nhiệm vụ — a task from a conclusion. Overdue is computed for a date, never stored as a status. */
export interface TaskTable {
  id: Generated<number>;
  meeting_id: number | null;
  conclusion_id: number | null;
  committee_id: number | null;
  unit_id: string;
  title: string;
  description: string | null;
  assignee_kind: string;
  assignee_name: string;
  assignee_unit_id: string | null;
  assignee_username: string | null;
  assignee_member_id: number | null;
  set_id: string | null;
  /** `{ criteria: string[], indicators: string[] }` */
  targets_json: string;
  due_on: string;
  priority: string;
  status: string;
  progress: number;
  completed_on: string | null;
  completed_by: string | null;
  returned_at: string | null;
  returned_by: string | null;
  status_reason: string | null;
  /** First day the daily job found it overdue. */
  overdue_since: string | null;
  /** Set when its meeting was deleted: the task stays. */
  orphaned_at: string | null;
  /** The commune the task concerned before a successor took it over after a merger (1/7/2025). */
  origin_unit_id: Generated<string | null>;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Cập nhật tiến độ, ý kiến — append-only. */
export interface TaskUpdateTable {
  id: Generated<number>;
  task_id: number;
  kind: string;
  /** The day the update reports on (defaults to the day it was entered). */
  reported_on: string;
  at: string;
  actor: string;
  progress: number | null;
  status_from: string | null;
  status_to: string | null;
  text: string | null;
  evidence_json: string | null;
}

/** Kế hoạch hành động — a commune's plan for its unmet indicators. */
export interface ActionPlanTable {
  id: Generated<number>;
  unit_id: string;
  set_id: string;
  title: string;
  period_to: string | null;
  note: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ActionPlanItemTable {
  id: Generated<number>;
  plan_id: number;
  criterion_code: string;
  indicator_code: string | null;
  action: string;
  from_value: string | null;
  to_value: string | null;
  /** Whole đồng. */
  estimated_cost: number | null;
  target_on: string | null;
  owner: string | null;
  status: string;
  task_id: number | null;
  sort_order: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Nguồn vốn của một giải pháp: whole đồng, disbursed ≤ mobilised. */
export interface FundingLineTable {
  id: Generated<number>;
  item_id: number;
  source: string;
  planned: number;
  mobilised: number;
  disbursed: number;
  note: string | null;
}

/** Đề xuất kinh phí — from a commune to a higher level, with the response. */
export interface BudgetRequestTable {
  id: Generated<number>;
  unit_id: string;
  to_unit_id: string;
  plan_id: number | null;
  title: string;
  purpose: string | null;
  source: string;
  amount: number;
  requested_on: string;
  status: string;
  approved_amount: number | null;
  response_text: string | null;
  responded_on: string | null;
  responded_by: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** What the daily reminder job recorded or sent (one row per dedupe key: never twice a day). */
export interface ReminderLogTable {
  id: Generated<number>;
  dedupe_key: string;
  run_on: string;
  kind: string;
  channel: string;
  recipient: string;
  task_id: number | null;
  committee_id: number | null;
  status: string;
  detail: string | null;
  created_at: string;
}

export type CommitteeRow = Selectable<CommitteeTable>;
export type CommitteeMemberRow = Selectable<CommitteeMemberTable>;
export type MeetingRow = Selectable<MeetingTable>;
export type MeetingUnitRow = Selectable<MeetingUnitTable>;
export type MeetingParticipantRow = Selectable<MeetingParticipantTable>;
export type ConclusionRow = Selectable<ConclusionTable>;
export type TaskRow = Selectable<TaskTable>;
export type TaskUpdateRow = Selectable<TaskUpdateTable>;
export type ActionPlanRow = Selectable<ActionPlanTable>;
export type ActionPlanItemRow = Selectable<ActionPlanItemTable>;
export type FundingLineRow = Selectable<FundingLineTable>;
export type BudgetRequestRow = Selectable<BudgetRequestTable>;
export type ReminderLogRow = Selectable<ReminderLogTable>;

// ── Recognition dossiers, public consultation, revocation watch (issue 7) ────────────────

/** Hồ sơ đề nghị công nhận (or thu hồi): one per commune, level and attempt. */
export interface DossierTable {
  id: Generated<number>;
  unit_id: string;
  kind: 'recognition' | 'revocation';
  level: string;
  set_id: string;
  procedure: string;
  state: string;
  state_since: string;
  base_review_id: number | null;
  recognition_id: number | null;
  alert_id: number | null;
  satisfaction_rate: number | null;
  satisfaction_required: number;
  no_construction_debt: number | null;
  security_ok: number | null;
  deadline: string | null;
  deadline_task_id: number | null;
  deadline_note: string | null;
  opened_on: string;
  closed_on: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One move of a dossier: append-only, never updated (who, when, from, to, comment). */
export interface DossierTransitionTable {
  id: Generated<number>;
  dossier_id: number;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  on_date: string;
  actor: string;
  actor_role: string | null;
  comment: string | null;
  at: string;
}

/** A version of one document of the checklist; bytes stored by SHA-256 like attachments. */
export interface DossierDocumentTable {
  id: Generated<number>;
  dossier_id: number;
  doc_type: string;
  version: number;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  note: string | null;
  created_by: string;
  created_at: string;
}

/** Ý kiến của người dân on a dossier in consultation; moderated before publication. */
export interface PublicCommentTable {
  id: Generated<number>;
  dossier_id: number;
  stage: string;
  body: string;
  author_name: string | null;
  contact: string | null;
  status: 'pending' | 'published' | 'rejected';
  moderated_by: string | null;
  moderated_at: string | null;
  moderation_note: string | null;
  client_hash: string;
  created_at: string;
  delete_after: string;
  personal_data_erased_at: string | null;
  /** SHA-256 of the code given to the commenter to withdraw consent (null for old rows). */
  withdraw_hash: string | null;
}

/** The consent a commenter gave or refused, per purpose, with the notice they saw. */
export interface ConsentRecordTable {
  id: Generated<number>;
  comment_id: number;
  purpose: string;
  granted: number;
  notice_version: string;
  notice_text: string;
  at: string;
  withdrawn_at: string | null;
}

/** Cảnh báo thu hồi: a review of a recognised commune that triggers the revocation rule. */
export interface RevocationAlertTable {
  id: Generated<number>;
  unit_id: string;
  review_id: number;
  recognition_id: number;
  level: string;
  rule: string;
  failing_json: string;
  reason_vi: string;
  reason_en: string;
  status: 'open' | 'dossier_opened' | 'dismissed';
  dossier_id: number | null;
  handled_by: string | null;
  handled_at: string | null;
  note: string | null;
  created_at: string;
}

export interface Database {
  dossier: DossierTable;
  dossier_transition: DossierTransitionTable;
  dossier_document: DossierDocumentTable;
  public_comment: PublicCommentTable;
  consent_record: ConsentRecordTable;
  revocation_alert: RevocationAlertTable;
}

export type DossierRow = Selectable<DossierTable>;
export type DossierTransitionRow = Selectable<DossierTransitionTable>;
export type DossierDocumentRow = Selectable<DossierDocumentTable>;
export type PublicCommentRow = Selectable<PublicCommentTable>;
export type ConsentRecordRow = Selectable<ConsentRecordTable>;
export type RevocationAlertRow = Selectable<RevocationAlertTable>;

// ── Criteria sets authored in the application (issue 13) ─────────────────────────────────

/** One version of a criteria set kept in the database (draft or published). */
export interface CriteriaSetVersionTable {
  set_id: string;
  set_version: number;
  status: 'draft' | 'published';
  province_id: string | null;
  /** The set in the file format (src/catalog/set-file.ts), JSON. */
  document: string;
  /** JSON: per indicator code, who entered it, its source copy and its verification. */
  indicator_meta: string;
  published_by: string | null;
  published_at: string | null;
  superseded_on: string | null;
  reevaluation_json: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  criteria_set_version: CriteriaSetVersionTable;
}

export type CriteriaSetVersionRow = Selectable<CriteriaSetVersionTable>;

/** Chi phí, thời gian mặc định to close an indicator of a set, per province (issue 15). */
export interface IndicatorCostDefaultTable {
  province_id: string;
  set_id: string;
  indicator_code: string;
  /** Whole đồng. */
  cost: number | null;
  days: number | null;
  note: string | null;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/** Phương án phân bổ kinh phí saved as a proposal on a committee meeting. */
export interface AllocationProposalTable {
  id: Generated<number>;
  meeting_id: number;
  unit_id: string;
  title: string;
  as_of: string;
  deadline: string | null;
  budget: number;
  input_json: string;
  result_json: string;
  is_demo: number;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type IndicatorCostDefaultRow = Selectable<IndicatorCostDefaultTable>;
export type AllocationProposalRow = Selectable<AllocationProposalTable>;

/** A failed sign-in counted against a throttle key (address, account at address, second factor). */
export interface SignInFailureTable {
  id: Generated<number>;
  key: string;
  /** Milliseconds since the epoch. */
  failed_at: number;
}

export interface Database {
  sign_in_failure: SignInFailureTable;
}
