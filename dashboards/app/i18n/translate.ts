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

/** The language a user chose last on this browser, remembered per user name. */
export function storedLocale(
  storage: { getItem(key: string): string | null },
  username: string | undefined,
): Locale {
  const stored = storage.getItem(`aftercare.locale.${username ?? ''}`);
  return stored === 'zh-CN' || stored === 'en' ? stored : 'en';
}

export function storeLocale(
  storage: { setItem(key: string, value: string): void },
  username: string | undefined,
  locale: Locale,
): void {
  storage.setItem(`aftercare.locale.${username ?? ''}`, locale);
}
