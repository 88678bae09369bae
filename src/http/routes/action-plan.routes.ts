/** Kế hoạch hành động và đề xuất kinh phí of a commune. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DateQuery, errorResponses, IdParams, UnitIdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  ActionBody,
  BudgetRequestViewSchema,
  CommunePlanningSchema,
  CreateBudgetRequestBody,
  CreatePlanBody,
  PlanViewSchema,
  RespondBody,
  UpdateActionBody,
  UpdateBudgetRequestBody,
  UpdatePlanBody,
  VersionOnlyBody,
} from '../schemas/action-plan.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import {
  addAction,
  changeBudgetRequestStatus,
  createBudgetRequest,
  createPlan,
  deleteAction,
  getBudgetRequest,
  getCommunePlanning,
  getPlan,
  respondBudgetRequest,
  updateAction,
  updateBudgetRequest,
  updatePlan,
} from '../../services/action-plan.service.ts';

const tags = ['action plans'];

export function actionPlanRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const plan = { 200: PlanViewSchema, ...writeErrorResponses };
    const request = { 200: BudgetRequestViewSchema, ...writeErrorResponses };
    app.get(
      '/units/:id/action-plans',
      { config: { action: 'plan.read' }, schema: { operationId: 'getCommunePlanning', tags, summary: 'Kế hoạch hành động, đề xuất kinh phí và chỉ tiêu chưa đạt của xã / a commune’s plans and requests', params: UnitIdParams, querystring: DateQuery, response: { 200: CommunePlanningSchema, ...errorResponses } } },
      async (req) => getCommunePlanning(ctx.db, actorOf(req), req.params.id, req.query.date),
    );
    app.post(
      '/action-plans',
      { config: { action: 'plan.write' }, schema: { operationId: 'createPlan', tags, summary: 'Lập kế hoạch hành động / create an action plan', body: CreatePlanBody, response: { 201: PlanViewSchema, ...writeErrorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createPlan(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/action-plans/:id',
      { config: { action: 'plan.read' }, schema: { operationId: 'getPlan', tags, summary: 'Kế hoạch hành động / an action plan', params: IdParams, response: { 200: PlanViewSchema, ...errorResponses } } },
      async (req, reply) => etag(reply, await getPlan(ctx.db, actorOf(req), req.params.id)),
    );
    app.patch(
      '/action-plans/:id',
      { config: { action: 'plan.write' }, schema: { operationId: 'updatePlan', tags, summary: 'Sửa kế hoạch (If-Match) / edit a plan', params: IdParams, body: UpdatePlanBody, response: plan } },
      async (req, reply) => etag(reply, await updatePlan(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.post(
      '/action-plans/:id/actions',
      { config: { action: 'plan.write' }, schema: { operationId: 'addPlanAction', tags, summary: 'Thêm giải pháp với nguồn vốn / add an action with its funding', params: IdParams, body: ActionBody, response: { 201: PlanViewSchema, ...writeErrorResponses } } },
      async (req, reply) => reply.status(201).send(await addAction(ctx.db, actorOf(req), req.params.id, req.body)),
    );
    app.patch(
      '/action-plan-actions/:id',
      { config: { action: 'plan.write' }, schema: { operationId: 'updatePlanAction', tags, summary: 'Sửa giải pháp, nguồn vốn (If-Match) / edit an action and its funding', params: IdParams, body: UpdateActionBody, response: plan } },
      async (req) => updateAction(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }),
    );
    app.delete(
      '/action-plan-actions/:id',
      { config: { action: 'plan.write' }, schema: { operationId: 'deletePlanAction', tags, summary: 'Xóa giải pháp (If-Match) / delete an action', params: IdParams, response: plan } },
      async (req) => deleteAction(ctx.db, actorOf(req), req.params.id, { version: versionOf(req) }),
    );
    app.post(
      '/budget-requests',
      { config: { action: 'plan.write' }, schema: { operationId: 'createBudgetRequest', tags, summary: 'Đề xuất kinh phí lên cấp trên / a budget request to a higher level', body: CreateBudgetRequestBody, response: { 201: BudgetRequestViewSchema, ...writeErrorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createBudgetRequest(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/budget-requests/:id',
      { config: { action: 'plan.read' }, schema: { operationId: 'getBudgetRequest', tags, summary: 'Đề xuất kinh phí / a budget request', params: IdParams, response: { 200: BudgetRequestViewSchema, ...errorResponses } } },
      async (req, reply) => etag(reply, await getBudgetRequest(ctx.db, actorOf(req), req.params.id)),
    );
    app.patch(
      '/budget-requests/:id',
      { config: { action: 'plan.write' }, schema: { operationId: 'updateBudgetRequest', tags, summary: 'Sửa đề xuất dự thảo (If-Match) / edit a draft request', params: IdParams, body: UpdateBudgetRequestBody, response: request } },
      async (req, reply) => etag(reply, await updateBudgetRequest(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.post(
      '/budget-requests/:id/submit',
      { config: { action: 'plan.write' }, schema: { operationId: 'submitBudgetRequest', tags, summary: 'Gửi đề xuất (If-Match) / submit', params: IdParams, body: VersionOnlyBody, response: request } },
      async (req, reply) => etag(reply, await changeBudgetRequestStatus(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version), action: 'submit' })),
    );
    app.post(
      '/budget-requests/:id/withdraw',
      { config: { action: 'plan.write' }, schema: { operationId: 'withdrawBudgetRequest', tags, summary: 'Rút đề xuất (If-Match) / withdraw', params: IdParams, body: VersionOnlyBody, response: request } },
      async (req, reply) => etag(reply, await changeBudgetRequestStatus(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version), action: 'withdraw' })),
    );
    app.post(
      '/budget-requests/:id/response',
      { config: { action: 'committee.write' }, schema: { operationId: 'respondBudgetRequest', tags, summary: 'Cấp trên trả lời đề xuất (If-Match) / the higher level answers', params: IdParams, body: RespondBody, response: request } },
      async (req, reply) => etag(reply, await respondBudgetRequest(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
  };
}
