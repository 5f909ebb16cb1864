import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { stationEventSchema, type Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { loadEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';
import { type SerialPair, startSerialPair } from './serial-pair.ts';

// Modbus RTU over a real tty: socat links two pseudo-terminals, the simulator is the slave on one
// end (two unit ids on the line, unit 2 silent), the edge the master on the other, configured with
// an `rtu:` line as README and edge.example.yaml document it.
const SITE = 'rtu-site';
const EDGE = 'edge-rtu';
const FAST_MS = 1000;
const TIMEOUT_MS = 300;
const PROFILE = resolve('profiles/booster-3p-380.yaml');
const LINE = { baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 } as const;

let dir: string;
let pair: SerialPair;
let broker: RunningMosquitto;
let sim: RunningSimulator;
let edge: RunningEdge;
let capture: Awaited<ReturnType<typeof captureMqtt>>;

const telemetry = (station: string, after = 0) =>
  capture
    .on(topics.telemetry(SITE, station))
    .filter((m) => m.at >= after)
    .map((m) => ({ at: m.at, payload: m.payload as Telemetry }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aftercare-rtu-'));
  pair = await startSerialPair();
  broker = await startMosquitto();
  sim = await startSimulator({
    profile: loadProfile(PROFILE),
    stations: [
      { id: 'rtu1', unitId: 1, rtu: { path: pair.a, ...LINE } },
      { id: 'rtu2', unitId: 2, rtu: { path: pair.a, ...LINE } },
    ],
    controlPort: 0,
    seed: 11,
    logger: silentLogger(),
  });
  sim.inject('rtu2', 'controller_silent');
  capture = await captureMqtt(broker.url, 'aftercare/v1/#');
  const serial = (unitId: number) =>
    `{ path: ${pair.b}, baudRate: ${LINE.baudRate}, parity: ${LINE.parity}, dataBits: ${LINE.dataBits}, stopBits: ${LINE.stopBits}, unitId: ${unitId} }`;
  const configFile = join(dir, 'edge.yaml');
  writeFileSync(
    configFile,
    [
      `edgeId: ${EDGE}`,
      `site: ${SITE}`,
      `mqtt: { url: ${broker.url} }`,
      `pollClasses: { fast: ${FAST_MS}, slow: 5000 }`,
      `modbus: { timeoutMs: ${TIMEOUT_MS}, retries: 1, backoffMs: 250, maxBackoffMs: 2000 }`,
      'stations:',
      '  - id: rtu1',
      `    profile: ${PROFILE}`,
      `    rtu: ${serial(1)}`,
      '    maxRegisterGap: 8',
      '  - id: rtu2',
      `    profile: ${PROFILE}`,
      `    rtu: ${serial(2)}`,
      '    maxRegisterGap: 8',
      '',
    ].join('\n'),
  );
  edge = await startEdge(loadEdgeConfig(configFile), { waitForBrokerMs: 5000 });
});

afterAll(async () => {
  await edge?.stop();
  await capture?.stop();
  await sim?.stop();
  await broker?.stop();
  await pair?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Modbus RTU over a socat pseudo-terminal pair', () => {
  test('the silent unit is comms_failed; the other unit on the line keeps its interval with good values', async () => {
    const lost = await waitFor(
      'comms_failed telemetry from rtu2',
      () => telemetry('rtu2').find((m) => m.payload.state === 'comms_failed'),
      10_000,
    );
    expect(Object.values(lost.payload.values).every((v) => v.q === 'comms_failed')).toBe(true);
    const event = await waitFor('comms_lost event from rtu2', () =>
      capture.on(topics.events(SITE, 'rtu2')).find((e) => e.payload.type === 'comms_lost'),
    );
    expect(stationEventSchema.parse(event.payload)).toMatchObject({ station: 'rtu2', edge: EDGE });

    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 8 * FAST_MS));
    const seen = telemetry('rtu1', from);
    const ts = seen.map((m) => m.payload.ts);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    const arrivalGaps = seen.slice(1).map((m, i) => m.at - seen[i]!.at);
    const stats = edge.stats().stations;
    console.log(
      `rtu1 over 8 s with rtu2 silent: ${seen.length} messages, ts gaps ${gaps.join(',')} ms, ` +
        `arrival gaps ${arrivalGaps.join(',')} ms; ` +
        `rtu2 ${stats.rtu2?.timeouts} timeouts, ${stats.rtu2?.readErrors} read errors`,
    );
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(seen.every((m) => m.payload.state === 'ok')).toBe(true);
    // A probe of the silent unit holds the line for one reply timeout (RS-485 has one talker), so a
    // reply to rtu1 may come that much later; the arbiter's backoff keeps that to a probe now and
    // then instead of two timeouts in every cycle. The bound allows two probes in one cycle, plus jitter.
    const limit = FAST_MS + 2 * (TIMEOUT_MS + 100) + 250;
    expect(Math.max(...gaps)).toBeLessThanOrEqual(limit);
    expect(Math.max(...arrivalGaps)).toBeLessThanOrEqual(limit);
    const last = seen.at(-1)!.payload;
    expect(last.values['pressure.outlet']?.q).toBe('good');
    const outlet = sim.readings('rtu1')['pressure.outlet'] as number;
    expect(Math.abs((last.values['pressure.outlet']?.v as number) - outlet)).toBeLessThan(1);
    expect(stats.rtu1).toMatchObject({ readErrors: 0, state: 'ok' });
    expect(stats.rtu2?.timeouts).toBeGreaterThan(0);
  });

  test('a set point written over the line reads back', async () => {
    await edge.writeTag('rtu1', 'pressure.setpoint', 4.4);
    const writtenAt = Date.now();
    const seen = await waitFor(
      'the new set point in rtu1 telemetry',
      () => telemetry('rtu1', writtenAt).find((m) => m.payload.values['pressure.setpoint']?.v === 4.4),
      5000,
    );
    expect(seen.payload.values['pressure.setpoint']?.q).toBe('good');
    expect(sim.readings('rtu1')['pressure.setpoint']).toBeCloseTo(4.4, 5);
  });

  test('the silent unit answering again is restored after its backoff', async () => {
    const clearedAt = Date.now();
    sim.clear('rtu2', 'controller_silent');
    await waitFor(
      'comms_restored event from rtu2',
      () =>
        capture
          .on(topics.events(SITE, 'rtu2'))
          .find((e) => e.at >= clearedAt && e.payload.type === 'comms_restored'),
      8000,
    );
    const back = await waitFor('ok telemetry from rtu2', () =>
      telemetry('rtu2', clearedAt).find((m) => m.payload.state === 'ok'),
    );
    expect(back.payload.values['pressure.outlet']?.q).toBe('good');
  });
});

describe('simulator RTU lines', () => {
  test('stations on one serial path must share its settings', async () => {
    await expect(
      startSimulator({
        profile: loadProfile(PROFILE),
        stations: [
          { id: 'a', unitId: 1, rtu: { path: '/dev/aftercare-no-such-tty', ...LINE } },
          { id: 'b', unitId: 2, rtu: { path: '/dev/aftercare-no-such-tty', ...LINE, baudRate: 9600 } },
        ],
        controlPort: 0,
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/station b: serial settings .*9600.* differ from station a's/);
  });

  test('a serial port that cannot be opened is refused with its path', async () => {
    await expect(
      startSimulator({
        profile: loadProfile(PROFILE),
        stations: [{ id: 'a', rtu: { path: '/dev/aftercare-no-such-tty' } }],
        controlPort: 0,
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/cannot open serial port \/dev\/aftercare-no-such-tty for Modbus RTU/);
  });
});
