import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import {
  eventsBetween,
  loadScenario,
  parseDuration,
  ScenarioError,
  scenarioFor,
} from '../../simulators/scenario.ts';
import { StationRuntime } from '../../simulators/station-runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('parseDuration', () => {
  test.each([
    [90, 90],
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['3w', 1_814_400],
    ['500ms', 0.5],
    ['1.5h', 5400],
  ] as const)('%j -> %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  test.each(['', 'soon', '5 minutes', '-3s', '1x', 'm5'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('scenario files', () => {
  test.each(['demo', 'healthy', 'bearing-wear', 'recurring-trips', 'insulation-decay'])(
    'scenarios/%s.yaml loads',
    (name) => {
      const file = loadScenario(`scenarios/${name}.yaml`);
      expect(Object.keys(file.stations).length).toBeGreaterThan(0);
    },
  );

  test('the demo file tells three stories', () => {
    const demo = loadScenario('scenarios/demo.yaml');
    expect(scenarioFor(demo, 'st1')?.events).toEqual([]);
    expect(scenarioFor(demo, 'st2')?.events[0]).toMatchObject({ at: 0, fault: 'bearing_wear', pump: 1 });
    expect(scenarioFor(demo, 'st3')?.repeat).toBe(1800);
    expect(scenarioFor(demo, 'st9')).toBeUndefined();
  });

  test.each([
    [
      'unknown fault',
      'stations:\n  st1:\n    events: [{ at: 1m, fault: meteor }]\n',
      'stations.st1.events.0.fault',
    ],
    [
      'bad duration',
      'stations:\n  st1:\n    events: [{ at: soon, fault: pump_trip }]\n',
      '"soon" is not a duration',
    ],
    [
      'bad param',
      'stations:\n  st1:\n    events: [{ at: 0, fault: bearing_wear, params: { weeks: -2 } }]\n',
      'stations.st1.events.0.params.weeks',
    ],
    ['unknown key', 'seed: 1\ncolour: red\nstations: {}\n', 'colour'],
    [
      'at past repeat',
      'stations:\n  st1:\n    repeat: 10m\n    events: [{ at: 12m, fault: pump_trip }]\n',
      'not below repeat',
    ],
    ['not YAML', 'stations: [\n', 'not valid YAML'],
    ['no stations', 'seed: 3\n', 'field "stations"'],
  ])('%s: the error names the file and field', (_what, text, message) => {
    const file = write('broken.yaml', text);
    expect(() => loadScenario(file)).toThrow(ScenarioError);
    expect(() => loadScenario(file)).toThrow(file);
    expect(() => loadScenario(file)).toThrow(message);
  });

  test('a missing file says so', () => {
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(/cannot read the file/);
  });
});

describe('eventsBetween', () => {
  const once = { events: [{ at: 60, fault: 'pump_trip' as const, clear: false }] };
  const repeating = {
    repeat: 600,
    events: [
      { at: 100, fault: 'pump_trip' as const, clear: false },
      { at: 200, fault: 'pump_trip' as const, clear: true },
    ],
  };
  test.each([
    [once, 0, 59, []],
    [once, 0, 60, [60]],
    [once, 60, 1000, []],
    [repeating, 0, 1300, [100, 200, 700, 800, 1300]],
    [repeating, 100, 700, [200, 700]],
    [repeating, 86_400, 86_400 + 600, [86_500, 86_600]],
  ] as const)('%# window (%d, %d]', (scenario, from, to, times) => {
    expect(eventsBetween(scenario, from, to).map((d) => d.time)).toEqual(times);
  });
});

describe('a station replays its scenario', () => {
  const profile = loadProfile('profiles/booster-3p-380.yaml');
  const make = () =>
    new StationRuntime({
      id: 'st3',
      profile,
      seed: 9,
      startTime: Date.UTC(2024, 0, 1, 12),
      utcOffsetMinutes: 0,
      logger: silentLogger(),
      scenario: loadScenario('scenarios/recurring-trips.yaml').stations['*'],
    });

  test('recurring trips count one failover each, at their simulated times, the same on every run', () => {
    const a = make();
    const b = make();
    const counts: number[] = [];
    for (let minute = 1; minute <= 62; minute++) {
      a.advance(60);
      b.advance(60);
      counts.push(Number(a.readings()['station.failover_count']));
    }
    expect(counts[3]).toBe(0); // minute 4
    expect(counts[4]).toBe(1); // minute 5: the first trip
    expect(counts[24]).toBe(2); // minute 25
    expect(counts[61]).toBe(3); // minutes 5, 25 and 45 (repeat 20m)
    expect(a.readings()).toEqual(b.readings());
    expect(a.droppedEvents).toBe(0);
  });
});
