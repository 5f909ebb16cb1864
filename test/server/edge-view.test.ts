import { describe, expect, test } from 'vitest';
import { edgeConfigText } from '../../server/edges/edge-config-text.ts';
import type { EdgeWithStations } from '../../server/edges/edge-store.ts';
import { edgeView, type LiveStatus } from '../../server/edges/edge-view.ts';

const NOW = Date.now();
const row = (over: Partial<EdgeWithStations> = {}): EdgeWithStations => ({
  id: 'gw1',
  site_id: 'north',
  name: '',
  created_at: NOW - 86_400_000,
  secret_hash: 'scrypt$x',
  credential_version: 1,
  revoked_at: null,
  last_seen_at: null,
  version: null,
  retired_at: null,
  stations: ['n1'],
  ...over,
});
const online: LiveStatus = { online: true, receivedAt: NOW - 5000, version: '0.1.0' };
const will: LiveStatus = { online: false, receivedAt: NOW - 1000 };

describe('edge state, last seen and version', () => {
  test.each<
    [
      string,
      EdgeWithStations,
      LiveStatus | undefined,
      { at: number; version: string } | undefined,
      string,
      number | null,
    ]
  >([
    ['never heard of', row(), undefined, undefined, 'never_connected', null],
    ['online by its status', row(), online, undefined, 'online', NOW - 5000],
    [
      'telemetry seen later than the status',
      row(),
      online,
      { at: NOW - 100, version: '0.1.0' },
      'online',
      NOW - 100,
    ],
    [
      'its last will: offline, seen when stored',
      row({ last_seen_at: NOW - 60_000 }),
      will,
      undefined,
      'offline',
      NOW - 60_000,
    ],
    ['a will alone is no sighting', row(), will, undefined, 'never_connected', null],
    ['revoked wins over online', row({ revoked_at: NOW - 10 }), online, undefined, 'revoked', NOW - 5000],
    ['retired shows as revoked', row({ retired_at: NOW - 10 }), undefined, undefined, 'revoked', null],
  ])('%s', (_name, edge, live, sighting, state, lastSeenAt) => {
    const view = edgeView(edge, live, sighting ? { site: 'north', ...sighting } : undefined);
    expect(view.state).toBe(state);
    expect(view.lastSeenAt).toBe(lastSeenAt);
    expect(view.username).toBe('edge-gw1');
  });

  test('the version: the newest report wins over the stored one', () => {
    expect(edgeView(row({ version: '0.0.9' }), undefined, undefined).version).toBe('0.0.9');
    expect(edgeView(row({ version: '0.0.9' }), online, undefined).version).toBe('0.1.0');
    expect(edgeView(row(), online, { site: 'north', at: NOW, version: '0.2.0' }).version).toBe('0.2.0');
  });
});

describe('the generated edge config', () => {
  const base = {
    edgeId: 'gw1',
    site: 'north',
    username: 'edge-gw1',
    mqttUrl: 'mqtt://b:1883',
    profilesDir: '/opt/aftercare/profiles',
    at: NOW,
  };
  test.each([
    [
      'tcp with defaults written out',
      { tcp: { host: 'plc1', port: 502 } },
      'tcp:\n      host: plc1\n      port: 502\n      unitId: 1',
    ],
    [
      'rtu with the fleet defaults',
      { rtu: { path: '/dev/ttyUSB0', baudRate: 9600, unitId: 4 } },
      'rtu:\n      path: /dev/ttyUSB0\n      baudRate: 9600\n      parity: none\n      dataBits: 8\n      stopBits: 1\n      unitId: 4',
    ],
  ] as const)('%s', (_name, endpoint, expected) => {
    const config = edgeConfigText({
      ...base,
      stations: [{ id: 'n1', profile: 'booster-3p-380', endpoint: endpoint as never }],
    });
    expect(config.ready).toBe(true);
    expect(config.text).toContain(expected);
    expect(config.text).toContain('profile: /opt/aftercare/profiles/booster-3p-380.yaml');
  });

  test('stations without a profile or an endpoint are left out and named; none left: not ready', () => {
    const config = edgeConfigText({
      ...base,
      stations: [
        { id: 'n1', profile: '', endpoint: { tcp: { host: 'a', port: 502, unitId: 1 } } },
        { id: 'n2', profile: 'booster-3p-380', endpoint: null },
      ],
    });
    expect(config.skipped).toEqual([
      { station: 'n1', reason: 'no_profile' },
      { station: 'n2', reason: 'no_endpoint' },
    ]);
    expect(config.ready).toBe(false);
    expect(config.text).toContain('stations: []');
  });
});
