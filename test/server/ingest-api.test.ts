import type { MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;
const sockets: Socket[] = [];
let seq = 0;
const T0 = Date.now() - 60_000;

function telemetry(station: string, values: Telemetry['values'], patch: Partial<Telemetry> = {}): Telemetry {
  seq += 1;
  return {
    v: 1,
    site: 'plant-a',
    station,
    edge: 'edge-1',
    model: 'booster-3p-380',
    seq,
    ts: T0 + seq * 1000,
    state: 'ok',
    values,
    ...patch,
  };
}

async function publish(topic: string, payload: string | object, retain = false): Promise<void> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  await publisher.publishAsync(topic, body, { qos: 1, retain });
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let headers: Record<string, string> | undefined;

/** An engineer's bearer token: every route but health and sign-in needs one. */
async function signedIn(): Promise<Record<string, string>> {
  headers ??= {
    authorization: `Bearer ${(await server.tokens.issue({ username: 'eng', role: 'engineer' })).token}`,
  };
  return headers;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely typed JSON answers
async function getJson(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, { headers: await signedIn() });
  return { status: response.status, body: await response.json() };
}

async function metricValue(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: await signedIn() })).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    profiles: [loadProfile('profiles/booster-3p-380.yaml')],
  });
  publisher = connectMqtt(broker.url, { clientId: 'test-publisher' });
  await waitFor(
    async () => ((await getJson('/api/health')).body.broker.connected ? true : undefined),
    'server on broker',
  );
  await waitFor(() => (publisher.connected ? true : undefined), 'publisher on broker');
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

