/**
 * Across the 2025 merge: the units this one was formed from, and the unit(s) it went into, as
 * links. A link opens the other unit on a date it existed: the chosen date when it did, else the
 * nearest end of its validity (a merged commune's last day, a new commune's first).
 */
import { Link } from 'react-router';
import type { LinkedUnit, UnitDetail } from '../api/types.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatPeriod } from '../format.ts';

/** The chosen date moved into [from, to] when outside it. */
export function clampDate(date: string, from: string | null | undefined, to: string | null | undefined): string {
  if (from && date < from) return from;
  if (to && date > to) return to;
  return date;
}

function LinkedList({ units, label, testId }: { units: LinkedUnit[]; label: string; testId: string }) {
  const { t } = useT();
  const { date, explicit } = useDateParam();
  return (
    <div className="lineage-group" data-testid={testId}>
      <h3 className="lineage-label">{label}</h3>
      <ul className="lineage-list">
        {units.map((u) => {
          const target = clampDate(date, u.validFrom, u.validTo);
          return (
            <li key={u.id}>
              <Link to={unitPath(u.id, target !== date || explicit ? target : null)}>{u.fullName}</Link>{' '}
              <span className="muted">({u.part === 'partial' ? t('unit.partPartial') : t('unit.partFull')})</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function UnitLineage({ unit }: { unit: UnitDetail }) {
  const { t } = useT();
  if (unit.predecessors.length === 0 && unit.successors.length === 0) return null;
  const effective = unit.successors[0]?.effectiveOn ?? unit.successors[0]?.validFrom ?? null;
  return (
    <section className="lineage" aria-labelledby="lineage-h">
      <h2 id="lineage-h" className="section-title-sm">
        {t('commune.lineage')}
      </h2>
      {unit.predecessors.length > 0 && <LinkedList units={unit.predecessors} label={t('unit.predecessors')} testId="predecessors" />}
      {unit.successors.length > 0 && <LinkedList units={unit.successors} label={t('unit.successors', { date: formatDate(effective) })} testId="successors" />}
    </section>
  );
}

/** Shown when the chosen date is outside the unit's validity: say so, and link the units that existed then. */
export function ValidityNotice({ unit }: { unit: UnitDetail }) {
  const { t, lang } = useT();
  const { date } = useDateParam();
  const before = unit.validFrom !== null && date < unit.validFrom;
  const after = unit.validTo !== null && date > unit.validTo;
  if (!before && !after) return null;
  const alternatives = before ? unit.predecessors : unit.successors;
  const period = formatPeriod(unit.validFrom, unit.validTo, lang);
  return (
    <div className="notice notice-warning" role="status" data-testid="validity-notice">
      <p>{t('unit.notValidOnDate', { name: unit.fullName, date: formatDate(date), period })}</p>
      {alternatives.length > 0 && (
        <p>
          {t('unit.seeInstead')}{' '}
          {alternatives.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ', '}
              <Link to={unitPath(a.id, date)}>{a.fullName}</Link>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
