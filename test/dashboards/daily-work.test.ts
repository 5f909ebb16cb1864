import { describe, expect, test } from 'vitest';
import { translator } from '../../dashboards/app/i18n/translate.ts';
import { chartCsv } from '../../dashboards/app/lib/chart-export.ts';
import {
  alarmMarkers,
  type ChartKind,
  rangeWithLines,
  thresholdLines,
} from '../../dashboards/app/lib/chart-marks.ts';
import {
  type ChartView,
  chartViewQuery,
  parseChartView,
  viewSpan,
  zonedStamp,
  zoneLabel,
} from '../../dashboards/app/lib/chart-view.ts';
import { simFaultText } from '../../dashboards/app/lib/sim-faults.ts';
import { activeAlarmsOf, shelfOf, topAlarm } from '../../dashboards/app/lib/station-status.ts';
import { arrivedAt, eventAction, ticketSteps } from '../../dashboards/app/lib/ticket-steps.ts';
import type { Alarm, Shelf } from '../../dashboards/app/lib/types.ts';
import { DEFAULT_THRESHOLDS } from '../../server/alarms/thresholds.ts';

const NOW = 1_780_000_000_000;

describe('chart view in the link', () => {
  test.each([
    ['', undefined, { range: { kind: 'relative', key: '1h' }, refresh: 'off' }],
    ['range=6h&refresh=10s', undefined, { range: { kind: 'relative', key: '6h' }, refresh: '10s' }],
    ['', '30d', { range: { kind: 'relative', key: '30d' }, refresh: 'off' }],
    ['range=7d', '30d', { range: { kind: 'relative', key: '7d' }, refresh: 'off' }],
    [
      'from=1000&to=5000&refresh=5m',
      undefined,
      { range: { kind: 'absolute', from: 1000, to: 5000 }, refresh: '5m' },
    ],
    ['from=5000&to=1000', undefined, { range: { kind: 'relative', key: '1h' }, refresh: 'off' }],
    ['from=abc&to=1000', undefined, { range: { kind: 'relative', key: '1h' }, refresh: 'off' }],
    ['range=2y&refresh=1s', undefined, { range: { kind: 'relative', key: '1h' }, refresh: 'off' }],
  ] as const)('%j (path %s) is %j', (query, path, view) => {
    expect(parseChartView(query, path)).toEqual(view);
    // Written back and read again, a view is the same view.
    expect(parseChartView(chartViewQuery(view as ChartView))).toEqual(view);
  });

  test('a relative span ends at the anchor and goes live; a fixed one does not', () => {
    expect(viewSpan({ range: { kind: 'relative', key: '15m' }, refresh: 'off' }, NOW)).toEqual({
      from: NOW - 900_000,
      to: NOW,
      live: true,
    });
    expect(viewSpan({ range: { kind: 'absolute', from: 1, to: 2 }, refresh: '1m' }, NOW)).toEqual({
      from: 1,
      to: 2,
      live: false,
    });
  });

  test.each([
    ['Asia/Shanghai', Date.UTC(2026, 0, 1), 'UTC+8 Asia/Shanghai'],
    ['Asia/Kolkata', Date.UTC(2026, 0, 1), 'UTC+5:30 Asia/Kolkata'],
    ['America/New_York', Date.UTC(2026, 0, 1), 'UTC-5 America/New_York'],
    ['America/New_York', Date.UTC(2026, 6, 1), 'UTC-4 America/New_York'],
    ['UTC', Date.UTC(2026, 0, 1), 'UTC UTC'],
  ])('zone %s at %d reads %s', (zone, at, label) => {
    expect(zoneLabel(zone, at)).toBe(label);
  });

  test.each([
    ['Asia/Shanghai', 'UTC+8（中国标准时间）'],
    ['America/New_York', 'UTC-5（北美东部标准时间）'],
  ])('in Chinese, zone %s reads %s: its Chinese name, not the IANA id', (zone, label) => {
    expect(zoneLabel(zone, Date.UTC(2026, 0, 1), 'zh-CN')).toBe(label);
  });

  test('a CSV time is the site wall clock to the second', () => {
    expect(zonedStamp(Date.UTC(2026, 11, 31, 16, 4, 5), 'Asia/Shanghai')).toBe('2027-01-01 00:04:05');
  });
});