describe('ingest', () => {
  test('good telemetry shows in the station API with quality, age and unit, and in its history', async () => {
    const first = telemetry('st1', {
      'pressure.outlet': { v: 4.25, q: 'good' },
      'pump[1].running': { v: true, q: 'good' },
      'pump[1].bearing_vibration': { v: 2.5, q: 'good' },
    });
    const second = telemetry('st1', {
      'pressure.outlet': { v: 4.75, q: 'stale' },
      'pump[1].bearing_vibration': { v: null, q: 'comms_failed' },
    });
    await publish(topics.telemetry('plant-a', 'st1'), first);
    await publish(topics.telemetry('plant-a', 'st1'), second);
    const station = await waitFor(async () => {
      const { body } = await getJson('/api/stations/st1');
      return body.seq === second.seq ? body : undefined;
    }, 'st1 with the second message');
    expect(station).toMatchObject({ site: 'plant-a', station: 'st1', model: 'booster-3p-380', state: 'ok' });
    expect(station.values['pressure.outlet']).toMatchObject({
      v: 4.75,
      q: 'stale',
      ts: second.ts,
      unit: 'bar',
    });
    expect(station.values['pressure.outlet'].ageMs).toBeGreaterThanOrEqual(Date.now() - second.ts - 5000);
    // held from the first message: not in the second
    expect(station.values['pump[1].running']).toMatchObject({ v: true, q: 'good', ts: first.ts });
    expect(station.values['pump[1].bearing_vibration']).toMatchObject({
      v: null,
      q: 'comms_failed',
      unit: 'mm/s',
    });

    const list = await getJson('/api/stations');
    expect(list.body).toContainEqual(expect.objectContaining({ site: 'plant-a', station: 'st1', values: 3 }));

    // The live state is updated before the durable write, which may linger up to WRITE_LINGER_MS
    // for other messages to share it: history is read once the second message's points are stored.
    const history = await waitFor(async () => {
      await server.store.flush();
      const answer = await getJson(
        `/api/stations/st1/history?tag=pressure.outlet&from=${first.ts}&to=${second.ts}`,
      );
      return answer.status !== 200 || answer.body.points.length >= 2 ? answer : undefined;
    }, 'both points of st1 in its history');
    expect(history.status).toBe(200);
    expect(history.body.points).toEqual([
      { ts: first.ts, value: 4.25, q: 'good' },
      { ts: second.ts, value: 4.75, q: 'stale' },
    ]);
    const stepped = await getJson(
      `/api/stations/st1/history?tag=pressure.outlet&from=${new Date(first.ts - (first.ts % 60_000)).toISOString()}&to=${second.ts}&step=1h`,
    );
    expect(stepped.body.points).toHaveLength(1);
    expect(stepped.body.points[0]).toMatchObject({ value: 4.5, min: 4.25, max: 4.75 });
    expect(await metricValue('aftercare_points_written_total', '')).toBeGreaterThanOrEqual(5);
  });

  test('the hub hands a live trip to the rules once: a redelivered and an older message are not evaluated', async () => {
    const service = server.service!;
    const before = service.stats();
    const trip = telemetry('st-hub', {
      'pump[1].fault': { v: true, q: 'good' },
      'pump[1].running': { v: false, q: 'good' },
      'pump[2].running': { v: true, q: 'good' },
    });
    await publish(topics.telemetry('plant-a', 'st-hub'), trip);
    // The same message again (a QoS 1 redelivery), then one dated before it (replayed backlog).
    await publish(topics.telemetry('plant-a', 'st-hub'), trip);
    await publish(topics.telemetry('plant-a', 'st-hub'), {
      ...trip,
      seq: trip.seq + 1,
      ts: trip.ts - 5000,
    });
    const alarms = await waitFor(async () => {
      const list = await service.stores.alarms.list({ station: 'st-hub' });
      return list.length > 0 ? list : undefined;
    }, 'the trip raised');
    await waitFor(
      () => (service.stats().outOfOrder > before.outOfOrder ? true : undefined),
      'the late message counted',
    );
    await service.hub.idle();
    expect(alarms.map((a) => [a.fault_class, a.subject, a.occurrences])).toEqual([
      ['pump_trip', 'pump[1]', 1],
    ]);
    expect(service.stats().telemetry - before.telemetry).toBe(1);
    expect(service.stats().outOfOrder - before.outOfOrder).toBe(1);
    expect(service.hub.counts.duplicate).toBeGreaterThanOrEqual(1);
    // The live view holds the one state the rules judged.
    expect(server.latest.get('plant-a', 'st-hub')).toMatchObject({ seq: trip.seq, ts: trip.ts });
  });

  test('bad payloads are counted by reason and ingest goes on', async () => {
    const good = telemetry('st3', { 'flow.rate': { v: 12, q: 'good' } });
    const bad: Array<[string, string | object]> = [
      [topics.telemetry('plant-a', 'st3'), '{"v":1,'],
      [topics.telemetry('plant-a', 'st3'), `{"v":1,"values":{"flow.rate":{"v":NaN,"q":"good"}}}`],
      [topics.telemetry('plant-a', 'st3'), { ...good, seq: '7' }],
      [topics.telemetry('plant-a', 'st3'), { ...good, values: { 'flow.rate': { v: 'NaN', q: 'good' } } }],
      // 1e400 parses to Infinity (JSON.stringify would have made it null, so it is written by hand)
      [topics.telemetry('plant-a', 'st3'), JSON.stringify(good).replace('"v":12', '"v":1e400')],
      ['aftercare/v1/pl@nt/st3/telemetry', good],
      [topics.telemetry('plant-b', 'st3'), good],
      [
        topics.edgeStatus('plant-a', 'edge-9'),
        { v: 1, edge: 'edge-9', site: 'plant-a', online: 'yes', ts: T0 },
      ],
    ];
    for (const [topic, payload] of bad) await publish(topic, payload);
    // a good message after the bad ones still flows
    await publish(topics.telemetry('plant-a', 'st3'), good);
    await waitFor(
      async () => ((await getJson('/api/stations/st3')).status === 200 ? true : undefined),
      'st3',
    );

    expect(await metricValue('aftercare_bad_payloads_total', 'reason="invalid_json"')).toBe(2);
    // seq as a string, "NaN" as a string, 1e400 (parses to Infinity), and the edge status with online: 'yes'
    expect(await metricValue('aftercare_bad_payloads_total', 'reason="schema"')).toBe(4);
    expect(await metricValue('aftercare_bad_payloads_total', 'reason="unknown_topic"')).toBe(1);
    expect(await metricValue('aftercare_bad_payloads_total', 'reason="topic_mismatch"')).toBe(1);
    expect((await getJson('/api/stations/st3')).body.values['flow.rate']).toMatchObject({ v: 12, q: 'good' });
    // nothing of plant-b was taken in
    expect(
      (await getJson('/api/stations')).body.filter((s: { site: string }) => s.site === 'plant-b'),
    ).toEqual([]);
  });

  test('health shows the broker, the store and each edge from its retained status', async () => {
    await publish(
      topics.edgeStatus('plant-a', 'edge-1'),
      {
        v: 1,
        edge: 'edge-1',
        site: 'plant-a',
        online: true,
        ts: Date.now(),
        stations: { st1: 'ok', st3: 'degraded' },
      },
      true,
    );
    const health = await waitFor(async () => {
      const { body } = await getJson('/api/health');
      return body.edges.length > 0 ? body : undefined;
    }, 'edge status');
    expect(health).toMatchObject({
      status: 'ok',
      broker: { connected: true, url: broker.url },
      store: { kind: 'pglite', ok: true },
    });
    expect(health.edges).toEqual([
      expect.objectContaining({
        site: 'plant-a',
        edge: 'edge-1',
        online: true,
        stations: { st1: 'ok', st3: 'degraded' },
      }),
    ]);
    // an empty retained message clears it
    await publish(topics.edgeStatus('plant-a', 'edge-1'), '', true);
    await waitFor(
      async () => ((await getJson('/api/health')).body.edges.length === 0 ? true : undefined),
      'edge cleared',
    );
  });
});

