/**
 * Hồ sơ công nhận and revocation alerts (contract: docs/dossier-api.md):
 *   GET  /dossiers?unitId=&open=&kind=         list          POST /dossiers                 open one
 *   GET  /dossiers/:id                          detail        POST /dossiers/:id/actions     move it
 *   PUT  /dossiers/:id/declarations             conditions    PUT  /dossiers/:id/deadline    committee deadline
 *   POST /dossiers/:id/documents/:type          upload (raw body)   GET /dossier-documents/:id   download
 *   GET  /dossiers/:id/drafts/:type             Word draft
 *   GET  /revocation-alerts   POST /revocation-alerts/:id/open-dossier   POST /revocation-alerts/:id/dismiss
 */
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { IdParams, Loose, LooseList } from '../schemas/committee.schema.ts';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../services/attachment.service.ts';
import { actOnDossier, getDocumentFile, getDossier, listDossiers, openDossier, setDeadline, updateDeclarations, uploadDocument } from '../../services/dossier.service.ts';
import { draftDocument } from '../../services/dossier-document.service.ts';
import { dismissAlert, listAlerts, openRevocationDossier } from '../../services/revocation-alert.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { contentDisposition } from './attachment.routes.ts';

const tags = ['dossiers'];
const UPLOAD_TYPES = [...Object.values(ATTACHMENT_TYPES), 'application/octet-stream'];
const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export function dossierRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body));

    app.get(
      '/dossiers',
      {
        config: { action: 'dossier.read' },
        schema: {
          tags,
          summary: 'Danh sách hồ sơ công nhận / recognition dossiers',
          querystring: Type.Object({
            unitId: Type.Optional(Type.String({ maxLength: 40 })),
            open: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])),
            kind: Type.Optional(Type.Union([Type.Literal('recognition'), Type.Literal('revocation')])),
          }),
          response: { 200: LooseList, ...errorResponses },
        },
      },
      async (req) => ({
        items: await listDossiers(ctx.db, actorOf(req), { unitId: req.query.unitId, open: req.query.open === undefined ? undefined : req.query.open === '1', kind: req.query.kind }),
      }),
    );

    app.post(
      '/dossiers',
      {
        config: { action: 'dossier.write' },
        schema: {
          tags,
          summary: 'Lập hồ sơ đề nghị công nhận trên một bản rà soát đã nộp / open a dossier on a submitted review',
          body: Type.Object(
            {
              unitId: Type.String({ maxLength: 40 }),
              level: Type.String({ maxLength: 20 }),
              baseReviewId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
              setId: OptText(100),
              openedOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 201: Loose, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await openDossier(ctx.db, actorOf(req), req.body, ctx.services.satisfactionRequired)),
    );

    app.get(
      '/dossiers/:id',
      { config: { action: 'dossier.read' }, schema: { tags, summary: 'Hồ sơ: bước, điều kiện, tài liệu, lịch sử / a dossier', params: IdParams, response: { 200: Loose, ...errorResponses } } },
      async (req) => getDossier(ctx.db, actorOf(req), req.params.id),
    );

    app.post(
      '/dossiers/:id/actions',
      {
        config: { action: 'dossier.write' },
        schema: {
          tags,
          summary: 'Chuyển, trả lại, quyết định… (theo quy trình) / move the dossier along its procedure',
          params: IdParams,
          body: Type.Object(
            {
              action: Type.String({ maxLength: 40 }),
              version: Type.Integer({ minimum: 1 }),
              comment: OptText(4000),
              returnTo: OptText(60),
              onDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
              decision: Type.Optional(
                Type.Union([
                  Type.Object({ decisionNo: Type.String({ maxLength: 60 }), decidedOn: IsoDate, signer: OptText(120) }, { additionalProperties: false }),
                  Type.Null(),
                ]),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => actOnDossier(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.put(
      '/dossiers/:id/declarations',
      {
        config: { action: 'dossier.write' },
        schema: {
          tags,
          summary: 'Kê khai tỷ lệ hài lòng, nợ đọng XDCB, an ninh trật tự / declare the conditions',
          params: IdParams,
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              satisfactionRate: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
              noConstructionDebt: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
              securityOk: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => updateDeclarations(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.put(
      '/dossiers/:id/deadline',
      {
        config: { action: 'dossier.write' },
        schema: {
          tags,
          summary: 'Thời hạn do Ban Chỉ đạo giao / the committee deadline',
          params: IdParams,
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              deadline: Type.Union([IsoDate, Type.Null()]),
              note: OptText(500),
              taskId: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => setDeadline(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.post(
      '/dossiers/:id/documents/:type',
      {
        config: { action: 'dossier.write' },
        bodyLimit: MAX_ATTACHMENT_BYTES,
        schema: {
          tags,
          summary: 'Tải lên một phiên bản tài liệu (nội dung tệp trong thân yêu cầu) / upload a document version (raw body)',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), type: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ filename: Type.Optional(Type.String({ maxLength: 300 })), note: Type.Optional(Type.String({ maxLength: 500 })) }),
          response: { 201: Loose, ...errorResponses },
        },
      },
      async (req, reply) => {
        const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const detail = await uploadDocument(ctx.db, actorOf(req), req.params.id, { type: req.params.type, filename: req.query.filename ?? null, note: req.query.note ?? null, data }, ctx.services.attachmentDir);
        return reply.status(201).send(detail);
      },
    );

    app.get(
      '/dossier-documents/:id',
      { config: { action: 'dossier.read' }, schema: { tags, summary: 'Tải tài liệu hồ sơ / download a dossier document', params: IdParams } },
      async (req, reply) => {
        const { row, path } = await getDocumentFile(ctx.db, actorOf(req), req.params.id, ctx.services.attachmentDir);
        const inline = row.content_type === ATTACHMENT_TYPES.pdf || row.content_type.startsWith('image/');
        return reply
          .type(row.content_type)
          .header('Content-Length', String(row.size))
          .header('Content-Disposition', contentDisposition(row.filename, inline))
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'private, max-age=3600')
          .send(createReadStream(path));
      },
    );

    app.get(
      '/dossiers/:id/drafts/:type',
      {
        config: { action: 'dossier.read' },
        schema: {
          tags,
          summary: 'Bản dự thảo văn bản sinh từ dữ liệu (.docx) / a Word draft generated from the data',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), type: Type.String({ maxLength: 40 }) }),
          response: { 200: Type.Unknown({ description: 'Word document (.docx, Decree 30/2020 format)' }), ...errorResponses },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const doc = await draftDocument(ctx.db, actor, req.params.id, req.params.type, actor.access?.today() ?? todayInVietnam());
        return reply.type(doc.contentType).header('Content-Disposition', contentDisposition(doc.fileName, false)).send(doc.body);
      },
    );

    app.get(
      '/revocation-alerts',
      {
        config: { action: 'dossier.read' },
        schema: {
          tags,
          summary: 'Cảnh báo thu hồi công nhận / revocation alerts',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('dossier_opened'), Type.Literal('dismissed')])),
            unitId: Type.Optional(Type.String({ maxLength: 40 })),
          }),
          response: { 200: LooseList, ...errorResponses },
        },
      },
      async (req) => ({ items: await listAlerts(ctx.db, actorOf(req), req.query) }),
    );

    app.post(
      '/revocation-alerts/:id/open-dossier',
      {
        config: { action: 'revocation.manage' },
        schema: { tags, summary: 'Lập hồ sơ thu hồi từ cảnh báo / open a revocation dossier', params: IdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 201: Loose, ...errorResponses } },
      },
      async (req, reply) => reply.status(201).send(await openRevocationDossier(ctx.db, actorOf(req), req.params.id)),
    );

    app.post(
      '/revocation-alerts/:id/dismiss',
      {
        config: { action: 'revocation.manage' },
        schema: {
          tags,
          summary: 'Bỏ qua cảnh báo (nêu lý do) / dismiss an alert with the reason',
          params: IdParams,
          body: Type.Object({ note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => dismissAlert(ctx.db, actorOf(req), req.params.id, req.body.note),
    );
  };
}
