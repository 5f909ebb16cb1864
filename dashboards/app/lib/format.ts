import { wallClock, wallClockMs } from '../../../core/time/wall-clock.ts';

/** Every site's local time zone, as its master data says (learnt when the sites are loaded). */
const siteTimeZones = new Map<string, string>();
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function siteTimeZone(site: string | undefined): string {
  return (site && siteTimeZones.get(site)) || DEFAULT_TIME_ZONE;
}

/** Records the sites' time zones (called whenever the sites are loaded). */
export function learnSiteTimeZones(sites: readonly { id: string; time_zone?: string | undefined }[]): void {
  for (const site of sites) if (site.time_zone) siteTimeZones.set(site.id, site.time_zone);
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

/**
 * A chart axis label in the site's time zone: the day (`26/11`, zh `11/26`) when the chart spans more
 * than a day and a half, otherwise the time (`15:04`). Pure.
 */
export function formatAxisTick(ms: number, spanMs: number, timeZone: string, locale: Locale): string {
  const byDay = spanMs > 36 * 3_600_000;
  const key = `axis|${timeZone}|${locale}|${byDay}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone,
      ...(byDay
        ? { month: '2-digit', day: '2-digit' }
        : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
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

/** `YYYY-MM-DDTHH:mm` in the browser's zone, as datetime-local inputs want it. */
export function localInputValue(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** `YYYY-MM-DDTHH:mm` on the wall clock of `timeZone` (a site's), for a datetime-local input. Pure. */
export function zonedInputValue(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  const two = (n: number | undefined) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/**
 * The moment a datetime-local value names on the wall clock of `timeZone`; NaN for anything else.
 * The zone's offset is taken at a first guess and again at the result, so a time just after a
 * daylight-saving change lands right. Pure.
 */
export function parseZonedInput(text: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map((n) => Number(n ?? 0)) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (!Number.isFinite(wall)) return Number.NaN;
  const offsetAt = (ms: number) => {
    return wallClockMs(ms, timeZone) - (ms - (((ms % 1000) + 1000) % 1000));
  };
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}
