/**
 * Schema pieces shared by every slice: the building blocks (a closed object, nullable, a string
 * enum, dates, bilingual text), the common parameters, the error envelope with the error statuses,
 * and binary responses. Response schemas are closed objects: Fastify serialises a response from
 * its schema and would silently drop a property the schema forgets (tests check every response
 * with undeclared properties refused: src/http/strict-responses.ts).
 */
import type { Readable } from 'node:stream';
import { Type, type TObject, type TProperties, type TSchema, type TObjectOptions } from 'typebox';
import type { RefKind } from '../../domain/references.ts';

/**
 * The largest integer a database column holds (PostgreSQL `integer`). Every integer in a request
 * (ids, versions, sequence numbers) is bounded by it: a bigger one would fail in the database.
 */
export const MAX_INT = 2147483647;

/** An object with exactly these properties (no others: `additionalProperties: false`). */
export function Closed<P extends TProperties>(properties: P, options: TObjectOptions = {}): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export function Nullable<T extends TSchema>(t: T) {
  return Type.Union([t, Type.Null()]);
}

/** An array the server hands out read-only (the type only: the JSON is a plain array). */
export function ReadonlyArray<T extends TSchema>(item: T, options: { description?: string } = {}) {
  return Type.Immutable(Type.Array(item, options));
}

/** One of these strings (`{ type: string, enum }` in OpenAPI 3.0). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD', example: '2023-03-20' });

/** A point in time: ISO 8601, UTC. */
export const IsoTime = Type.String({ description: 'ISO 8601 UTC, e.g. 2025-07-01T08:30:00.000Z' });

export const UnitId = Type.String({ pattern: '^[0-9]{2,5}@[0-9]{4}-[0-9]{2}$', description: 'code@list, e.g. 13510@2025-03' });

/** A text in both UI languages: Vietnamese and English. */
export const Bilingual = Closed({ vi: Type.String(), en: Type.String() });

/** A document named and, when it is online, linked: evidence, a meeting's attachments. */
export const DocumentRefSchema = Closed({ title: Type.String({ maxLength: 300 }), url: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'http(s):// address, or a file on this server (/api/v1/attachments/7); other links are refused' }))) });

/** Vietnamese đồng, whole. */
export const Money = Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000, description: 'whole đồng (VND)' });

/** Request text: at most `max` characters; optional and nullable. */
export const Text = (max: number) => Type.String({ maxLength: max });
export const OptText = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));
export const OptDate = Type.Optional(Nullable(IsoDate));

// ── References ───────────────────────────────────────────────────────────────────────────────

/**
 * An id of stored data in a request (`x-ref: <kind>` in the schema and the OpenAPI document): the
 * id is resolved to the unit its record belongs to and the route's action authorised there before
 * the handler runs (src/domain/references.ts, src/services/reference.service.ts). On an array,
 * every item. `reach: 'above'`: also a unit above the caller's own (a request sent upwards).
 */
export function Ref<T extends TSchema>(kind: RefKind, schema: T, options: { reach?: 'above' } = {}): T {
  return annotated(schema, { 'x-ref': kind, ...(options.reach ? { 'x-ref-reach': options.reach } : {}) });
}

/** A field that looks like an id but names no stored data to authorise (`why` says what it is). */
export function NotRef<T extends TSchema>(schema: T, why: string): T {
  return annotated(schema, { 'x-ref': 'none', description: why });
}

/** A copy of a schema with more keywords; TypeBox's own markers (optional…) are not enumerable, so a spread would drop them. */
function annotated<T extends TSchema>(schema: T, keywords: Record<string, string>): T {
  return Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema)), keywords) as unknown as T;
}

// ── Parameters ───────────────────────────────────────────────────────────────────────────────

/** `:id` of a numbered record. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_INT }) });
/** `:id` of a unit (`code@list`). */
export const UnitIdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const DateQuery = Type.Object({ date: Type.Optional(IsoDate) });
/** The version a write was based on (or send If-Match). */
export const VersionField = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT, description: 'the version you read (or send If-Match)' }));

// ── Errors ───────────────────────────────────────────────────────────────────────────────────

const errorFields = {
  error: Closed({
    code: Type.String({ description: 'stable machine code: validation_failed, not_found, version_conflict, forbidden…' }),
    message: Type.String(),
    message_vi: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'what the code needs: fields at fault, the current version, alternatives…' })),
  }),
};

/** The one error envelope, described for the status it answers. */
function errorEnvelope(description: string) {
  return Closed(errorFields, { description });
}

export const ErrorEnvelope = errorEnvelope('Lỗi / error');

const errors = {
  400: errorEnvelope('Yêu cầu không hợp lệ (đường dẫn, tham số, nội dung) / malformed or invalid request (path, parameters, body)'),
  401: errorEnvelope('Chưa đăng nhập, phiên hoặc khóa API không hợp lệ / not signed in, or the session or token is invalid'),
  403: errorEnvelope('Không có quyền / not allowed'),
  404: errorEnvelope('Không tìm thấy / not found'),
  409: errorEnvelope('Xung đột phiên bản hoặc thao tác không được phép ở bước này / version conflict, or a move not allowed now'),
  413: errorEnvelope('Dữ liệu gửi lên quá lớn / request body too large'),
  415: errorEnvelope('Kiểu nội dung không được hỗ trợ / unsupported content type'),
  423: errorEnvelope('Tài khoản đang bị khóa / account locked'),
  429: errorEnvelope('Quá nhiều yêu cầu, thử lại sau / too many attempts, retry later'),
  500: errorEnvelope('Lỗi hệ thống / internal error'),
};

/** Every route may fail: its parameters, who is asking, what is asked about, or the server. */
export const errorResponses = { 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 500: errors[500] };

/** Writes also meet version conflicts and refused moves (409), and bodies too large (413) or of the wrong type (415). */
export const writeErrorResponses = { ...errorResponses, 409: errors[409], 413: errors[413], 415: errors[415] };

/** Signing in also meets a locked account (423) and too many attempts (429). */
export const signInErrorResponses = { ...writeErrorResponses, 423: errors[423], 429: errors[429] };

/** What a visitor without an account can meet on the public portal's forms. */
export const visitorErrorResponses = { 400: errors[400], 404: errors[404], 409: errors[409], 413: errors[413], 415: errors[415], 429: errors[429], 500: errors[500] };

/** Routes open to anyone answer only a malformed request (e.g. a badly encoded path) or a server error. */
export const publicErrorResponses = { 400: errors[400], 500: errors[500] };

// ── Files ────────────────────────────────────────────────────────────────────────────────────

/** The bytes of a file, its text, or a stream of it: what a route sends that is not JSON. */
const BinaryBody = Type.Unsafe<Uint8Array | string | Readable>({ type: 'string', format: 'binary' });

/** Bodies of these content types that are files or text, not JSON (OpenAPI `content`). */
export function binaryContent<const T extends readonly string[]>(contentTypes: T): { [K in T[number]]: { schema: typeof BinaryBody } } {
  return Object.fromEntries(contentTypes.map((t) => [t, { schema: BinaryBody }])) as { [K in T[number]]: { schema: typeof BinaryBody } };
}

/** A response that is a file (or text) of one of these content types, not JSON. */
export function fileResponse<const T extends readonly string[]>(description: string, contentTypes: T) {
  return { description, content: binaryContent(contentTypes) };
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
