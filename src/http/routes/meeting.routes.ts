/** Cuộc họp: meetings, the communes reviewed (frozen status), conclusions, and the documents they produce. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { AddUnitBody, ConclusionBody, CreateMeetingBody, DateQuery, DeleteMeetingQuery, IdParams, Loose, LooseList, MeetingQuery, UpdateConclusionBody, UpdateMeetingBody } from '../schemas/committee.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import {
  addConclusion,
  addReviewedUnit,
  createMeeting,
  deleteConclusion,
  deleteMeeting,
  getMeeting,
  listMeetings,
  removeReviewedUnit,
  updateConclusion,
  updateMeeting,
  type ConclusionInput,
} from '../../services/meeting.service.ts';
import { conclusionNotice, progressReport, type GeneratedDocument } from '../../services/meeting-document.service.ts';

const tags = ['meetings'];
const DocxResponse = { 200: Type.Unknown({ description: 'Word document (.docx, Decree 30/2020 format)' }), ...errorResponses };

function attachment(doc: GeneratedDocument): { 'content-type': string; 'content-disposition': string } {
  return { 'content-type': doc.contentType, 'content-disposition': `attachment; filename="${doc.fileName}"` };
}

export function meetingRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const one = { 200: Loose, ...errorResponses };
    app.get(
      '/meetings',
      { config: { action: 'committee.read' }, schema: { tags, summary: 'Cuộc họp của Ban Chỉ đạo hoặc có làm việc với một xã / meetings of a committee or about a unit', querystring: MeetingQuery, response: { 200: LooseList, ...errorResponses } } },
      async (req) => ({ items: await listMeetings(ctx.db, actorOf(req), req.query) }),
    );
    app.post(
      '/meetings',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Tạo cuộc họp; tình hình các xã được chốt theo ngày họp / create a meeting (communes frozen as of its date)', body: CreateMeetingBody, response: { 201: Loose, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createMeeting(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/meetings/:id',
      { config: { action: 'committee.read' }, schema: { tags, summary: 'Cuộc họp: chương trình, xã (tình hình đã chốt), người dự, kết luận, nhiệm vụ / a meeting', params: IdParams, querystring: DateQuery, response: one } },
      async (req, reply) => etag(reply, await getMeeting(ctx.db, actorOf(req), req.params.id, req.query.date)),
    );
    app.patch(
      '/meetings/:id',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Sửa cuộc họp, biên bản, người dự (If-Match) / edit a meeting', params: IdParams, body: UpdateMeetingBody, response: one } },
      async (req, reply) => etag(reply, await updateMeeting(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.delete(
      '/meetings/:id',
      {
        config: { action: 'committee.write' },
        schema: { tags, summary: 'Xóa cuộc họp: từ chối khi có nhiệm vụ, trừ khi giữ lại nhiệm vụ (orphanTasks) / delete a meeting; tasks are never deleted', params: IdParams, querystring: DeleteMeetingQuery, response: one },
      },
      async (req) => deleteMeeting(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.query.version), reason: req.query.reason ?? null, orphanTasks: req.query.orphanTasks ?? false }),
    );
    app.post(
      '/meetings/:id/units',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Thêm xã vào chương trình (chốt tình hình theo ngày họp) / add a commune (status frozen)', params: IdParams, body: AddUnitBody, response: one } },
      async (req, reply) => etag(reply, await addReviewedUnit(ctx.db, actorOf(req), req.params.id, req.body.unitId)),
    );
    app.delete(
      '/meetings/:id/units/:unitId',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Bỏ xã khỏi chương trình / remove a commune', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), unitId: Type.String({ maxLength: 40 }) }), response: one } },
      async (req, reply) => etag(reply, await removeReviewedUnit(ctx.db, actorOf(req), req.params.id, req.params.unitId)),
    );
    app.post(
      '/meetings/:id/conclusions',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Thêm kết luận và các nhiệm vụ của nó / add a conclusion with its tasks', params: IdParams, body: ConclusionBody, response: { 201: Loose, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(await addConclusion(ctx.db, actorOf(req), req.params.id, req.body as ConclusionInput)),
    );
    app.patch(
      '/conclusions/:id',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Sửa kết luận (If-Match) / edit a conclusion', params: IdParams, body: UpdateConclusionBody, response: one } },
      async (req, reply) => etag(reply, await updateConclusion(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.delete(
      '/conclusions/:id',
      { config: { action: 'committee.write' }, schema: { tags, summary: 'Xóa kết luận chưa có nhiệm vụ / delete a conclusion without tasks', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (req, reply) => {
        await deleteConclusion(ctx.db, actorOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/meetings/:id/documents/progress-report.docx',
      {
        config: { action: 'report.export' },
        schema: { tags, summary: 'Báo cáo của xã phục vụ cuộc họp (.docx, NĐ 30/2020) / the commune progress report', params: IdParams, querystring: Type.Object({ unitId: Type.String({ maxLength: 40 }), date: Type.Optional(IsoDate) }), response: DocxResponse },
      },
      async (req, reply) => {
        const doc = await progressReport(ctx.db, actorOf(req), req.params.id, req.query.unitId, req.query.date);
        return reply.headers(attachment(doc)).send(doc.buffer);
      },
    );
    app.get(
      '/meetings/:id/documents/conclusion-notice.docx',
      { config: { action: 'committee.read' }, schema: { tags, summary: 'Thông báo kết luận (.docx, NĐ 30/2020) / the conclusion notice', params: IdParams, response: DocxResponse } },
      async (req, reply) => {
        const doc = await conclusionNotice(ctx.db, actorOf(req), req.params.id);
        return reply.headers(attachment(doc)).send(doc.buffer);
      },
    );
  };
}
