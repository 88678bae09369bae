import type { ReactNode } from 'react';

/** One headline figure: label, value, a line of context. A labelled region, so it reads alone. */
export function StatCard({ id, label, value, sub, children }: { id: string; label: string; value?: ReactNode; sub?: ReactNode; children?: ReactNode }) {
  return (
    <section className="stat-card" aria-labelledby={`${id}-label`} data-testid={id}>
      <h3 className="stat-label" id={`${id}-label`}>
        {label}
      </h3>
      {value !== undefined && <p className="stat-value">{value}</p>}
      {children}
      {sub && <p className="stat-sub">{sub}</p>}
    </section>
  );
}
