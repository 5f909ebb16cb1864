import { describe, expect, test } from 'vitest';
import type { CommandRequest } from '../../core/commands/payloads.ts';
import { confirms, resolveCommand } from '../../core/profile/command-schema.ts';
import { loadProfile, ProfileError, parseProfile } from '../../core/profile/load.ts';
import { decideCommand } from '../../server/commands/command-decision.ts';
import type { StationLatest } from '../../server/ingest/latest-values.ts';
import { resetTrip, runCommand, switchDuty } from '../../simulators/model/commands.ts';
import { injectFault } from '../../simulators/model/inject.ts';
import { readings } from '../../simulators/model/readings.ts';
import { createStationState } from '../../simulators/model/step.ts';

const demo = loadProfile('profiles/booster-3p-380.yaml');

const base = {
  model: 'cmd',
  nominalVoltage: 380,
  phases: 3,
  pumps: 2,
  tags: [
    { name: 'p1_running', area: 'discrete', address: 0, type: 'bool', meaning: 'pump[1].running' },
    { name: 'p2_running', area: 'discrete', address: 1, type: 'bool', meaning: 'pump[2].running' },
    {
      name: 'p1_run',
      area: 'coil',
      address: 0,
      type: 'bool',
      meaning: 'pump[1].run_command',
      writable: true,
    },
    {
      name: 'p2_run',
      area: 'coil',
      address: 1,
      type: 'bool',
      meaning: 'pump[2].run_command',
      writable: true,
    },
    {
      name: 'sp',
      area: 'holding',
      address: 0,
      type: 'uint16',
      scale: 0.01,
      meaning: 'pressure.setpoint',
      range: { min: 0, max: 10 },
      writable: true,
    },
    { name: 'outlet', area: 'input', address: 0, type: 'uint16', scale: 0.01, meaning: 'pressure.outlet' },
  ],
};
const start = {
  write: { meaning: 'pump[n].run_command', value: true },
  readBack: { meaning: 'pump[n].running', equals: true },
};
const setPressure = {
  write: { meaning: 'pressure.setpoint', value: 'value' },
  readBack: { meaning: 'pressure.setpoint', equals: 'value' },
};

const problems = (commands: unknown): string => {
  try {
    parseProfile({ ...base, commands }, 'cmd.yaml');
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as Error).message;
  }
};

describe('a profile commands section', () => {
  test.each<[string, unknown, RegExp | '']>([
    ['none', undefined, ''],
    ['start per pump', { start_pump: start }, ''],
    ['set point from the command', { set_pressure: setPressure }, ''],
    [
      'read-back tag missing',
      { set_pressure: { ...setPressure, readBack: { meaning: 'pressure.inlet', equals: 'value' } } },
      /no tag means "pressure.inlet"/,
    ],
    [
      'write tag not writable',
      { start_pump: { ...start, write: { meaning: 'pump[n].running', value: true } } },
      /not writable/,
    ],
    [
      'a number to a coil',
      { start_pump: { ...start, write: { meaning: 'pump[n].run_command', value: 1 } } },
      /is bool/,
    ],
    [
      'value for a pump command',
      { start_pump: { ...start, write: { meaning: 'pump[n].run_command', value: 'value' } } },
      /carries no value/,
    ],
    [
      'pump[n] in a station command',
      { set_pressure: { ...setPressure, write: { meaning: 'pump[n].run_command', value: 'value' } } },
      /names no pump/,
    ],
    ['unknown command', { open_valve: start }, /open_valve/],
    ['unknown field', { start_pump: { ...start, force: true } }, /force/],
  ])('%s', (_name, commands, expected) => {
    const message = problems(commands);
    if (expected === '') expect(message).toBe('');
    else expect(message).toMatch(expected);
  });

  test('the demo profile takes all five commands', () => {
    expect(Object.keys(demo.commands).sort()).toEqual(
      ['reset_trip', 'set_pressure', 'start_pump', 'stop_pump', 'switch_duty'].sort(),
    );
  });
});

describe('resolveCommand on the demo profile', () => {
  test.each<[string, CommandRequest['command'], number | undefined, number | undefined, string]>([
    ['reset pump 2', 'reset_trip', 2, undefined, 'p2_reset=true -> p2_fault==false'],
    ['duty to pump 3', 'switch_duty', 3, undefined, 'duty_pump=3 -> p3_duty==true'],
    [
      'set point 4.25 bar',
      'set_pressure',
      undefined,
      4.25,
      'pressure_setpoint=4.25 -> pressure_setpoint==4.25',
    ],
    ['start pump 3', 'start_pump', 3, undefined, 'p3_run_command=true -> p3_running==true'],
    ['stop pump 1', 'stop_pump', 1, undefined, 'p1_run_command=false -> p1_running==false'],
    ['pump 4 of 3', 'reset_trip', 4, undefined, 'refused no_pump'],
    ['set point past the range', 'set_pressure', undefined, 16.5, 'refused bad_value'],
    ['negative set point', 'set_pressure', undefined, -1, 'refused bad_value'],
  ])('%s', (_name, kind, pump, value, expected) => {
    const r = resolveCommand(demo, kind, pump, value);
    const text =
      'refused' in r
        ? `refused ${r.refused}`
        : `${r.write.tag.name}=${r.write.value} -> ${r.readBack.tag.name}==${r.readBack.equals}`;
    expect(text).toBe(expected);
  });

  test('a profile without the command refuses it as unsupported', () => {
    const plain = parseProfile(base, 'plain.yaml');
    expect(resolveCommand(plain, 'reset_trip', 1)).toMatchObject({ refused: 'unsupported' });
  });

  test.each<[number | boolean | null, number | boolean, number, boolean]>([
    [false, false, 0, true],
    [true, false, 0, false],
    [4.25, 4.25, 0.005, true],
    [4.24, 4.25, 0.005, false],
    [4.2549, 4.25, 0.005, true],
    [null, false, 0, false],
  ])('read %s against %s (tolerance %s) confirms: %s', (read, equals, tolerance, ok) => {
    expect(confirms(read, { tag: demo.tags[0]!, equals, tolerance, withinMs: 0 })).toBe(ok);
  });
});

