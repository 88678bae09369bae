/** Kế hoạch hành động và đề xuất kinh phí of a commune: actions per unmet indicator, funding by source, requests. */
import { Link, useParams } from 'react-router';
import { usePlanning } from '../api/committee.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { million, TableHead } from './parts.tsx';
import './committee.css';

export default function ActionPlanPage() {
  const { t, pick, lang } = useT();
  const { date } = useDateParam();
  const unitId = useParams().unitId ?? '';
  const q = usePlanning(unitId, date);
  if (q.isPending) return <PageLoading />;
  if (q.isError) return <ApiErrorView error={q.error} date={date} onRetry={() => void q.refetch()} />;
  const p = q.data;
  return (
    <div className="page cm-page" data-testid="action-plan-page">
      <p className="cm-sub">
        <Link to={unitPath(p.unitId, date)}>{p.unitName}</Link>
      </p>
      <h1>{t('plan.title')}</h1>
      {p.unmet.length > 0 && (
        <p>
          {t('plan.unmet', { date: formatDate(p.reviewedOn) })}: {p.unmet.map((c) => `${c.code}. ${c.name}`).join('; ')}
        </p>
      )}
      {p.plans.length === 0 && <p>{t('plan.none')}</p>}
      {p.predecessorPlans.length > 0 && (
        <section className="cm-merged" data-testid="predecessor-plans" aria-labelledby="predecessor-plans-h">
          <h2 id="predecessor-plans-h">{pick({ vi: 'Kế hoạch của xã cũ đã sáp nhập vào xã này', en: 'Plans of the communes merged into this one' })}</h2>
          <ul className="cm-merged-list">
            {p.predecessorPlans.map((plan) => (
              <li key={plan.id}>
                <Link to={`/units/${encodeURIComponent(plan.unitId)}/action-plan?date=${date}`}>{plan.title}</Link>
                <span className="cm-muted">
                  {' '}
                  · {pick({ vi: 'Từ', en: 'From' })} {plan.unitName} · {plan.actions.length} {pick({ vi: 'giải pháp', en: 'actions' })} · {million(plan.totals.estimatedCost, lang)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.plans.map((plan) => (
        <section key={plan.id} className="cm-section" aria-labelledby={`plan-${plan.id}`}>
          <h2 id={`plan-${plan.id}`}>
            {plan.title}
            {plan.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
          </h2>
          <table className="cm-table" data-testid="plan-actions">
            <TableHead cols={['plan.colAction', 'plan.colIndicator', 'plan.colEffect', 'plan.colCost', 'plan.colDue', 'plan.colOwner', 'plan.colStatus']} />
            <tbody>
              {plan.actions.map((a) => (
                <tr key={a.id}>
                  <td>{a.taskId ? <Link to={`/tasks/${a.taskId}?date=${date}`}>{a.action}</Link> : a.action}</td>
                  <td>
                    {a.indicatorCode ?? a.criterionCode} {a.indicatorName ?? a.criterionName}
                  </td>
                  <td>{a.fromValue || a.toValue ? `${a.fromValue ?? '…'} → ${a.toValue ?? '…'}` : ''}</td>
                  <td className="num">{million(a.estimatedCost, lang)}</td>
                  <td>{formatDate(a.targetOn)}</td>
                  <td>{a.owner}</td>
                  <td>{pick(a.statusLabel)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('plan.funding')}</h3>
          <table className="cm-table" data-testid="plan-funding">
            <TableHead cols={['plan.colSource', 'plan.colPlanned', 'plan.colMobilised', 'plan.colDisbursed']} />
            <tbody>
              {plan.totals.funding.bySource.map((f) => (
                <tr key={f.source}>
                  <td>{pick(labelOf(plan, f.source))}</td>
                  <td className="num">{million(f.planned, lang)}</td>
                  <td className="num">{million(f.mobilised, lang)}</td>
                  <td className="num">{million(f.disbursed, lang)}</td>
                </tr>
              ))}
              <tr>
                <th>{t('plan.total')}</th>
                <th className="num">{million(plan.totals.funding.planned, lang)}</th>
                <th className="num">{million(plan.totals.funding.mobilised, lang)}</th>
                <th className="num">{million(plan.totals.funding.disbursed, lang)}</th>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
      <section className="cm-section" aria-labelledby="requests-h">
        <h2 id="requests-h">{t('plan.requests')}</h2>
        {p.budgetRequests.length + p.incomingRequests.length === 0 && <p>{t('plan.noRequests')}</p>}
        {p.budgetRequests.length + p.incomingRequests.length > 0 && (
          <table className="cm-table" data-testid="budget-requests">
            <TableHead cols={['plan.colAction', 'plan.colTo', 'plan.colSource', 'plan.colAmount', 'plan.colRequested', 'plan.colStatus', 'plan.colResponse']} />
            <tbody>
              {[...p.budgetRequests, ...p.incomingRequests].map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td>{r.toUnitName}</td>
                  <td>{pick(r.sourceLabel)}</td>
                  <td className="num">{million(r.amount, lang)}</td>
                  <td>{formatDate(r.requestedOn)}</td>
                  <td>{pick(r.statusLabel)}</td>
                  <td>
                    {r.approvedAmount !== null && r.status !== 'rejected' ? `${million(r.approvedAmount, lang)} · ` : ''}
                    {r.responseText}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function labelOf(plan: { actions: Array<{ funding: Array<{ source: string; sourceLabel: { vi: string; en: string } }> }> }, source: string) {
  return plan.actions.flatMap((a) => a.funding).find((f) => f.source === source)?.sourceLabel ?? { vi: source, en: source };
}