function alarm(patch: Partial<Alarm>): Alarm {
  return {
    id: 1,
    site: 'demo',
    station: 'st1',
    faultClass: 'pump_trip',
    subject: 'pump[1]',
    severity: 'general',
    title: 'Pump trip',
    status: 'active_unack',
    raisedAt: NOW - 60_000,
    lastRaisedAt: NOW - 60_000,
    clearedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    occurrences: 1,
    value: null,
    ticketId: null,
    ...patch,
  };
}

describe('chart marks', () => {
  test.each([
    ['pressure', [2]],
    ['flow', []],
    ['voltage', [342, 418]],
    ['current', [40]],
    ['temperature', [120]],
    ['vibration', [2.8, 4.5]],
  ] as const)('%s draws the site thresholds %j', (kind, values) => {
    const lines = thresholdLines(kind as ChartKind, DEFAULT_THRESHOLDS).map((l) => l.value);
    expect(lines.map((v) => Math.round(v * 100) / 100)).toEqual(values);
  });

  test('explicit vibration zones win over the machine class; no thresholds loaded draws none', () => {
    const lines = thresholdLines('vibration', {
      ...DEFAULT_THRESHOLDS,
      vibrationZoneCmmS: 3.5,
      vibrationZoneDmmS: 6,
    });
    expect(lines.map((l) => l.value)).toEqual([3.5, 6]);
    expect(thresholdLines('pressure', undefined)).toEqual([]);
  });

  test('markers are the raisings and clearings inside the range, in time order', () => {
    const marks = alarmMarkers(
      [
        alarm({ id: 1, raisedAt: NOW - 10_000, clearedAt: NOW - 5_000 }),
        alarm({ id: 2, raisedAt: NOW - 100_000, clearedAt: NOW - 20_000 }),
        alarm({ id: 3, raisedAt: NOW - 100_000, clearedAt: null }),
        alarm({ id: 4, raisedAt: NOW + 1, clearedAt: null }),
      ],
      NOW - 50_000,
      NOW,
    );
    expect(marks.map((m) => `${m.alarm.id}:${m.change}`)).toEqual(['2:cleared', '1:raised', '1:cleared']);
  });

  test.each([
    [1, 3, [], [0.84, 3.16]],
    [4, 5, [2], [1.76, 5.24]],
    [null, null, [2], [1.8, 2.2]],
    [null, null, [], null],
    [5, 5, [], [4.5, 5.5]],
  ] as const)('y from %s..%s with lines %j is %j', (min, max, lines, range) => {
    const got = rangeWithLines(min, max, lines);
    expect(got?.map((v) => Math.round(v * 100) / 100) ?? null).toEqual(range);
  });
});

describe('shelved alarms and the top alarm of a tile', () => {
  const shelf: Shelf = {
    id: 9,
    site: 'demo',
    station: 'st1',
    faultClass: 'pump_trip',
    subject: 'pump[1]',
    until: NOW + 60_000,
    shelvedBy: 'operator',
    reason: 'known',
  };

  test('a shelved alarm is not active for the tile; other subjects, stations and expired shelves are', () => {
    const alarms = [
      alarm({ id: 1 }),
      alarm({ id: 2, subject: 'pump[2]' }),
      alarm({ id: 3, station: 'st2' }),
      alarm({ id: 4, status: 'cleared_unack' }),
    ];
    expect(activeAlarmsOf(alarms, 'st1', [shelf], NOW).map((a) => a.id)).toEqual([2]);
    expect(activeAlarmsOf(alarms, 'st1', [{ ...shelf, until: NOW - 1 }], NOW).map((a) => a.id)).toEqual([
      1, 2,
    ]);
    expect(activeAlarmsOf(alarms, 'st1').map((a) => a.id)).toEqual([1, 2]);
    expect(shelfOf(alarm({ site: 'other' }), [shelf], NOW)).toBeUndefined();
  });

  test('the top alarm is the most severe, then unacknowledged, then raised last', () => {
    expect(
      topAlarm([
        alarm({ id: 1, severity: 'minor', lastRaisedAt: NOW }),
        alarm({ id: 2, severity: 'major', status: 'active_ack', lastRaisedAt: NOW - 10 }),
        alarm({ id: 3, severity: 'major', status: 'active_unack', lastRaisedAt: NOW - 20 }),
        alarm({ id: 4, severity: 'major', status: 'active_unack', lastRaisedAt: NOW - 30 }),
      ])?.id,
    ).toBe(3);
    expect(topAlarm([])).toBeUndefined();
  });
});

