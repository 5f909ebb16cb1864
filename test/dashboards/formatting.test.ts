import { describe, expect, test } from 'vitest';
import { en } from '../../dashboards/app/i18n/en.ts';
import { preferredLocale, storeLocale, translator } from '../../dashboards/app/i18n/translate.ts';
import { zhCN } from '../../dashboards/app/i18n/zh-cn.ts';
import {
  formatAxisTick,
  formatDuration,
  formatNumber,
  formatTime,
  learnSiteTimeZones,
  siteTimeZone,
} from '../../dashboards/app/lib/format.ts';
import { counterRows, flattenStats } from '../../dashboards/app/lib/rates.ts';
import { parseRoute, routeHref } from '../../dashboards/app/lib/router.ts';

describe('times in the site time zone', () => {
  test("a site's time zone comes from its master data; an unknown site is in China", () => {
    expect(siteTimeZone('berlin-works')).toBe('Asia/Shanghai');
    learnSiteTimeZones([{ id: 'berlin-works', time_zone: 'Europe/Berlin' }, { id: 'plain' }]);
    expect(siteTimeZone('berlin-works')).toBe('Europe/Berlin');
    expect(siteTimeZone('plain')).toBe('Asia/Shanghai');
  });

  // 2026-01-01T00:00:00Z is 08:00 in Shanghai and 09:00 in Tokyo.
  const ms = Date.UTC(2026, 0, 1, 0, 0, 0);
  test.each([
    ['Asia/Shanghai', 'en', true, '01/01/2026, 08:00:00'],
    ['Asia/Shanghai', 'zh-CN', true, '2026/01/01 08:00:00'],
    ['Asia/Tokyo', 'en', false, '09:00:00'],
    ['UTC', 'zh-CN', false, '00:00:00'],
  ] as const)('%s %s', (zone, locale, withDate, want) => {
    expect(formatTime(ms, zone, locale, withDate)).toBe(want);
  });

  test.each([
    // 23:30 UTC on 31 Dec is 07:30 on 1 Jan in Shanghai: the site's day, not the browser's.
    [Date.UTC(2025, 11, 31, 23, 30), 6 * 3_600_000, 'en', '07:30'],
    [Date.UTC(2025, 11, 31, 23, 30), 30 * 86_400_000, 'en', '01/01'],
    [Date.UTC(2026, 10, 26, 2, 0), 30 * 86_400_000, 'zh-CN', '11/26'],
    [Date.UTC(2026, 10, 26, 2, 0), 36 * 3_600_000, 'zh-CN', '10:00'],
  ] as const)('axis tick at %d over a span of %d ms (%s): %s', (at, span, locale, want) => {
    expect(formatAxisTick(at, span, 'Asia/Shanghai', locale)).toBe(want);
  });

  test.each([
    [0, 'en', '0 s'],
    [59_999, 'en', '59 s'],
    [60_000, 'en', '1 min'],
    [3_600_000 + 5 * 60_000, 'en', '1 h 05 min'],
    [2 * 86_400_000 + 4 * 3_600_000, 'en', '2 d 4 h'],
    [-5_000, 'en', '0 s'],
    [90_000, 'zh-CN', '1分'],
    [3_600_000, 'zh-CN', '1小时00分'],
  ] as const)('duration %i %s -> %s', (ms, locale, want) => {
    expect(formatDuration(ms, locale)).toBe(want);
  });

  test.each([
    [4.567, 2, '4.57'],
    [undefined, 2, '—'],
    [Number.NaN, 1, '—'],
    [380, 0, '380'],
  ])('number %s', (value, decimals, want) => {
    expect(formatNumber(value, decimals)).toBe(want);
  });
});

