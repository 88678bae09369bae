/** Quyết định công nhận — the commune's recognitions, and its predecessors' under their own names. */
import type { RecognitionEntry } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';

export function RecognitionList({ recognitions, date }: { recognitions: RecognitionEntry[]; date: string }) {
  const { t } = useT();
  return (
    <section className="recognitions" aria-labelledby="recognitions-h">
      <h2 id="recognitions-h" className="section-title-sm">
        {t('commune.recognitions')}
      </h2>
      {recognitions.length === 0 ? (
        <p className="muted">{t('commune.noRecognitions', { date: formatDate(date) })}</p>
      ) : (
        <ul className="recognition-list" data-testid="recognitions">
          {recognitions.map((r) => (
            <li key={r.id}>
              <span className="level-badge">{t(`ntmLevel.${r.level}` as MessageKey)}</span>{' '}
              {t('commune.recognition', { no: r.decisionNo, date: formatDate(r.decidedOn) })}
              {r.signer && <span className="muted"> · {t('commune.signer', { name: r.signer })}</span>}
              {r.relation === 'predecessor' && <span className="muted"> · {t('commune.ofPredecessor', { name: r.unitName })}</span>}
              {r.isDemo && <span className="demo-mark"> {t('demo.mark')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
