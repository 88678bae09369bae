/**
 * Response types of the API, taken from its HTTP contract: the TypeBox schemas the server
 * answers with (src/http/schemas, also the OpenAPI document), with `import type` only (erased at
 * build: nothing of the server reaches the bundle). The UI and the API cannot drift apart silently.
 */
import type { Static } from 'typebox';
import type { Bilingual, ErrorEnvelope as ErrorEnvelopeSchema } from '../../../src/http/schemas/common.schema.ts';
import type { CommuneStatusRowSchema, NationalSummarySchema, NationalTrendSchema, SetStatsSchema, TrendPointSchema, UnitSummarySchema } from '../../../src/http/schemas/summary.schema.ts';
import type { CommunePageSchema, HistoryEntrySchema, RecognitionEntrySchema } from '../../../src/http/schemas/commune-page.schema.ts';
import type { ReviewDetailSchema, ReviewSummarySchema } from '../../../src/http/schemas/review.schema.ts';
import type { LinkedUnitSchema, UnitDetailSchema, UnitLevelSchema, UnitRefSchema, UnitSearchHitSchema, UnitTreeNodeSchema, UnitTreeSchema } from '../../../src/http/schemas/unit.schema.ts';
import type { CommuneVerdictSchema, CriterionVerdictSchema, IndicatorValueSchema, IndicatorVerdictSchema, LevelSchema, VerdictStatusSchema } from '../../../src/http/schemas/evaluation.schema.ts';
import type { CriteriaSetDefinitionSchema, CriteriaSetSummarySchema } from '../../../src/http/schemas/criteria-set.schema.ts';
import type { ProvinceMapItemSchema, ProvinceMapSchema } from '../../../src/http/schemas/map.schema.ts';
import type { AttachmentSchema } from '../../../src/http/schemas/attachment.schema.ts';
import type { HealthSchema } from '../../../src/http/schemas/health.schema.ts';
// The pure domain's input type (not an API response): what the review form evaluates against.
import type { CommuneProfile } from '../../../src/domain/criteria.ts';

export type { CommuneProfile };

export type BilingualMessage = Static<typeof Bilingual>;
export type Level = Static<typeof LevelSchema>;
export type VerdictStatus = Static<typeof VerdictStatusSchema>;
export type UnitLevel = Static<typeof UnitLevelSchema>;

export type Health = Static<typeof HealthSchema>;

/** `GET /units/:id/summary`. */
export type UnitSummary = Static<typeof UnitSummarySchema>;
export type NationalSummary = Static<typeof NationalSummarySchema>;
/** `GET /units/VN/trend`. */
export type NationalTrend = Static<typeof NationalTrendSchema>;
export type CommuneStatusRow = Static<typeof CommuneStatusRowSchema>;
export type SetStats = Static<typeof SetStatsSchema>;
export type TrendPoint = Static<typeof TrendPointSchema>;

/** `GET /units/:id/commune-page`. */
export type CommunePageData = Static<typeof CommunePageSchema>;
export type RecognitionEntry = Static<typeof RecognitionEntrySchema>;
export type HistoryEntry = Static<typeof HistoryEntrySchema>;

export type ReviewSummary = Static<typeof ReviewSummarySchema>;
export type ReviewDetailData = Static<typeof ReviewDetailSchema>;

/** `GET /units/:id` — a unit with its parents (nearest first) and its lineage across the 2025 merge. */
export type UnitDetail = Static<typeof UnitDetailSchema>;
export type UnitSearchHit = Static<typeof UnitSearchHitSchema>;
export type UnitRef = Static<typeof UnitRefSchema>;
export type LinkedUnit = Static<typeof LinkedUnitSchema>;
export type UnitTree = Static<typeof UnitTreeSchema>;
export type UnitTreeNode = Static<typeof UnitTreeNodeSchema>;

/** The evaluation verdict tree (server-computed; the UI only shows it). */
export type CommuneVerdictView = Static<typeof CommuneVerdictSchema>;
export type CriterionVerdictView = Static<typeof CriterionVerdictSchema>;
export type IndicatorVerdictView = Static<typeof IndicatorVerdictSchema>;
export type TargetView = IndicatorVerdictView['target'];

/** `GET /criteria-sets/:id/definition`: the resolved set the review form evaluates as the officer types. */
export type CriteriaSet = Static<typeof CriteriaSetDefinitionSchema>;
export type Indicator = CriteriaSet['criteria'][number]['indicators'][number];
export type IndicatorValue = Static<typeof IndicatorValueSchema>;

/** `GET /criteria-sets`. */
export type CriteriaSetListItem = Static<typeof CriteriaSetSummarySchema>;

export type ProvinceMap = Static<typeof ProvinceMapSchema>;
export type ProvinceMapItem = Static<typeof ProvinceMapItemSchema>;
export type AttachmentInfo = Static<typeof AttachmentSchema>;

/** The error envelope every API error comes in. */
export type ErrorEnvelope = Static<typeof ErrorEnvelopeSchema>;

/** `details.alternatives` of `unit_not_valid_on_date`. */
export interface UnitAlternative {
  id: string;
  name: string;
}
