/** Kế hoạch hành động và đề xuất kinh phí of a commune. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import {
  ActionBody,
  CreateBudgetRequestBody,
  CreatePlanBody,
  DateQuery,
  IdParams,
  Loose,
  RespondBody,
  UnitIdParams,
  UpdateActionBody,
  UpdateBudgetRequestBody,
  UpdatePlanBody,
  VersionOnlyBody,
} from '../schemas/committee.schema.ts';
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
    const one = { 200: Loose, ...errorResponses };
    app.get(
      '/units/:id/action-plans',
      { config: { action: 'plan.read' }, schema: { tags, summary: 'Kế hoạch hành động, đề xuất kinh phí và chỉ tiêu chưa đạt của xã / a commune’s plans and requests', params: UnitIdParams, querystring: DateQuery, response: one } },
      async (req) => getCommunePlanning(ctx.db, actorOf(req), req.params.id, req.query.date),
    );
    app.post(
      '/action-plans',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Lập kế hoạch hành động / create an action plan', body: CreatePlanBody, response: { 201: Loose, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createPlan(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/action-plans/:id',
      { config: { action: 'plan.read' }, schema: { tags, summary: 'Kế hoạch hành động / an action plan', params: IdParams, response: one } },
      async (req, reply) => etag(reply, await getPlan(ctx.db, actorOf(req), req.params.id)),
    );
    app.patch(
      '/action-plans/:id',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Sửa kế hoạch (If-Match) / edit a plan', params: IdParams, body: UpdatePlanBody, response: one } },
      async (req, reply) => etag(reply, await updatePlan(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.post(
      '/action-plans/:id/actions',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Thêm giải pháp với nguồn vốn / add an action with its funding', params: IdParams, body: ActionBody, response: { 201: Loose, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(await addAction(ctx.db, actorOf(req), req.params.id, req.body)),
    );
    app.patch(
      '/action-plan-actions/:id',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Sửa giải pháp, nguồn vốn (If-Match) / edit an action and its funding', params: IdParams, body: UpdateActionBody, response: one } },
      async (req) => updateAction(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }),
    );
    app.delete(
      '/action-plan-actions/:id',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Xóa giải pháp (If-Match) / delete an action', params: IdParams, response: one } },
      async (req) => deleteAction(ctx.db, actorOf(req), req.params.id, { version: versionOf(req) }),
    );
    app.post(
      '/budget-requests',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Đề xuất kinh phí lên cấp trên / a budget request to a higher level', body: CreateBudgetRequestBody, response: { 201: Loose, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createBudgetRequest(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/budget-requests/:id',
      { config: { action: 'plan.read' }, schema: { tags, summary: 'Đề xuất kinh phí / a budget request', params: IdParams, response: one } },
      async (req, reply) => etag(reply, await getBudgetRequest(ctx.db, actorOf(req), req.params.id)),
    );
    app.patch(
      '/budget-requests/:id',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Sửa đề xuất dự thảo (If-Match) / edit a draft request', params: IdParams, body: UpdateBudgetRequestBody, response: one } },
      async (req, reply) => etag(reply, await updateBudgetRequest(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.post(
      '/budget-requests/:id/submit',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Gửi đề xuất (If-Match) / submit', params: IdParams, body: VersionOnlyBody, response: one } },
      async (req, reply) => etag(reply, await changeBudgetRequestStatus(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version), action: 'submit' })),
    );
    app.post(
      '/budget-requests/:id/withdraw',
      { config: { action: 'plan.write' }, schema: { tags, summary: 'Rút đề xuất (If-Match) / withdraw', params: IdParams, body: VersionOnlyBody, response: one } },
      async (req, reply) => etag(reply, await changeBudgetRequestStatus(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version), action: 'withdraw' })),
    );
    app.post(
      '/budget-requests/:id/response',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Cấp trên trả lời đề xuất (If-Match) / the higher level answers', params: IdParams, body: RespondBody, response: one } },
      async (req, reply) => etag(reply, await respondBudgetRequest(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
  };
}