describe('ticket steps', () => {
  const to = (...states: string[]) => states.map((state) => ({ to: state }));
  test.each([
    ['new', to('new'), ['current', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo']],
    [
      'closed',
      to('new', 'triaged', 'dispatched', 'on_site', 'resolved', 'signed_off', 'closed'),
      ['done', 'done', 'done', 'done', 'done', 'done', 'current'],
    ],
    // A remote repair goes from triaged to resolved: dispatch and on site are skipped.
    [
      'resolved',
      to('new', 'triaged', 'resolved'),
      ['done', 'done', 'skipped', 'skipped', 'current', 'todo', 'todo'],
    ],
    // Reopened: only what happened since counts.
    [
      'triaged',
      to('new', 'triaged', 'dispatched', 'on_site', 'resolved', 'new', 'triaged'),
      ['done', 'current', 'todo', 'todo', 'todo', 'todo', 'todo'],
    ],
  ] as const)('%s after %j', (state, timeline, steps) => {
    expect(ticketSteps(state, timeline).map((s) => s.step)).toEqual(steps);
  });

  test('arrival is the last move to on site in the history', () => {
    expect(
      arrivedAt([
        { to: 'on_site', at: 5 },
        { to: 'resolved', at: 9 },
        { to: 'on_site', at: 7 },
      ]),
    ).toBe(7);
    expect(arrivedAt([{ to: 'new', at: 1 }])).toBeNull();
  });

  test.each([
    [{ action: 'transition', data: '{"action":"dispatch","technician":"Wang"}' }, 'dispatch'],
    [{ action: 'transition', data: { action: 'arrive' } }, 'arrive'],
    [{ action: 'transition', data: 'not json' }, 'transition'],
    [{ action: 'transition', data: null }, 'transition'],
    [{ action: 'open', data: '{}' }, 'open'],
  ])('history entry %j did %s', (event, action) => {
    expect(eventAction(event)).toBe(action);
  });
});

describe('chart CSV and fault names', () => {
  test('a chart exports its series with the reader headers and the site wall clock', () => {
    const csv = chartCsv(
      [
        [Date.UTC(2026, 0, 1, 0, 0) / 1000, Date.UTC(2026, 0, 1, 0, 1) / 1000],
        [4.5, null],
        [4, 4.25],
      ],
      [{ label: '出口', unit: 'bar' }, { label: 'set, point' }],
      '时间（Asia/Shanghai）',
      'Asia/Shanghai',
    );
    expect(csv).toBe(
      '\uFEFF时间（Asia/Shanghai）,出口 (bar),"set, point"\r\n2026-01-01 08:00:00,4.5,4\r\n2026-01-01 08:01:00,,4.25\r\n',
    );
  });

  test.each([
    ['en', { fault: 'pump_trip', pump: 1, params: {} }, 'Pump trip · pump 1'],
    ['zh-CN', { fault: 'pump_trip', pump: 2, params: {} }, '水泵跳闸 · 2号泵'],
    ['en', { fault: 'phase_loss', params: { phase: 3 } }, 'Phase loss · phase L3'],
    [
      'en',
      { fault: 'bearing_wear', pump: 1, params: { weeks: 4, progress: 0.25 } },
      'Bearing wear · pump 1 · worn in 4 weeks · progress 0.25',
    ],
    ['en', { fault: 'something_new', params: { knob: 2 } }, 'something_new · knob 2'],
    [
      'zh-CN',
      { fault: 'clogged_strainer', params: { bar: 0.3, days: 0 } },
      '吸入口过滤器堵塞 · 45 m³/h 时压损 0.3 bar · 0 天内形成',
    ],
    [
      'zh-CN',
      { fault: 'sensor_spike', params: { meaning: 'pressure.outlet', perHour: 40, size: 0.4, seconds: 15 } },
      '传感器跳变 · 读数 出口压力 · 每小时 40 次 · 跳变幅度 ×0.4 · 每次 15 秒',
    ],
    [
      'en',
      { fault: 'sensor_drift', params: { meaning: 'flow.rate', perDay: 2 } },
      'Sensor drift · reading flow · 2 a day',
    ],
  ] as const)('%s: %j reads %s', (locale, fault, text) => {
    expect(simFaultText(translator(locale), fault, locale)).toBe(text);
  });
});
