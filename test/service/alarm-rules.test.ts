import { describe, expect, test } from 'vitest';
import type { TelemetryValue } from '../../core/telemetry/payloads.ts';
import { DEFAULT_RULES, type FaultClass } from '../../server/alarms/catalogue.ts';
import { evaluateConditions } from '../../server/alarms/conditions.ts';
import {
  alarmKey,
  emptyMemory,
  evaluateStation,
  type StationMemory,
  stepRule,
} from '../../server/alarms/engine.ts';
import type { StationReadings } from '../../server/alarms/readings.ts';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../server/alarms/thresholds.ts';

const good = (v: number | boolean): TelemetryValue => ({ v, q: 'good' });

/** A healthy 380 V station, two pumps, pump 1 running; `overrides` replace values by meaning. */
function readings(
  overrides: Record<string, TelemetryValue | number | boolean> = {},
  extra: Partial<StationReadings> = {},
) {
  const values: Record<string, TelemetryValue> = {
    'supply.voltage_l1': good(380),
    'supply.voltage_l2': good(381),
    'supply.voltage_l3': good(379),
    'pressure.outlet': good(3.5),
    'tank.level': good(2),
    'insulation.resistance': good(50),
    'insulation.leakage_current': good(1),
    'grounding.fault': good(false),
    'station.failover_count': good(0),
    'pump[1].running': good(true),
    'pump[1].fault': good(false),
    'pump[1].current_l1': good(20),
    'pump[1].winding_temperature': good(60),
    'pump[1].bearing_vibration': good(1.2),
    'pump[2].running': good(false),
    'pump[2].fault': good(false),
    'pump[2].current_l1': good(0),
    'pump[2].winding_temperature': good(30),
    'pump[2].bearing_vibration': good(0.1),
  };
  for (const [meaning, value] of Object.entries(overrides)) {
    values[meaning] = typeof value === 'object' ? value : good(value);
  }
  return { values, state: 'ok', stale: false, edgeOnline: true, ...extra } satisfies StationReadings;
}

/** Conditions that hold, as `faultClass|subject`, for readings with nothing active. */
function holding(r: StationReadings, active: string[] = [], lastFailoverCount?: number): string[] {
  return evaluateConditions({
    readings: r,
    thresholds: DEFAULT_THRESHOLDS,
    isActive: (faultClass, subject) => active.includes(alarmKey(faultClass, subject)),
    lastFailoverCount,
  })
    .filter((condition) => condition.holds === true)
    .map((condition) => alarmKey(condition.faultClass, condition.subject))
    .sort();
}

