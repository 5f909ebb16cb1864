import { describe, expect, test } from 'vitest';
import { FAULT_CLASSES } from '../../core/alarms/catalogue.ts';
import { shelveBodySchema as shelveBody } from '../../core/api/alarms.ts';
import { parseZonedInput, zonedInputValue } from '../../dashboards/app/lib/format.ts';
import {
  SHELVABLE,
  scopeOf,
  shelfMinutes,
  stationChoices,
  subjectChoices,
} from '../../dashboards/app/lib/shelving.ts';

const NOW = Date.UTC(2026, 10, 26, 8, 0, 0);
const MIN = 60_000;

describe('shelfMinutes', () => {
  test.each([
    ['1 h', { hours: 1 }, { minutes: 60 }],
    ['8 h', { hours: 8 }, { minutes: 480 }],
    ['24 h', { hours: 24 }, { minutes: 1440 }],
    ['until in 90 min', { until: NOW + 90 * MIN }, { minutes: 90 }],
    ['until 30 s ahead: rounded up to a whole minute', { until: NOW + 30_000 }, { minutes: 1 }],
    ['until 90.5 min ahead: never ends early', { until: NOW + 90.5 * MIN }, { minutes: 91 }],
    ['until exactly 7 days ahead', { until: NOW + 7 * 24 * 60 * MIN }, { minutes: 10_080 }],
    ['until 7 days and a second', { until: NOW + 7 * 24 * 60 * MIN + 1000 }, { error: 'too_long' }],
    ['until now', { until: NOW }, { error: 'past' }],
    ['until an hour ago', { until: NOW - 60 * MIN }, { error: 'past' }],
    ['an empty date-time field', { until: Number.NaN }, { error: 'invalid' }],
  ] as const)('%s', (_name, expiry, expected) => {
    expect(shelfMinutes(expiry, NOW)).toEqual(expected);
  });

  test('every minutes it gives is one the API accepts', () => {
    for (const expiry of [
      { hours: 1 },
      { hours: 24 },
      { until: NOW + 1 },
      { until: NOW + 7 * 24 * 60 * MIN },
    ]) {
      const answer = shelfMinutes(expiry, NOW);
      if (!('minutes' in answer)) throw new Error(`no minutes for ${JSON.stringify(expiry)}`);
      const body = {
        site: 'demo',
        station: 'st1',
        faultClass: 'pump_trip',
        minutes: answer.minutes,
        reason: 'x',
      };
      expect(shelveBody.safeParse(body).success).toBe(true);
    }
  });
});

describe('what can be shelved', () => {
  test('every fault class of the catalogue, once', () => {
    expect(SHELVABLE.map((rule) => rule.faultClass).sort()).toEqual([...FAULT_CLASSES].sort());
  });

  test.each([
    ['pump_trip', 'pump'],
    ['grounding_fault', 'station'],
    ['sensor_stuck', 'tag'],
    ['no_such_fault', 'station'],
  ] as const)('%s is about a %s', (faultClass, scope) => {
    expect(scopeOf(faultClass)).toBe(scope);
  });

  test.each([
    ['station', [1, 2], ['pressure.outlet'], ['']],
    ['pump', [3, 1, 2], [], ['pump[1]', 'pump[2]', 'pump[3]']],
    ['pump', [], [], []],
    ['tag', [1], ['pressure.outlet', 'tank.level'], ['pressure.outlet', 'tank.level']],
    ['tag', [1], [], []],
  ] as const)('subjects of a %s alarm (pumps %j, meanings %j)', (scope, pumps, meanings, expected) => {
    expect(subjectChoices(scope, pumps, meanings)).toEqual(expected);
  });
});

describe('stationChoices', () => {
  const good = { v: 1, q: 'good' as const, ts: NOW, ageMs: 0 };
  test.each([
    ['nothing registered or reporting', [], [], []],
    [
      'registered stations keep their pumps, sorted',
      [{ site_id: 'demo', id: 'st1', name: 'One', pumps: [{ pump_no: 2 }, { pump_no: 1 }] }],
      [{ site: 'demo', station: 'st1', values: { 'pump[3].running': good } }],
      [{ site: 'demo', station: 'st1', pumps: [1, 2] }],
    ],
    [
      'a reporting station not yet registered: pumps from its meanings',
      [],
      [
        {
          site: 'north',
          station: 'st9',
          values: { 'pump[2].running': good, 'pump[1].current_l1': good, 'pressure.outlet': good },
        },
      ],
      [{ site: 'north', station: 'st9', pumps: [1, 2] }],
    ],
    [
      'the same station id at another site is another station',
      [{ site_id: 'demo', id: 'st1', name: 'One', pumps: [] }],
      [{ site: 'north', station: 'st1', values: {} }],
      [
        { site: 'demo', station: 'st1', pumps: [] },
        { site: 'north', station: 'st1', pumps: [] },
      ],
    ],
  ] as const)('%s', (_name, registered, reporting, expected) => {
    expect(stationChoices(registered, reporting)).toEqual(expected);
  });
});

describe("a shelf's end on the site's wall clock (datetime-local values)", () => {
  test.each([
    // 2026-11-26T08:00Z is 16:00 in Shanghai (UTC+8, no daylight saving).
    ['Asia/Shanghai', Date.UTC(2026, 10, 26, 8, 0), '2026-11-26T16:00'],
    ['Asia/Shanghai, across midnight', Date.UTC(2026, 10, 26, 20, 30), '2026-11-27T04:30'],
    ['Europe/London in winter (UTC+0)', Date.UTC(2026, 0, 10, 9, 15), '2026-01-10T09:15'],
    ['Europe/London in summer (UTC+1)', Date.UTC(2026, 6, 10, 9, 15), '2026-07-10T10:15'],
    ['America/New_York (UTC-5)', Date.UTC(2026, 0, 10, 3, 0), '2026-01-09T22:00'],
    ['Asia/Kolkata (UTC+5:30)', Date.UTC(2026, 0, 10, 0, 0), '2026-01-10T05:30'],
    // London clocks go forward at 01:00 UTC on 2026-03-29; 02:30 local is after the change.
    ['Europe/London just after the spring change', Date.UTC(2026, 2, 29, 1, 30), '2026-03-29T02:30'],
  ])('%s', (zone, ms, text) => {
    const timeZone = zone.split(/[ ,]/)[0]!;
    expect(zonedInputValue(ms, timeZone)).toBe(text);
    expect(parseZonedInput(text, timeZone)).toBe(ms);
  });

  test.each([
    ['seconds are accepted', '2026-11-26T16:00:30', Date.UTC(2026, 10, 26, 8, 0, 30)],
    ['an empty field', '', Number.NaN],
    ['a date without a time', '2026-11-26', Number.NaN],
    ['garbage', 'tomorrow', Number.NaN],
  ])('%s', (_name, text, expected) => {
    expect(parseZonedInput(text, 'Asia/Shanghai')).toBe(expected);
  });
});
