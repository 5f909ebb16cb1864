import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../core/net.ts';
import { TokenIssuer } from '../../server/auth/tokens.ts';
import { influxQuery } from '../../server/telemetry/influxql.ts';
import { EdgeOnSmallDisk } from './edge-disk.ts';
import { startFlood } from './flood.ts';
import {
  type FaultRow,
  formatFaultTable,
  lost,
  type StreamMark,
  storedGaps,
  storedReadings,
  streamMark,
} from './measure.ts';
import { aftercare, type Component, influxComponent, sleep, until } from './processes.ts';

/**
 * Fault injection with every component in its own process (node bin/aftercare.js ...), under a
 * steady load of 3 stations polled every 250 ms, with the outages the issue names: the broker
 * killed for 30 s, InfluxDB stopped for 60 s.
 */
const STATIONS = ['st1', 'st2', 'st3'];
const BROKER_DOWN_MS = 30_000;
const INFLUX_DOWN_MS = 60_000;
const CATCH_UP_LIMIT_MS = 60_000;
/** Extra QoS 1 telemetry (10 more stations) while the server is killed and restarted. */
const FLOOD_PER_SECOND = 500;

let dir: string;
let ports: Record<'modbus' | 'control' | 'mqtt' | 'http' | 'influx' | 'influxRpc', number>;
let influx: Component;
let simulator: Component;
let broker: Component;
let server: Component;
let edge: Component;
const rows: FaultRow[] = [];
/** The server's token key, so the harness can sign its own engineer's token for the API. */
const AUTH_SECRET = randomBytes(32).toString('base64url');
let authorization: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-faults-'));
  ports = {
    modbus: await freePort(),
    control: await freePort(),
    mqtt: await freePort(),
    http: await freePort(),
    influx: await freePort(),
    influxRpc: await freePort(),
  };
  // Stations are on consecutive ports: make sure the two after the first are free too.
  ports.modbus = await consecutiveFreePorts(3);
  influx = await influxComponent(join(dir, 'influx'), ports.influx, ports.influxRpc);
  simulator = aftercare('simulator', 'simulator', [
    '--stations',
    STATIONS.join(','),
    '--port',
    String(ports.modbus),
    '--control-port',
    String(ports.control),
    '--seed',
    '7',
  ]);
  broker = aftercare('broker', 'broker', [
    '--port',
    String(ports.mqtt),
    '--data-dir',
    join(dir, 'broker'),
    '--allow-anonymous',
  ]);
  const mqttUrl = `mqtt://127.0.0.1:${ports.mqtt}`;
  server = aftercare(
    'server',
    'server',
    [
      '--port',
      String(ports.http),
      '--mqtt-url',
      mqttUrl,
      '--influx-url',
      `http://127.0.0.1:${ports.influx}`,
      '--data-dir',
      join(dir, 'server'),
    ],
    { AUTH_SECRET },
  );
  authorization = `Bearer ${(await new TokenIssuer({ secret: AUTH_SECRET }).issue({ username: 'harness', role: 'engineer' })).token}`;
  const edgeConfig = join(dir, 'edge.yaml');
  const profile = resolve(import.meta.dirname, '../../profiles/booster-3p-380.yaml');
  await writeFile(
    edgeConfig,
    JSON.stringify({
      edgeId: 'edge-f',
      site: 'faults',
      mqtt: { url: mqttUrl },
      pollClasses: { fast: 250, slow: 5000 },
      modbus: { timeoutMs: 300, retries: 0, backoffMs: 100, maxBackoffMs: 1000 },
      spool: { dir: join(dir, 'spool'), drainPerSecond: 500 },
      stations: STATIONS.map((id, i) => ({
        id,
        profile,
        tcp: { host: '127.0.0.1', port: ports.modbus + i },
      })),
    }),
  );
  edge = aftercare('edge', 'edge', ['--config', edgeConfig, '--stats-every', '0']);

  influx.start();
  await until('influxd answers /ping', async () => (await ping(ports.influx)) || undefined, 20_000);
  simulator.start();
  broker.start();
  server.start();
  await until('server answers', async () => ((await serverUp()) ? true : undefined), 90_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}\n${server.output()}`);
    },
  );
  edge.start();
  await until(
    'every station streams to the server',
    async () => ((await Promise.all(STATIONS.map(mark))).every((m) => m.seq > 5) ? true : undefined),
    30_000,
  );
}, 180_000);

afterAll(async () => {
  // The table is the figure this suite exists for: print it even when a fault failed.
  if (rows.length > 0)
    console.log(`\nfault injection (3 stations, 250 ms polls)\n${formatFaultTable(rows)}\n`);
  for (const component of [edge, server, broker, simulator, influx]) await component?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

test('broker killed under load: nothing lost', async () => {
  await measureFault(`broker SIGKILLed for ${BROKER_DOWN_MS / 1000} s`, async () => {
    await broker.kill();
    await sleep(BROKER_DOWN_MS);
    await restart(broker, ports.mqtt);
  });
}, 200_000);

test('InfluxDB stopped: back-pressure, nothing lost', async () => {
  await measureFault(`InfluxDB stopped for ${INFLUX_DOWN_MS / 1000} s`, async () => {
    await influx.stop();
    await sleep(INFLUX_DOWN_MS);
    await restart(influx, ports.influx);
  });
}, 200_000);

test('server SIGKILLed mid-stream: nothing lost', async () => {
  await measureFault('server SIGKILLed, back after 3 s', async () => {
    await server.kill();
    await sleep(3000);
    await restart(server, ports.http);
  });
}, 120_000);

test('server SIGKILLed under a telemetry flood: nothing lost, the flood included', async () => {
  const flood = await startFlood(
    `http://127.0.0.1:${ports.mqtt}`.replace('http', 'mqtt'),
    'flood',
    10,
    FLOOD_PER_SECOND,
  );
  let flooded = { acked: 0, sent: 0 };
  try {
    await measureFault(`server SIGKILLed and restarted under a ${FLOOD_PER_SECOND} msg/s flood`, async () => {
      await sleep(3000);
      await server.kill();
      await sleep(3000);
      await restart(server, ports.http);
      await sleep(3000);
      flooded = await flood.stop();
    });
  } finally {
    await flood.stop();
  }
  // Every flood message the broker acknowledged is stored too (bounded wait for the backlog).
  let stored = 0;
  const waitFrom = Date.now();
  const caughtUp = await until(
    'the flood stored',
    async () => {
      stored = await storedReadings(influxUrl(), { site: 'flood' });
      return stored >= flooded.acked ? true : undefined;
    },
    CATCH_UP_LIMIT_MS,
  ).catch(() => false);
  rows.push({
    fault: '  the flood itself (messages the broker acknowledged)',
    expected: flooded.acked,
    stored,
    catchUpMs: caughtUp ? Date.now() - waitFrom : undefined,
  });
  expect(flooded.acked).toBeGreaterThan(FLOOD_PER_SECOND * 5);
  expect(stored).toBe(flooded.acked);
}, 180_000);

