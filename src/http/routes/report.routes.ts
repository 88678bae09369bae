/**
 * Báo cáo và mẫu nhập liệu:
 *   GET /reports/:kind?unitId=…&date=…&format=xlsx|docx|json   a report as a file (json: the model the web app shows)
 *       kind: matrix | summary | commune-detail | history | self-assessment | examination
 *       matrix: unitId may list several units (comma-separated) or be `all`
 *       Word reports: number, place, signer, documentDate fill the administrative header
 *   GET /templates?setId=…&unitId=…&date=…&layout=…&prefill=latest   the Excel template to fill
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { CONTENT_TYPES, REPORT_FORMATS, REPORT_KINDS, exportReport, type ReportFormat, type ReportKind } from '../../services/report.service.ts';
import { templateBuffer } from '../../services/import-template.service.ts';
import { DomainError } from '../../domain/errors.ts';

const KindParams = Type.Object({ kind: Type.Union(REPORT_KINDS.map((k) => Type.Literal(k))) });
const ReportQuery = Type.Object({
  unitId: Type.String({ maxLength: 2000, description: 'Mã đơn vị (nhiều đơn vị cách nhau bởi dấu phẩy, hoặc "all" cho ma trận toàn quốc) / unit id(s) or "all"' }),
  date: Type.Optional(IsoDate),
  format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('docx'), Type.Literal('json')])),
  reviewId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  number: Type.Optional(Type.String({ maxLength: 40, description: 'Số, ký hiệu: 05/BC-UBND' })),
  place: Type.Optional(Type.String({ maxLength: 80 })),
  signer: Type.Optional(Type.String({ maxLength: 80 })),
  documentDate: Type.Optional(IsoDate),
});
const TemplateQuery = Type.Object({
  setId: Type.String({ maxLength: 100 }),
  unitId: Type.String({ maxLength: 2000, description: 'Xã, huyện, tỉnh (cách nhau bởi dấu phẩy) hoặc "all" / units or "all"' }),
  date: Type.Optional(IsoDate),
  layout: Type.Optional(Type.Union([Type.Literal('matrix'), Type.Literal('per-commune'), Type.Literal('both')])),
  prefill: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('latest')])),
});
const FileResponse = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Tệp (xlsx, docx) hoặc JSON / the file, or JSON' });

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266). */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function unitIds(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

export function reportRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/reports/:kind',
      {
        config: { action: 'report.export' },
        schema: {
          tags: ['reports'],
          summary: 'Xuất báo cáo (xlsx, docx theo Nghị định 30/2020, hoặc JSON) / export a report (xlsx, Decree 30 docx, or JSON)',
          description: `Dạng có / formats: ${REPORT_KINDS.map((k) => `${k}: ${REPORT_FORMATS[k].join(', ')}`).join('; ')}.`,
          params: KindParams,
          querystring: ReportQuery,
          response: { 200: FileResponse, ...errorResponses },
        },
      },
      async (req, reply) => {
        const kind = req.params.kind as ReportKind;
        const format = (req.query.format ?? REPORT_FORMATS[kind][0]) as ReportFormat;
        const q = req.query;
        const r = await exportReport(
          ctx.db,
          {
            kind,
            unitIds: unitIds(q.unitId),
            date: assertIsoDate(q.date ?? todayInVietnam(), 'date'),
            ...(q.reviewId ? { reviewId: q.reviewId } : {}),
            official: { ...(q.number ? { number: q.number } : {}), ...(q.place ? { place: q.place } : {}), ...(q.signer ? { signerName: q.signer } : {}), ...(q.documentDate ? { documentDate: q.documentDate } : {}) },
          },
          format,
          actorOf(req),
        );
        reply.header('Content-Type', r.contentType);
        if (format !== 'json') reply.header('Content-Disposition', contentDisposition(r.fileName));
        return reply.send(r.body);
      },
    );
    app.get(
      '/templates',
      {
        config: { action: 'data.import' },
        schema: {
          tags: ['reports'],
          summary: 'Mẫu Excel nhập số liệu rà soát / the Excel template to fill in reviews',
          querystring: TemplateQuery,
          response: { 200: FileResponse, ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const ids = unitIds(q.unitId);
        if (ids.length === 0) throw new DomainError('validation_failed', { vi: 'Thiếu đơn vị (unitId).', en: 'unitId is required.' }, { fields: [{ field: 'unitId' }] });
        const r = await templateBuffer(
          ctx.db,
          { setId: q.setId, unitIds: ids, date: assertIsoDate(q.date ?? todayInVietnam(), 'date'), layout: q.layout ?? 'matrix', prefill: q.prefill ?? 'none' },
          { actor: actorOf(req) },
        );
        reply.header('Content-Type', CONTENT_TYPES.xlsx);
        reply.header('Content-Disposition', contentDisposition(r.fileName));
        return reply.send(r.body);
      },
    );
  };
}
