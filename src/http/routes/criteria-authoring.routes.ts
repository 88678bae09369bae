/**
 * Bộ tiêu chí soạn trong ứng dụng — drafts, edits, source copies, four-eyes verification, impact
 * and publishing of the sets a province office keeps (src/services/criteria-authoring.service.ts).
 *   GET    /criteria-sets/authored                                       every stored version
 *   POST   /criteria-sets/import?dryRun=true                             a workbook (raw .xlsx body) checked, then stored as a draft
 *   POST   /criteria-sets                                                a draft (new set or new version)
 *   GET    /criteria-sets/:id/versions/:version                           document, resolution, four-eyes state, diffs
 *   PATCH  /criteria-sets/:id/versions/:version                           one edit (If-Match / version)
 *   DELETE /criteria-sets/:id/versions/:version                           discard a draft
 *   POST   /criteria-sets/:id/versions/:version/indicators/:code/source   the copy of the source (raw body: PDF, PNG, JPEG)
 *   GET    /criteria-sets/:id/versions/:version/indicators/:code/source   download it
 *   POST   /criteria-sets/:id/versions/:version/indicators/:code/verify   a second officer verifies
 *   GET    /criteria-sets/:id/versions/:version/impact                    what publishing would change
 *   POST   /criteria-sets/:id/versions/:version/publish                   publish; re-evaluation runs in the background
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { sendStoredFile } from '../content-disposition.ts';
import { etag, versionOf } from '../versioning.ts';
import { errorResponses, fileResponse, writeErrorResponses, XLSX_TYPE } from '../schemas/common.schema.ts';
import {
  AuthoredVersionListSchema,
  AuthoredVersionSchema,
  EditDraftBody,
  ImpactSchema,
  NewDraftBody,
  SetImportQuery,
  SetImportResultSchema,
  SetIndicatorParams,
  SetVersionParams,
  SourceUploadQuery,
  VersionBody,
} from '../schemas/criteria-authoring.schema.ts';
import {
  attachSourceCopy,
  createDraft,
  discardDraft,
  editDraft,
  getAuthoredVersion,
  listAuthoredVersions,
  importSetWorkbook,
  previewImpact,
  publishDraft,
  sourceCopyOf,
  verifyIndicator,
} from '../../services/criteria-authoring.service.ts';
import { attachmentPath, MAX_ATTACHMENT_BYTES } from '../../services/attachment.service.ts';
import type { SetEdit } from '../../catalog/edit.ts';

const tags = ['criteria'];
const SOURCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream', XLSX_TYPE];

export function criteriaAuthoringRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.addContentTypeParser(SOURCE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body));

    app.get(
      '/criteria-sets/authored',
      { config: { action: 'catalog.read' }, schema: { operationId: 'listAuthoredSets', tags, summary: 'Các phiên bản bộ tiêu chí soạn trong ứng dụng (dự thảo, đã ban hành) / stored set versions (drafts, published)', response: { 200: AuthoredVersionListSchema, ...errorResponses } } },
      async (req) => ({ items: await listAuthoredVersions(ctx.db, actorOf(req)) }),
    );
    app.post(
      '/criteria-sets',
      { config: { action: 'catalog.write' }, schema: { operationId: 'createSetDraft', tags, summary: 'Tạo dự thảo bộ tiêu chí của tỉnh (dựa trên bộ quốc gia) hoặc phiên bản mới / draft a provincial set or a new version', body: NewDraftBody, response: { 201: AuthoredVersionSchema, ...writeErrorResponses } } },
      async (req, reply) => reply.status(201).send(etag(reply, await createDraft(ctx.db, actorOf(req), req.body))),
    );
    app.post(
      '/criteria-sets/import',
      { config: { action: 'catalog.write' }, bodyLimit: ctx.services.importMaxBytes, schema: { operationId: 'importCriteriaSetWorkbook', tags, summary: 'Nhập bộ tiêu chí từ Excel (như tệp xuất): kiểm tra (dryRun), rồi lưu thành dự thảo / import a set workbook: check (dryRun), then store as a draft', querystring: SetImportQuery, response: { 200: SetImportResultSchema, ...writeErrorResponses } } },
      async (req) => importSetWorkbook(ctx.db, actorOf(req), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), { dryRun: req.query.dryRun ?? true, ...(req.query.provinceId ? { provinceId: req.query.provinceId } : {}) }, ctx.services.importLimits),
    );
    app.get(
      '/criteria-sets/:id/versions/:version',
      { config: { action: 'catalog.read' }, schema: { operationId: 'getSetVersion', tags, summary: 'Một phiên bản: nội dung, lỗi, xác minh, so sánh / one version: document, problems, verification, diffs', params: SetVersionParams, response: { 200: AuthoredVersionSchema, ...errorResponses } } },
      async (req, reply) => etag(reply, await getAuthoredVersion(ctx.db, actorOf(req), req.params.id, req.params.version)),
    );
    app.patch(
      '/criteria-sets/:id/versions/:version',
      { config: { action: 'catalog.write' }, schema: { operationId: 'editSetDraft', tags, summary: 'Sửa dự thảo: một thao tác (nhập, bỏ, tách chỉ tiêu; tiêu chí; hiệu lực) / one edit of a draft', params: SetVersionParams, body: EditDraftBody, response: { 200: AuthoredVersionSchema, ...writeErrorResponses } } },
      async (req, reply) => etag(reply, await editDraft(ctx.db, actorOf(req), req.params.id, req.params.version, { version: versionOf(req, req.body.version), edit: req.body.edit as unknown as SetEdit })),
    );
    app.delete(
      '/criteria-sets/:id/versions/:version',
      { config: { action: 'catalog.write' }, schema: { operationId: 'discardSetDraft', tags, summary: 'Hủy dự thảo (If-Match: phiên bản đã đọc) / discard a draft', params: SetVersionParams, response: { 204: Type.Null({ description: 'đã hủy / discarded' }), ...writeErrorResponses } } },
      async (req, reply) => {
        await discardDraft(ctx.db, actorOf(req), req.params.id, req.params.version, versionOf(req, undefined));
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/criteria-sets/:id/versions/:version/indicators/:code/source',
      { config: { action: 'catalog.write' }, bodyLimit: MAX_ATTACHMENT_BYTES, schema: { operationId: 'attachSetSource', tags, summary: 'Đính kèm bản sao văn bản nguồn của chỉ tiêu (PDF, ảnh; nội dung tệp trong thân yêu cầu) / attach the source copy (raw body)', params: SetIndicatorParams, querystring: SourceUploadQuery, response: { 200: AuthoredVersionSchema, ...writeErrorResponses } } },
      async (req, reply) => etag(reply, await attachSourceCopy(ctx.db, actorOf(req), req.params.id, req.params.version, req.params.code, { data: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), filename: req.query.filename ?? null }, ctx.services.attachmentDir)),
    );
    app.get(
      '/criteria-sets/:id/versions/:version/indicators/:code/source',
      { config: { action: 'catalog.read' }, schema: { operationId: 'downloadSetSource', tags, summary: 'Tải bản sao văn bản nguồn / download the source copy', params: SetIndicatorParams, response: { 200: fileResponse('Bản sao văn bản nguồn / the source copy', ['application/pdf', 'image/png', 'image/jpeg']), ...errorResponses } } },
      async (req, reply) => {
        const copy = await sourceCopyOf(ctx.db, actorOf(req), req.params.id, req.params.version, req.params.code);
        return sendStoredFile(reply, { ...copy, path: attachmentPath(ctx.services.attachmentDir, copy.sha256) });
      },
    );
    app.post(
      '/criteria-sets/:id/versions/:version/indicators/:code/verify',
      { config: { action: 'catalog.write' }, schema: { operationId: 'verifySetIndicator', tags, summary: 'Xác minh chỉ tiêu với văn bản gốc (người thứ hai, không phải người nhập) / verify an indicator (a second officer)', params: SetIndicatorParams, body: VersionBody, response: { 200: AuthoredVersionSchema, ...writeErrorResponses } } },
      async (req, reply) => etag(reply, await verifyIndicator(ctx.db, actorOf(req), req.params.id, req.params.version, req.params.code, { version: versionOf(req, req.body.version) })),
    );
    app.get(
      '/criteria-sets/:id/versions/:version/impact',
      { config: { action: 'catalog.read' }, schema: { operationId: 'setVersionImpact', tags, summary: 'Ảnh hưởng nếu ban hành: số kết quả thay đổi, xã đổi mức đạt / what publishing would change', params: SetVersionParams, response: { 200: ImpactSchema, ...errorResponses } } },
      async (req) => previewImpact(ctx.db, actorOf(req), req.params.id, req.params.version),
    );
    app.post(
      '/criteria-sets/:id/versions/:version/publish',
      { config: { action: 'catalog.write' }, schema: { operationId: 'publishSetVersion', tags, summary: 'Ban hành (đóng băng) phiên bản; đánh giá lại chạy nền, xem tiến độ ở "reevaluation" / publish; re-evaluation runs in the background', params: SetVersionParams, body: VersionBody, response: { 200: AuthoredVersionSchema, ...writeErrorResponses } } },
      async (req, reply) => etag(reply, await publishDraft(ctx.db, actorOf(req), req.params.id, req.params.version, { version: versionOf(req, req.body.version) })),
    );
  };
}
