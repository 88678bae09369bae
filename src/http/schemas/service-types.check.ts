/**
 * Compile-time check (tsc, `npm run typecheck`) that each response schema declares every property
 * its service's type has, however deep: Fastify serialises from the schema and would drop any
 * property it forgets. The strict responses of the test apps check the answers the tests
 * provoke; this checks the ones they may not (optional fields, rare branches).
 * An error here names the missing property path, e.g. `".evaluation.criteria[].reason"`.
 * Responses sent as text (the read cache) or bytes (JSON reports) are also checked to fit.
 */
import type { Static } from 'typebox';
import type { ReviewDetail, UnitReviewGroup, ValueVersion } from '../../services/review.service.ts';
import type { SetUnitAttributeResult, UnitDetail, UnitListItem, UnitSearchHit, UnitTree, UnitTreeNode } from '../../services/unit.service.ts';
import type { TrendPoint, UnitSummary } from '../../files/reports/inputs.ts';
import type { CommunePage } from '../../services/commune-page.service.ts';
import type { ProvinceMap } from '../../services/map.service.ts';
import type { CommitteeDetail, CommitteeSummary } from '../../services/committee.service.ts';
import type { ConclusionView, DeleteMeetingResult, MeetingDetail, MeetingSummary } from '../../services/meeting.service.ts';
import type { listOpenDirectives, TaskBoard, TaskDetail } from '../../services/task.service.ts';
import type { BudgetRequestView, CommunePlanning, PlanView } from '../../services/action-plan.service.ts';
import type { UserInbox } from '../../services/inbox.service.ts';
import type { RiskWatch, UnitBacktest, UnitForecast } from '../../services/forecast.service.ts';
import type { DossierDetail, DossierListItem } from '../../services/dossier.service.ts';
import type { RevocationAlert } from '../../services/revocation-alert.service.ts';
import type { OpenConsultation, PublicRecognitionRow } from '../../services/transparency.service.ts';
import type { CommentReceipt, ModeratedComment, PublicDossier } from '../../services/consultation.service.ts';
import type { AttachmentInfo } from '../../services/attachment.service.ts';
import type { AuditRecord, ChainReport } from '../../services/audit.service.ts';
import type { TokenSummary } from '../../services/token.service.ts';
import type { UserSummary } from '../../services/user.service.ts';
import type { MfaSetup, OwnSession, SessionInfo } from '../../services/auth.service.ts';
import type { ImportResult } from '../../services/import.service.ts';
import type { FeedPage } from '../../services/feed.service.ts';
import type { checkHealth } from '../../services/health.service.ts';
import type { CriteriaSetSummary } from '../../catalog/catalog.ts';
import type { ShownSet } from '../../catalog/show.ts';
import type { CriteriaSet } from '../../domain/criteria.ts';
import type { Report } from '../../files/reports/model.ts';
import type { ReviewDetailSchema, UnitReviewsSchema, ValueVersionSchema } from './review.schema.ts';
import type { SetAttributeResultSchema, UnitDetailSchema, UnitListItemSchema, UnitSearchHitSchema, UnitTreeSchema } from './unit.schema.ts';
import type { TrendPointSchema, UnitSummarySchema } from './summary.schema.ts';
import type { CommunePageSchema } from './commune-page.schema.ts';
import type { ProvinceMapSchema } from './map.schema.ts';
import type { CommitteeDetailSchema, CommitteeSummarySchema } from './committee.schema.ts';
import type { ConclusionViewSchema, DeleteMeetingResultSchema, MeetingDetailSchema, MeetingSummarySchema } from './meeting.schema.ts';
import type { DirectivesSchema, TaskBoardSchema, TaskDetailSchema } from './task.schema.ts';
import type { BudgetRequestViewSchema, CommunePlanningSchema, PlanViewSchema } from './action-plan.schema.ts';
import type { UserInboxSchema } from './inbox.schema.ts';
import type { RiskWatchSchema, UnitBacktestSchema, UnitForecastSchema } from './forecast.schema.ts';
import type { DossierDetailSchema, DossierListItemSchema } from './dossier.schema.ts';
import type { RevocationAlertSchema } from './revocation-alert.schema.ts';
import type { OpenConsultationSchema, PublicRecognitionRowSchema } from './transparency.schema.ts';
import type { CommentReceiptSchema, ModeratedCommentSchema, PublicDossierSchema } from './consultation.schema.ts';
import type { AttachmentSchema } from './attachment.schema.ts';
import type { AuditRecordSchema, ChainReportSchema } from './audit.schema.ts';
import type { TokenSummarySchema } from './token.schema.ts';
import type { UserSummarySchema } from './user.schema.ts';
import type { MfaSetupSchema, OwnSessionSchema, SignedInSessionSchema } from './auth.schema.ts';
import type { ImportResultSchema } from './import.schema.ts';
import type { FeedPageSchema } from './feed.schema.ts';
import type { HealthSchema } from './health.schema.ts';
import type { CriteriaSetDefinitionSchema, CriteriaSetSummarySchema, ShownSetSchema } from './criteria-set.schema.ts';
import type { ReportSchema } from './report.schema.ts';

