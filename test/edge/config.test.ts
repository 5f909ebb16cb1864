import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadProfile } from '../../core/profile/load.ts';
import {
  defaultMaxInFlight,
  EdgeConfigError,
  loadEdgeConfig,
  parseEdgeConfig,
  stationSettings,
} from '../../edge/config.ts';

const PROFILE = resolve('profiles/booster-3p-380.yaml');
const dir = mkdtempSync(join(tmpdir(), 'aftercare-edge-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function base(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    edgeId: 'edge-1',
    site: 'plant-a',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    stations: [{ id: 'st1', profile: PROFILE, tcp: { host: '127.0.0.1', port: 5020 } }],
    ...overrides,
  };
}

describe('edge config defaults', () => {
  test('fills poll classes, modbus and quality defaults', () => {
    const config = parseEdgeConfig(base());
    expect(config.pollClasses).toEqual({ fast: 1000, slow: 10_000 });
    expect(config.modbus).toEqual({
      timeoutMs: 500,
      retries: 1,
      backoffMs: 250,
      maxBackoffMs: 10_000,
      maxRegisterGap: 32,
      maxBitGap: 256,
    });
    expect(config.quality).toEqual({
      staleAfterIntervals: 3,
      frozenAfter: 30,
      frozenAfterMs: 60_000,
      commsLossCycles: 1,
    });
    expect(config.stations[0]?.tcp).toEqual({
      host: '127.0.0.1',
      port: 5020,
      unitId: 1,
      maxConcurrentRequests: 1,
      shareConnection: false,
    });
    expect(config.stations[0]?.profile.model).toBe('booster-3p-380');
  });

  test('the PUBACK window defaults to two seconds of the plan, at least 200, unless configured', () => {
    const fleet = (count: number, extra: Record<string, unknown> = {}) =>
      parseEdgeConfig(
        base({
          ...extra,
          stations: Array.from({ length: count }, (_, i) => ({
            id: `st${i + 1}`,
            profile: PROFILE,
            tcp: { host: '127.0.0.1', port: 5020, unitId: (i % 247) + 1 },
            ...(i === 0 ? { pollClasses: { fast: 250 } } : {}),
          })),
        }),
      );
    expect(defaultMaxInFlight(fleet(3))).toBe(200);
    // 999 stations a second at 1 s and one at 4 a second (250 ms): 1,003 messages a second.
    expect(defaultMaxInFlight(fleet(1000))).toBe(2006);
    // At a 5 s poll: 999 x 0.2 + 4 = 203.8 a second.
    expect(defaultMaxInFlight(fleet(1000, { pollClasses: { fast: 5000 } }))).toBe(408);
    expect(fleet(3, { spool: { maxInFlight: 50 } }).spool.maxInFlight).toBe(50);
    expect(fleet(3).spool.maxInFlight).toBeUndefined();
  });

  test('station overrides win over edge defaults', () => {
    const config = parseEdgeConfig(
      base({
        pollClasses: { fast: 2000 },
        stations: [
          {
            id: 'st1',
            profile: PROFILE,
            tcp: { host: '127.0.0.1', port: 5020 },
            pollClasses: { slow: 60_000 },
            timeoutMs: 300,
            maxRegisterGap: 0,
          },
        ],
      }),
    );
    const settings = stationSettings(config, config.stations[0]!);
    expect(settings).toMatchObject({
      intervals: { fast: 2000, slow: 60_000 },
      timeoutMs: 300,
      retries: 1,
      maxRegisterGap: 0,
    });
  });

  test('accepts a preloaded profile object (programmatic use)', () => {
    const profile = loadProfile(PROFILE);
    const config = parseEdgeConfig(
      base({ stations: [{ id: 'st1', profile, rtu: { path: '/dev/ttyUSB0', unitId: 3 } }] }),
    );
    expect(config.stations[0]?.profile.tags.length).toBe(profile.tags.length);
    expect(config.stations[0]?.rtu).toEqual({
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      parity: 'even',
      dataBits: 8,
      stopBits: 1,
      unitId: 3,
    });
  });
});

