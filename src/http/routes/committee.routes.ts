/** Ban Chỉ đạo: committees and their members over time. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DateQuery, errorResponses, IdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { CommitteeDetailSchema, CommitteeListSchema, CommitteeQuery, CreateCommitteeBody, MemberBody, UpdateCommitteeBody, UpdateMemberBody } from '../schemas/committee.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import { addMember, createCommittee, getCommittee, listCommittees, updateCommittee, updateMember } from '../../services/committee.service.ts';

const tags = ['committees'];

export function committeeRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const written = { 200: CommitteeDetailSchema, ...writeErrorResponses };
    const created = { 201: CommitteeDetailSchema, ...writeErrorResponses };
    app.get(
      '/committees',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'listCommittees',
          tags,
          summary: 'Ban Chỉ đạo của một đơn vị và cấp trên / committees of a unit and above',
          querystring: CommitteeQuery,
          response: { 200: CommitteeListSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await listCommittees(ctx.db, actorOf(req), req.query) }),
    );
    app.post(
      '/committees',
      { config: { action: 'committee.write' }, schema: { operationId: 'createCommittee', tags, summary: 'Thành lập Ban Chỉ đạo / create a committee', body: CreateCommitteeBody, response: created } },
      async (req, reply) => reply.status(201).send(etag(reply, await createCommittee(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/committees/:id',
      {
        config: { action: 'committee.read' },
        schema: {
          operationId: 'getCommittee',
          tags,
          summary: 'Ban Chỉ đạo, thành viên tại ngày và lịch sử / a committee, members on the date, history',
          params: IdParams,
          querystring: DateQuery,
          response: { 200: CommitteeDetailSchema, ...errorResponses },
        },
      },
      async (req, reply) => etag(reply, await getCommittee(ctx.db, actorOf(req), req.params.id, req.query.date)),
    );
    app.patch(
      '/committees/:id',
      { config: { action: 'committee.write' }, schema: { operationId: 'updateCommittee', tags, summary: 'Sửa Ban Chỉ đạo (If-Match) / edit a committee', params: IdParams, body: UpdateCommitteeBody, response: written } },
      async (req, reply) => etag(reply, await updateCommittee(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) })),
    );
    app.post(
      '/committees/:id/members',
      { config: { action: 'committee.write' }, schema: { operationId: 'addCommitteeMember', tags, summary: 'Thêm thành viên / add a member', params: IdParams, body: MemberBody, response: created } },
      async (req, reply) => reply.status(201).send(etag(reply, await addMember(ctx.db, actorOf(req), req.params.id, req.body))),
    );
    app.patch(
      '/committee-members/:id',
      {
        config: { action: 'committee.write' },
        schema: { operationId: 'updateCommitteeMember', tags, summary: 'Sửa hoặc kết thúc tư cách thành viên (If-Match) / edit or end a membership', params: IdParams, body: UpdateMemberBody, response: written },
      },
      async (req) => updateMember(ctx.db, actorOf(req), req.params.id, { ...req.body, version: versionOf(req, req.body.version) }),
    );
  };
}
