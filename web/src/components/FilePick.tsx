/**
 * A file chooser shown as a small button: the native input stays in the page for keyboards and
 * screen readers (visually hidden), its label is the button; the chosen file goes to `onFile` and
 * the input is cleared so the same file can be chosen again.
 */
export function FilePick({ id, accept, busy, label, srLabel, testId, onFile }: { id: string; accept: string; busy: boolean; label: string; srLabel: string; testId?: string; onFile: (f: File) => void }) {
  return (
    <span className="file-pick">
      <input
        id={id}
        type="file"
        className="sr-only file-input"
        accept={accept}
        disabled={busy}
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
      <label htmlFor={id} className="btn btn-small">
        {label}
        <span className="sr-only"> — {srLabel}</span>
      </label>
    </span>
  );
}
