import { describe, expect, test } from 'vitest';
import type { Quality } from '../../core/telemetry/payloads.ts';
import type { StationReadings } from '../../server/alarms/readings.ts';
import { vendorCodeConditions } from '../../server/alarms/vendor-codes.ts';
import type { ReadingInfo } from '../../server/profiles/profile-registry.ts';

const table: ReadingInfo = {
  unit: '',
  alarmCodes: new Map([
    [17, { en: 'Pump overload', zh: '水泵过载', severity: 'major', kind: 'alarm' }],
    [32, { en: 'Low inlet pressure', severity: 'minor', kind: 'warning' }],
  ]),
};
const tables = new Map([
  ['station.alarm_code', table],
  ['pump[2].alarm_code', table],
]);

function readings(meaning: string, v: number | null, q: Quality = 'good'): StationReadings {
  return { values: { [meaning]: { v, q } }, state: 'ok', stale: false, edgeOnline: true };
}

describe('vendor code verdicts: a listed code holds its kind, 0 or an unlisted code clears', () => {
  test.each([
    // meaning, value, quality, vendor_alarm holds, vendor_warning holds
    ['station.alarm_code', 17, 'good', true, false],
    ['station.alarm_code', 32, 'good', false, true],
    ['station.alarm_code', 0, 'good', false, false],
    ['station.alarm_code', 99, 'good', false, false],
    ['station.alarm_code', 17, 'stale', true, false],
    ['station.alarm_code', 17, 'out_of_range', null, null],
    ['station.alarm_code', null, 'not_available', null, null],
    ['station.alarm_code', null, 'comms_failed', null, null],
    ['pump[2].alarm_code', 17, 'good', true, false],
  ] as const)('%s = %s (%s): alarm %s, warning %s', (meaning, v, q, alarm, warning) => {
    const conditions = vendorCodeConditions(readings(meaning, v, q), tables);
    expect(conditions.map((c) => [c.faultClass, c.subject, c.holds])).toEqual([
      ['vendor_alarm', meaning, alarm],
      ['vendor_warning', meaning, warning],
    ]);
  });

  test("a raised code carries the table's severity and the vendor's text in both languages", () => {
    const [alarm] = vendorCodeConditions(readings('station.alarm_code', 17), tables);
    expect(alarm?.raise).toEqual({
      severity: 'major',
      title: 'Pump overload (code 17)',
      titleCode: 'alarm.vendorCode',
      titleParams: { code: 17, en: 'Pump overload', zh: '水泵过载' },
    });
    // No Chinese text in the table: the English stands in for it.
    const [, warning] = vendorCodeConditions(readings('station.alarm_code', 32), tables);
    expect(warning?.raise).toMatchObject({ severity: 'minor', titleParams: { zh: 'Low inlet pressure' } });
  });

  test('readings without a code table, or not ending in alarm_code/warning_code, decide nothing', () => {
    expect(vendorCodeConditions(readings('station.warning_code', 17), tables)).toEqual([]);
    expect(vendorCodeConditions(readings('pressure.outlet', 17), tables)).toEqual([]);
    expect(vendorCodeConditions(readings('station.alarm_code', 17), undefined)).toEqual([]);
  });
});
