/**
 * Response types of the API, taken from the server's own service and domain types with
 * `import type` only (erased at build: nothing of the server reaches the bundle), so the UI and
 * the API cannot drift apart silently. Only what the server does not name is declared here.
 */
import type { UnitSummary, CommuneStatusRow, SetStats, TrendPoint } from '../../../src/services/summary.service.ts';
import type { CommunePage, RecognitionEntry, HistoryEntry } from '../../../src/services/commune-page.service.ts';
import type { ReviewDetail, ReviewSummary } from '../../../src/services/review.service.ts';
import type { UnitDetail, UnitSearchHit } from '../../../src/services/unit.service.ts';
import type { CommuneVerdict, CriterionVerdict, IndicatorVerdict } from '../../../src/domain/evaluation.ts';
import type { UnitRef, LinkedUnit, UnitLevel } from '../../../src/domain/unit.ts';
import type { Level, VerdictStatus, CriteriaSet, Indicator, IndicatorValue, CommuneProfile } from '../../../src/domain/criteria.ts';
import type { ProvinceMap, ProvinceMapItem } from '../../../src/services/map.service.ts';
import type { UnitTree, UnitTreeNode } from '../../../src/services/unit.service.ts';
import type { AttachmentInfo } from '../../../src/services/attachment.service.ts';
import type { BilingualMessage } from '../../../src/domain/errors.ts';

export type { UnitSummary, CommuneStatusRow, SetStats, TrendPoint, RecognitionEntry, HistoryEntry, ReviewSummary, UnitRef, LinkedUnit, UnitLevel, Level, VerdictStatus, BilingualMessage };
export type { CriteriaSet, Indicator, IndicatorValue, CommuneProfile, ProvinceMap, ProvinceMapItem, UnitTree, UnitTreeNode, AttachmentInfo };

export interface Health {
  status: string;
  dialect: string;
  demo: boolean;
  version?: string;
}

/** `GET /units/:id` — a unit with its parents (nearest first) and its lineage across the 2025 merge. */
export type { UnitDetail, UnitSearchHit };

/** The evaluation verdict tree (server-computed; the UI only shows it). */
export type CommuneVerdictView = CommuneVerdict;
export type CriterionVerdictView = CriterionVerdict;
export type IndicatorVerdictView = IndicatorVerdict;
export type TargetView = IndicatorVerdict['target'];

export type CommunePageData = CommunePage;
export type ReviewDetailData = ReviewDetail;

export interface CriteriaSetListItem {
  id: string;
  name: string;
  level?: Level;
  [extra: string]: unknown;
}

/** The error envelope every API error comes in. */
export interface ErrorEnvelope {
  error: { code: string; message: string; message_vi: string; details?: Record<string, unknown> };
}

/** `details.alternatives` of `unit_not_valid_on_date`. */
export interface UnitAlternative {
  id: string;
  name: string;
}
