import { useEffect } from 'react';

/** "Xã Tràng An — Đạt Chuẩn". */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — Đạt Chuẩn` : 'Đạt Chuẩn';
  }, [title]);
}
