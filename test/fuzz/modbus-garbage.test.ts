import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { parseEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { prng } from './bad-payloads.ts';

const profile = loadProfile('profiles/booster-3p-380.yaml');
const FAST_MS = 200;
const RUN_MS = 4000;

type Behaviour = (socket: Socket, request: Buffer, random: () => number) => void;

/** Broken Modbus TCP servers: each reads requests and answers wrongly. */
const BEHAVIOURS: Record<string, Behaviour> = {
  // Random bytes, sometimes with a valid-looking MBAP header announcing a length that never comes.
  garbage: (socket, request, random) => {
    const bytes = Buffer.alloc(1 + Math.floor(random() * 40));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    if (random() < 0.5 && request.length >= 2) request.copy(bytes, 0, 0, 2);
    socket.write(bytes);
  },
  // The right transaction id and a correct header, but 3 s late: far past the edge's timeout.
  slow: (socket, request) => {
    setTimeout(() => {
      if (!socket.destroyed) socket.write(Buffer.concat([request.subarray(0, 7), Buffer.from([0x83, 0x06])]));
    }, 3000);
  },
  // Half a frame, then the connection is dropped.
  dropsMidFrame: (socket, request) => {
    const header = Buffer.from(request.subarray(0, 7));
    header.writeUInt16BE(20, 4);
    socket.write(Buffer.concat([header, Buffer.from([0x03, 0x10, 0x00])]));
    setTimeout(() => socket.destroy(), 20);
  },
};

let broker: RunningMosquitto;
let sim: RunningSimulator;
let edge: RunningEdge;
const broken: Server[] = [];
const brokenPorts: Record<string, number> = {};

beforeAll(async () => {
  broker = await startMosquitto();
  sim = await startSimulator({
    profile,
    stations: [{ id: 'healthy', port: 0 }],
    controlPort: 0,
    seed: 3,
    speed: 1,
    logger: silentLogger(),
  });
  const random = prng(17);
  for (const [name, behave] of Object.entries(BEHAVIOURS)) {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', (request) => behave(socket, request, random));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    broken.push(server);
    brokenPorts[name] = (server.address() as { port: number }).port;
  }
  const config = parseEdgeConfig({
    edgeId: 'edge-garbage',
    site: 'garbage',
    mqtt: { url: broker.url },
    pollClasses: { fast: FAST_MS, slow: 2000 },
    modbus: { timeoutMs: 150, retries: 1, backoffMs: 50, maxBackoffMs: 500 },
    stations: [
      {
        id: 'healthy',
        profile,
        tcp: { host: sim.host, port: sim.ports.healthy, unitId: sim.unitIds.healthy },
      },
      ...Object.keys(BEHAVIOURS).map((id) => ({
        id,
        profile,
        tcp: { host: '127.0.0.1', port: brokenPorts[id] },
      })),
    ],
  });
  edge = await startEdge(config, { waitForBrokerMs: 5000 });
});

afterAll(async () => {
  await edge?.stop();
  for (const server of broken) {
    server.close();
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  }
  await sim?.stop();
  await broker?.stop();
});

test('stations answering garbage, slowly or half a frame never stall the edge or a healthy station', async () => {
  const start = edge.stats();
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  const end = edge.stats();
  const healthyCycles = end.stations.healthy!.cycles - start.stations.healthy!.cycles;
  // The healthy station keeps (nearly) its interval: at least 75% of the planned cycles.
  expect(healthyCycles).toBeGreaterThanOrEqual(Math.floor((RUN_MS / FAST_MS) * 0.75));
  expect(end.stations.healthy!.state).toBe('ok');
  for (const id of Object.keys(BEHAVIOURS)) {
    const station = end.stations[id]!;
    expect(station.state, id).toBe('comms_failed');
    // Each broken station keeps being tried and keeps publishing its comms_failed telemetry.
    expect(station.cycles - start.stations[id]!.cycles, id).toBeGreaterThan(2);
    expect(station.published, id).toBeGreaterThan(0);
  }
}, 30_000);
