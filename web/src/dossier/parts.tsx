/** Pieces shared by the dossier pages: risk tags (words and colour), due dates, countdowns, errors. */
import { createContext, useContext } from 'react';
import { ApiError } from '../api/client.ts';
import { isVersionConflict, type Risk } from '../api/dossier.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { useT } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { useS, type StringKey } from './strings.ts';
import './dossier.css';

const RISK_MARK: Record<Risk, string> = { ok: '✓', at_risk: '⚠', overdue: '✗', none: '–' };

/** "Trong hạn" / "Sắp đến hạn" / "Quá hạn": symbol, word and colour. */
export function RiskTag({ risk, testId }: { risk: Risk; testId?: string }) {
  const s = useS();
  return (
    <span className="ds-tag" data-risk={risk} data-testid={testId}>
      <span aria-hidden="true">{RISK_MARK[risk]} </span>
      {s(`risk.${risk}` as StringKey)}
    </span>
  );
}

/** The step's due date with working days left and the risk tag. */
export function StepDue({ dueOn, workingDaysLeft, risk }: { dueOn: string | null; workingDaysLeft: number | null; risk: Risk }) {
  const s = useS();
  if (!dueOn) return <span className="ds-small">{s('none')}</span>;
  const left =
    workingDaysLeft === null ? '' : workingDaysLeft > 0 ? s('due.workingLeft', { n: workingDaysLeft }) : workingDaysLeft === 0 ? s('due.today') : s('due.workingLate', { n: -workingDaysLeft });
  return (
    <span data-testid="step-due">
      {formatDate(dueOn)}
      {left && <span className="ds-small"> ({left})</span>} <RiskTag risk={risk} />
    </span>
  );
}

/** The committee deadline as a countdown: "còn 12 ngày" / "quá hạn 3 ngày". */
export function deadlineText(daysLeft: number | null, s: ReturnType<typeof useS>): string {
  if (daysLeft === null) return '';
  return daysLeft > 0 ? s('count.left', { n: daysLeft }) : daysLeft === 0 ? s('count.today') : s('count.late', { n: -daysLeft });
}

export function Countdown({ deadline, daysLeft, risk }: { deadline: string | null; daysLeft: number | null; risk: Risk }) {
  const s = useS();
  if (!deadline) return <span className="ds-small">{s('none')}</span>;
  return (
    <span data-testid="deadline-countdown">
      {formatDate(deadline)}{' '}
      <span className="ds-tag" data-risk={risk}>
        <span aria-hidden="true">{RISK_MARK[risk]} </span>
        {deadlineText(daysLeft, s)}
      </span>
    </span>
  );
}

/**
 * On the dossier page, a version conflict is announced once at the top (the sections' forms are
 * re-created with the reloaded data, so a message inside them would vanish): `report` shows it,
 * `clear` hides it after the next successful write.
 */
export const ConflictContext = createContext<{ report: () => void; clear: () => void } | null>(null);

export function useConflictEvents(): { onConflict?: () => void; onDone?: () => void } {
  const c = useContext(ConflictContext);
  return c ? { onConflict: c.report, onDone: c.clear } : {};
}

export function ConflictNotice() {
  const s = useS();
  return (
    <p className="ds-error" role="alert" data-testid="version-conflict">
      <span aria-hidden="true">⚠ </span>
      {s('conflict')}
    </p>
  );
}

/** A failed write: the conflict message (the data is reloaded), else the server's message. */
export function WriteError({ error }: { error: unknown }) {
  const { lang } = useT();
  const s = useS();
  const page = useContext(ConflictContext);
  if (!error) return null;
  if (isVersionConflict(error) && page) return null;
  if (isVersionConflict(error))
    return (
      <p className="ds-error" role="alert" data-testid="version-conflict">
        <span aria-hidden="true">⚠ </span>
        {s('conflict')}
      </p>
    );
  const refusal = error instanceof ApiError ? (error.details?.refusal as { vi?: string; en?: string } | string | undefined) : undefined;
  const extra = typeof refusal === 'string' ? refusal : refusal && typeof refusal === 'object' ? (lang === 'vi' ? refusal.vi : refusal.en) : undefined;
  const msg = errorMessage(error, lang);
  return (
    <p className="ds-error" role="alert" data-testid="write-error">
      <span aria-hidden="true">✗ </span>
      {msg}
      {extra && extra !== msg ? ` — ${extra}` : ''}
    </p>
  );
}
