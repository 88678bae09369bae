/**
 * How a verdict looks: a symbol AND a colour AND a word (in a label or beside it), so the status
 * reads in black-and-white print and without colour vision. The server decides the status; these
 * components only show it.
 */
import type { VerdictStatus } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';

/** A verdict, or `none` where there is no review to show. */
export type ShownStatus = VerdictStatus | 'none';

export const STATUS_SYMBOL: Record<ShownStatus, string> = {
  met: '✓',
  not_met: '✗',
  not_evaluable: '?',
  not_applicable: '–',
  none: '·',
};

export const STATUS_ORDER: readonly ShownStatus[] = ['met', 'not_met', 'not_evaluable', 'not_applicable', 'none'];

const LETTER: Record<string, VerdictStatus> = { M: 'met', N: 'not_met', E: 'not_evaluable', A: 'not_applicable' };

/** `criteriaStatus` letters from the summary (M N E A) → statuses; missing → `none`. */
export function statusFromLetter(letter: string | undefined): ShownStatus {
  return (letter && LETTER[letter]) || 'none';
}

export function statusKey(s: ShownStatus): MessageKey {
  return `status.${s}` as MessageKey;
}

/** A compact square for a table cell: symbol on a coloured ground; the label is its accessible name. */
export function StatusCell({ status, label, title }: { status: ShownStatus; label: string; title?: string }) {
  return (
    <span className={`st-cell st-${status}`} role="img" aria-label={label} title={title ?? label} data-status={status}>
      {STATUS_SYMBOL[status]}
    </span>
  );
}

/** A tag: symbol and word on a coloured ground (the word may be given, e.g. "Đạt chuẩn"). */
export function StatusTag({ status, size = 'md', label }: { status: ShownStatus; size?: 'md' | 'lg'; label?: string }) {
  const { t } = useT();
  return (
    <span className={`st-tag st-${status}${size === 'lg' ? ' st-tag-lg' : ''}`} data-status={status}>
      <span aria-hidden="true" className="st-sym">
        {STATUS_SYMBOL[status]}
      </span>{' '}
      {label ?? t(statusKey(status))}
    </span>
  );
}

/** The key to the symbols, as a list (one item per status). */
export function StatusLegend({ statuses = STATUS_ORDER }: { statuses?: readonly ShownStatus[] }) {
  const { t } = useT();
  return (
    <div className="st-legend">
      <span className="st-legend-title" id="status-legend-title">
        {t('status.legend')}:
      </span>
      <ul aria-labelledby="status-legend-title">
        {statuses.map((s) => (
          <li key={s}>
            <span className={`st-cell st-${s}`} aria-hidden="true">
              {STATUS_SYMBOL[s]}
            </span>{' '}
            {t(statusKey(s))}
          </li>
        ))}
      </ul>
    </div>
  );
}
