import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import { stopChild, tailOf } from '../support/child-process.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

const STATIONS = 24;
/** CPU burnt per poll cycle while the edge is "starved": 24 stations x 4 cycles/s x 20 ms = 1.9 s a second. */
const STARVED_MS = 20;
const dir = mkdtempSync(join(tmpdir(), 'aftercare-fleet-overload-'));
const edgeFile = join(dir, 'edge.yaml');
let broker: RunningMosquitto;
let simulator: ChildProcess;
let edge: RunningEdge | undefined;

beforeAll(async () => {
  broker = await startMosquitto();
  // The fleet simulator as its own process, every station behind one gateway port by unit id.
  simulator = spawn(
    process.execPath,
    [
      'bin/aftercare.js',
      'simulator',
      '--count',
      String(STATIONS),
      '--unit-ids',
      '--port',
      '0',
      '--control-port',
      '0',
      '--edge-config',
      edgeFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = tailOf(simulator.stdout);
  const err = tailOf(simulator.stderr);
  await waitFor(
    `the simulator's edge config (${out()} ${err()})`,
    () => (existsSync(edgeFile) && out().includes('control API') ? true : undefined),
    60_000,
  );
}, 90_000);

afterAll(async () => {
  await edge?.stop();
  if (simulator) await stopChild(simulator);
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an edge short of CPU stretches slow then fast, stores all it polled, and recovers when load drops', async () => {
  const file = parse(readFileSync(edgeFile, 'utf8')) as Record<string, unknown>;
  const config = parseEdgeConfig({
    ...file,
    mqtt: { url: broker.url },
    pollClasses: { fast: 250, slow: 1000 },
    overload: { windowMs: 1000, maxStretch: 8 },
    spool: { dir: join(dir, 'spool') },
  });
  expect(new Set(config.stations.map((s) => s.tcp!.port)).size).toBe(1);
  expect(config.stations.map((s) => s.tcp!.unitId)).toEqual(
    Array.from({ length: STATIONS }, (_, i) => i + 1),
  );
  const capture = await captureMqtt(broker.url, 'aftercare/v1/#');
  let burnMs = STARVED_MS;
  edge = await startEdge(config, { waitForBrokerMs: 10_000, burnMsPerCycle: () => burnMs });

  // Starved: the slow class reaches its limit before the fast one is touched.
  const stretched = await waitFor(
    'the fast class stretched',
    () => {
      const polling = edge!.stats().polling;
      return polling.classes.fast!.stretch >= 2 ? polling : undefined;
    },
    60_000,
  );
  expect(stretched.classes.slow!.stretch).toBe(8);
  expect(stretched.classes.fast!.targetMs).toBeGreaterThanOrEqual(500);
  const status = await waitFor('a status saying so', () =>
    capture.messages.find(
      (m) => m.topic.endsWith('/status') && (m.payload.polling as { stretched?: boolean })?.stretched,
    ),
  );
  expect(status.payload.polling).toMatchObject({
    classes: { fast: { plannedMs: 250 }, slow: { plannedMs: 1000 } },
  });

  // Load drops: the plan comes back, fast class first.
  burnMs = 0;
  await waitFor('the plan kept again', () => (edge!.stats().polling.stretched ? undefined : true), 60_000);
  const recovered = edge.stats().polling;
  expect(recovered.recoveries).toBeGreaterThanOrEqual(recovered.stretches > 0 ? 1 : 0);
  expect(recovered.classes.fast!.targetMs).toBe(250);

  await edge.stop();
  const stats = edge.stats();
  edge = undefined;
  // What was polled was published; what was published was acknowledged by the broker, or waits in
  // the spool for the next run (the stop cuts the last PUBACKs short): nothing dropped on the way.
  const { spool } = stats.mqtt;
  expect(stats.totals.published).toBe(stats.totals.cycles);
  expect(spool.lost).toBe(0);
  expect(spool.acked + spool.entries).toBe(stats.totals.published);
  const received = () => capture.messages.filter((m) => m.topic.endsWith('/telemetry'));
  await waitFor('every acknowledged reading at the subscriber', () =>
    received().length >= spool.acked ? true : undefined,
  );
  for (const [id, station] of Object.entries(stats.stations)) {
    const seqs = new Set(
      received()
        .filter((m) => m.topic.endsWith(`/${id}/telemetry`))
        .map((m) => m.payload.seq),
    );
    expect(seqs.size, id).toBeGreaterThanOrEqual(station.published - spool.entries);
    expect(station.cycles, id).toBeGreaterThan(0);
  }
  console.log(
    `overload: ${stats.totals.cycles} cycles polled and stored, ${stats.totals.missedCycles} missed, ` +
      `${stats.totals.deferredCycles} deferred, ${spool.acked} acknowledged, ${spool.entries} left in the spool; stretched ${recovered.stretches}x, recovered ${recovered.recoveries}x`,
  );
  await capture.stop();
}, 180_000);
