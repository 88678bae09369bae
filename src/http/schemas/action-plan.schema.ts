/** A commune's action plans (actions per unmet indicator, funded by source) and its budget requests to a higher level. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Money, NotRef, Nullable, OptDate, OptText, Ref, StringEnum, Text, VersionField } from './common.schema.ts';
import { UnmetCriterionSchema } from './evaluation.schema.ts';
import { ACTION_STATUSES, BUDGET_REQUEST_STATUSES, FUNDING_SOURCES } from '../../domain/funding.ts';

const Source = Type.Union(FUNDING_SOURCES.map((s) => Type.Literal(s)));
const FundingBody = Closed({ source: Source, planned: Money, mobilised: Money, disbursed: Money, note: OptText(500) });
const ActionStatus = Type.Union([Type.Literal('planned'), Type.Literal('in_progress'), Type.Literal('done'), Type.Literal('cancelled')]);

export const CreatePlanBody = Closed({ unitId: Ref('unit', Text(40)), setId: Type.Optional(NotRef(Text(100), 'id of a criteria set in the public catalogue')), title: Text(500), periodTo: OptDate, note: OptText(5000) });
export const UpdatePlanBody = Closed({ version: VersionField, title: Type.Optional(Text(500)), periodTo: OptDate, note: OptText(5000) });

const actionFields = {
  indicatorCode: OptText(20),
  fromValue: OptText(200),
  toValue: OptText(200),
  estimatedCost: Type.Optional(Nullable(Money)),
  targetOn: OptDate,
  owner: OptText(300),
  status: Type.Optional(ActionStatus),
  taskId: Type.Optional(Ref('task', Nullable(Type.Integer({ minimum: 1 })))),
  funding: Type.Optional(Type.Array(FundingBody, { maxItems: 20 })),
};
export const ActionBody = Closed({ criterionCode: Text(10), action: Text(2000), ...actionFields });
export const UpdateActionBody = Closed({ version: VersionField, criterionCode: Type.Optional(Text(10)), action: Type.Optional(Text(2000)), ...actionFields });
export const VersionOnlyBody = Closed({ version: VersionField });

export const CreateBudgetRequestBody = Closed({
  unitId: Ref('unit', Text(40)),
  toUnitId: Ref('unit', Text(40), { reach: 'above' }),
  planId: Type.Optional(Ref('plan', Nullable(Type.Integer({ minimum: 1 })))),
  title: Text(1000),
  purpose: OptText(5000),
  source: Source,
  amount: Money,
  requestedOn: IsoDate,
  submit: Type.Optional(Type.Boolean()),
});
export const UpdateBudgetRequestBody = Closed({
  version: VersionField,
  title: Type.Optional(Text(1000)),
  purpose: OptText(5000),
  source: Type.Optional(Source),
  amount: Type.Optional(Money),
  requestedOn: Type.Optional(IsoDate),
});
export const RespondBody = Closed({
  version: VersionField,
  decision: Type.Union([Type.Literal('approved'), Type.Literal('partially_approved'), Type.Literal('rejected')]),
  approvedAmount: Type.Optional(Nullable(Money)),
  responseText: OptText(5000),
  respondedOn: Type.Optional(IsoDate),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

const SourceSchema = StringEnum(FUNDING_SOURCES);
const amounts = { planned: Type.Integer(), mobilised: Type.Integer(), disbursed: Type.Integer() };
const FundingTotalsSchema = Closed({ ...amounts, bySource: Type.Array(Closed({ ...amounts, source: SourceSchema })) });

export const ActionViewSchema = Closed({
  id: Type.Integer(),
  planId: Type.Integer(),
  criterionCode: Type.String(),
  criterionName: Nullable(Type.String()),
  indicatorCode: Nullable(Type.String()),
  indicatorName: Nullable(Type.String()),
  action: Type.String(),
  fromValue: Nullable(Type.String()),
  toValue: Nullable(Type.String()),
  estimatedCost: Nullable(Type.Integer({ description: 'whole đồng' })),
  targetOn: Nullable(IsoDate),
  owner: Nullable(Type.String()),
  status: StringEnum(ACTION_STATUSES),
  statusLabel: Bilingual,
  taskId: Nullable(Type.Integer()),
  funding: Type.Array(Closed({ id: Type.Integer(), source: SourceSchema, sourceLabel: Bilingual, ...amounts, note: Nullable(Type.String()) })),
  fundingTotals: FundingTotalsSchema,
  version: Type.Integer(),
});

export const PlanViewSchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  setId: Type.String(),
  setName: Type.String(),
  title: Type.String(),
  periodTo: Nullable(IsoDate),
  note: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  actions: Type.Array(ActionViewSchema),
  totals: Closed({ estimatedCost: Type.Integer(), funding: FundingTotalsSchema }),
});

export const BudgetRequestViewSchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  toUnitId: Type.String(),
  toUnitName: Type.String(),
  planId: Nullable(Type.Integer()),
  title: Type.String(),
  purpose: Nullable(Type.String()),
  source: SourceSchema,
  sourceLabel: Bilingual,
  amount: Type.Integer(),
  requestedOn: IsoDate,
  status: StringEnum(BUDGET_REQUEST_STATUSES),
  statusLabel: Bilingual,
  approvedAmount: Nullable(Type.Integer()),
  responseText: Nullable(Type.String()),
  respondedOn: Nullable(IsoDate),
  respondedBy: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
});

/** What a commune plans: its unmet criteria (latest submitted review), plans, requests sent and received. */
export const CommunePlanningSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  date: IsoDate,
  unmet: Type.Array(UnmetCriterionSchema),
  reviewId: Nullable(Type.Integer()),
  reviewedOn: Nullable(IsoDate),
  setId: Nullable(Type.String()),
  plans: Type.Array(PlanViewSchema),
  predecessorPlans: Type.Array(PlanViewSchema, { description: "plans of the communes merged into this one (1/7/2025), each naming its commune" }),
  budgetRequests: Type.Array(BudgetRequestViewSchema),
  incomingRequests: Type.Array(BudgetRequestViewSchema),
});
