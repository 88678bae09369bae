/**
 * Cảnh báo thu hồi công nhận (docs/dossier-api.md):
 *   GET  /revocation-alerts?status=&unitId=         the alerts
 *   POST /revocation-alerts/:id/open-dossier        open the revocation dossier
 *   POST /revocation-alerts/:id/dismiss             dismiss, with the reason
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { AlertQuery, DismissBody, OpenDossierFromAlertBody, RevocationAlertListSchema, RevocationAlertSchema } from '../schemas/revocation-alert.schema.ts';
import { DossierDetailSchema } from '../schemas/dossier.schema.ts';
import { dismissAlert, listAlerts, openRevocationDossier } from '../../services/revocation-alert.service.ts';

const tags = ['dossiers'];

export function revocationAlertRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/revocation-alerts',
      {
        config: { action: 'dossier.read' },
        schema: { operationId: 'listRevocationAlerts', tags, summary: 'Cảnh báo thu hồi công nhận / revocation alerts', querystring: AlertQuery, response: { 200: RevocationAlertListSchema, ...errorResponses } },
      },
      async (req) => ({ items: await listAlerts(ctx.db, actorOf(req), req.query) }),
    );
    app.post(
      '/revocation-alerts/:id/open-dossier',
      {
        config: { action: 'revocation.manage' },
        schema: {
          operationId: 'openRevocationDossier',
          tags,
          summary: 'Lập hồ sơ thu hồi từ cảnh báo / open a revocation dossier',
          params: IdParams,
          body: OpenDossierFromAlertBody,
          response: { 201: DossierDetailSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await openRevocationDossier(ctx.db, actorOf(req), req.params.id)),
    );
    app.post(
      '/revocation-alerts/:id/dismiss',
      {
        config: { action: 'revocation.manage' },
        schema: { operationId: 'dismissRevocationAlert', tags, summary: 'Bỏ qua cảnh báo (nêu lý do) / dismiss an alert with the reason', params: IdParams, body: DismissBody, response: { 200: RevocationAlertSchema, ...writeErrorResponses } },
      },
      async (req) => dismissAlert(ctx.db, actorOf(req), req.params.id, req.body.note),
    );
  };
}