test('edge restarted while the broker is down: the spool survives', async () => {
  await measureFault('edge SIGKILLed and restarted while the broker is down (8 s)', async () => {
    await broker.kill();
    await sleep(2000);
    // SIGKILL: the spool must hold even what a crash interrupts.
    await edge.kill();
    edge.start();
    await sleep(6000);
    await restart(broker, ports.mqtt);
  });
}, 120_000);

test('a Modbus station gone silent: its comms_failed readings arrive, others unaffected', async () => {
  await measureFault('station st2 silent for 5 s', async () => {
    await control('POST', '/stations/st2/faults', { fault: 'controller_silent' });
    await sleep(5000);
    await control('DELETE', '/stations/st2/faults/controller_silent');
  });
}, 120_000);

// --- edge disk full (issue 17) ---------------------------------------------------------------
test('edge disk full: the edge publishes live, nothing lost', async () => {
  const drill = edge;
  const disk = new EdgeOnSmallDisk(dir, 'edge-disk-full', join(dir, 'edge.yaml'), join(dir, 'spool'));
  await drill.stop();
  try {
    disk.mount('8m');
    edge = disk.edge;
    await restartStreaming(edge);
    await measureFault('edge disk full for 10 s (spool on an 8 MiB tmpfs filled to ENOSPC)', async () => {
      disk.fill();
      await sleep(10_000);
      disk.free();
    });
    expect(edge.output()).toContain('no space left on device (ENOSPC); publishing live without a spool');
  } finally {
    await edge.stop();
    disk.unmount({ keepSpool: true });
    edge = drill;
    await restartStreaming(edge);
  }
}, 240_000);
// --- end edge disk full ----------------------------------------------------------------------

