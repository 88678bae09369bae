/** Nhiệm vụ: boards (per unit, assignee, committee, meeting), one task with its history, status changes, progress, comments; a committee's open directives. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DateQuery, errorResponses, IdParams, UnitIdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { settleMergedWork } from '../../services/merger-work.service.ts';
import { BoardQuery, CommentBody, MergedWorkBody, CreateTaskBody, DirectivesSchema, ProgressBody, TaskBoardSchema, TaskDetailSchema, TransitionBody, UpdateTaskBody } from '../schemas/task.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import { addComment, createTask, getTask, getTaskBoard, listOpenDirectives, reportProgress, transitionTask, updateTask, type TaskInput } from '../../services/task.service.ts';

const tags = ['tasks'];

export function taskRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const written = { 200: TaskDetailSchema, ...writeErrorResponses };
    app.get(
      '/tasks',
      {
        config: { action: 'task.read' },
        schema: {
          operationId: 'getTaskBoard',
          tags,
          summary: 'Bảng nhiệm vụ theo trạng thái (quá hạn tính theo ngày) / task board by status, overdue for the date',
          querystring: BoardQuery,
          response: { 200: TaskBoardSchema, ...errorResponses },
        },
      },
      async (req) => getTaskBoard(ctx.db, actorOf(req), req.query),
    );
    app.post(
      '/units/:id/merged-work',
      {
        config: { action: 'task.write' },
        schema: {
          operationId: 'settleMergedWork',
          tags,
          summary: 'Việc còn mở của xã đã sáp nhập: tiếp nhận hoặc đóng (nhiều việc, có lý do) / take over or close open tasks of merged communes',
          params: UnitIdParams,
          querystring: DateQuery,
          body: MergedWorkBody,
          response: { 200: TaskBoardSchema, ...writeErrorResponses },
        },
      },
      async (req) => settleMergedWork(ctx.db, actorOf(req), req.params.id, req.body, req.query.date),
    );
    app.post(
      '/tasks',
      {
        config: { action: 'committee.write' },
        schema: {
          operationId: 'createTask',
          tags,
          summary: 'Giao nhiệm vụ từ một kết luận / assign a task from a conclusion',
          querystring: DateQuery,
          body: CreateTaskBody,
          response: { 201: TaskDetailSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(etag(reply, await createTask(ctx.db, actorOf(req), req.body as TaskInput & { conclusionId: number }, req.query.date))),
    );
    app.get(
      '/tasks/:id',
      {
        config: { action: 'task.read' },
        schema: { operationId: 'getTask', tags, summary: 'Nhiệm vụ và lịch sử cập nhật / a task and its history', params: IdParams, querystring: DateQuery, response: { 200: TaskDetailSchema, ...errorResponses } },
      },
      async (req, reply) => etag(reply, await getTask(ctx.db, actorOf(req), req.params.id, req.query.date)),
    );
    app.patch(
      '/tasks/:id',
      { config: { action: 'committee.write' }, schema: { operationId: 'updateTask', tags, summary: 'Sửa nhiệm vụ (If-Match) / edit a task', params: IdParams, querystring: DateQuery, body: UpdateTaskBody, response: written } },
      async (req, reply) => etag(reply, await updateTask(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }, req.query.date)),
    );
    app.post(
      '/tasks/:id/transitions',
      {
        config: { action: 'task.write' },
        schema: {
          operationId: 'transitionTask',
          tags,
          summary: 'Bắt đầu, hoàn thành, hủy, trả lại, mở lại (If-Match) / change status',
          params: IdParams,
          querystring: DateQuery,
          body: TransitionBody,
          response: written,
        },
      },
      async (req, reply) => etag(reply, await transitionTask(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }, req.query.date)),
    );
    app.post(
      '/tasks/:id/progress',
      {
        config: { action: 'task.write' },
        schema: {
          operationId: 'reportTaskProgress',
          tags,
          summary: 'Cập nhật tiến độ kèm minh chứng (If-Match) / report progress with evidence',
          params: IdParams,
          querystring: DateQuery,
          body: ProgressBody,
          response: written,
        },
      },
      async (req, reply) => etag(reply, await reportProgress(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }, req.query.date)),
    );
    app.post(
      '/tasks/:id/comments',
      { config: { action: 'task.write' }, schema: { operationId: 'addTaskComment', tags, summary: 'Ý kiến / comment', params: IdParams, querystring: DateQuery, body: CommentBody, response: written } },
      async (req, reply) => etag(reply, await addComment(ctx.db, actorOf(req), req.params.id, req.body, req.query.date)),
    );
    app.get(
      '/committees/:id/directives',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'listOpenDirectives',
          tags: ['committees'],
          summary: 'Chỉ đạo chưa hoàn thành theo xã / open directives across communes',
          params: IdParams,
          querystring: DateQuery,
          response: { 200: DirectivesSchema, ...errorResponses },
        },
      },
      async (req) => listOpenDirectives(ctx.db, actorOf(req), req.params.id, req.query.date),
    );
  };
}
