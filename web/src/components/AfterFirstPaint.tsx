import { useEffect, type ReactNode } from 'react';
import { markContentPainted, useAfterPaint } from '../hooks/useAfterPaint.ts';

/**
 * Parts with requests and code of their own that are not what the reader looks at first: rendered
 * once the part of the page around them has been painted (`fallback` until then, nothing by
 * default), so they neither hold it up nor compete with it. At once when `eager` (print view).
 * It also tells the frame that the page's content is on screen (useContentPainted).
 */
export function AfterFirstPaint({ children, fallback = null, eager = false }: { children: ReactNode; fallback?: ReactNode; eager?: boolean }) {
  const painted = useAfterPaint(eager);
  useEffect(() => {
    if (painted) markContentPainted();
  }, [painted]);
  return <>{painted ? children : fallback}</>;
}
