/**
 * Báo cáo:
 *   GET /reports/:kind?unitId=…&date=…&format=xlsx|docx|json   a report as a file (json: the model the web app shows)
 *       kind: matrix | summary | commune-detail | history | self-assessment | examination
 *       matrix: unitId may list several units (comma-separated) or be `all`
 *       Word reports: number, place, signer, documentDate fill the administrative header
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { contentDisposition } from '../content-disposition.ts';
import { binaryContent, DOCX_TYPE, errorResponses, XLSX_TYPE } from '../schemas/common.schema.ts';
import { KindParams, ReportQuery, ReportSchema } from '../schemas/report.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { REPORT_FORMATS, REPORT_KINDS, exportReport, type ReportFormat, type ReportKind } from '../../services/report.service.ts';
import { unitIdList } from '../unit-id-list.ts';

export function reportRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/reports/:kind',
      {
        config: { action: 'report.export' },
        schema: {
          operationId: 'exportReport',
          tags: ['reports'],
          summary: 'Xuất báo cáo (xlsx, docx theo Nghị định 30/2020, hoặc JSON) / export a report (xlsx, Decree 30 docx, or JSON)',
          description: `Dạng có / formats: ${REPORT_KINDS.map((k) => `${k}: ${REPORT_FORMATS[k].join(', ')}`).join('; ')}.`,
          params: KindParams,
          querystring: ReportQuery,
          response: {
            200: {
              description: 'Tệp xlsx, docx, hoặc mô hình báo cáo (JSON) / the file, or the report model as JSON',
              content: { 'application/json': { schema: ReportSchema }, ...binaryContent([XLSX_TYPE, DOCX_TYPE]) },
            },
            ...errorResponses,
          },
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
            unitIds: unitIdList(q.unitId),
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
  };
}
