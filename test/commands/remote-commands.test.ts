import mqtt from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandView } from '../../core/commands/payloads.ts';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { parseEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import type { Role } from '../../server/auth/roles.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

// Remote commands end to end: API -> server -> mosquitto -> edge -> Modbus write and read-back on the
// simulator -> result over MQTT -> commands table, audit log and the live stream.
const SITE = 'demo';
const profile = loadProfile('profiles/booster-3p-380.yaml');

let broker: RunningMosquitto;
let sim: RunningSimulator;
let edge: RunningEdge;
let server: RunningServer;
let socket: Socket;
const tokens = {} as Record<Role, string>;
const live: CommandView[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  sim = await startSimulator({
    profile,
    stations: ['st1', 'st2'].map((id) => ({ id, port: 0 })),
    controlPort: 0,
    seed: 11,
    speed: 1,
    logger: silentLogger(),
  });
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    profiles: [profile],
    logger: silentLogger(),
  });
  edge = await startEdge(
    parseEdgeConfig({
      edgeId: 'edge-1',
      site: SITE,
      mqtt: { url: broker.url },
      pollClasses: { fast: 300, slow: 1000 },
      modbus: { timeoutMs: 300, retries: 1, backoffMs: 50, maxBackoffMs: 1000 },
      stations: ['st1', 'st2'].map((id) => ({
        id,
        profile,
        tcp: { host: sim.host, port: sim.ports[id], unitId: sim.unitIds[id] },
      })),
    }),
    { waitForBrokerMs: 10_000 },
  );
  for (const role of ['operator', 'service', 'engineer', 'admin'] as const)
    tokens[role] = (await server.tokens.issue({ username: `${role}-1`, role })).token;
  socket = connectSocket(server.url, { transports: ['websocket'], auth: { token: tokens.operator } });
  socket.on('command', (command) => live.push(command));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.emit('subscribe', { site: SITE }, () => resolve()));
    socket.once('connect_error', reject);
  });
  await until('both stations on the server', () =>
    server.latest.get(SITE, 'st1') && server.latest.get(SITE, 'st2') ? true : undefined,
  );
}, 300_000);

