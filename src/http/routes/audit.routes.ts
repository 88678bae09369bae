/**
 * Nhật ký thay đổi (audit.read), read-only: there is no route that changes or deletes audit rows.
 *   GET /audit?unitId&actor&entity&entityId&action&from&to&beforeSeq&limit
 *   GET /audit/verify     the hash-chain check (needs audit.read everywhere)
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { AuditPageSchema, AuditQuery, ChainReportSchema } from '../schemas/audit.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { listAuditTrail, verifyAuditChain } from '../../services/audit.service.ts';
import { authorize } from '../../services/access.service.ts';

const tags = ['audit'];

export function auditRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/audit',
      {
        config: { action: 'audit.read' },
        schema: {
          operationId: 'listAuditTrail',
          tags,
          summary: 'Nhật ký thay đổi: ai, khi nào, từ đâu, trước và sau / audit trail: who, when, from where, before and after',
          querystring: AuditQuery,
          response: { 200: AuditPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const q = req.query;
        if (q.from) assertIsoDate(q.from, 'from');
        if (q.to) assertIsoDate(q.to, 'to');
        return listAuditTrail(ctx.db, actorOf(req), q);
      },
    );
    app.get(
      '/audit/verify',
      {
        config: { action: 'audit.read' },
        schema: { operationId: 'verifyAuditChain', tags, summary: 'Kiểm tra chuỗi băm của nhật ký / verify the audit hash chain', response: { 200: ChainReportSchema, ...errorResponses } },
      },
      async (req) => {
        await authorize(ctx.db, actorOf(req), 'audit.read', 'everywhere');
        return verifyAuditChain(ctx.db, { anchorFile: ctx.auth.config.auditAnchorFile });
      },
    );
  };
}