// --- edge spool read-only (issue 17) ---------------------------------------------------------
test('edge spool read-only: the edge starts, says why in one line and publishes live, nothing lost', async () => {
  const drill = edge;
  const disk = new EdgeOnSmallDisk(dir, 'edge-spool-ro', join(dir, 'edge.yaml'), join(dir, 'spool'));
  await drill.stop();
  try {
    disk.mount('8m', { readOnly: true });
    edge = disk.edge;
    // Its spool cannot be opened: seqs start again (as for an edge without a spool).
    await restartStreaming(edge);
    await measureFault('edge started on a read-only spool (tmpfs remounted ro), 10 s', async () => {
      await sleep(10_000);
    });
    const reasons = edge
      .output()
      .split('\n')
      .filter((line) => line.includes(disk.spoolDir));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(
      'cannot be opened: read-only file system (EROFS); publishing live without a spool',
    );
  } finally {
    await edge.stop();
    disk.unmount({ keepSpool: false });
    edge = drill;
    await restartStreaming(edge);
  }
}, 240_000);
// --- end edge spool read-only ----------------------------------------------------------------

// --- an edge clock ahead (issue 17) ------------------------------------------------------------
test('forged and clock-ahead telemetry: quarantined, the honest stream goes on, nothing lost', async () => {
  const forger = await mqtt.connectAsync(`mqtt://127.0.0.1:${ports.mqtt}`, {
    clientId: `forger-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 0,
  });
  let forged = 0;
  try {
    await measureFault('an edge clock 1 h ahead, and one message dated 2099, for 10 s', async () => {
      for (let round = 0; round < 20; round++) {
        for (const station of STATIONS) {
          const held = await mark(station);
          const ts = round === 0 ? Date.UTC(2099, 0, 1) : Date.now() + 3_600_000;
          await forger.publishAsync(
            `aftercare/v1/faults/${station}/telemetry`,
            JSON.stringify({
              v: 1,
              site: 'faults',
              station,
              edge: 'edge-f',
              model: 'booster-3p-380',
              seq: held.seq + 100_000 + round,
              ts,
              state: 'ok',
              values: { 'pump[1].running': { v: true, q: 'good' }, 'pump[1].fault': { v: true, q: 'good' } },
            }),
            { qos: 1 },
          );
          forged += 1;
        }
        await sleep(500);
      }
    });
  } finally {
    await forger.endAsync();
  }
  // The honest stream still moves (a forged newest would have frozen it) and nothing forged is stored.
  const newest = await Promise.all(STATIONS.map(mark));
  for (const m of newest) expect(m.ts).toBeLessThan(Date.now() + 5000);
  const future = await influxQuery(
    { url: influxUrl(), database: 'aftercare', headers: {}, timeoutMs: 5000 },
    [`SELECT count("running_q") FROM "pump" WHERE "site" = 'faults' AND time > now() + 1m`],
  );
  expect(future[0]?.series ?? []).toEqual([]);
  expect(forged).toBe(60);
}, 120_000);
// --- end an edge clock ahead -------------------------------------------------------------------

/** Starts an edge and waits until every station's stream moves on at the server. */
async function restartStreaming(component: Component): Promise<void> {
  const before = await Promise.all(STATIONS.map(mark));
  component.start();
  await until(
    `${component.name} streams again`,
    async () => {
      if (!component.running) throw new Error(`${component.name} exited: ${component.output().slice(-800)}`);
      const now = await Promise.all(STATIONS.map(mark));
      return now.every((m, i) => m.ts > before[i]!.ts + 1000) ? true : undefined;
    },
    60_000,
  );
}

/**
 * Marks each station's stream, runs the fault, then waits until the store holds every reading
 * published since the mark (seq difference = stored distinct timestamps) and records the row.
 */
async function measureFault(fault: string, inject: () => Promise<void>): Promise<void> {
  const before = await Promise.all(STATIONS.map(mark));
  await inject();
  const recovered = Date.now();
  let row: FaultRow = { fault, expected: 0, stored: 0, catchUpMs: undefined };
  const deadline = recovered + CATCH_UP_LIMIT_MS;
  while (Date.now() < deadline) {
    const counted = await countSince(before).catch(() => undefined);
    if (counted) {
      row = { fault, expected: counted.expected, stored: counted.stored, catchUpMs: undefined };
      // Caught up: live readings from after the recovery reached the server and every reading
      // published since the mark is stored.
      if (counted.newest > recovered + 1000 && counted.stored >= counted.expected) {
        row.catchUpMs = Date.now() - recovered;
        break;
      }
    }
    await sleep(500);
  }
  rows.push(row);
  const after = await Promise.all(STATIONS.map(mark)).catch(() => undefined);
  const gaps =
    lost(row) > 0 && after
      ? await Promise.all(
          STATIONS.map(async (station, i) => {
            const holes = await storedGaps(
              influxUrl(),
              { station, fromTs: before[i]!.ts, toTs: after[i]!.ts },
              400,
            ).catch((error: Error) => error.message);
            const seconds = (ts: number) => ((ts - recovered) / 1000).toFixed(2);
            return `${station}: ${typeof holes === 'string' ? holes : holes.map(([a, b]) => `${seconds(a)}..${seconds(b)} s`).join(', ') || 'none'}`;
          }),
        )
      : [];
  const context = [
    formatFaultTable([row]),
    ...(gaps.length > 0 ? [`holes in the stored stream (s from recovery): ${gaps.join('; ')}`] : []),
    ...[server, edge, broker].map((c) => `${c.name} (running: ${c.running}): ${c.output().slice(-1200)}`),
  ].join('\n');
  expect(row.expected, context).toBeGreaterThan(0);
  expect(lost(row), context).toBe(0);
}

/** Published (seq difference) and stored readings since `before`, and the oldest station's newest ts. */
async function countSince(
  before: StreamMark[],
): Promise<{ expected: number; stored: number; newest: number }> {
  const now = await Promise.all(STATIONS.map(mark));
  let expected = 0;
  let stored = 0;
  const newest = Math.min(...now.map((m) => m.ts));
  for (const [i, station] of STATIONS.entries()) {
    expected += now[i]!.seq - before[i]!.seq;
    stored += await storedReadings(influxUrl(), { station, fromTs: before[i]!.ts, toTs: now[i]!.ts });
  }
  return { expected, stored, newest };
}

/** Starts a stopped component again and waits until its port accepts connections. */
async function restart(component: Component, port: number): Promise<void> {
  component.start();
  await until(
    `${component.name} listens on ${port}`,
    async () => {
      if (!component.running) throw new Error(`${component.name} exited: ${component.output().slice(-800)}`);
      return (await connects(port)) || undefined;
    },
    30_000,
  );
}

async function connects(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return await new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function influxUrl(): string {
  return `http://127.0.0.1:${ports.influx}`;
}

function mark(station: string): Promise<StreamMark> {
  return streamMark(`http://127.0.0.1:${ports.http}`, station, authorization);
}

async function serverUp(): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${ports.http}/api/health`, {
    signal: AbortSignal.timeout(2000),
  });
  return response.status < 500;
}

async function ping(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
  return response.status === 204;
}

async function control(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${ports.control}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

async function consecutiveFreePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => portFree(first + i + 1)));
    if (rest.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return await new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}
