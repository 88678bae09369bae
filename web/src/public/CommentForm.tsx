/**
 * A resident's comment on a dossier in public consultation. Body required; name and contact
 * optional; one consent box per purpose, each unticked until the resident ticks it, with the
 * notice text the server sends; a honeypot field `website` hidden from people (and from assistive
 * technology); the form token from the page. After sending: "sẽ được đăng sau khi kiểm duyệt".
 */
import { useId, useState } from 'react';
import { postPublicComment, withdrawPublicConsent, type ConsentPurpose, type PublicDossier } from '../api/dossier.ts';
import { errorMessage } from '../components/ApiErrorView.tsx';
import { useT } from '../i18n/index.tsx';
import { usePS } from './strings.ts';

export function CommentForm({ dossier }: { dossier: PublicDossier }) {
  const s = usePS();
  const { pick, lang } = useT();
  const uid = useId();
  const max = dossier.form.maxLength || 2000;
  const [body, setBody] = useState('');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [consents, setConsents] = useState<Record<ConsentPurpose, boolean>>({ publish_name: false, contact_reply: false });
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ text: string; code: string } | null>(null);

  if (sent)
    return (
      <div className="notice notice-success" role="status" data-testid="comment-sent">
        <p>
          <span aria-hidden="true">✓ </span>
          {sent.text}
        </p>
        <p data-testid="withdraw-code" data-code={sent.code}>
          {s('form.code', { code: sent.code })}
        </p>
        <p>
          <button type="button" className="btn btn-small" onClick={() => setSent(null)}>
            {s('form.another')}
          </button>
        </p>
      </div>
    );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const text = body.normalize('NFC').trim();
    if (text.length < 10) {
      setError(s('form.tooShort'));
      return;
    }
    if (text.length > max) {
      setError(s('form.tooLong', { max }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const receipt = await postPublicComment(dossier.dossierId, {
        body: text,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
        consents: { publish_name: consents.publish_name, contact_reply: consents.contact_reply },
        token: dossier.form.token,
        website,
      });
      // The fixed sentence, in the reader's language (the server's message says the same).
      setSent({ text: s('form.sent'), code: receipt.withdrawCode });
      setBody('');
      setName('');
      setContact('');
      setConsents({ publish_name: false, contact_reply: false });
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pub-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-h`} data-testid="comment-form" noValidate>
      <h2 id={`${uid}-h`}>{s('form.title')}</h2>
      <div className="field">
        <label htmlFor={`${uid}-body`}>{s('form.body')}</label>
        <textarea
          id={`${uid}-body`}
          name="body"
          rows={5}
          required
          aria-required="true"
          maxLength={max}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`${uid}-help`}
        />
        <span id={`${uid}-help`} className="muted" style={{ fontSize: 13 }}>
          {s('form.bodyHelp', { max })} {s('form.count', { n: body.length, max })}
        </span>
      </div>
      <label className="field">
        {s('form.name')}
        <input type="text" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </label>
      <label className="field">
        {s('form.contact')}
        <input type="text" name="contact" autoComplete="email" value={contact} onChange={(e) => setContact(e.target.value)} maxLength={200} />
      </label>
      <fieldset data-testid="consents">
        <legend>{s('form.consents')}</legend>
        {dossier.form.notice.purposes.map((p) => (
          <label key={p.purpose} className="pub-consent">
            <input
              type="checkbox"
              name={`consent_${p.purpose}`}
              data-purpose={p.purpose}
              checked={consents[p.purpose] === true}
              onChange={(e) => setConsents((c) => ({ ...c, [p.purpose]: e.target.checked }))}
            />
            <span>{pick(p.text)}</span>
          </label>
        ))}
        <p className="muted" style={{ fontSize: 13, margin: '4px 0 0' }}>
          {s('form.controller', { name: dossier.form.notice.controller, days: dossier.form.notice.retentionDays })}
        </p>
      </fieldset>
      {/* Honeypot: people never see it; a robot that fills it in is refused by the server. */}
      <div className="pub-hp" aria-hidden="true">
        <label>
          {s('form.website')}
          <input type="text" name="website" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} />
        </label>
      </div>
      {error && (
        <p className="pub-error" role="alert" data-testid="comment-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? s('form.sending') : s('form.send')}
        </button>
      </div>
    </form>
  );
}

/** Rút lại sự đồng ý: the code given on sending erases the commenter's name and contact. */
export function WithdrawConsentForm() {
  const s = usePS();
  const { lang } = useT();
  const uid = useId();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await withdrawPublicConsent(code.trim());
      setDone(true);
      setCode('');
    } catch (err) {
      setError(errorMessage(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="pub-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-h`} data-testid="withdraw-form" noValidate>
      <h2 id={`${uid}-h`}>{s('withdraw.title')}</h2>
      <p className="muted">{s('withdraw.help')}</p>
      <div className="field">
        <label htmlFor={`${uid}-code`}>{s('withdraw.code')}</label>
        <input id={`${uid}-code`} type="text" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" maxLength={100} style={{ maxWidth: 280 }} />
      </div>
      {error && (
        <p className="pub-error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="notice notice-success" role="status">
          {s('withdraw.done')}
        </p>
      )}
      <div>
        <button type="submit" className="btn" disabled={busy || code.trim() === ''}>
          {s('withdraw.send')}
        </button>
      </div>
    </form>
  );
}