afterAll(async () => {
  socket?.close();
  await edge?.stop();
  await server?.stop();
  await sim?.stop();
  await broker?.stop();
});

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function send(role: Role, station: string, body: unknown) {
  const response = await fetch(`${server.url}/api/stations/${SITE}/${station}/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get<T>(path: string, role: Role = 'admin'): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${tokens[role]}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const serverValue = (station: string, meaning: string) =>
  server.latest.get(SITE, station)?.values[meaning]?.v;
const runningOnServer = (station: string) =>
  [1, 2, 3].filter((pump) => serverValue(station, `pump[${pump}].running`) === true);

describe('remote commands through mosquitto, the edge and the simulated controller', () => {
  test('a tripped pump comes back with a reset: confirmed by read-back, stored, audited, live', {
    timeout: 60_000,
  }, async () => {
    sim.inject('st1', 'pump_trip', { pump: 1 });
    await until('the trip on the server', () =>
      serverValue('st1', 'pump[1].fault') === true ? true : undefined,
    );

    const { status, body } = await send('operator', 'st1', { command: 'reset_trip', pump: 1 });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'reset_trip',
      pump: 1,
      status: 'confirmed',
      readBack: false,
      by: 'operator-1',
    });
    expect(sim.readings('st1')['pump[1].fault']).toBe(false);
    expect(sim.faults('st1').some((f) => f.fault === 'pump_trip')).toBe(false);

    const { commands } = await get<{ commands: CommandView[] }>(
      `/api/stations/${SITE}/st1/commands`,
      'service',
    );
    expect(commands[0]).toMatchObject({ id: body.id, status: 'confirmed', role: 'operator' });
    const { entries } = await get<{ entries: Array<Record<string, unknown>> }>('/api/audit?action=command.');
    expect(entries.find((e) => (e.detail as { id?: string }).id === body.id)).toMatchObject({
      action: 'command.reset_trip',
      actor: 'operator-1',
      target: `station/${SITE}/st1`,
      result: 'ok',
      detail: { pump: 1, status: 'confirmed' },
    });
    await until('pending and confirmed on the live stream', () =>
      live
        .filter((c) => c.id === body.id)
        .map((c) => c.status)
        .join() === 'pending,confirmed'
        ? true
        : undefined,
    );
    await until('the pump back on the server', () =>
      serverValue('st1', 'pump[1].fault') === false ? true : undefined,
    );
  });

  test('a set point and a duty switch are written and read back', { timeout: 60_000 }, async () => {
    const setPoint = await send('engineer', 'st1', { command: 'set_pressure', value: 4.35 });
    expect(setPoint.body).toMatchObject({ status: 'confirmed', readBack: 4.35 });
    expect(sim.readings('st1')['pressure.setpoint']).toBeCloseTo(4.35, 5);
    const duty = await send('admin', 'st1', { command: 'switch_duty', pump: 2 });
    expect(duty.body).toMatchObject({ status: 'confirmed', readBack: true });
    expect(sim.readings('st1')['station.duty_pump']).toBe(2);
  });

  test('a station the server has not heard from is offline: refused with 409, recorded', async () => {
    const { status, body } = await send('operator', 'st9', { command: 'reset_trip', pump: 1 });
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'command.refused.offline', params: { station: `${SITE}/st9` } });
    const { commands } = await get<{ commands: CommandView[] }>(`/api/stations/${SITE}/st9/commands`);
    expect(commands[0]).toMatchObject({ status: 'refused', code: 'offline', by: 'operator-1' });
  });

  test('a command no edge answers expires; the server marks it so', { timeout: 60_000 }, async () => {
    // A station that publishes (so the server holds it online) but whose commands nobody reads.
    const ghost = await mqtt.connectAsync(broker.url);
    const message: Telemetry = {
      v: 1,
      site: SITE,
      station: 'ghost',
      edge: 'edge-9',
      model: profile.model,
      seq: 0,
      ts: Date.now(),
      state: 'ok',
      values: { 'pump[1].running': { v: true, q: 'good' }, 'pump[2].running': { v: true, q: 'good' } },
    };
    await ghost.publishAsync(topics.telemetry(SITE, 'ghost'), JSON.stringify(message), { qos: 1 });
    await ghost.endAsync();
    await until('the ghost station on the server', () => server.latest.get(SITE, 'ghost'));
    const started = Date.now();
    const { status, body } = await send('operator', 'ghost', { command: 'start_pump', pump: 3, ttlMs: 5000 });
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'command.refused.expired' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    const { commands } = await get<{ commands: CommandView[] }>(`/api/stations/${SITE}/ghost/commands`);
    expect(commands[0]).toMatchObject({ status: 'expired', code: 'expired' });
    const { entries } = await get<{ entries: Array<Record<string, unknown>> }>(
      '/api/audit?action=command.start_pump',
    );
    expect(entries[0]).toMatchObject({ result: 'failed', target: `station/${SITE}/ghost` });
  });

  test('stopping the last running pump needs a second confirmation', { timeout: 90_000 }, async () => {
    await until('st2 running pumps on the server', () =>
      runningOnServer('st2').length > 0 ? true : undefined,
    );
    // Hold every running pump but one off, so exactly one runs.
    for (const pump of runningOnServer('st2').slice(1)) {
      const stopped = await send('operator', 'st2', { command: 'stop_pump', pump, confirmLastPump: true });
      expect(stopped.body).toMatchObject({ status: 'confirmed' });
    }
    const last = await until('one pump running on st2', () => {
      const running = runningOnServer('st2');
      return running.length === 1 ? running[0] : undefined;
    });
    const refused = await send('operator', 'st2', { command: 'stop_pump', pump: last });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'command.refused.last_running_pump', params: { pump: last } });
    expect(sim.readings('st2')[`pump[${last}].running`]).toBe(true);
    const confirmed = await send('operator', 'st2', {
      command: 'stop_pump',
      pump: last,
      confirmLastPump: true,
    });
    expect(confirmed.body).toMatchObject({ status: 'confirmed', readBack: false });
    expect(sim.readings('st2')[`pump[${last}].running`]).toBe(false);
  });

  test('a service user may not send commands (403); a bad body is a 400 naming the field', async () => {
    const forbidden = await send('service', 'st1', { command: 'reset_trip', pump: 1 });
    expect(forbidden.status).toBe(403);
    const bad = await send('operator', 'st1', { command: 'reset_trip' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/pump/);
    const none = await get<{ commands: CommandView[] }>(`/api/stations/${SITE}/st1/commands`);
    expect(none.commands.every((c) => c.by !== 'service-1')).toBe(true);
  });
});
