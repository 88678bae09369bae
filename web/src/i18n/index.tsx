/**
 * A tiny typed i18n: two dictionaries (vi is the reference, en must have the same keys), a
 * provider that keeps the language in localStorage and on `<html lang>`, and `useT()`:
 *
 *   const { t, lang, pick } = useT();
 *   t('overview.asOf', { date: formatDate(d) })   // "Số liệu tại ngày 20/03/2023"
 *   pick(page.summaryLine)                          // a server {vi, en} message in the current language
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { vi, type Dictionary, type MessageKey } from './vi.ts';
import { en } from './en.ts';

export type Lang = 'vi' | 'en';
export type { MessageKey };
export type Params = Record<string, string | number>;

const DICTIONARIES: Record<Lang, Dictionary> = { vi, en };
const STORAGE_KEY = 'datchuan.lang';

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(DICTIONARIES[lang][key] ?? vi[key] ?? key, params);
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    /* storage unavailable (privacy mode): fall through */
  }
  return 'vi';
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  /** The current language's side of a bilingual `{vi, en}` message from the server. */
  pick: (msg: { vi: string; en: string } | null | undefined) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* ignore */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      pick: (msg) => (msg ? (lang === 'vi' ? msg.vi : msg.en || msg.vi) : ''),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useT() outside <I18nProvider>');
  return v;
}
