/**
 * Minh chứng đính kèm:
 *   POST /reviews/:id/attachments?indicator=5.1&filename=QD-123.pdf   body = the file's bytes, any of
 *        the accepted content types (or application/octet-stream): the type is checked by content
 *   GET  /reviews/:id/attachments                                      the files of a review
 *   GET  /attachments/:id                                              the file (PDF and images inline)
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { sendStoredFile } from '../content-disposition.ts';
import { errorResponses, fileResponse, IdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { AttachmentListSchema, AttachmentSchema, UploadQuery } from '../schemas/attachment.schema.ts';
import { ATTACHMENT_TYPES, getAttachment, listAttachments, MAX_ATTACHMENT_BYTES, uploadAttachment } from '../../services/attachment.service.ts';

const tags = ['reviews'];

/** Content types an upload may declare; what it really is gets decided from the bytes. */
const UPLOAD_TYPES = [...Object.values(ATTACHMENT_TYPES), 'application/octet-stream'];

export function attachmentRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Raw bytes in, for these routes only (this plugin's scope).
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body));

    app.post(
      '/reviews/:id/attachments',
      {
        config: { action: 'review.write' },
        bodyLimit: MAX_ATTACHMENT_BYTES,
        schema: {
          operationId: 'uploadAttachment',
          tags,
          summary: 'Đính kèm minh chứng (nội dung tệp trong thân yêu cầu) / attach an evidence file (raw body)',
          params: IdParams,
          querystring: UploadQuery,
          response: { 201: AttachmentSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => {
        const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const info = await uploadAttachment(ctx.db, actorOf(req), {
          reviewId: req.params.id,
          indicatorCode: req.query.indicator ?? null,
          filename: req.query.filename ?? null,
          data,
        }, ctx.services.attachmentDir);
        return reply.status(201).send(info);
      },
    );

    app.get(
      '/reviews/:id/attachments',
      {
        config: { action: 'review.read' },
        schema: {
          operationId: 'listAttachments',
          tags,
          summary: 'Minh chứng của bản rà soát / evidence files of a review',
          params: IdParams,
          response: { 200: AttachmentListSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await listAttachments(ctx.db, req.params.id, actorOf(req)) }),
    );

    app.get(
      '/attachments/:id',
      {
        config: { action: 'review.read' },
        schema: {
          operationId: 'downloadAttachment',
          tags,
          summary: 'Tải tệp minh chứng / download an evidence file',
          params: IdParams,
          response: { 200: fileResponse('Tệp minh chứng (PDF, ảnh xem trực tiếp) / the file (PDF and images inline)', Object.values(ATTACHMENT_TYPES)), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { info, path } = await getAttachment(ctx.db, req.params.id, ctx.services.attachmentDir, actorOf(req));
        return sendStoredFile(reply, { ...info, path });
      },
    );
  };
}
