/**
 * Work that can wait for the first paint: `afterPaint(cb)` runs `cb` in a task after the next
 * frame has been drawn (a frame callback, then a task), and returns a cancel function;
 * `useAfterPaint()` is false on the first render and true once the screen has shown it. What the
 * reader sees first (headline figures, the first rows) is drawn before secondary requests and
 * renders start, so they neither delay it nor compete with it.
 */
import { useEffect, useState } from 'react';

// ── The page's own content painted (a page-wide signal) ──
let contentPainted = false;
const waiting = new Set<() => void>();

/** Called once a page's main content is on screen (see AfterFirstPaint). */
export function markContentPainted(): void {
  if (contentPainted) return;
  contentPainted = true;
  for (const w of waiting) w();
  waiting.clear();
}

/**
 * For the frame's own extras (the date picker: a chunk of its own, with a
 * stand-in meanwhile): true once the page has painted its content, or after `maxWaitMs` on a page
 * that never says so.
 */
export function useContentPainted(maxWaitMs = 1500): boolean {
  const [ok, setOk] = useState(contentPainted);
  useEffect(() => {
    if (ok) return;
    if (contentPainted) return setOk(true);
    const done = () => setOk(true);
    waiting.add(done);
    const timer = setTimeout(done, maxWaitMs);
    return () => {
      waiting.delete(done);
      clearTimeout(timer);
    };
  }, [ok, maxWaitMs]);
  return ok;
}

export function afterPaint(cb: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // No frames (a hidden tab, jsdom): a plain task.
  if (typeof requestAnimationFrame === 'undefined' || document.visibilityState === 'hidden') {
    timer = setTimeout(cb, 0);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(cb, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** False until the component's first render has been painted (true at once when `eager`). */
export function useAfterPaint(eager = false): boolean {
  const [painted, setPainted] = useState(eager);
  useEffect(() => {
    if (painted) return;
    return afterPaint(() => setPainted(true));
  }, [painted]);
  return painted;
}
