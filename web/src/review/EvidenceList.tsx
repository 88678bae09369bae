/**
 * Minh chứng of one indicator: the files attached (links, each with a button to take it off the
 * indicator — saved with the value) and a button to attach another.
 */
import { useId } from 'react';
import { useReviewStrings } from './strings.ts';
import { useT } from '../i18n/index.tsx';
import { FilePick } from '../components/FilePick.tsx';
import { DocLink } from '../components/DocLink.tsx';

export interface Evidence {
  title: string;
  url?: string | null;
}

export const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/png,image/jpeg';

export function EvidenceList({
  code,
  evidence,
  disabled,
  uploading,
  onAttach,
  onDetach,
}: {
  code: string;
  evidence: Evidence[];
  disabled: boolean;
  uploading: boolean;
  onAttach: (code: string, file: File) => void;
  onDetach: (code: string, index: number) => void;
}) {
  const { t } = useT();
  const rs = useReviewStrings();
  const uid = useId();
  return (
    <div className="evidence" data-testid={`evidence-${code}`}>
      {evidence.length > 0 && (
        <ul className="evidence-list" aria-label={t('review.evidenceOf', { code })}>
          {evidence.map((e, i) => (
            <li key={`${e.url ?? ''}${i}`}>
              <span aria-hidden="true">📎 </span>
              <DocLink title={e.title} url={e.url} />
              {!disabled && (
                <button type="button" className="btn-link evidence-remove" onClick={() => onDetach(code, i)} aria-label={rs('detach', { title: e.title })}>
                  {rs('detachShort')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <FilePick
          id={`${uid}-file`}
          accept={ACCEPT}
          busy={uploading}
          label={uploading ? t('review.uploading') : t('review.attach')}
          srLabel={t('review.evidenceOf', { code })}
          onFile={(f) => onAttach(code, f)}
        />
      )}
    </div>
  );
}
