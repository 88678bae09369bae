/**
 * `Content-Disposition` of a download (RFC 6266): `attachment` (or `inline`, shown by the browser)
 * with an ASCII fallback name and the exact UTF-8 one: `filename="Xa_Trang_An.pdf"; filename*=UTF-8''…`.
 */
export function contentDisposition(filename: string, inline = false): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
