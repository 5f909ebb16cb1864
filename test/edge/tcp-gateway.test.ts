import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { type Telemetry, telemetrySchema } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { parseEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

/**
 * Stations behind one Modbus TCP gateway (the simulator serving them by unit id on one port) with
 * `tcp.shareConnection`: one TCP connection carries every unit's requests, and a unit that stops
 * answering neither drops it nor delays the others.
 */
const SITE = 'gw-site';
const EDGE = 'edge-gw';
const FAST_MS = 500;
const STATIONS = ['gw1', 'gw2', 'gw3'];
const profile = loadProfile('profiles/booster-3p-380.yaml');

let broker: RunningMosquitto;
let sim: RunningSimulator;
let edge: RunningEdge;
let capture: Awaited<ReturnType<typeof captureMqtt>>;

const telemetry = (station: string, after = 0) =>
  capture.on(topics.telemetry(SITE, station)).filter((m) => m.at >= after);

/** The local ports of the established IPv4 connections to `port` on this machine (the kernel's table). */
function connectionsTo(port: number): number[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[2]!.endsWith(`:${hex}`) && f[3] === '01')
    .map((f) => Number.parseInt(f[1]!.split(':')[1]!, 16));
}

const modbus = { timeoutMs: 150, retries: 1, backoffMs: 50, maxBackoffMs: 1000 };
const gatewayStations = (port: number, extra: Record<string, unknown> = {}) =>
  STATIONS.map((id, i) => ({
    id,
    profile,
    tcp: { host: '127.0.0.1', port, unitId: i + 1, shareConnection: true },
    ...(i === 2 ? extra : {}),
  }));

beforeAll(async () => {
  broker = await startMosquitto();
  sim = await startSimulator({
    profile,
    stations: STATIONS.map((id) => ({ id, gateway: 0, port: 0 })),
    controlPort: 0,
    seed: 11,
    speed: 1,
    logger: silentLogger(),
  });
  capture = await captureMqtt(broker.url, 'aftercare/v1/#');
  const port = sim.ports.gw1!;
  expect(STATIONS.map((id) => sim.ports[id])).toEqual([port, port, port]);
  expect(STATIONS.map((id) => sim.unitIds[id])).toEqual([1, 2, 3]);
  edge = await startEdge(
    parseEdgeConfig({
      edgeId: EDGE,
      site: SITE,
      mqtt: { url: broker.url },
      pollClasses: { fast: FAST_MS, slow: 2000 },
      modbus,
      stations: gatewayStations(port),
    }),
    { waitForBrokerMs: 5000 },
  );
});

afterAll(async () => {
  await edge?.stop();
  await capture?.stop();
  await sim?.stop();
  await broker?.stop();
});

describe('stations sharing a gateway connection', () => {
  test('every station is polled through one TCP connection', async () => {
    await waitFor('3 messages from every station', () =>
      STATIONS.every((s) => telemetry(s).length >= 3) ? true : undefined,
    );
    for (const station of STATIONS) {
      const messages = telemetry(station).map((m) => m.payload as Telemetry);
      for (const m of messages) expect(telemetrySchema.parse(m)).toEqual(m);
      expect(messages.every((m) => m.state === 'ok')).toBe(true);
      expect(messages.at(-1)!.values['pressure.outlet']?.q).toBe('good');
    }
    expect(connectionsTo(sim.ports.gw1!)).toHaveLength(1);
  });

  test('a unit that stops answering is comms_failed; the others keep their interval on the same connection', async () => {
    const [before] = connectionsTo(sim.ports.gw1!);
    expect(before).toBeDefined();
    const silentAt = Date.now();
    sim.inject('gw2', 'controller_silent');
    await waitFor('comms_failed telemetry from gw2', () =>
      telemetry('gw2', silentAt).find((m) => (m.payload as Telemetry).state === 'comms_failed'),
    );
    // Six more intervals of gw2's timeouts (150 ms each, with a retry).
    await new Promise((resolve) => setTimeout(resolve, 6 * FAST_MS));
    const window = { from: silentAt, to: Date.now() };
    for (const station of ['gw1', 'gw3']) {
      const seen = telemetry(station, window.from).filter((m) => m.at <= window.to);
      const ts = seen.map((m) => (m.payload as Telemetry).ts);
      const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
      expect(seen.length).toBeGreaterThanOrEqual(Math.floor((window.to - window.from) / FAST_MS) - 1);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(FAST_MS + 250);
      expect(seen.every((m) => (m.payload as Telemetry).state === 'ok')).toBe(true);
    }
    expect(edge.stats().stations.gw2!.timeouts).toBeGreaterThanOrEqual(3);
    // The same connection throughout: the others' replies show it alive, so gw2's timeouts never drop it.
    expect(connectionsTo(sim.ports.gw1!)).toEqual([before]);

    const clearedAt = Date.now();
    sim.clear('gw2', 'controller_silent');
    const back = await waitFor('good telemetry from gw2', () =>
      telemetry('gw2', clearedAt).find((m) => (m.payload as Telemetry).state === 'ok'),
    );
    expect((back.payload as Telemetry).values['pressure.outlet']?.q).toBe('good');
  });

  test('stations sharing a connection must agree on its timing and not repeat a unit id', () => {
    const base = { edgeId: EDGE, site: SITE, mqtt: { url: broker.url }, modbus };
    expect(() => parseEdgeConfig({ ...base, stations: gatewayStations(502, { timeoutMs: 900 }) })).toThrow(
      /timeoutMs, backoffMs or maxBackoffMs differ from stations\[0\], which shares the connection to 127\.0\.0\.1:502/,
    );
    const repeated = gatewayStations(502).map((s) => ({ ...s, tcp: { ...s.tcp, unitId: 7 } }));
    expect(() => parseEdgeConfig({ ...base, stations: repeated })).toThrow(
      /unit 7 on the shared connection to 127\.0\.0\.1:502 is already stations\[0\]/,
    );
    // Without sharing, stations of one host and port keep a connection each and may differ.
    const own = gatewayStations(502, { timeoutMs: 900 }).map((s) => ({
      ...s,
      tcp: { ...s.tcp, shareConnection: false },
    }));
    expect(parseEdgeConfig({ ...base, stations: own }).stations).toHaveLength(3);
  });
});