describe('rule conditions at their thresholds', () => {
  test.each<[string, Record<string, TelemetryValue | number | boolean>, string[]]>([
    ['healthy station', {}, []],
    ['pump trip', { 'pump[1].fault': true, 'pump[1].running': false }, ['pump_trip|pump[1]']],
    [
      'failover: pump 1 tripped, standby running',
      { 'pump[1].fault': true, 'pump[1].running': false, 'pump[2].running': true },
      ['pump_trip|pump[1]', 'redundancy_lost|'],
    ],
    [
      'both pumps down',
      { 'pump[1].fault': true, 'pump[1].running': false, 'pump[2].fault': true },
      ['all_pumps_down|', 'pump_trip|pump[1]', 'pump_trip|pump[2]'],
    ],
    // Imbalance and under-voltage hold too; the engine suppresses them by their cause.
    [
      'phase loss on L2',
      { 'supply.voltage_l2': 20 },
      ['phase_loss|', 'under_voltage|', 'voltage_imbalance|'],
    ],
    [
      'loss of mains',
      { 'supply.voltage_l1': 0, 'supply.voltage_l2': 0, 'supply.voltage_l3': 0 },
      ['mains_loss|', 'under_voltage|'],
    ],
    [
      'under-voltage just below 342 V',
      { 'supply.voltage_l1': 341.9 },
      ['under_voltage|', 'voltage_imbalance|'],
    ],
    [
      '342 V exactly is not under-voltage',
      { 'supply.voltage_l1': 342, 'supply.voltage_l2': 342, 'supply.voltage_l3': 342 },
      [],
    ],
    [
      'over-voltage above 418 V',
      { 'supply.voltage_l1': 418.1, 'supply.voltage_l2': 418.1, 'supply.voltage_l3': 418.1 },
      ['over_voltage|'],
    ],
    ['imbalance 1.3 %', { 'supply.voltage_l1': 375, 'supply.voltage_l2': 385, 'supply.voltage_l3': 380 }, []],
    [
      'imbalance above 2 %',
      { 'supply.voltage_l1': 370, 'supply.voltage_l2': 396, 'supply.voltage_l3': 380 },
      ['voltage_imbalance|'],
    ],
    ['overcurrent 40.1 A', { 'pump[1].current_l1': 40.1 }, ['overcurrent|pump[1]']],
    ['40 A is not overcurrent', { 'pump[1].current_l1': 40 }, []],
    ['grounding fault bit', { 'grounding.fault': true }, ['grounding_fault|']],
    ['leakage above 30 mA', { 'insulation.leakage_current': 31 }, ['grounding_fault|']],
    ['insulation 1.5 MOhm: warning', { 'insulation.resistance': 1.5 }, ['insulation_warning|']],
    [
      'insulation 0.8 MOhm: alarm and warning',
      { 'insulation.resistance': 0.8 },
      ['insulation_low|', 'insulation_warning|'],
    ],
    ['outlet pressure 1.9 bar', { 'pressure.outlet': 1.9 }, ['outlet_pressure_low|']],
    ['tank 0.4 m', { 'tank.level': 0.4 }, ['tank_low|']],
    ['tank 0.1 m with a pump running: dry run', { 'tank.level': 0.1 }, ['dry_run|', 'tank_low|']],
    ['tank 0.1 m, no pump running', { 'tank.level': 0.1, 'pump[1].running': false }, ['tank_low|']],
    ['winding 121 degC', { 'pump[1].winding_temperature': 121 }, ['motor_overtemperature|pump[1]']],
    ['vibration 3.0 mm/s: zone C', { 'pump[1].bearing_vibration': 3 }, ['vibration_zone_c|pump[1]']],
    [
      'vibration 5 mm/s: zone D',
      { 'pump[1].bearing_vibration': 5 },
      ['vibration_zone_c|pump[1]', 'vibration_zone_d|pump[1]'],
    ],
    [
      'frozen pressure sensor',
      { 'pressure.outlet': { v: 1, q: 'frozen' } },
      ['sensor_stuck|pressure.outlet'],
    ],
    ['out of range tank', { 'tank.level': { v: 11, q: 'out_of_range' } }, ['sensor_out_of_range|tank.level']],
    ['stale values are still used', { 'pressure.outlet': { v: 1.5, q: 'stale' } }, ['outlet_pressure_low|']],
  ])('%s', (_name, overrides, expected) => {
    expect(holding(readings(overrides))).toEqual(expected.sort());
  });

  test('220 V single-phase site: under-voltage against its own nominal', () => {
    const thresholds = resolveThresholds({ nominalVoltage: 220 });
    const conditions = evaluateConditions({
      readings: {
        values: { 'supply.voltage_l1': good(195) },
        state: 'ok',
        stale: false,
        edgeOnline: true,
      },
      thresholds,
      isActive: () => false,
      lastFailoverCount: undefined,
    });
    const holds = (faultClass: FaultClass) => conditions.find((c) => c.faultClass === faultClass)?.holds;
    expect([
      holds('under_voltage'),
      holds('phase_loss'),
      holds('voltage_imbalance'),
      holds('mains_loss'),
    ]).toEqual([true, false, false, false]);
  });

  test.each<[string, Record<string, unknown>, number, string[]]>([
    ['group 2 rigid (the default), 4.6 mm/s', {}, 4.6, ['vibration_zone_c', 'vibration_zone_d']],
    ['group 2 flexible, 4.6 mm/s', { machineClass: 'group2_flexible' }, 4.6, ['vibration_zone_c']],
    ['group 1 flexible, 8 mm/s', { machineClass: 'group1_flexible' }, 8, ['vibration_zone_c']],
    [
      'group 1 flexible, 11.1 mm/s (above the boundary)',
      { machineClass: 'group1_flexible' },
      11.1,
      ['vibration_zone_c', 'vibration_zone_d'],
    ],
    ['group 1 flexible, 6.9 mm/s', { machineClass: 'group1_flexible' }, 6.9, []],
    [
      'group 1 flexible with zone D set at 9 mm/s',
      { machineClass: 'group1_flexible', vibrationZoneDmmS: 9 },
      9.5,
      ['vibration_zone_c', 'vibration_zone_d'],
    ],
  ])("the site's machine class sets the vibration zones: %s", (_name, stored, mmS, expected) => {
    const conditions = evaluateConditions({
      readings: readings({ 'pump[1].bearing_vibration': mmS }),
      thresholds: resolveThresholds(stored),
      isActive: () => false,
      lastFailoverCount: undefined,
    });
    expect(
      conditions
        .filter((c) => c.holds === true && c.faultClass.startsWith('vibration'))
        .map((c) => c.faultClass),
    ).toEqual(expected);
  });

  test('thresholds refuse an unknown machine class and zone C above zone D', () => {
    expect(() => resolveThresholds({ machineClass: 'group3' })).toThrow(/machineClass/);
    expect(() => resolveThresholds({ vibrationZoneCmmS: 5 })).toThrow(/zone C must start below zone D/);
    expect(
      resolveThresholds({ machineClass: 'group1_flexible', vibrationZoneCmmS: 5 }).vibrationZoneCmmS,
    ).toBe(5);
  });

  test.each<[string, number, string[], boolean]>([
    ['pressure low active, 2.1 bar is inside the band: still holds', 2.1, ['outlet_pressure_low|'], true],
    ['pressure low active, 2.2 bar is at the band edge: clears', 2.2, ['outlet_pressure_low|'], false],
    ['pressure low not active, 2.1 bar does not raise', 2.1, [], false],
  ])('hysteresis: %s', (_name, pressure, active, expected) => {
    expect(holding(readings({ 'pressure.outlet': pressure }), active).includes('outlet_pressure_low|')).toBe(
      expected,
    );
  });

  test.each<[string, number, number | undefined, boolean]>([
    ['failover counter incremented', 5, 4, true],
    ['counter unchanged', 4, 4, false],
    ['first reading: nothing to compare', 4, undefined, false],
  ])('failover counter: %s', (_name, count, last, expected) => {
    expect(
      holding(readings({ 'station.failover_count': count }), [], last).includes('redundancy_lost|'),
    ).toBe(expected);
  });

  test.each<[string, Partial<StationReadings>, string]>([
    ['edge offline', { edgeOnline: false }, 'edge_offline|'],
    ['station comms failed', { state: 'comms_failed' }, 'comms_lost|'],
    ['telemetry too old', { stale: true }, 'comms_lost|'],
  ])('comms: %s', (_name, extra, expected) => {
    expect(holding(readings({}, extra))).toContain(expected);
  });
});

