/**
 * Chinese (default) and English. Each text is written where it is used as a pair, t('中文', 'English'), so that no
 * key can be missing in one language; the choice is remembered in localStorage and set as <html lang>.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

/** The portal's languages. */
export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'agritrace.lang';

/** Translates a pair; `{name}` placeholders are filled from `vars`. */
export type Translate = (zh: string, en: string, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Formats a date or timestamp for the language (local time, with the zone when a time is shown). */
  formatDate: (iso: string | null | undefined, withTime?: boolean) => string;
  formatNumber: (value: number, digits?: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh' || stored === 'en') return stored;
  } catch {
    /* storage unavailable (private mode): fall back to the default */
  }
  const fromQuery = new URLSearchParams(window.location.search).get('lang');
  return fromQuery === 'en' ? 'en' : 'zh';
}

/** Provides the language to the portal. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* not remembered, still switched */
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    const dateFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });
    const timeFormat = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    return {
      lang,
      setLang,
      t: (zh, en, vars) => fill(lang === 'zh' ? zh : en, vars),
      formatDate: (iso, withTime = false) => {
        if (!iso) return '—';
        const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
        const date = new Date(dateOnly ? `${iso}T00:00:00` : iso);
        if (Number.isNaN(date.getTime())) return iso;
        return (withTime && !dateOnly ? timeFormat : dateFormat).format(date);
      },
      formatNumber: (value, digits = 2) =>
        new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The language context. */
export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** The translate function alone. */
export function useT(): Translate {
  return useI18n().t;
}

function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The language switch: a button group, keyboard-reachable, announcing the current choice. */
export function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label="语言 / Language">
      <button type="button" aria-pressed={lang === 'zh'} onClick={() => setLang('zh')} lang="zh-CN">
        中文
      </button>
      <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')} lang="en">
        English
      </button>
    </div>
  );
}
