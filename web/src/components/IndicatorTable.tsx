/**
 * The indicators of one criterion: value, the target that applied (operator, value, unit, and
 * its basis — region, group, year, provincial override), gap, verdict and its reason. Every
 * figure comes from the server's evaluation; this only formats it.
 */
import type { IndicatorVerdictView, TargetView } from '../api/types.ts';
import { useT, type Lang, type MessageKey } from '../i18n/index.tsx';
import { formatNumber, formatPercent } from '../format.ts';
import { StatusTag } from './StatusMark.tsx';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const OP_SYMBOL: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' };

function withUnit(text: string, unit: string | null | undefined): string {
  if (!unit) return text;
  if (unit.startsWith('%')) return `${text}${unit}`; // "94,3% trường"
  return `${text} ${unit}`;
}

export function formatIndicatorValue(ind: Pick<IndicatorVerdictView, 'value' | 'unit' | 'kind' | 'measured'>, lang: Lang, t: T): string {
  const v = ind.value;
  if (v === null || v === undefined) return t('commune.ind.noValue');
  if (typeof v === 'boolean') return v ? t('commune.ind.yes') : t('commune.ind.no');
  if (typeof v === 'number') return withUnit(formatNumber(v, lang), ind.unit);
  if (typeof v === 'string') return v;
  // A ratio: numerator/denominator, with the percent the server compared (`measured`).
  const share = ind.measured !== null ? ` (${formatPercent(ind.measured, lang)})` : '';
  return `${formatNumber(v.numerator, lang)}/${formatNumber(v.denominator, lang)}${share}`;
}

export function formatTarget(target: TargetView | null, unit: string | null, kind: string, lang: Lang, t: T): string {
  if (!target || target.value === null) return t('commune.ind.targetNone');
  const v = target.value;
  if (typeof v === 'boolean') return v ? t('status.met') : t('commune.ind.no');
  const op = target.op === 'is' ? '' : `${OP_SYMBOL[target.op] ?? target.op} `;
  const shown = typeof v === 'number' ? withUnit(formatNumber(v, lang), kind === 'ratio' && !unit ? '%' : unit) : v;
  return `${op}${shown}`;
}


function formatGap(gap: IndicatorVerdictView['gap'], unit: string | null, lang: Lang): string {
  if (gap === null || gap === undefined) return '—';
  if (typeof gap === 'number') return withUnit(formatNumber(gap, lang), unit);
  return String(gap);
}

export function IndicatorTable({ indicators, criterionCode }: { indicators: IndicatorVerdictView[]; criterionCode: string }) {
  const { t, lang, pick } = useT();
  if (indicators.length === 0) return <p className="muted">{t('commune.ind.none')}</p>;
  return (
    <table className="indicators" data-testid={`indicators-${criterionCode}`}>
      <thead>
        <tr>
          <th scope="col">{t('commune.ind.indicator')}</th>
          <th scope="col">{t('commune.ind.value')}</th>
          <th scope="col">{t('commune.ind.target')}</th>
          <th scope="col">{t('commune.ind.gap')}</th>
          <th scope="col">{t('commune.ind.status')}</th>
        </tr>
      </thead>
      <tbody>
        {indicators.map((ind) => {
          const basis = pick(ind.target?.basis?.text);
          const reason = pick(ind.reason);
          return (
            <tr key={ind.code} data-indicator={ind.code} data-status={ind.status}>
              <th scope="row" data-label={t('commune.ind.indicator')}>
                <span className="ind-code">{ind.code}</span> <span lang="vi">{ind.name}</span>
                {ind.verified === false && (
                  <>
                    {' '}
                    <span className="badge-unverified" title={t('commune.ind.unverifiedTitle')}>
                      {t('commune.ind.unverified')}
                    </span>
                  </>
                )}
              </th>
              <td data-label={t('commune.ind.value')} className="num-cell">
                {formatIndicatorValue(ind, lang, t)}
              </td>
              <td data-label={t('commune.ind.target')}>
                {formatTarget(ind.target, ind.unit, ind.kind, lang, t)}
                {basis && <div className="ind-basis">{t('commune.ind.basis', { basis })}</div>}
              </td>
              <td data-label={t('commune.ind.gap')} className="num-cell">
                {formatGap(ind.gap, ind.unit, lang)}
              </td>
              <td data-label={t('commune.ind.status')}>
                <StatusTag status={ind.status} />
                {reason && ind.status !== 'met' && <div className="ind-reason">{reason}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