describe('on-delay, off-delay and clock jumps', () => {
  test.each<
    [
      string,
      { active: boolean; since: number | null },
      boolean,
      number,
      { active: boolean; since: number | null },
      boolean,
    ]
  >([
    [
      'condition starts: on-delay begins',
      { active: false, since: null },
      true,
      1000,
      { active: false, since: 1000 },
      false,
    ],
    [
      'on-delay not yet over',
      { active: false, since: 1000 },
      true,
      5999,
      { active: false, since: 1000 },
      false,
    ],
    [
      'on-delay over at exactly 5 s',
      { active: false, since: 1000 },
      true,
      6000,
      { active: true, since: null },
      true,
    ],
    [
      'condition gone during on-delay: reset',
      { active: false, since: 1000 },
      false,
      3000,
      { active: false, since: null },
      false,
    ],
    [
      'condition returns while active: off-delay reset',
      { active: true, since: 2000 },
      true,
      3000,
      { active: true, since: null },
      false,
    ],
    [
      'off-delay begins',
      { active: true, since: null },
      false,
      10_000,
      { active: true, since: 10_000 },
      false,
    ],
    [
      'off-delay over',
      { active: true, since: 10_000 },
      false,
      12_000,
      { active: true, since: 10_000 },
      false,
    ],
    [
      'off-delay over at 15 s',
      { active: true, since: 10_000 },
      false,
      15_000,
      { active: false, since: null },
      true,
    ],
    [
      'clock jumped back: delay restarts',
      { active: false, since: 10_000 },
      true,
      4000,
      { active: false, since: 4000 },
      false,
    ],
    [
      'clock jumped forward an hour: fires once',
      { active: false, since: 1000 },
      true,
      3_601_000,
      { active: true, since: null },
      true,
    ],
  ])('%s', (_name, state, holds, now, expected, fire) => {
    expect(stepRule(state, holds, now, 5000, 5000)).toEqual({ state: expected, fire });
  });
});

