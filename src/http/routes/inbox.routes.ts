/** Hộp thư nhắc việc — the signed-in user's reminders, computed from tasks for the date. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DateQuery, errorResponses } from '../schemas/common.schema.ts';
import { UserInboxSchema } from '../schemas/inbox.schema.ts';
import { getInbox } from '../../services/inbox.service.ts';

export function inboxRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/inbox',
      {
        config: { action: 'inbox.read' },
        schema: {
          operationId: 'getInbox',
          tags: ['inbox'],
          summary: 'Nhắc việc: quá hạn, sắp đến hạn, bị trả lại, đề nghị hoàn thành, mới giao / my reminders',
          querystring: DateQuery,
          response: { 200: UserInboxSchema, ...errorResponses },
        },
      },
      async (req) => getInbox(ctx.db, actorOf(req), req.query.date),
    );
  };
}
