/**
 * The one error envelope: `{ error: { code, message, message_vi, details } }`. Domain errors map
 * by code; schema validation and malformed bodies become `validation_failed`; anything unknown is
 * logged with the request id and answered as `internal`, never echoed.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, isDomainError, type ErrorCode } from '../domain/errors.ts';
import { isConnectionError } from '../db/connection-errors.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; message_vi: string; details?: Record<string, unknown> };
}

export function envelope(e: DomainError): ErrorBody {
  return { error: { code: e.code, message: e.message, message_vi: e.messageVi, ...(e.details ? { details: e.details } : {}) } };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(context: string | undefined, v: ValidationIssue): string {
  const extra = v.params && typeof v.params.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
  const extraProp = v.params && typeof v.params.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : '';
  const p = `${v.instancePath ?? ''}${extra}${extraProp}`.replace(/^\//, '').replace(/\//g, '.');
  return p ? `${context ?? 'body'}.${p}` : (context ?? 'body');
}

function viValidationMessage(v: ValidationIssue): string {
  const p = v.params ?? {};
  if (typeof p.missingProperty === 'string') return 'thiếu trường bắt buộc';
  if (typeof p.additionalProperty === 'string') return 'trường không được phép';
  if (typeof p.type === 'string') return `sai kiểu dữ liệu (cần ${p.type})`;
  if (typeof p.limit === 'number') return `vượt giới hạn (${p.limit})`;
  if (typeof p.format === 'string') return `sai định dạng (${p.format})`;
  if (typeof p.pattern === 'string') return 'sai định dạng';
  if (Array.isArray(p.allowedValues)) return `giá trị phải là một trong: ${p.allowedValues.join(', ')}`;
  return 'giá trị không hợp lệ';
}

export function validationError(context: string | undefined, issues: ValidationIssue[]): DomainError {
  const fields = issues.map((v) => ({ field: fieldOf(context, v), message: v.message ?? 'invalid', message_vi: viValidationMessage(v) }));
  const first = fields[0];
  return new DomainError(
    'validation_failed',
    {
      vi: first ? `Dữ liệu không hợp lệ ở trường "${first.field}": ${first.message_vi}.` : 'Dữ liệu không hợp lệ.',
      en: first ? `Invalid input at "${first.field}": ${first.message}.` : 'Invalid input.',
    },
    { fields },
  );
}

/**
 * A refused content type in words a person reads: upload routes (those that parse PDF bodies) name
 * the files they take; every other route takes form data (JSON).
 */
function unsupportedTypeMessage(upload: boolean, type: string): { vi: string; en: string } {
  const got = type ? ` (đã gửi "${type}")` : '';
  const gotEn = type ? ` (sent "${type}")` : '';
  return upload
    ? { vi: `Không nhận loại tệp này${got}: hãy chọn tệp PDF, ảnh PNG hoặc JPEG, văn bản Word (.docx) hoặc bảng tính Excel (.xlsx).`, en: `This kind of file is not accepted${gotEn}: choose a PDF, a PNG or JPEG image, a Word document (.docx) or an Excel workbook (.xlsx).` }
    : { vi: `Không đọc được dữ liệu gửi lên${got}: chỗ này chỉ nhận dữ liệu biểu mẫu (JSON), không nhận tệp.`, en: `The data sent could not be read${gotEn}: this address takes form data (JSON), not a file.` };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }, req, reply) => {
    if (isDomainError(err)) return reply.status(err.status).send(envelope(err));
    if (err.validation) return reply.status(400).send(envelope(validationError(err.validationContext, err.validation)));
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      return reply.status(400).send(
        envelope(new DomainError('validation_failed', { vi: 'Nội dung JSON không đọc được (sai cú pháp).', en: 'The JSON body is malformed.' })),
      );
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(envelope(new DomainError('payload_too_large', { vi: 'Dữ liệu gửi lên quá lớn.', en: 'Request body too large.' })));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(
        envelope(new DomainError('validation_failed', unsupportedTypeMessage(req.server.hasContentTypeParser('application/pdf'), String(req.headers['content-type'] ?? '').split(';')[0]!.trim()), { fields: [{ field: 'content-type' }] })),
      );
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send(envelope(new DomainError('validation_failed', { vi: 'Yêu cầu không hợp lệ.', en: err.message || 'Bad request.' })));
    }
    if (isConnectionError(err)) {
      // The database went away (restart, failover, network): nothing was committed by this request
      // unless it was answered; the pool reconnects on the next query.
      req.log.warn({ err, reqId: req.id }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(
          envelope(
            new DomainError('database_unavailable', {
              vi: `Tạm thời không kết nối được cơ sở dữ liệu, vui lòng thử lại sau ít giây (mã yêu cầu ${req.id}).`,
              en: `The database is unavailable for the moment; please retry in a few seconds (request id ${req.id}).`,
            }),
          ),
        );
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return reply.status(500).send(
      envelope(
        new DomainError('internal', {
          vi: `Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên (mã yêu cầu ${req.id}).`,
          en: `Internal error; please retry or report it (request id ${req.id}).`,
        }),
      ),
    );
  });
}
