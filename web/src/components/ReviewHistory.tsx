/**
 * Lịch sử rà soát — the commune's own reviews, then each predecessor's under its own name, newest
 * first, with x/N criteria and a link to the figures on that date.
 */
import { Link } from 'react-router';
import type { HistoryEntry } from '../api/types.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';

interface Group {
  unitId: string;
  unitName: string;
  relation: 'self' | 'predecessor';
  entries: HistoryEntry[];
}

export function groupHistory(history: HistoryEntry[]): Group[] {
  const groups = new Map<string, Group>();
  for (const h of history) {
    let g = groups.get(h.unitId);
    if (!g) {
      g = { unitId: h.unitId, unitName: h.unitName, relation: h.relation, entries: [] };
      groups.set(h.unitId, g);
    }
    g.entries.push(h);
  }
  const all = [...groups.values()];
  for (const g of all) g.entries.sort((a, b) => b.reviewedOn.localeCompare(a.reviewedOn) || b.id - a.id);
  return [...all.filter((g) => g.relation === 'self'), ...all.filter((g) => g.relation !== 'self')];
}

function HistoryEntries({ entries }: { entries: HistoryEntry[] }) {
  const { t } = useT();
  return (
    <ol className="timeline">
      {entries.map((h) => (
        <li key={h.id} className={`timeline-item ${h.status}`}>
          <span className="timeline-dot" aria-hidden="true" />
          <div className="timeline-body">
            <p className="timeline-title">
              <strong>{t('commune.historyEntry', { date: formatDate(h.reviewedOn) })}</strong>{' '}
              <span className={`review-status review-status-${h.status}`}>{h.status === 'draft' ? t('commune.historyDraft') : t('commune.historySubmitted')}</span>
              {h.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
            </p>
            <p className="timeline-meta">
              {h.criteriaMet !== null && h.criteriaTotal !== null
                ? t('commune.historyCriteria', { cm: h.criteriaMet, ct: h.criteriaTotal, im: h.indicatorsMet ?? '—', it: h.indicatorsTotal ?? '—' })
                : '—'}
              {' · '}
              <span className="muted">{h.setId}</span>
            </p>
            <p className="timeline-link">
              <Link to={unitPath(h.unitId, h.reviewedOn)}>{t('commune.historyView')}</Link>
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

export function ReviewHistory({ history }: { history: HistoryEntry[] }) {
  const { t } = useT();
  const groups = groupHistory(history);
  return (
    <section className="history" aria-labelledby="history-h">
      <h2 id="history-h" className="section-title">
        {t('commune.history')}
      </h2>
      {groups.length === 0 && <p className="muted">{t('commune.historyNone')}</p>}
      {groups.map((g) => {
        const heading = g.relation === 'self' ? t('commune.historyOwn', { name: g.unitName }) : t('commune.historyPredecessor', { name: g.unitName });
        const entries = <HistoryEntries entries={g.entries} />;
        return (
          <div key={g.unitId} className="history-group" data-testid={`history-${g.relation}`} data-unit-id={g.unitId}>
            {g.relation === 'self' ? (
              <>
                <h3 className="history-unit">{heading}</h3>
                {entries}
              </>
            ) : (
              // Predecessors' histories can be long: folded, with their count.
              <details>
                <summary>
                  <h3 className="history-unit">{heading}</h3> <span className="muted">({t('commune.historyCount', { n: g.entries.length })})</span>
                </summary>
                {entries}
              </details>
            )}
          </div>
        );
      })}
    </section>
  );
}
