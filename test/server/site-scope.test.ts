import type { MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ClientToServerEvents,
  type ServerToClientEvents,
  serverToClientSchemas,
} from '../../core/live/events.ts';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { StationEvent, Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const EVENTS = ['station:update', 'station:event', 'alarm', 'ticket', 'health'] as const;
type Seen = Array<{ event: (typeof EVENTS)[number]; site: string }>;

let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;
const sockets: LiveSocket[] = [];
const HOUR = 3_600_000;

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function telemetry(site: string, station: string, seq: number, ts: number, tripped: boolean): Telemetry {
  return {
    v: 1,
    site,
    station,
    edge: `edge-${site}`,
    model: 'booster-3p-380',
    seq,
    ts,
    state: 'ok',
    values: {
      'pump[1].fault': { v: tripped, q: 'good' },
      'pump[1].running': { v: !tripped, q: 'good' },
      'tank.level': { v: 2.5, q: 'good' },
    },
  };
}

async function connect(token: string): Promise<{ socket: LiveSocket; seen: Seen }> {
  const socket: LiveSocket = connectSocket(server.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const seen: Seen = [];
  // Every payload that arrives must match its schema in core/live/events.ts.
  socket.onAny((event: keyof typeof serverToClientSchemas, payload: unknown) => {
    const result = serverToClientSchemas[event]?.safeParse(payload);
    if (!result?.success) mismatches.push({ event, issues: result?.error.issues ?? 'unknown event' });
  });
  socket.on('station:update', (p) => seen.push({ event: 'station:update', site: p.site }));
  socket.on('station:event', (p) => seen.push({ event: 'station:event', site: p.site }));
  socket.on('alarm', (p) => seen.push({ event: 'alarm', site: 'alarm' in p ? p.alarm.site : p.shelf.site }));
  socket.on('ticket', (p) => seen.push({ event: 'ticket', site: p.ticket.site }));
  socket.on('health', (p) => seen.push({ event: 'health', site: p.site }));
  return { socket, seen };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
async function api(path: string, token: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

const mismatches: unknown[] = [];
let eastToken: string;
let adminToken: string;

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    accounts: [
      { username: 'east-op', passwordHash: await hashSecret('east-pass'), role: 'operator', sites: ['east'] },
      { username: 'boss', passwordHash: await hashSecret('boss-pass'), role: 'admin' },
    ],
  });
  const login = async (username: string, password: string) => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  eastToken = await login('east-op', 'east-pass');
  adminToken = await login('boss', 'boss-pass');
  publisher = connectMqtt(broker.url, { clientId: 'site-scope-publisher' });
  await waitFor(() => (publisher.connected ? true : undefined), 'publisher on broker');
  await waitFor(
    async () => ((await api('/health', adminToken)).body.broker?.connected ? true : undefined),
    'server on broker',
  );
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

describe('an account bound to a site', () => {
  test('its token carries the site list (GET /api/auth/me)', async () => {
    expect((await api('/auth/me', eastToken)).body).toEqual({
      username: 'east-op',
      role: 'operator',
      sites: ['east'],
    });
    expect((await api('/auth/me', adminToken)).body).toEqual({ username: 'boss', role: 'admin' });
  });

  test("its socket receives its site's station, event, alarm, ticket and health updates and none of another site's", async () => {
    const east = await connect(eastToken);
    const boss = await connect(adminToken);
    const join = (s: LiveSocket, request: object) =>
      s.timeout(3000).emitWithAck('subscribe', request as { site: string });
    expect(await join(east.socket, { site: 'east' })).toEqual({ ok: true, rooms: ['site:east'] });
    // Asking for the other site's rooms, by site or by station, joins nothing of it.
    expect(await join(east.socket, { site: 'west' })).toEqual({
      ok: false,
      error: 'user east-op may not watch site west',
    });
    expect(await join(east.socket, { site: 'west', station: 'w1' })).toMatchObject({ ok: false });
    expect(await join(east.socket, { station: 'w1' })).toEqual({ ok: true, rooms: ['station:east/w1'] });
    expect(await join(boss.socket, { site: 'east' })).toMatchObject({ ok: true });
    expect(await join(boss.socket, { site: 'west' })).toMatchObject({ ok: true });

    // Each station reports an hour ago and now with pump 1 tripped: the hour that closes brings a
    // health update, the trip an alarm and a ticket.
    const now = Date.now();
    for (const [site, station] of [
      ['east', 'e1'],
      ['west', 'w1'],
    ] as const) {
      const topic = topics.telemetry(site, station);
      await publisher.publishAsync(topic, JSON.stringify(telemetry(site, station, 1, now - HOUR, false)), {
        qos: 1,
      });
      await publisher.publishAsync(topic, JSON.stringify(telemetry(site, station, 2, now, true)), { qos: 1 });
      const event: StationEvent = {
        v: 1,
        site,
        station,
        edge: `edge-${site}`,
        ts: now,
        type: 'modbus_exception',
        detail: 'illegal data address',
      };
      await publisher.publishAsync(topics.events(site, station), JSON.stringify(event), { qos: 1 });
    }

    const kinds = (seen: Seen, site: string) =>
      new Set(seen.filter((s) => s.site === site).map((s) => s.event));
    await waitFor(
      () =>
        EVENTS.every((e) => kinds(boss.seen, 'east').has(e) && kinds(boss.seen, 'west').has(e))
          ? true
          : undefined,
      'every kind of event of both sites on the unbound socket',
    );
    await waitFor(() => (kinds(east.seen, 'east').size === EVENTS.length ? true : undefined), 'east events');
    expect([...kinds(east.seen, 'east')].sort()).toEqual([...EVENTS].sort());
    expect(east.seen.filter((s) => s.site !== 'east')).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  test('its API lists show only its site, and a thing of another site is not found', async () => {
    await waitFor(
      async () => ((await api('/tickets', adminToken)).body.tickets.length >= 2 ? true : undefined),
      'tickets of both sites',
    );
    const sitesOf = (list: { site: string }[]) => [...new Set(list.map((x) => x.site))].sort();
    expect(sitesOf((await api('/stations', adminToken)).body)).toEqual(['east', 'west']);
    expect(sitesOf((await api('/stations', eastToken)).body)).toEqual(['east']);
    expect(sitesOf((await api('/alarms', adminToken)).body.alarms)).toEqual(['east', 'west']);
    expect(sitesOf((await api('/alarms', eastToken)).body.alarms)).toEqual(['east']);
    expect(sitesOf((await api('/tickets', eastToken)).body.tickets)).toEqual(['east']);
    expect((await api('/alarms?site=west', eastToken)).body.alarms).toEqual([]);
    expect((await api('/tickets?site=west', eastToken)).body.tickets).toEqual([]);
    expect(sitesOf((await api('/health-scores', eastToken)).body.stations)).toEqual(['east']);

    const westAlarm = (await api('/alarms?site=west', adminToken)).body.alarms[0];
    const westTicket = (await api('/tickets?site=west', adminToken)).body.tickets[0];
    expect((await api(`/alarms/${westAlarm.id}`, adminToken)).status).toBe(200);
    expect((await api(`/alarms/${westAlarm.id}`, eastToken)).status).toBe(404);
    expect((await api(`/tickets/${westTicket.id}`, eastToken)).status).toBe(404);
    expect((await api('/stations/w1', eastToken)).status).toBe(404);
    expect((await api('/stations/w1?site=west', eastToken)).status).toBe(404);
    expect((await api('/stations/w1/history?tag=tank.level&site=west', eastToken)).status).toBe(404);
    expect((await api('/stations/w1/completeness?site=west', eastToken)).status).toBe(404);
    expect((await api('/stations/w1/indicators', eastToken)).status).toBe(404);
    expect((await api('/stations/e1', eastToken)).status).toBe(200);
  });
});