describe('edge config errors name the field and value', () => {
  const tcp = { host: '127.0.0.1', port: 5020 };
  test.each([
    ['missing site', base({ site: undefined }), 'field "site"'],
    ['bad mqtt url', base({ mqtt: { url: 'http://x' } }), 'field "mqtt.url"'],
    ['zero interval', base({ pollClasses: { fast: 0 } }), 'field "pollClasses.fast"'],
    [
      'tcp and rtu',
      base({ stations: [{ id: 's', profile: PROFILE, tcp, rtu: { path: '/dev/x', unitId: 1 } }] }),
      'exactly one of tcp or rtu',
    ],
    ['neither tcp nor rtu', base({ stations: [{ id: 's', profile: PROFILE }] }), 'exactly one of tcp or rtu'],
    [
      'duplicate station ids',
      base({
        stations: [
          { id: 's', profile: PROFILE, tcp },
          { id: 's', profile: PROFILE, tcp },
        ],
      }),
      'field "stations.1.id": duplicate of stations[0]',
    ],
    [
      'same unit twice on a line',
      base({
        stations: [
          { id: 'a', profile: PROFILE, rtu: { path: '/dev/x', unitId: 2 } },
          { id: 'b', profile: PROFILE, rtu: { path: '/dev/x', unitId: 2 } },
        ],
      }),
      'unit 2 on /dev/x is already stations[0]',
    ],
    [
      'different baud rates on one line',
      base({
        stations: [
          { id: 'a', profile: PROFILE, rtu: { path: '/dev/x', unitId: 1 } },
          { id: 'b', profile: PROFILE, rtu: { path: '/dev/x', unitId: 2, baudRate: 19200 } },
        ],
      }),
      'line settings differ',
    ],
    [
      'missing profile file',
      base({ stations: [{ id: 's', profile: 'nope.yaml', tcp }] }),
      'field "stations.0.profile"',
    ],
    [
      'bad port value',
      base({ stations: [{ id: 's', profile: PROFILE, tcp: { host: 'h', port: 70000 } }] }),
      '(got 70000)',
    ],
    ['unknown field', base({ colour: 'red' }), 'colour'],
  ])('%s', (_name, data, message) => {
    expect(() => parseEdgeConfig(data, { source: 'edge.yaml' })).toThrow(EdgeConfigError);
    expect(() => parseEdgeConfig(data, { source: 'edge.yaml' })).toThrow(message);
  });

  test('a password is never echoed in an error', () => {
    expect(() => parseEdgeConfig(base({ mqtt: { url: 'mqtt://h', password: 12345 } }))).toThrow(
      /field "mqtt.password": [^\n]*$/m,
    );
    try {
      parseEdgeConfig(base({ mqtt: { url: 'mqtt://h', password: 12345 } }));
    } catch (error) {
      expect((error as Error).message).not.toContain('12345');
    }
  });
});

describe('loadEdgeConfig', () => {
  test('resolves profile paths relative to the config file', () => {
    const file = join(dir, 'edge.yaml');
    writeFileSync(
      file,
      [
        'edgeId: edge-1',
        'site: plant-a',
        'mqtt: { url: "mqtt://127.0.0.1:1883" }',
        'stations:',
        `  - { id: st1, profile: ${relative(dir, PROFILE)}, tcp: { host: 127.0.0.1, port: 5020 } }`,
      ].join('\n'),
    );
    expect(loadEdgeConfig(file).stations[0]?.profile.model).toBe('booster-3p-380');
  });

  test('names the file when the YAML is broken', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'edgeId: [unclosed');
    expect(() => loadEdgeConfig(file)).toThrow(`${file}: invalid edge config`);
  });

  test('names the file and field when a station is wrong', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'edgeId: e\nsite: s\nmqtt: { url: "mqtt://h" }\nstations: []\n');
    expect(() => loadEdgeConfig(file)).toThrow(/bad\.yaml: invalid edge config\n {2}field "stations"/);
  });
});

test('the example config in the repository is valid', () => {
  const config = loadEdgeConfig('edge.example.yaml');
  expect(config.stations.map((s) => s.id)).toEqual(['st1', 'st2', 'st3']);
  expect(stationSettings(config, config.stations[1]!).intervals).toEqual({ fast: 2000, slow: 10_000 });
});