type AllKeys<T> = T extends unknown ? keyof T : never;
type At<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type ElementOf<T> = T extends readonly (infer E)[] ? E : never;
type Leaf = string | number | boolean | bigint | null | undefined;

/** The property paths of S (a service's type) that T (a schema's static type) does not have. */
type Missing<S, T, P extends string = ''> = [S] extends [T]
  ? [T] extends [S]
    ? never // the same type (a shared recursive one, e.g. TargetValueSpec): nothing missing
    : MissingIn<S, T, P>
  : MissingIn<S, T, P>;

type MissingIn<S, T, P extends string> = S extends Leaf
  ? never
  : S extends readonly (infer E)[]
    ? Missing<E, ElementOf<T>, `${P}[]`>
    : S extends object
      ? { [K in keyof S & string]-?: K extends AllKeys<T> ? Missing<S[K], At<T, K>, `${P}.${K}`> : `${P}.${K}` }[keyof S & string]
      : never;

/** A tree node of the unit tree with children of type C. */
type TreeNode<C> = Omit<UnitTreeNode, 'children'> & { children?: C[] };

/** Compiles only when nothing is missing. */
type Covered<M extends never> = M;

/** Compiles only when the service's type fits the schema (routes check it on their return value; cached ones send text). */
type Fits<S extends T, T> = S;

