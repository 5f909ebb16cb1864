/** Every site's local time zone; the demo site is in China. */
const SITE_TIME_ZONES: Record<string, string> = { demo: 'Asia/Shanghai' };
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function siteTimeZone(site: string | undefined): string {
  return (site && SITE_TIME_ZONES[site]) || DEFAULT_TIME_ZONE;
}

export type Locale = 'en' | 'zh-CN';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date and time in the site's time zone: `2026-11-26 15:04:05` style in both languages. Pure. */
export function formatTime(ms: number, timeZone: string, locale: Locale, withDate = true): string {
  const key = `${timeZone}|${locale}|${withDate}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone,
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(ms);
}

/** A short duration: `4 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. Negative durations read as zero. Pure. */
export function formatDuration(ms: number, locale: Locale): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const zh = locale === 'zh-CN';
  const u = zh ? { s: '秒', m: '分', h: '小时', d: '天' } : { s: ' s', m: ' min', h: ' h', d: ' d' };
  const sep = zh ? '' : ' ';
  if (seconds < 60) return `${seconds}${u.s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}${u.m}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}${u.h}${sep}${String(minutes % 60).padStart(2, '0')}${u.m}`;
  return `${Math.floor(hours / 24)}${u.d}${sep}${hours % 24}${u.h}`;
}

/** A reading with a fixed number of decimals, or an em dash when there is none. Pure. */
export function formatNumber(value: number | undefined | null, decimals: number): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : value.toFixed(decimals);
}
