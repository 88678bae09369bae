/**
 * `Content-Disposition` of a download (RFC 6266): `attachment` (or `inline`, shown by the browser)
 * with an ASCII fallback name and the exact UTF-8 one: `filename="Xa_Trang_An.pdf"; filename*=UTF-8''…`.
 * The name goes through `safeFileName` again (a row stored before that rule), so no folder, quote
 * or line break from a client ever reaches the header.
 */
import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { safeFileName } from '../domain/text.ts';

export function contentDisposition(filename: string, inline = false): string {
  const name = safeFileName(filename) || 'tep';
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Shown in the browser: PDF and images (PNG, JPEG — never SVG, which can carry script). */
const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg']);

/**
 * Send an uploaded file (evidence, a dossier document): its type as detected from the bytes at
 * upload, `nosniff` so the browser never guesses another, shown inline only when it is a PDF or
 * an image, a download (`attachment`) otherwise.
 */
export function sendStoredFile(reply: FastifyReply, file: { contentType: string; size: number; filename: string; path: string }): FastifyReply {
  return reply
    .type(file.contentType)
    .header('Content-Length', String(file.size))
    .header('Content-Disposition', contentDisposition(file.filename, INLINE_TYPES.has(file.contentType)))
    .header('X-Content-Type-Options', 'nosniff')
    .send(createReadStream(file.path));
}