describe('station evaluation: delays, flapping and suppression by cause', () => {
  const t0 = 1_700_000_000_000;
  const run = (steps: [number, StationReadings][], memory: StationMemory = emptyMemory()) => {
    const changes: string[] = [];
    for (const [offset, r] of steps) {
      const result = evaluateStation({
        readings: r,
        thresholds: DEFAULT_THRESHOLDS,
        memory,
        now: t0 + offset,
      });
      memory = result.memory;
      for (const t of result.transitions) changes.push(`${offset}:${t.change}:${t.faultClass}|${t.subject}`);
    }
    return { changes, memory };
  };

  test('pressure hovering around 2.0 bar does not flap', () => {
    const values = [1.9, 1.9, 1.9, 1.9, 2.05, 1.95, 2.1, 1.9, 1.99, 2.15, 1.9, 2.1, 2.1];
    const steps = values.map((p, i): [number, StationReadings] => [
      i * 10_000,
      readings({ 'pressure.outlet': p }),
    ]);
    // on-delay 30 s: raised at 30 s, then 2.05..2.15 stays inside the 0.2 bar band: never clears.
    expect(run(steps).changes).toEqual(['30000:raised:outlet_pressure_low|']);
  });

  test('short dips below 2.0 bar shorter than the on-delay raise nothing', () => {
    const values = [1.9, 2.05, 1.95, 2.1, 1.9, 1.99, 2.15, 1.9];
    const steps = values.map((p, i): [number, StationReadings] => [
      i * 10_000,
      readings({ 'pressure.outlet': p }),
    ]);
    expect(run(steps).changes).toEqual([]);
  });

  test('pressure recovers past the band for the off-delay: clears once', () => {
    const steps: [number, StationReadings][] = [
      [0, readings({ 'pressure.outlet': 1.5 })],
      [30_000, readings({ 'pressure.outlet': 1.5 })],
      [31_000, readings({ 'pressure.outlet': 3 })],
      [40_000, readings({ 'pressure.outlet': 3 })],
      [41_000, readings({ 'pressure.outlet': 3 })],
    ];
    expect(run(steps).changes).toEqual([
      '30000:raised:outlet_pressure_low|',
      '41000:cleared:outlet_pressure_low|',
    ]);
  });

  test('station stops answering: one comms alarm, stale values raise nothing', () => {
    const lost = readings(
      { 'pressure.outlet': { v: 0.5, q: 'stale' }, 'pump[1].fault': true },
      { state: 'comms_failed' },
    );
    const { changes } = run([
      [0, lost],
      [60_000, lost],
    ]);
    expect(changes).toEqual(['0:raised:comms_lost|']);
  });

  test('edge offline: the edge alarm stands, not the station comms alarm', () => {
    const off = readings({}, { edgeOnline: false, stale: true });
    expect(run([[0, off]]).changes).toEqual(['0:raised:edge_offline|']);
  });

  test('loss of mains suppresses the under-voltage and trips it causes', () => {
    const dead = readings({
      'supply.voltage_l1': 0,
      'supply.voltage_l2': 0,
      'supply.voltage_l3': 0,
      'pump[1].fault': true,
      'pump[1].running': false,
    });
    const { changes } = run([
      [0, dead],
      [2_000, dead],
      [60_000, dead],
    ]);
    expect(changes).toEqual(['2000:raised:mains_loss|']);
  });

  test('a frozen sensor raises its alarm and clears once the value moves again; a failed read keeps it', () => {
    const frozen = readings({ 'pressure.outlet': { v: 3.5, q: 'frozen' } });
    const failed = readings({ 'pressure.outlet': { v: null, q: 'comms_failed' } });
    const { changes, memory } = run([
      [0, frozen],
      [1_000, failed],
      [2_000, readings()],
      [3_000, readings()],
    ]);
    expect(changes).toEqual([
      '0:raised:sensor_stuck|pressure.outlet',
      '2000:cleared:sensor_stuck|pressure.outlet',
    ]);
    expect(memory.alarms).toEqual({});
  });

  test('a sensor alarm whose on-delay stops holding starts its delay anew', () => {
    const rules = DEFAULT_RULES.map((rule) =>
      rule.faultClass === 'sensor_out_of_range' ? { ...rule, onDelayMs: 10_000 } : rule,
    );
    const outOfRange = readings({ 'tank.level': { v: 11, q: 'out_of_range' } });
    let memory = emptyMemory();
    const changes: string[] = [];
    for (const [offset, r] of [
      [0, outOfRange],
      [6_000, readings()],
      [9_000, outOfRange],
      [12_000, outOfRange],
      [19_000, outOfRange],
    ] as [number, StationReadings][]) {
      const result = evaluateStation({
        readings: r,
        thresholds: DEFAULT_THRESHOLDS,
        memory,
        now: t0 + offset,
        rules,
      });
      memory = result.memory;
      for (const t of result.transitions) changes.push(`${offset}:${t.change}:${t.faultClass}|${t.subject}`);
    }
    // Held from 0 to 6 s only; the delay restarts at 9 s and runs out at 19 s, not at 10 or 12 s.
    expect(changes).toEqual(['19000:raised:sensor_out_of_range|tank.level']);
  });

  test('a message that changes nothing leaves the memory as it was (no copy)', () => {
    const first = run([[0, readings({ 'pump[1].fault': true, 'pump[1].running': false })]]);
    const again = evaluateStation({
      readings: readings({ 'pump[1].fault': true, 'pump[1].running': false }),
      thresholds: DEFAULT_THRESHOLDS,
      memory: first.memory,
      now: t0 + 1_000,
    });
    expect(again.transitions).toEqual([]);
    expect(again.memory).toBe(first.memory);
  });

  test('shelved alarm raises nothing until the shelf is gone', () => {
    const trip = readings({ 'pump[1].fault': true, 'pump[1].running': false });
    const shelved = new Set([alarmKey('pump_trip', 'pump[1]')]);
    const first = evaluateStation({
      readings: trip,
      thresholds: DEFAULT_THRESHOLDS,
      memory: emptyMemory(),
      now: t0,
      shelved,
    });
    expect(first.transitions).toEqual([]);
    const after = evaluateStation({
      readings: trip,
      thresholds: DEFAULT_THRESHOLDS,
      memory: first.memory,
      now: t0 + 1,
    });
    expect(after.transitions.map((t) => t.faultClass)).toEqual(['pump_trip']);
  });

  test('every rule in the catalogue has a title, a severity and non-negative delays', () => {
    for (const rule of DEFAULT_RULES) {
      expect([rule.title.length > 0, rule.onDelayMs >= 0, rule.offDelayMs >= 0]).toEqual([true, true, true]);
    }
    expect(new Set(DEFAULT_RULES.map((rule) => rule.faultClass)).size).toBe(DEFAULT_RULES.length);
  });
});