export type ServiceTypesCovered = [
  Covered<Missing<ReviewDetail, Static<typeof ReviewDetailSchema>>>,
  Covered<Missing<ValueVersion, Static<typeof ValueVersionSchema>>>,
  Covered<Missing<UnitReviewGroup, Static<typeof UnitReviewsSchema>['groups'][number]>>,
  Covered<Missing<UnitDetail, Static<typeof UnitDetailSchema>>>,
  Covered<Missing<UnitListItem, Static<typeof UnitListItemSchema>>>,
  Covered<Missing<UnitSearchHit, Static<typeof UnitSearchHitSchema>>>,
  // The tree's type nests without end; the schema has the three levels that exist (province,
  // district, commune — a commune has no children): checked to the communes.
  Covered<Missing<Omit<UnitTree, 'provinces'> & { provinces: Array<TreeNode<TreeNode<TreeNode<{}>>>> }, Static<typeof UnitTreeSchema>>>,
  Covered<Missing<SetUnitAttributeResult, Static<typeof SetAttributeResultSchema>>>,
  Covered<Missing<UnitSummary, Static<typeof UnitSummarySchema>>>,
  Covered<Missing<TrendPoint, Static<typeof TrendPointSchema>>>,
  Covered<Missing<CommunePage, Static<typeof CommunePageSchema>>>,
  Covered<Missing<ProvinceMap, Static<typeof ProvinceMapSchema>>>,
  Covered<Missing<CommitteeSummary, Static<typeof CommitteeSummarySchema>>>,
  Covered<Missing<CommitteeDetail, Static<typeof CommitteeDetailSchema>>>,
  Covered<Missing<MeetingSummary, Static<typeof MeetingSummarySchema>>>,
  Covered<Missing<MeetingDetail, Static<typeof MeetingDetailSchema>>>,
  Covered<Missing<ConclusionView, Static<typeof ConclusionViewSchema>>>,
  Covered<Missing<DeleteMeetingResult, Static<typeof DeleteMeetingResultSchema>>>,
  Covered<Missing<TaskBoard, Static<typeof TaskBoardSchema>>>,
  Covered<Missing<TaskDetail, Static<typeof TaskDetailSchema>>>,
  Covered<Missing<Awaited<ReturnType<typeof listOpenDirectives>>, Static<typeof DirectivesSchema>>>,
  Covered<Missing<CommunePlanning, Static<typeof CommunePlanningSchema>>>,
  Covered<Missing<PlanView, Static<typeof PlanViewSchema>>>,
  Covered<Missing<BudgetRequestView, Static<typeof BudgetRequestViewSchema>>>,
  Covered<Missing<UserInbox, Static<typeof UserInboxSchema>>>,
  Covered<Missing<UnitForecast, Static<typeof UnitForecastSchema>>>,
  Covered<Missing<UnitBacktest, Static<typeof UnitBacktestSchema>>>,
  Covered<Missing<RiskWatch, Static<typeof RiskWatchSchema>>>,
  Covered<Missing<DossierListItem, Static<typeof DossierListItemSchema>>>,
  Covered<Missing<DossierDetail, Static<typeof DossierDetailSchema>>>,
  Covered<Missing<RevocationAlert, Static<typeof RevocationAlertSchema>>>,
  Covered<Missing<OpenConsultation, Static<typeof OpenConsultationSchema>>>,
  Covered<Missing<PublicRecognitionRow, Static<typeof PublicRecognitionRowSchema>>>,
  Covered<Missing<PublicDossier, Static<typeof PublicDossierSchema>>>,
  Covered<Missing<CommentReceipt, Static<typeof CommentReceiptSchema>>>,
  Covered<Missing<ModeratedComment, Static<typeof ModeratedCommentSchema>>>,
  Covered<Missing<AttachmentInfo, Static<typeof AttachmentSchema>>>,
  Covered<Missing<AuditRecord, Static<typeof AuditRecordSchema>>>,
  Covered<Missing<ChainReport, Static<typeof ChainReportSchema>>>,
  Covered<Missing<TokenSummary, Static<typeof TokenSummarySchema>>>,
  Covered<Missing<UserSummary, Static<typeof UserSummarySchema>>>,
  Covered<Missing<SessionInfo, Static<typeof SignedInSessionSchema>>>,
  Covered<Missing<MfaSetup, Static<typeof MfaSetupSchema>>>,
  Covered<Missing<OwnSession, Static<typeof OwnSessionSchema>>>,
  Covered<Missing<ImportResult, Static<typeof ImportResultSchema>>>,
  Covered<Missing<FeedPage, Static<typeof FeedPageSchema>>>,
  Covered<Missing<Awaited<ReturnType<typeof checkHealth>>, Static<typeof HealthSchema>>>,
  Covered<Missing<CriteriaSetSummary, Static<typeof CriteriaSetSummarySchema>>>,
  Covered<Missing<ShownSet, Static<typeof ShownSetSchema>>>,
  Covered<Missing<CriteriaSet, Static<typeof CriteriaSetDefinitionSchema>>>,
  Covered<Missing<Report, Static<typeof ReportSchema>>>,
  Fits<UnitSummary, Static<typeof UnitSummarySchema>>,
  Fits<CommunePage, Static<typeof CommunePageSchema>>,
  Fits<ProvinceMap, Static<typeof ProvinceMapSchema>>,
  Fits<Report, Static<typeof ReportSchema>>,
];
