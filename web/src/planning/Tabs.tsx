/**
 * Tabs (WAI-ARIA tabs pattern: one tab stop, arrows move and activate). A panel is drawn when first
 * shown and then kept (hidden), so the what-if keeps its budget and ticks across tabs.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export function Tabs<K extends string>({ items, active, onChange, label }: { items: Array<{ key: K; label: string; children: ReactNode }>; active: K; onChange: (k: K) => void; label: string }) {
  const [seen, setSeen] = useState<ReadonlySet<K>>(() => new Set([active]));
  if (!seen.has(active)) setSeen(new Set([...seen, active]));
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (e: KeyboardEvent, i: number) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : e.key === 'Home' ? -i : e.key === 'End' ? items.length - 1 - i : 0;
    if (!d) return;
    e.preventDefault();
    const next = items[(i + d + items.length) % items.length]!.key;
    onChange(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className="ds-tabs">
      <div role="tablist" aria-label={label} className="ds-tablist">
        {items.map((it, i) => (
          <button
            key={it.key}
            ref={(el) => {
              if (el) refs.current.set(it.key, el);
            }}
            type="button"
            role="tab"
            id={`ds-tab-${it.key}`}
            aria-selected={it.key === active}
            aria-controls={`ds-panel-${it.key}`}
            tabIndex={it.key === active ? 0 : -1}
            onClick={() => onChange(it.key)}
            onKeyDown={(e) => move(e, i)}
          >
            {it.label}
          </button>
        ))}
      </div>
      {items.map((it) =>
        seen.has(it.key) ? (
          <div key={it.key} role="tabpanel" id={`ds-panel-${it.key}`} aria-labelledby={`ds-tab-${it.key}`} hidden={it.key !== active} className="ds-tabpanel">
            {it.children}
          </div>
        ) : null,
      )}
    </div>
  );
}