describe('HTTP API', () => {
  test.each([
    ['missing tag', '?from=0', /tag is required/],
    ['unknown tag', '?tag=pump[1].colour', /unknown pump field "colour"/],
    ['bad step unit', '?tag=pressure.outlet&step=5x', /step must be a duration/],
    ['zero step', '?tag=pressure.outlet&step=0s', /step must be a duration/],
    ['step without unit', '?tag=pressure.outlet&step=10', /step must be a duration/],
    ['step too small for the range', `?tag=pressure.outlet&from=0&to=${86_400_000}&step=1s`, /86400 buckets/],
    ['bad from', '?tag=pressure.outlet&from=yesterday', /from must be an ISO 8601 date-time/],
    ['bad to', '?tag=pressure.outlet&to=2026-13-45T99:00:00Z', /to must be an ISO 8601/],
    ['from after to', '?tag=pressure.outlet&from=2000&to=1000', /from must not be after to/],
    ['unknown parameter', '?tag=pressure.outlet&colour=red', /colour/],
    ['repeated parameter', '?tag=pressure.outlet&tag=flow.rate', /tag/],
  ])('history with %s is a 400 with a clear message', async (_name, query, message) => {
    const { status, body } = await getJson(`/api/stations/st1/history${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  test.each([
    ['/api/stations/nope', 404, /no station "nope"/],
    ['/api/stations/nope/history?tag=pressure.outlet', 404, /pass \?site=/],
    ['/api/stations/bad%20id', 400, /not 1-64 letters/],
    ['/api/nothing-here', 404, /no API route/],
  ])('%s answers %i', async (path, status, message) => {
    const response = await getJson(path);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatch(message);
  });

  test('history of a station not seen since start (stored by an earlier run) is read with ?site=', async () => {
    await server.store.write([
      { site: 'plant-z', station: 'old', meaning: 'tank.level', ts: T0, value: 1.5, q: 'good' },
    ]);
    await server.store.flush();
    expect((await getJson('/api/stations/old/history?tag=tank.level')).status).toBe(404);
    const { status, body } = await getJson(
      `/api/stations/old/history?tag=tank.level&site=plant-z&from=${T0 - 1000}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      site: 'plant-z',
      station: 'old',
      tag: 'tank.level',
      points: [{ ts: T0, value: 1.5, q: 'good' }],
    });
  });

  test('the OpenAPI 3.1 document describes the routes', async () => {
    const { status, body } = await getJson('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/stations',
        '/api/stations/{id}',
        '/api/stations/{id}/history',
      ]),
    );
    const history = body.paths['/api/stations/{id}/history'].get;
    expect(history.parameters.map((p: { name: string }) => p.name)).toEqual([
      'id',
      'tag',
      'from',
      'to',
      'step',
      'site',
    ]);
    expect(history.responses['200'].content['application/json'].schema.properties.points.type).toBe('array');
  });

  test('/metrics is Prometheus text with the ingest and store metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: await signedIn() })).text();
    for (const name of [
      'aftercare_mqtt_messages_total',
      'aftercare_bad_payloads_total',
      'aftercare_points_written_total',
      'aftercare_store_write_seconds_bucket',
      'aftercare_store_queue_depth',
      'aftercare_store_errors_total',
      'aftercare_mqtt_connected 1',
    ]) {
      expect(text).toContain(name);
    }
    expect(await metricValue('aftercare_mqtt_messages_total', 'kind="telemetry"')).toBeGreaterThanOrEqual(3);
  });
});