const NOW = 1_800_000_000_000;
function latest(running: boolean[], change: Partial<StationLatest> = {}): StationLatest {
  const values: StationLatest['values'] = {};
  running.forEach((on, i) => {
    values[`pump[${i + 1}].running`] = { v: on, q: 'good' };
  });
  return {
    site: 'demo',
    station: 'st1',
    edge: 'edge-1',
    model: demo.model,
    state: 'ok',
    seq: 1,
    ts: NOW,
    receivedAt: NOW - 1000,
    values,
    valueTs: Object.fromEntries(Object.keys(values).map((meaning) => [meaning, NOW])),
    ...change,
  };
}

describe('decideCommand', () => {
  const situation = {
    latest: latest([true, false, false]),
    edgeOnline: true,
    profile: demo,
    brokerConnected: true,
    now: NOW,
    offlineAfterMs: 30_000,
  };
  test.each<[string, Partial<typeof situation>, CommandRequest, string]>([
    ['reset when online', {}, { command: 'reset_trip', pump: 2 }, 'send'],
    ['never published', { latest: undefined }, { command: 'reset_trip', pump: 2 }, 'offline 409'],
    [
      'comms failed',
      { latest: latest([true], { state: 'comms_failed' }) },
      { command: 'reset_trip', pump: 2 },
      'offline 409',
    ],
    ['edge offline', { edgeOnline: false }, { command: 'reset_trip', pump: 2 }, 'offline 409'],
    [
      'silent 31 s',
      { latest: latest([true], { receivedAt: NOW - 31_000 }) },
      { command: 'reset_trip', pump: 2 },
      'offline 409',
    ],
    [
      'silent 29 s',
      { latest: latest([true], { receivedAt: NOW - 29_000 }) },
      { command: 'reset_trip', pump: 2 },
      'send',
    ],
    ['no profile', { profile: undefined }, { command: 'reset_trip', pump: 2 }, 'unsupported 409'],
    ['pump 5', {}, { command: 'reset_trip', pump: 5 }, 'no_pump 400'],
    ['stop the only running pump', {}, { command: 'stop_pump', pump: 1 }, 'last_running_pump 409'],
    ['... confirmed twice', {}, { command: 'stop_pump', pump: 1, confirmLastPump: true }, 'send'],
    [
      'stop one of two running',
      { latest: latest([true, true, false]) },
      { command: 'stop_pump', pump: 1 },
      'send',
    ],
    ['stop a pump that stands', {}, { command: 'stop_pump', pump: 2 }, 'send'],
    [
      'a stale running bit counts as running',
      {
        latest: latest([true, true, false], {
          values: {
            'pump[1].running': { v: true, q: 'good' },
            'pump[2].running': { v: false, q: 'stale' },
          },
        }),
      },
      { command: 'stop_pump', pump: 1 },
      'send',
    ],
    ['broker away', { brokerConnected: false }, { command: 'reset_trip', pump: 2 }, 'no_broker 409'],
  ])('%s', (_name, change, request, expected) => {
    const d = decideCommand({ ...situation, ...change, request });
    expect(d.send ? 'send' : `${d.code} ${d.status}`).toBe(expected);
  });
});

describe('the simulated controller acts on commands', () => {
  const fresh = () => createStationState({ seed: 7, pumps: 3, nominalVoltage: 380, phases: 3 });
  test('a reset brings a tripped pump back once its trip is latched only', () => {
    const s = fresh();
    injectFault(s, { fault: 'pump_trip', pump: 1 });
    expect(readings(s)['pump[1].fault']).toBe(true);
    resetTrip(s, 1);
    expect(readings(s)['pump[1].fault']).toBe(false);
  });
  test('a reset leaves a trip whose cause stands (a grounding fault on the pump)', () => {
    const s = fresh();
    injectFault(s, { fault: 'grounding_fault', pump: 2 });
    resetTrip(s, 2);
    expect(readings(s)['pump[2].fault']).toBe(true);
  });
  test('switching duty moves the running pump', () => {
    const s = fresh();
    switchDuty(s, 2);
    const r = readings(s);
    expect([r['pump[2].duty'], r['station.duty_pump'], r['pump[2].running'], r['pump[1].duty']]).toEqual([
      true,
      2,
      true,
      false,
    ]);
  });
  test('start and stop by hand; a tripped pump cannot start', () => {
    const s = fresh();
    runCommand(s, 3, true);
    expect(readings(s)['pump[3].running']).toBe(true);
    runCommand(s, 1, false);
    expect(readings(s)['pump[1].running']).toBe(false);
    injectFault(s, { fault: 'pump_trip', pump: 2 });
    expect(() => runCommand(s, 2, true)).toThrow(/tripped/);
    expect(() => switchDuty(s, 9)).toThrow(/does not exist/);
  });
});
