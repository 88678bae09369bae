import { useT, type Lang } from '../i18n/index.tsx';

const LANGS: Array<{ lang: Lang; short: string; name: string }> = [
  { lang: 'vi', short: 'VI', name: 'Tiếng Việt' },
  { lang: 'en', short: 'EN', name: 'English' },
];

/** Two toggle buttons; the choice is kept in localStorage (see i18n). */
export function LanguageSwitch() {
  const { lang, setLang, t } = useT();
  return (
    <div className="lang-switch" role="group" aria-label={`${t('lang.label')} / Language`}>
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          lang={l.lang}
          aria-pressed={lang === l.lang}
          title={l.name}
          className={lang === l.lang ? 'active' : undefined}
          onClick={() => setLang(l.lang)}
        >
          {l.short}
          {/* Named "VI Tiếng Việt" / "EN English": the visible code first (WCAG 2.5.3). */}
          <span className="sr-only"> {l.name}</span>
        </button>
      ))}
    </div>
  );
}
