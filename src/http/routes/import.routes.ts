/**
 * Nhập số liệu từ Excel:
 *   GET  /templates?setId=…&unitId=…&date=…&layout=…&prefill=latest   the Excel template to fill
 *   POST /imports/xlsx?dryRun=true&setId=…&date=…&scopeUnitId=…&status=draft|submitted&fileName=…&expectHash=…
 *        body = the .xlsx bytes (Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
 *        or application/octet-stream). The type is checked by content (a ZIP holding
 *        xl/workbook.xml), the size against DATCHUAN_IMPORT_MAX_BYTES (default 20 MB), what it
 *        inflates to against the other DATCHUAN_IMPORT_* limits (413 naming the limit).
 *        dryRun=true (the default) checks and lists every problem; dryRun=false commits all or
 *        nothing — with expectHash, only if the file is the one previewed.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { contentDisposition } from '../content-disposition.ts';
import { errorResponses, fileResponse, writeErrorResponses, XLSX_TYPE } from '../schemas/common.schema.ts';
import { ImportQuery, ImportResultSchema, TemplateQuery } from '../schemas/import.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { unitIdList } from '../unit-id-list.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { DomainError } from '../../domain/errors.ts';
import { importWorkbook, XLSX_CONTENT_TYPE } from '../../services/import.service.ts';
import { templateBuffer } from '../../services/import-template.service.ts';

const ACCEPTED = [XLSX_CONTENT_TYPE, 'application/octet-stream'];
const tags = ['imports'];

function sizeText(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}

export function importRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const maxBytes = ctx.services.importMaxBytes;
    app.addContentTypeParser(ACCEPTED, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    app.post(
      '/imports/xlsx',
      {
        config: { action: 'data.import' },
        bodyLimit: maxBytes,
        // Clear answers before the body is read: wrong type, or too large.
        onRequest: async (req) => {
          const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          if (!ACCEPTED.includes(type)) {
            throw new DomainError(
              'validation_failed',
              {
                vi: `Hãy gửi nội dung tệp .xlsx với Content-Type ${XLSX_CONTENT_TYPE} (nhận được "${type || 'không có'}").`,
                en: `Send the .xlsx file's bytes with Content-Type ${XLSX_CONTENT_TYPE} (got "${type || 'none'}").`,
              },
              { fields: [{ field: 'content-type' }] },
            );
          }
          const length = Number(req.headers['content-length'] ?? 0);
          if (length > maxBytes) {
            throw new DomainError('payload_too_large', { vi: `Tệp quá lớn (${sizeText(length)}); giới hạn ${sizeText(maxBytes)}. Hãy chia nhỏ tệp hoặc dùng lệnh datchuan import xlsx.`, en: `The file is too large (${sizeText(length)}); the limit is ${sizeText(maxBytes)}. Split it, or use the datchuan import xlsx command.` }, { limit: maxBytes });
          }
        },
        schema: {
          operationId: 'importWorkbook',
          tags,
          summary: 'Nhập bản rà soát từ tệp .xlsx: kiểm tra (dryRun) rồi ghi tất cả hoặc không gì / import reviews from .xlsx: check (dryRun), then all or nothing',
          querystring: ImportQuery,
          response: { 200: ImportResultSchema, ...writeErrorResponses },
        },
      },
      async (req) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const q = req.query;
        return importWorkbook(ctx.db, actorOf(req), { buffer: body }, {
          dryRun: q.dryRun ?? true,
          ...(q.setId ? { setId: q.setId } : {}),
          ...(q.date ? { date: q.date } : {}),
          ...(q.scopeUnitId ? { scopeUnitId: q.scopeUnitId } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.fileName ? { fileName: q.fileName } : {}),
          ...(q.expectHash ? { expectHash: q.expectHash } : {}),
          maxProblems: 2000,
          maxRows: 2000,
          limits: ctx.services.importLimits,
        });
      },
    );
    app.get(
      '/templates',
      {
        config: { action: 'data.import' },
        schema: {
          operationId: 'getImportTemplate',
          tags,
          summary: 'Mẫu Excel nhập số liệu rà soát / the Excel template to fill in reviews',
          querystring: TemplateQuery,
          response: { 200: fileResponse('Mẫu Excel (.xlsx) / the Excel template', [XLSX_TYPE]), ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const ids = unitIdList(q.unitId);
        if (ids.length === 0) throw new DomainError('validation_failed', { vi: 'Thiếu đơn vị (unitId).', en: 'unitId is required.' }, { fields: [{ field: 'unitId' }] });
        const r = await templateBuffer(
          ctx.db,
          { setId: q.setId, unitIds: ids, date: assertIsoDate(q.date ?? todayInVietnam(), 'date'), layout: q.layout ?? 'matrix', prefill: q.prefill ?? 'none' },
          { actor: actorOf(req) },
        );
        reply.header('Content-Type', XLSX_TYPE);
        reply.header('Content-Disposition', contentDisposition(r.fileName));
        return reply.send(r.body);
      },
    );
  };
}
