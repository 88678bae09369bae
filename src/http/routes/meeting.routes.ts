/** Cuộc họp: meetings, the communes reviewed (frozen status), conclusions, and the documents they produce. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DateQuery, DOCX_TYPE, errorResponses, fileResponse, IdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  AddUnitBody,
  ConclusionBody,
  ConclusionViewSchema,
  CreateMeetingBody,
  DeleteMeetingQuery,
  DeleteMeetingResultSchema,
  MeetingDetailSchema,
  MeetingListSchema,
  MeetingQuery,
  MeetingUnitParams,
  ProgressReportQuery,
  UpdateConclusionBody,
  UpdateMeetingBody,
} from '../schemas/meeting.schema.ts';
import { RiskWatchSchema } from '../schemas/forecast.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import {
  addConclusion,
  addReviewedUnit,
  createMeeting,
  deleteConclusion,
  deleteMeeting,
  getMeeting,
  getMeetingRisks,
  listMeetings,
  removeReviewedUnit,
  updateConclusion,
  updateMeeting,
  type ConclusionInput,
} from '../../services/meeting.service.ts';
import { conclusionNotice, progressReport, type GeneratedDocument } from '../../services/meeting-document.service.ts';
import { contentDisposition } from '../content-disposition.ts';

const tags = ['meetings'];
const docx = { 200: fileResponse('Văn bản Word (.docx, Nghị định 30/2020) / Word document (Decree 30/2020 format)', [DOCX_TYPE]), ...errorResponses };

function attachment(doc: GeneratedDocument): { 'content-type': string; 'content-disposition': string } {
  return { 'content-type': doc.contentType, 'content-disposition': contentDisposition(doc.fileName) };
}

export function meetingRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const written = { 200: MeetingDetailSchema, ...writeErrorResponses };
    app.get(
      '/meetings',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'listMeetings',
          tags,
          summary: 'Cuộc họp của Ban Chỉ đạo hoặc có làm việc với một xã / meetings of a committee or about a unit',
          querystring: MeetingQuery,
          response: { 200: MeetingListSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await listMeetings(ctx.db, actorOf(req), req.query) }),
    );
    app.post(
      '/meetings',
      {
        config: { action: 'committee.write' },
        schema: {
          operationId: 'createMeeting',
          tags,
          summary: 'Tạo cuộc họp; tình hình các xã được chốt theo ngày họp / create a meeting (communes frozen as of its date)',
          body: CreateMeetingBody,
          response: { 201: MeetingDetailSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(etag(reply, await createMeeting(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/meetings/:id',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'getMeeting',
          tags,
          summary: 'Cuộc họp: chương trình, xã (tình hình đã chốt), người dự, kết luận, nhiệm vụ / a meeting',
          params: IdParams,
          querystring: DateQuery,
          response: { 200: MeetingDetailSchema, ...errorResponses },
        },
      },
      async (req, reply) => etag(reply, await getMeeting(ctx.db, actorOf(req), req.params.id, req.query.date)),
    );
    app.get(
      '/meetings/:id/risks',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'getMeetingRisks',
          tags,
          summary: 'Cảnh báo rủi ro của các xã trong cuộc họp, tại ngày họp / the risk watch of the meeting’s communes on the meeting date',
          params: IdParams,
          response: { 200: RiskWatchSchema, ...errorResponses },
        },
      },
      async (req) => getMeetingRisks(ctx.db, actorOf(req), req.params.id),
    );
    app.patch(
      '/meetings/:id',
      { config: { action: 'committee.write' }, schema: { operationId: 'updateMeeting', tags, summary: 'Sửa cuộc họp, biên bản, người dự (If-Match) / edit a meeting', params: IdParams, body: UpdateMeetingBody, response: written } },
      async (req, reply) => etag(reply, await updateMeeting(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.delete(
      '/meetings/:id',
      {
        config: { action: 'committee.write' },
        schema: {
          operationId: 'deleteMeeting',
          tags,
          summary: 'Xóa cuộc họp: từ chối khi có nhiệm vụ, trừ khi giữ lại nhiệm vụ (orphanTasks) / delete a meeting; tasks are never deleted',
          params: IdParams,
          querystring: DeleteMeetingQuery,
          response: { 200: DeleteMeetingResultSchema, ...writeErrorResponses },
        },
      },
      async (req) => deleteMeeting(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.query.version), reason: req.query.reason ?? null, orphanTasks: req.query.orphanTasks ?? false }),
    );
    app.post(
      '/meetings/:id/units',
      {
        config: { action: 'committee.write' },
        schema: { operationId: 'addMeetingUnit', tags, summary: 'Thêm xã vào chương trình (chốt tình hình theo ngày họp) / add a commune (status frozen)', params: IdParams, body: AddUnitBody, response: written },
      },
      async (req, reply) => etag(reply, await addReviewedUnit(ctx.db, actorOf(req), req.params.id, req.body.unitId)),
    );
    app.delete(
      '/meetings/:id/units/:unitId',
      { config: { action: 'committee.write' }, schema: { operationId: 'removeMeetingUnit', tags, summary: 'Bỏ xã khỏi chương trình / remove a commune', params: MeetingUnitParams, response: written } },
      async (req, reply) => etag(reply, await removeReviewedUnit(ctx.db, actorOf(req), req.params.id, req.params.unitId)),
    );
    app.post(
      '/meetings/:id/conclusions',
      {
        config: { action: 'committee.write' },
        schema: {
          operationId: 'addConclusion',
          tags,
          summary: 'Thêm kết luận và các nhiệm vụ của nó / add a conclusion with its tasks',
          params: IdParams,
          body: ConclusionBody,
          response: { 201: ConclusionViewSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await addConclusion(ctx.db, actorOf(req), req.params.id, req.body as ConclusionInput)),
    );
    app.patch(
      '/conclusions/:id',
      {
        config: { action: 'committee.write' },
        schema: { operationId: 'updateConclusion', tags, summary: 'Sửa kết luận (If-Match) / edit a conclusion', params: IdParams, body: UpdateConclusionBody, response: { 200: ConclusionViewSchema, ...writeErrorResponses } },
      },
      async (req, reply) => etag(reply, await updateConclusion(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.delete(
      '/conclusions/:id',
      {
        config: { action: 'committee.write' },
        schema: { operationId: 'deleteConclusion', tags, summary: 'Xóa kết luận chưa có nhiệm vụ / delete a conclusion without tasks', params: IdParams, response: { 204: Type.Null(), ...writeErrorResponses } },
      },
      async (req, reply) => {
        await deleteConclusion(ctx.db, actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/meetings/:id/documents/progress-report.docx',
      {
        config: { action: 'report.export' },
        schema: {
          operationId: 'getMeetingProgressReport',
          tags,
          summary: 'Báo cáo của xã phục vụ cuộc họp (.docx, NĐ 30/2020) / the commune progress report',
          params: IdParams,
          querystring: ProgressReportQuery,
          response: docx,
        },
      },
      async (req, reply) => {
        const doc = await progressReport(ctx.db, actorOf(req), req.params.id, req.query.unitId, req.query.date);
        return reply.headers(attachment(doc)).send(doc.buffer);
      },
    );
    app.get(
      '/meetings/:id/documents/conclusion-notice.docx',
      {
        config: { action: 'committee.read' },
        schema: { operationId: 'getConclusionNotice', tags, summary: 'Thông báo kết luận (.docx, NĐ 30/2020) / the conclusion notice', params: IdParams, response: docx },
      },
      async (req, reply) => {
        const doc = await conclusionNotice(ctx.db, actorOf(req), req.params.id);
        return reply.headers(attachment(doc)).send(doc.buffer);
      },
    );
  };
}
