/** Hỗ trợ ra quyết định — gap analysis, priorities, default costs, budget allocation (issue 15). */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { DOCX_TYPE, errorResponses, fileResponse, IdParams, writeErrorResponses, XLSX_TYPE } from '../schemas/common.schema.ts';
import { contentDisposition } from '../content-disposition.ts';
import {
  AllocationInputSchema,
  AllocationResultSchema,
  CostDefaultBody,
  CostDefaultDeleteQuery,
  CostDefaultsQuery,
  CostDefaultsSchema,
  CostDefaultViewSchema,
  GapAnalysisSchema,
  GapQuery,
  PriorityPlanSchema,
  PriorityQuery,
  ProposalBody,
  ProposalSchema,
  UnitAllocationBody,
  UnitAllocationSchema,
} from '../schemas/plan.schema.ts';
import { allocate } from '../../services/allocation.service.ts';
import { allocateWhatIf, deleteCostDefault, getGapAnalysis, getPriorities, listCostDefaults, listProposals, saveProposal, setCostDefault } from '../../services/planning.service.ts';
import type { AllocationInput } from '../../domain/planning/allocation.ts';
import { allocationNoteFile, allocationWorkbookFile, type AllocationFile } from '../../services/allocation-document.service.ts';

const tags = ['decision support'];

/** The headers of a generated file sent as a download. */
function attachment(file: AllocationFile): { 'content-type': string; 'content-disposition': string } {
  return { 'content-type': file.contentType, 'content-disposition': contentDisposition(file.fileName) };
}

export function planRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/plans/gaps',
      { config: { action: 'summary.read' }, schema: { operationId: 'getGapAnalysis', tags, summary: 'Khoảng cách đến mức đạt chuẩn tiếp theo của từng xã / gap analysis', querystring: GapQuery, response: { 200: GapAnalysisSchema, ...errorResponses } } },
      async (req) => getGapAnalysis(ctx.db, actorOf(req), req.query.unitId, req.query.date),
    );
    app.get(
      '/plans/priorities',
      { config: { action: 'plan.read' }, schema: { operationId: 'getPriorities', tags, summary: 'Việc cần làm trước của một xã / what a commune should do first', querystring: PriorityQuery, response: { 200: PriorityPlanSchema, ...errorResponses } } },
      async (req) => getPriorities(ctx.db, actorOf(req), req.query.unitId, req.query.date, req.query.goal ?? 'cheapest'),
    );
    app.get(
      '/plans/cost-defaults',
      { config: { action: 'plan.read' }, schema: { operationId: 'listCostDefaults', tags, summary: 'Chi phí, thời gian mặc định của các chỉ tiêu (theo tỉnh) / default costs of a province', querystring: CostDefaultsQuery, response: { 200: CostDefaultsSchema, ...errorResponses } } },
      async (req) => listCostDefaults(ctx.db, actorOf(req), req.query.unitId, req.query.setId),
    );
    app.put(
      '/plans/cost-defaults',
      { config: { action: 'plan.defaults.write' }, schema: { operationId: 'setCostDefault', tags, summary: 'Đặt chi phí, thời gian mặc định của một chỉ tiêu / set a default cost', body: CostDefaultBody, response: { 200: CostDefaultViewSchema, ...writeErrorResponses } } },
      async (req) => setCostDefault(ctx.db, actorOf(req), { ...req.body, provinceId: req.body.unitId, note: req.body.note ?? null }),
    );
    app.delete(
      '/plans/cost-defaults',
      { config: { action: 'plan.defaults.write' }, schema: { operationId: 'deleteCostDefault', tags, summary: 'Xóa chi phí mặc định của một chỉ tiêu / remove a default cost', querystring: CostDefaultDeleteQuery, response: { 204: Type.Null(), ...writeErrorResponses } } },
      async (req, reply) => reply.status(204).send(await deleteCostDefault(ctx.db, actorOf(req), { ...req.query, provinceId: req.query.unitId }).then(() => null)),
    );
    app.post(
      '/plans/allocate',
      { config: { action: 'plan.read' }, schema: { operationId: 'allocateBudget', tags, summary: 'Phân bổ kinh phí cho một bài toán cho trước (MIP và tham lam) / allocate a budget for a given instance', body: AllocationInputSchema, response: { 200: AllocationResultSchema, ...writeErrorResponses } } },
      async (req) => allocate(req.body as AllocationInput),
    );
    app.post(
      '/plans/allocation',
      { config: { action: 'plan.read' }, schema: { operationId: 'allocateForUnit', tags, summary: 'Phân bổ kinh phí theo kế hoạch hành động của các xã (có thể đánh dấu chỉ tiêu đã khắc phục) / allocate from the action plans, with what-if', body: UnitAllocationBody, response: { 200: UnitAllocationSchema, ...writeErrorResponses } } },
      async (req) => allocateWhatIf(ctx.db, actorOf(req), req.body),
    );
    app.post(
      '/plans/allocation.xlsx',
      {
        config: { action: 'plan.read' },
        schema: {
          operationId: 'exportAllocationWorkbook',
          tags,
          summary: 'Phương án phân bổ kinh phí ra Excel (tóm tắt, hạng mục chọn, xã, không xét) / the allocation as a workbook',
          body: UnitAllocationBody,
          response: { 200: fileResponse('Bảng tính phương án phân bổ / the allocation workbook', [XLSX_TYPE]), ...writeErrorResponses },
        },
      },
      async (req, reply) => {
        const file = await allocationWorkbookFile(ctx.db, actorOf(req), req.body);
        return reply.headers(attachment(file)).send(file.buffer);
      },
    );
    app.post(
      '/plans/allocation.docx',
      {
        config: { action: 'plan.read' },
        schema: {
          operationId: 'exportAllocationNote',
          tags,
          summary: 'Báo cáo đề xuất phương án phân bổ kinh phí, một trang (.docx, NĐ 30/2020) / the one-page allocation proposal',
          body: UnitAllocationBody,
          response: { 200: fileResponse('Văn bản Word (.docx, Nghị định 30/2020) / Word document (Decree 30/2020 format)', [DOCX_TYPE]), ...writeErrorResponses },
        },
      },
      async (req, reply) => {
        const file = await allocationNoteFile(ctx.db, actorOf(req), req.body);
        return reply.headers(attachment(file)).send(file.buffer);
      },
    );
    app.get(
      '/meetings/:id/allocation-proposals',
      { config: { action: 'committee.read' }, schema: { operationId: 'listAllocationProposals', tags, summary: 'Phương án phân bổ kinh phí trình cuộc họp / allocation proposals of a meeting', params: IdParams, response: { 200: Type.Array(ProposalSchema), ...errorResponses } } },
      async (req) => listProposals(ctx.db, actorOf(req), req.params.id),
    );
    app.post(
      '/meetings/:id/allocation-proposals',
      { config: { action: 'committee.write' }, schema: { operationId: 'saveAllocationProposal', tags, summary: 'Lưu phương án phân bổ làm đề xuất của cuộc họp / save an allocation as a meeting proposal', params: IdParams, body: ProposalBody, response: { 201: ProposalSchema, ...writeErrorResponses } } },
      async (req, reply) => reply.status(201).send(await saveProposal(ctx.db, actorOf(req), req.params.id, req.body)),
    );
  };
}
