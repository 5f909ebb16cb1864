import { describe, expect, test } from 'vitest';
import {
  failoverActive,
  pumpStatuses,
  STALE_AFTER_MS,
  tileState,
} from '../../dashboards/app/lib/station-status.ts';
import type { Alarm, StationView } from '../../dashboards/app/lib/types.ts';

const NOW = 1_700_000_000_000;

function view(
  values: Record<string, number | boolean>,
  extra: Partial<StationView> = {},
  quality: StationView['values'][string]['q'] = 'good',
): StationView {
  return {
    site: 'demo',
    station: 'st1',
    edge: 'e',
    model: 'm',
    state: 'ok',
    seq: 1,
    ts: NOW - 1000,
    ageMs: 1000,
    values: Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, { v, q: quality, ts: NOW - 1000, ageMs: 1000 }]),
    ),
    ...extra,
  };
}

const alarm = (severity: Alarm['severity']): Alarm => ({
  id: 1,
  site: 'demo',
  station: 'st1',
  faultClass: 'pump_trip',
  subject: 'pump[1]',
  severity,
  value: null,
  title: 'Pump tripped',
  status: 'active_unack',
  raisedAt: NOW,
  lastRaisedAt: NOW,
  clearedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  occurrences: 1,
  ticketId: null,
});

describe('tileState', () => {
  test.each([
    ['no data at all', undefined, [], 'offline'],
    ['comms failed', view({}, { state: 'comms_failed' }), [], 'offline'],
    ['data older than the stale limit', view({}, { ts: NOW - STALE_AFTER_MS - 1 }), [], 'offline'],
    ['a general alarm', view({}), [alarm('general')], 'alarm'],
    ['a major alarm beats a minor one', view({}), [alarm('minor'), alarm('major')], 'alarm'],
    ['a minor alarm', view({}), [alarm('minor')], 'warning'],
    ['a degraded link', view({}, { state: 'degraded' }), [], 'warning'],
    ['a frozen value alone waits for its alarm', view({ 'pressure.outlet': 4 }, {}, 'frozen'), [], 'normal'],
    ['all good', view({ 'pressure.outlet': 4 }), [], 'normal'],
  ] as const)('%s -> %s', (_name, station, alarms, want) => {
    expect(tileState(station, [...alarms], NOW)).toBe(want);
  });
});

describe('pumpStatuses and failover', () => {
  test.each<{ name: string; values: Record<string, number | boolean>; states: string[]; failover: boolean }>([
    {
      name: 'duty runs, others stand by',
      values: {
        'pump[1].running': true,
        'pump[1].duty': true,
        'pump[2].standby': true,
        'pump[2].running': false,
        'pump[3].standby': true,
        'pump[3].running': false,
      },
      states: ['running', 'standby', 'standby'],
      failover: false,
    },
    {
      name: 'pump 1 tripped, pump 3 took over',
      values: {
        'pump[1].fault': true,
        'pump[1].running': false,
        'pump[1].standby': true,
        'pump[2].standby': true,
        'pump[2].running': false,
        'pump[3].running': true,
        'pump[3].duty': true,
      },
      states: ['fault', 'standby', 'running'],
      failover: true,
    },
    {
      name: 'every pump down is no failover',
      values: { 'pump[1].fault': true, 'pump[2].fault': true },
      states: ['fault', 'fault'],
      failover: false,
    },
    {
      name: 'a pump without run status is unknown',
      values: { 'pump[1].current_l1': 3 },
      states: ['unknown'],
      failover: false,
    },
  ])('$name', ({ values, states, failover }) => {
    const pumps = pumpStatuses(view(values));
    expect(pumps.map((p) => p.state)).toEqual(states);
    expect(failoverActive(pumps)).toBe(failover);
  });

  test.each([
    [
      'duty and standby bits',
      { 'pump[1].duty': true, 'pump[2].standby': true },
      [
        [1, true, false],
        [2, false, true],
      ],
    ],
    [
      'no duty bit: running outside standby is duty',
      { 'pump[1].running': true, 'pump[2].running': true, 'pump[3].running': false, 'pump[3].standby': true },
      [
        [1, true, false],
        [2, true, false],
        [3, false, true],
      ],
    ],
    [
      'no duty bit: a faulted pump is not duty',
      { 'pump[1].running': true, 'pump[1].fault': true },
      [[1, false, false]],
    ],
  ])('roles from %s', (_name, values, want) => {
    expect(pumpStatuses(view(values)).map((p) => [p.pump, p.duty, p.standby])).toEqual(want);
  });
});
