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
  result_json: string;
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
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnitRow = Insertable<UnitTable>;
export type ReviewRow = Selectable<ReviewTable>;
export type IndicatorValueRow = Selectable<IndicatorValueTable>;
export type ReviewEvaluationRow = Selectable<ReviewEvaluationTable>;
export type RecognitionRow = Selectable<RecognitionTable>;
export type AuditEventRow = Selectable<AuditEventTable>;

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
