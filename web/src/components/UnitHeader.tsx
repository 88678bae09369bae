/**
 * The top of a unit's page: breadcrumb of its parents (links), its full name as the page's h1,
 * and a line of identity — level, code, list, validity.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { UnitDetail } from '../api/types.ts';
import { useUnitLink } from '../hooks/useDateParam.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatPeriod, listLabel } from '../format.ts';

export function UnitHeader({ unit, children, actions }: { unit: UnitDetail; children?: ReactNode; actions?: ReactNode }) {
  const { t, lang } = useT();
  const link = useUnitLink();
  const parents = [...unit.parents].reverse(); // province first
  return (
    <div className="unit-header">
      {parents.length > 0 && (
        <nav aria-label={t('unit.parents')} className="breadcrumb">
          <ol>
            {parents.map((p) => (
              <li key={p.id}>
                <Link to={link(p.id)}>{p.fullName}</Link>
              </li>
            ))}
            <li aria-current="page">{unit.fullName}</li>
          </ol>
        </nav>
      )}
      <div className="unit-title-row">
        <h1 className="unit-title">{unit.fullName}</h1>
        {actions && <div className="unit-actions">{actions}</div>}
      </div>
      <p className="unit-meta">
        <span>{t(`level.${unit.level}` as MessageKey)}</span>
        <span>{t('unit.code', { code: unit.code })}</span>
        <span>{t('unit.list', { list: listLabel(unit.listId, lang) })}</span>
        <span>{t('unit.validity', { period: formatPeriod(unit.validFrom, unit.validTo, lang) })}</span>
      </p>
      {children}
    </div>
  );
}
