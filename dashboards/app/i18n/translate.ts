import type { Locale } from '../lib/format.ts';
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-cn.ts';

export type { MessageKey } from './en.ts';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** A translate function for a locale: fills `{name}` placeholders from params. Pure. */
export function translator(locale: Locale): Translate {
  const dictionary = DICTIONARIES[locale];
  return (key, params) => {
    const text = dictionary[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match)) : text;
  };
}

export const LOCALE_KEY = 'aftercare.locale';

/**
 * The language to show: the one chosen last on this browser (on the sign-in page or in the app, so
 * it holds across sign-out and sign-in), else the browser's own: any Chinese (`zh`, `zh-TW`, ...)
 * gives zh-CN, the only Chinese the dashboards have; else English.
 */
export function preferredLocale(
  storage: { getItem(key: string): string | null },
  languages: readonly string[],
): Locale {
  const stored = storage.getItem(LOCALE_KEY);
  if (stored === 'zh-CN' || stored === 'en') return stored;
  for (const language of languages) {
    if (/^zh\b/i.test(language)) return 'zh-CN';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'en';
}

export function storeLocale(storage: { setItem(key: string, value: string): void }, locale: Locale): void {
  storage.setItem(LOCALE_KEY, locale);
}
