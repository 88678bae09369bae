/** Evidence files attached to a review (the bytes go up as the request body; the type is checked by content). */
import { Type } from 'typebox';
import { Closed, IsoTime, Nullable } from './common.schema.ts';

export const UploadQuery = Type.Object({
  indicator: Type.Optional(Type.String({ maxLength: 20 })),
  filename: Type.Optional(Type.String({ maxLength: 300 })),
});

export const AttachmentSchema = Closed({
  id: Type.Integer(),
  reviewId: Type.Integer(),
  indicatorCode: Nullable(Type.String()),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdBy: Type.String(),
  createdAt: IsoTime,
  url: Type.String({ description: 'where to download it (same origin)' }),
});

export const AttachmentListSchema = Closed({ items: Type.Array(AttachmentSchema) });
