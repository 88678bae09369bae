/**
 * The checklist: one expandable row per criterion (status with symbol, name, indicators met),
 * opening to its indicators. Criteria not met or not evaluable start open. Native
 * <details>/<summary>: keyboard and screen-reader behaviour for free.
 */
import { useState } from 'react';
import type { CriterionVerdictView } from '../api/types.ts';
import { useT } from '../i18n/index.tsx';
import { StatusTag } from './StatusMark.tsx';
import { IndicatorTable } from './IndicatorTable.tsx';
import { useAfterPaint } from '../hooks/useAfterPaint.ts';

function initiallyOpen(criteria: CriterionVerdictView[]): Set<string> {
  return new Set(criteria.filter((c) => c.status === 'not_met' || c.status === 'not_evaluable').map((c) => c.code));
}

export function CriterionChecklist({ criteria, allOpen = false }: { criteria: CriterionVerdictView[]; allOpen?: boolean }) {
  const { t } = useT();
  const [open, setOpen] = useState<Set<string>>(() => (allOpen ? new Set(criteria.map((c) => c.code)) : initiallyOpen(criteria)));
  // The indicators of a closed criterion are drawn after the first paint (in the page by then, for
  // find-in-page and for opening): the open ones come first.
  const drawClosed = useAfterPaint(allOpen);
  const toggle = (code: string, isOpen: boolean) =>
    setOpen((prev) => {
      if (prev.has(code) === isOpen) return prev;
      const next = new Set(prev);
      if (isOpen) next.add(code);
      else next.delete(code);
      return next;
    });
  return (
    <section className="checklist" aria-labelledby="checklist-h">
      <div className="section-head">
        <h2 id="checklist-h" className="section-title">
          {t('commune.checklist')}
        </h2>
        <div className="section-actions no-print">
          <button type="button" className="btn-link" onClick={() => setOpen(new Set(criteria.map((c) => c.code)))}>
            {t('commune.expandAll')}
          </button>
          <button type="button" className="btn-link" onClick={() => setOpen(new Set())}>
            {t('commune.collapseAll')}
          </button>
        </div>
      </div>
      <ul className="criteria-list">
        {criteria.map((c) => {
          return (
            <li key={c.code} data-criterion={c.code} data-status={c.status}>
              <details open={open.has(c.code)} onToggle={(e) => toggle(c.code, (e.currentTarget as HTMLDetailsElement).open)}>
                <summary>
                  <StatusTag status={c.status} />
                  <span className="crit-title">
                    {t('commune.criterion', { code: c.code })} <span lang="vi">{c.name}</span>
                  </span>
                  {c.critical && (
                    <span className="crit-critical" title={t('commune.criticalTitle')}>
                      ★ {t('commune.critical')}
                    </span>
                  )}
                  <span className="crit-count">{t('commune.criterionCount', { met: c.indicatorsMet, total: c.indicatorsTotal })}</span>
                </summary>
                <div className="crit-body">
                  {(drawClosed || open.has(c.code)) && <IndicatorTable indicators={c.indicators} criterionCode={c.code} />}
                </div>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
