/** Minh chứng of one indicator: the files attached (links) and a button to attach another. */
import { useId } from 'react';
import { useT } from '../i18n/index.tsx';

export interface Evidence {
  title: string;
  url?: string | null;
}

export const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/png,image/jpeg';

export function EvidenceList({ code, evidence, disabled, uploading, onAttach }: { code: string; evidence: Evidence[]; disabled: boolean; uploading: boolean; onAttach: (code: string, file: File) => void }) {
  const { t } = useT();
  const uid = useId();
  return (
    <div className="evidence" data-testid={`evidence-${code}`}>
      {evidence.length > 0 && (
        <ul className="evidence-list" aria-label={t('review.evidenceOf', { code })}>
          {evidence.map((e, i) => (
            <li key={`${e.url ?? ''}${i}`}>
              <span aria-hidden="true">📎 </span>
              {e.url ? (
                <a href={e.url} target="_blank" rel="noopener noreferrer">
                  {e.title}
                </a>
              ) : (
                e.title
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <span className="file-pick">
          <input
            id={`${uid}-file`}
            type="file"
            className="sr-only file-input"
            accept={ACCEPT}
            disabled={uploading}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) onAttach(code, f);
              e.target.value = '';
            }}
          />
          <label htmlFor={`${uid}-file`} className="btn btn-small">
            {uploading ? t('review.uploading') : t('review.attach')}
            <span className="sr-only"> — {t('review.evidenceOf', { code })}</span>
          </label>
        </span>
      )}
    </div>
  );
}
