/**
 * Nhật ký thay đổi (audit.read), read-only: there is no route that changes or deletes audit rows.
 *   GET /audit?unitId&actor&entity&entityId&action&from&to&beforeSeq&limit
 *   GET /audit/verify     the hash-chain check (needs audit.read everywhere)
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { listAuditTrail, verifyAuditChain } from '../../services/audit.service.ts';
import { authorize } from '../../services/access.service.ts';

const Loose = Type.Object({}, { additionalProperties: true });

export function auditRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/audit',
      {
        config: { action: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Nhật ký thay đổi: ai, khi nào, từ đâu, trước và sau / audit trail: who, when, from where, before and after',
          querystring: Type.Object({
            unitId: Type.Optional(Type.String({ maxLength: 40 })),
            actor: Type.Optional(Type.String({ maxLength: 120 })),
            entity: Type.Optional(Type.String({ maxLength: 60 })),
            entityId: Type.Optional(Type.String({ maxLength: 120 })),
            action: Type.Optional(Type.String({ maxLength: 60 })),
            from: Type.Optional(IsoDate),
            to: Type.Optional(IsoDate),
            beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
          response: { 200: Type.Object({ items: Type.Array(Loose), nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]) }), ...errorResponses },
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
      { config: { action: 'audit.read' }, schema: { tags: ['audit'], summary: 'Kiểm tra chuỗi băm của nhật ký / verify the audit hash chain', response: { 200: Loose, ...errorResponses } } },
      async (req) => {
        await authorize(ctx.db, actorOf(req), 'audit.read', 'everywhere');
        return verifyAuditChain(ctx.db);
      },
    );
  };
}
