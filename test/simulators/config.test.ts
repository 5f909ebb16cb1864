import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_PROFILE,
  envLayer,
  readConfigFile,
  resolveSimulatorConfig,
} from '../../simulators/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-simconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulator options: flags > env > config file > defaults', () => {
  test('defaults', () => {
    expect(resolveSimulatorConfig({}, {})).toEqual({
      profile: DEFAULT_PROFILE,
      host: '127.0.0.1',
      port: 5020,
      unitIds: false,
      controlPort: 5019,
    });
  });

  test.each([
    [{ port: '6000' }, { AFTERCARE_SIM_PORT: '7000' }, { port: 8000 }, 'port', 6000],
    [{}, { AFTERCARE_SIM_PORT: '7000' }, { port: 8000 }, 'port', 7000],
    [{}, {}, { port: 8000 }, 'port', 8000],
    [{}, { AFTERCARE_SIM_SPEED: '60' }, { speed: 2 }, 'speed', 60],
    [{ stations: 'a, b ,c' }, {}, {}, 'stations', ['a', 'b', 'c']],
    [{}, {}, { stations: ['x', 'y'] }, 'stations', ['x', 'y']],
    [{}, { AFTERCARE_SIM_UNIT_IDS: 'true' }, {}, 'unitIds', true],
    [{ unitIds: true }, { AFTERCARE_SIM_UNIT_IDS: '0' }, {}, 'unitIds', true],
    [{}, { AFTERCARE_SIM_SEED: '' }, { seed: 4 }, 'seed', 4],
    [{ count: '1000' }, {}, {}, 'count', 1000],
    [{}, { AFTERCARE_SIM_UNITS_PER_PORT: '100' }, { unitsPerPort: 247 }, 'unitsPerPort', 100],
    [{}, {}, { tickMs: 1000 }, 'tickMs', 1000],
  ])('%j %j %j -> %s = %j', (flags, env, file, key, value) => {
    const config = resolveSimulatorConfig(flags, envLayer(env), file);
    expect(config[key as keyof typeof config]).toEqual(value);
  });

  test.each([
    [{ port: '70000' }, /port/],
    [{ speed: '-1' }, /speed/],
    [{ colour: 'red' }, /colour|Unrecognized/],
  ])('%j is refused with the option named', (flags, message) => {
    expect(() => resolveSimulatorConfig(flags, {}, {}, 'aftercare simulator')).toThrow(message);
  });

  test('a config file is read as YAML and a broken one is named', () => {
    const good = join(dir, 'sim.yaml');
    writeFileSync(good, 'port: 5100\nstations: [a, b]\n');
    expect(resolveSimulatorConfig({}, {}, readConfigFile(good)).port).toBe(5100);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- just\n- a list\n');
    expect(() => readConfigFile(bad)).toThrow(bad);
  });
});
