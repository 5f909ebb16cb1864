import { wallClock, wallClockMs } from '../../../core/time/wall-clock.ts';

/** The relative ranges a station's charts offer, ending now. */
export const RANGE_PRESETS = [
  { key: '15m', ms: 15 * 60_000 },
  { key: '1h', ms: 3_600_000 },
  { key: '6h', ms: 6 * 3_600_000 },
  { key: '24h', ms: 24 * 3_600_000 },
  { key: '7d', ms: 7 * 86_400_000 },
  { key: '30d', ms: 30 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGE_PRESETS)[number]['key'];

/** How often the charts reload their history: off, or every 10 s, 1 min or 5 min. */
export const REFRESH_CHOICES = [
  { key: 'off', ms: 0 },
  { key: '10s', ms: 10_000 },
  { key: '1m', ms: 60_000 },
  { key: '5m', ms: 300_000 },
] as const;
export type RefreshKey = (typeof REFRESH_CHOICES)[number]['key'];

/** What the charts show, as kept in the link: a range ending now or a fixed one, and the refresh. */
export interface ChartView {
  range: { kind: 'relative'; key: RangeKey } | { kind: 'absolute'; from: number; to: number };
  refresh: RefreshKey;
}

export const DEFAULT_VIEW: ChartView = { range: { kind: 'relative', key: '1h' }, refresh: 'off' };

const isRange = (key: string | null | undefined): key is RangeKey => RANGE_PRESETS.some((p) => p.key === key);
const isRefresh = (key: string | null): key is RefreshKey => REFRESH_CHOICES.some((r) => r.key === key);

/**
 * The view a link's query names (`range=6h&refresh=1m`, or `from=..&to=..` in ms). A path range
 * (`#/station/st2/30d`, the older link) counts when the query names none; anything unreadable
 * falls back to the default. Pure.
 */
export function parseChartView(query: string, pathRange?: string): ChartView {
  const params = new URLSearchParams(query);
  const refreshText = params.get('refresh');
  const refresh = isRefresh(refreshText) ? refreshText : DEFAULT_VIEW.refresh;
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) {
    return { range: { kind: 'absolute', from, to }, refresh };
  }
  const key = params.get('range') ?? pathRange;
  return { range: isRange(key) ? { kind: 'relative', key } : DEFAULT_VIEW.range, refresh };
}

/** The query of a view, for the link: the inverse of `parseChartView`. Pure. */
export function chartViewQuery(view: ChartView): string {
  const params = new URLSearchParams();
  if (view.range.kind === 'relative') params.set('range', view.range.key);
  else {
    params.set('from', String(Math.round(view.range.from)));
    params.set('to', String(Math.round(view.range.to)));
  }
  if (view.refresh !== 'off') params.set('refresh', view.refresh);
  return params.toString();
}

/** The span a view covers at `now`, in ms since the epoch. Pure. */
export function viewSpan(view: ChartView, now: number): { from: number; to: number; live: boolean } {
  if (view.range.kind === 'absolute') return { from: view.range.from, to: view.range.to, live: false };
  const key = view.range.key;
  const ms = RANGE_PRESETS.find((p) => p.key === key)?.ms ?? 3_600_000;
  return { from: now - ms, to: now, live: true };
}

export function refreshMs(key: RefreshKey): number {
  return REFRESH_CHOICES.find((r) => r.key === key)?.ms ?? 0;
}

/** A zone as people read it beside a chart: `UTC+8 Asia/Shanghai`, `UTC+5:30 Asia/Kolkata`. Pure. */
export function zoneLabel(timeZone: string, at: number, locale: 'en' | 'zh-CN' = 'en'): string {
  const second = at - (((at % 1000) + 1000) % 1000);
  const minutes = Math.round((wallClockMs(second, timeZone) - second) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  const offset = minutes === 0 ? '' : `${sign}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
  if (locale === 'en') return `UTC${offset} ${timeZone}`;
  // A Chinese reader gets the zone's Chinese name (中国标准时间), not its English IANA id.
  const name = new Intl.DateTimeFormat('zh-CN', { timeZone, timeZoneName: 'long' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  return name && !/[A-Za-z]{2,}/.test(name) ? `UTC${offset}（${name}）` : `UTC${offset}`;
}

/** `2026-12-06 16:04:05` on the wall clock of `timeZone`: a time a spreadsheet reads. Pure. */
export function zonedStamp(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
