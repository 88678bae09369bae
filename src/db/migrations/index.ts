/** The ordered list of migrations. Add new files here; never edit a migration that has shipped. */
import type { Migration } from 'kysely';
import * as createCoreTables from './2026_11_27_0930_create_core_tables.ts';
import * as createCommitteeTables from './2026_11_27_1300_create_committee_tables.ts';
import * as createSecurityTables from './2026_11_27_1400_create_security_tables.ts';
import * as addAuditHashChain from './2026_11_27_1410_add_audit_hash_chain.ts';
import * as createAttachment from './2026_11_27_1200_create_attachment.ts';
import * as createDossierTables from './2026_11_27_1500_create_dossier_tables.ts';
import * as addCommentWithdrawCode from './2026_11_27_1510_add_comment_withdraw_code.ts';
import * as evaluationCacheInputs from './2026_11_27_1520_evaluation_cache_inputs.ts';
import * as removeAuditPurgeSwitch from './2026_12_03_1200_remove_audit_purge_switch.ts';
import * as addSessionReauthenticatedAt from './2026_12_03_1300_add_session_reauthenticated_at.ts';
import * as createCriteriaSetVersion from './2026_12_03_1400_create_criteria_set_version.ts';
import * as addTaskOriginUnit from './2026_12_03_1500_add_task_origin_unit.ts';
import * as createPlanningTables from './2026_12_03_1600_create_planning_tables.ts';
import * as createSignInFailure from './2026_12_03_1700_create_sign_in_failure.ts';
import * as addHotPathIndexes from './2026_12_03_1800_add_hot_path_indexes.ts';

export const migrations: Record<string, Migration> = {
  '2026_11_27_0930_create_core_tables': createCoreTables,
  '2026_11_27_1300_create_committee_tables': createCommitteeTables,
  '2026_11_27_1400_create_security_tables': createSecurityTables,
  '2026_11_27_1410_add_audit_hash_chain': addAuditHashChain,
  '2026_11_27_1200_create_attachment': createAttachment,
  '2026_11_27_1500_create_dossier_tables': createDossierTables,
  '2026_11_27_1510_add_comment_withdraw_code': addCommentWithdrawCode,
  '2026_11_27_1520_evaluation_cache_inputs': evaluationCacheInputs,
  '2026_12_03_1200_remove_audit_purge_switch': removeAuditPurgeSwitch,
  '2026_12_03_1300_add_session_reauthenticated_at': addSessionReauthenticatedAt,
  '2026_12_03_1400_create_criteria_set_version': createCriteriaSetVersion,
  '2026_12_03_1500_add_task_origin_unit': addTaskOriginUnit,
  '2026_12_03_1600_create_planning_tables': createPlanningTables,
  '2026_12_03_1700_create_sign_in_failure': createSignInFailure,
  '2026_12_03_1800_add_hot_path_indexes': addHotPathIndexes,
};