describe('live updates', () => {
  let token: string;
  beforeAll(async () => {
    token = (await server.tokens.issue({ username: 'op', role: 'operator' })).token;
  });

  function client(auth: object = { token }): Socket {
    const socket = connectSocket(server.url, { transports: ['websocket'], reconnection: false, auth });
    sockets.push(socket);
    return socket;
  }

  test.each([
    ['no token', {}, /sign in first/],
    ['a forged token', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' }, /./],
    ['a token of the wrong type', { token: 42 }, /must be a string/],
  ])('a client with %s is refused at the handshake', async (_what, auth, message) => {
    const socket = client(auth);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toMatch(message);
    expect(socket.connected).toBe(false);
  });

  async function subscribe(
    socket: Socket,
    request: object,
  ): Promise<{ ok: boolean; rooms?: string[]; error?: string }> {
    return await socket.timeout(3000).emitWithAck('subscribe', request);
  }

  test('a client receives station:update for its rooms only', async () => {
    const st1 = client();
    const st2 = client();
    const site = client();
    const seen = new Map<Socket, Array<{ station: string; seq: number }>>([
      [st1, []],
      [st2, []],
      [site, []],
    ]);
    for (const [socket, list] of seen) socket.on('station:update', (update) => list.push(update));
    expect(await subscribe(st1, { station: 'st1' })).toEqual({ ok: true, rooms: ['station:*/st1'] });
    expect(await subscribe(st2, { station: 'st2' })).toEqual({ ok: true, rooms: ['station:*/st2'] });
    expect(await subscribe(site, { site: 'plant-a' })).toEqual({ ok: true, rooms: ['site:plant-a'] });
    expect(await subscribe(site, { station: 'a/b' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/subscribe with/),
    });

    const forSt1 = telemetry('st1', { 'tank.level': { v: 2.5, q: 'good' } });
    const forSt2 = telemetry('st2', { 'tank.level': { v: 3.5, q: 'good' } });
    await publish(topics.telemetry('plant-a', 'st1'), forSt1);
    await publish(topics.telemetry('plant-a', 'st2'), forSt2);
    const got = (socket: Socket, s: number) => seen.get(socket)!.some((u) => u.seq === s);
    await waitFor(
      () => (got(st1, forSt1.seq) && got(st2, forSt2.seq) && got(site, forSt2.seq) ? true : undefined),
      'updates',
    );

    const st1Update = seen.get(st1)!.find((u) => u.seq === forSt1.seq) as unknown as {
      values: Record<string, object>;
    };
    expect(st1Update.values['tank.level']).toMatchObject({ v: 2.5, q: 'good', unit: 'm' });
    expect(seen.get(st1)!.every((u) => u.station === 'st1')).toBe(true);
    expect(seen.get(st2)!.every((u) => u.station === 'st2')).toBe(true);
    expect(got(site, forSt1.seq)).toBe(true);
  });
});
