/**
 * Hồ sơ công nhận (contract: docs/dossier-api.md):
 *   GET  /dossiers?unitId=&open=&kind=         list          POST /dossiers                 open one
 *   GET  /dossiers/:id                          detail        POST /dossiers/:id/actions     move it
 *   PUT  /dossiers/:id/declarations             conditions    PUT  /dossiers/:id/deadline    committee deadline
 *   POST /dossiers/:id/documents/:type          upload (raw body)   GET /dossier-documents/:id   download
 *   GET  /dossiers/:id/drafts/:type             Word draft
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DOCX_TYPE, errorResponses, fileResponse, IdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { ActBody, DeadlineBody, DeclarationsBody, DocumentParams, DossierDetailSchema, DossierListQuery, DossierListSchema, OpenDossierBody, UploadQuery } from '../schemas/dossier.schema.ts';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../services/attachment.service.ts';
import { actOnDossier, getDossier, listDossiers, openDossier, setDeadline, updateDeclarations } from '../../services/dossier.service.ts';
import { draftDocument, getDocumentFile, uploadDocument } from '../../services/dossier-document.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { contentDisposition, sendStoredFile } from '../content-disposition.ts';

const tags = ['dossiers'];
const UPLOAD_TYPES = [...Object.values(ATTACHMENT_TYPES), 'application/octet-stream'];

export function dossierRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body));
    const written = { 200: DossierDetailSchema, ...writeErrorResponses };

    app.get(
      '/dossiers',
      {
        config: { action: 'dossier.read' },
        schema: { operationId: 'listDossiers', tags, summary: 'Danh sách hồ sơ công nhận / recognition dossiers', querystring: DossierListQuery, response: { 200: DossierListSchema, ...errorResponses } },
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
          operationId: 'openDossier',
          tags,
          summary: 'Lập hồ sơ đề nghị công nhận trên một bản rà soát đã nộp / open a dossier on a submitted review',
          body: OpenDossierBody,
          response: { 201: DossierDetailSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await openDossier(ctx.db, actorOf(req), req.body, ctx.services.satisfactionRequired)),
    );

    app.get(
      '/dossiers/:id',
      {
        config: { action: 'dossier.read' },
        schema: { operationId: 'getDossier', tags, summary: 'Hồ sơ: bước, điều kiện, tài liệu, lịch sử / a dossier', params: IdParams, response: { 200: DossierDetailSchema, ...errorResponses } },
      },
      async (req) => getDossier(ctx.db, actorOf(req), req.params.id),
    );

    app.post(
      '/dossiers/:id/actions',
      {
        config: { action: 'dossier.write' },
        schema: { operationId: 'actOnDossier', tags, summary: 'Chuyển, trả lại, quyết định… (theo quy trình) / move the dossier along its procedure', params: IdParams, body: ActBody, response: written },
      },
      async (req) => actOnDossier(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.put(
      '/dossiers/:id/declarations',
      {
        config: { action: 'dossier.write' },
        schema: {
          operationId: 'updateDossierDeclarations',
          tags,
          summary: 'Kê khai tỷ lệ hài lòng, nợ đọng XDCB, an ninh trật tự / declare the conditions',
          params: IdParams,
          body: DeclarationsBody,
          response: written,
        },
      },
      async (req) => updateDeclarations(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.put(
      '/dossiers/:id/deadline',
      {
        config: { action: 'dossier.write' },
        schema: { operationId: 'setDossierDeadline', tags, summary: 'Thời hạn do Ban Chỉ đạo giao / the committee deadline', params: IdParams, body: DeadlineBody, response: written },
      },
      async (req) => setDeadline(ctx.db, actorOf(req), req.params.id, req.body),
    );

    app.post(
      '/dossiers/:id/documents/:type',
      {
        config: { action: 'dossier.write' },
        bodyLimit: MAX_ATTACHMENT_BYTES,
        schema: {
          operationId: 'uploadDossierDocument',
          tags,
          summary: 'Tải lên một phiên bản tài liệu (nội dung tệp trong thân yêu cầu) / upload a document version (raw body)',
          params: DocumentParams,
          querystring: UploadQuery,
          response: { 201: DossierDetailSchema, ...writeErrorResponses },
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
      {
        config: { action: 'dossier.read' },
        schema: {
          operationId: 'downloadDossierDocument',
          tags,
          summary: 'Tải tài liệu hồ sơ / download a dossier document',
          params: IdParams,
          response: { 200: fileResponse('Tài liệu (PDF, ảnh xem trực tiếp) / the document (PDF and images inline)', Object.values(ATTACHMENT_TYPES)), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { row, path } = await getDocumentFile(ctx.db, actorOf(req), req.params.id, ctx.services.attachmentDir);
        return sendStoredFile(reply, { contentType: row.content_type, size: row.size, filename: row.filename, path });
      },
    );

    app.get(
      '/dossiers/:id/drafts/:type',
      {
        config: { action: 'dossier.read' },
        schema: {
          operationId: 'draftDossierDocument',
          tags,
          summary: 'Bản dự thảo văn bản sinh từ dữ liệu (.docx) / a Word draft generated from the data',
          params: DocumentParams,
          response: { 200: fileResponse('Văn bản Word (.docx, Nghị định 30/2020) / Word document (Decree 30/2020 format)', [DOCX_TYPE]), ...errorResponses },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const doc = await draftDocument(ctx.db, actor, req.params.id, req.params.type, actor.access?.today() ?? todayInVietnam());
        return reply.type(doc.contentType).header('Content-Disposition', contentDisposition(doc.fileName, false)).send(doc.body);
      },
    );
  };
}