describe('translations', () => {
  test('Chinese fills every key with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  test.each([
    ['en', 'tile.setpoint', { value: '4.00' }, 'set point 4.00 bar'],
    ['zh-CN', 'tile.setpoint', { value: '4.00' }, '设定值 4.00 bar'],
    ['zh-CN', 'pump.standbyRole', undefined, '备用泵'],
    ['zh-CN', 'pump.duty', undefined, '主泵'],
    ['zh-CN', 'station.grounding', undefined, '接地故障'],
    ['zh-CN', 'severity.general', undefined, '一般'],
    ['zh-CN', 'ticket.warranty', undefined, '保修期至'],
    ['en', 'alarms.ackLabel', { id: 3 }, 'Acknowledge alarm 3: {title}'],
  ] as const)('%s %s', (locale, key, params, want) => {
    expect(translator(locale)(key, params)).toBe(want);
  });

  test.each([
    [[], 'en'],
    [['zh-CN', 'en'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-TW'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['de-DE', 'zh-CN'], 'zh-CN'],
    [['de-DE'], 'en'],
    [['ZH-cn'], 'zh-CN'],
    [['zhx'], 'en'],
  ] as const)('with no choice made, browser languages %j give %s', (languages, want) => {
    expect(preferredLocale({ getItem: () => null }, languages)).toBe(want);
  });

  test('a choice made on any page, signed in or not, wins over the browser and stays', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(preferredLocale(storage, ['zh-CN'])).toBe('zh-CN');
    storeLocale(storage, 'en');
    expect(preferredLocale(storage, ['zh-CN'])).toBe('en');
    storeLocale(storage, 'zh-CN');
    expect(preferredLocale(storage, ['en-US'])).toBe('zh-CN');
  });
});

describe('routes', () => {
  test.each([
    ['', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    ['#/station/st1', { page: 'station', station: 'st1' }],
    ['#/station/bad%20id', { page: 'overview' }],
    ['#/station/st2/30d', { page: 'station', station: 'st2', range: '30d' }],
    ['#/station/st2?range=6h&refresh=1m', { page: 'station', station: 'st2', query: 'range=6h&refresh=1m' }],
    ['#/calendar', { page: 'calendar' }],
    ['#/alarms', { page: 'alarms' }],
    ['#/service', { page: 'service' }],
    ['#/service/12', { page: 'ticket', id: 12 }],
    ['#/engineer', { page: 'engineer' }],
    ['#/nowhere', { page: 'overview' }],
  ] as const)('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    if (hash.length > 2 && route.page !== 'overview') expect(routeHref(route)).toBe(hash);
  });
});

describe('engineer counters', () => {
  test('rates per second of counters against the previous poll; a reset counter and a gauge have none', () => {
    const previous = {
      at: 0,
      counters: [
        { name: 'a_total', values: [{ labels: {}, value: 10 }] },
        { name: 'b_total', values: [{ labels: { reason: 'x' }, value: 50 }] },
        { name: 'queue_depth', values: [{ labels: {}, value: 1 }] },
      ],
    };
    const next = {
      at: 2000,
      counters: [
        { name: 'a_total', values: [{ labels: {}, value: 30 }] },
        { name: 'b_total', values: [{ labels: { reason: 'x' }, value: 5 }] },
        { name: 'c_total', values: [{ labels: {}, value: 1 }] },
        { name: 'queue_depth', values: [{ labels: {}, value: 5 }] },
      ],
    };
    expect(counterRows(previous, next)).toEqual([
      { key: 'a_total', value: 30, rate: 10 },
      { key: 'b_total{reason=x}', value: 5, rate: null },
      { key: 'c_total', value: 1, rate: null },
      { key: 'queue_depth', value: 5, rate: null },
    ]);
    expect(counterRows(undefined, next).every((row) => row.rate === null)).toBe(true);
  });

  test('nested stats flatten to dotted names', () => {
    expect(
      flattenStats({ a: 1, mqtt: { reconnects: 2, ok: true, deep: { x: { y: 1 } } }, list: [1] }),
    ).toEqual([
      ['a', '1'],
      ['mqtt.reconnects', '2'],
      ['mqtt.ok', 'true'],
    ]);
  });
});
