import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EdgeSecretAnswer, EdgeView } from '../../core/api/edges.ts';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { hashSecret } from '../../core/secrets.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { AFTERCARE_VERSION } from '../../core/version.ts';
import { loadEdgeConfig } from '../../edge/config.ts';
import type { Role } from '../../server/auth/roles.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { connectClient, endAll, TEST_COST } from '../broker/support.ts';
import { type CollectedChild, spawnCollecting, stopChild } from '../support/child-process.ts';

/**
 * Edge provisioning end to end, with the broker as its own process (`aftercare broker
 * --edges-file`) beside an in-process server: the broker learns every change from the file alone.
 */
const dir = mkdtempSync(join(tmpdir(), 'aftercare-edges-'));
const edgesFile = join(dir, 'provisioned-edges.json');
const profileFile = resolve('profiles/booster-3p-380.yaml');
const children: ChildProcess[] = [];
const clients: MqttClient[] = [];
let brokerUrl: string;
let sim: RunningSimulator;
let server: RunningServer;
let edgeRun: CollectedChild | undefined;
const tokens = {} as Record<Role, string>;

async function api<T = unknown>(
  method: string,
  path: string,
  role: Role,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what}: not within ${ms} ms${edgeRun ? `\nedge said: ${edgeRun.output().slice(-2000)}` : ''}`,
  );
}

const edgeOf = async (id: string) =>
  (await api<{ edge: EdgeView }>('GET', `/api/edges/${id}`, 'admin')).body.edge;

function runEdge(configText: string, password: string): CollectedChild {
  const file = join(dir, `edge-${Date.now()}.yaml`);
  writeFileSync(file, configText);
  return spawnCollecting(
    ['bin/aftercare.js', 'edge', '--config', file, '--stats-every', '0'],
    {
      env: {
        MQTT_PASSWORD: password,
        MQTT_URL: '',
        MQTT_USERNAME: '',
        LOG_LEVEL: 'warn',
        AFTERCARE_EDGE_FROM_SOURCE: '1',
      },
    },
    children,
  );
}

/** Resolves with the CONNACK refusal, or undefined when the broker let the client in. */
async function refusal(username: string, password: string): Promise<string | undefined> {
  try {
    clients.push(
      await connectClient(brokerUrl, { username, password, clientId: `${username}-probe-${Math.random()}` }),
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

beforeAll(async () => {
  const port = await freePort();
  brokerUrl = `mqtt://127.0.0.1:${port}`;
  const usersFile = join(dir, 'broker.yaml');
  writeFileSync(
    usersFile,
    JSON.stringify({
      users: [{ username: 'server', role: 'server', passwordHash: await hashSecret('srv', TEST_COST) }],
    }),
  );
  spawnCollecting(
    ['bin/aftercare.js', 'broker', '--port', String(port), '--users', usersFile, '--edges-file', edgesFile],
    { env: { LOG_LEVEL: 'warn', AFTERCARE_BROKER_EDGES_FILE: '' } },
    children,
  );
  await until('the broker', async () => {
    const client = await connectClient(brokerUrl, { username: 'server', password: 'srv' }).catch(
      () => undefined,
    );
    await client?.endAsync(true);
    return client ? true : undefined;
  });
  const profile = loadProfile(profileFile);
  sim = await startSimulator({
    profile,
    stations: [
      { id: 'n1', port: 0 },
      { id: 'n2', port: 0 },
    ],
    controlPort: 0,
    seed: 5,
    logger: silentLogger(),
  });
  server = await startServer({
    port: 0,
    mqtt: { url: brokerUrl, username: 'server', password: 'srv' },
    dataDir: ':memory:',
    profiles: [profile],
    edges: { file: edgesFile, profilesDir: resolve('profiles') },
    logger: silentLogger(),
  });
  const assets = server.service!.stores.assets;
  await assets.upsertCustomer({ id: 'c1', name: 'Water Co', address: '', phone: '' });
  for (const site of ['north', 'south'])
    await assets.upsertSite({ id: site, customer_id: 'c1', name: site, address: '', thresholds: {} });
  const station = (site: string, id: string, port: number) =>
    assets.upsertStation({
      site_id: site,
      id,
      name: id,
      model: 'booster-3p-380',
      serial_number: '',
      acceptance_date: null,
      warranty_end: null,
      contract_id: null,
      profile: 'booster-3p-380',
      endpoint: JSON.stringify({ tcp: { host: '127.0.0.1', port, unitId: 1 } }),
    });
  await station('north', 'n1', sim.ports.n1!);
  await station('north', 'n2', sim.ports.n2!);
  await station('north', 'n3', 1);
  await station('south', 'n1', 1);
  for (const role of ['admin', 'operator', 'service'] as const)
    tokens[role] = (await server.tokens.issue({ username: `${role}-1`, role })).token;
}, 180_000);

afterAll(async () => {
  await endAll(clients);
  for (const child of children) await stopChild(child);
  await server?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('edge provisioning', () => {
  let gw1: EdgeSecretAnswer;
  let gw2: EdgeSecretAnswer;

  test('an operator cannot provision (403); a bad body is a 400 naming the field; an unknown site a 400', async () => {
    expect((await api('POST', '/api/edges', 'operator', { id: 'gw1', siteId: 'north' })).status).toBe(403);
    const bad = await api<{ issues: { path: string }[] }>('POST', '/api/edges', 'admin', {
      id: 'no spaces',
      siteId: 'north',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path)).toContain('id');
    const noSite = await api<{ code: string }>('POST', '/api/edges', 'admin', { id: 'gw0', siteId: 'west' });
    expect(noSite).toMatchObject({ status: 400, body: { code: 'error.edgeNoSite' } });
  });

  test('an admin creates an edge: its password and a config the edge loader takes, once', async () => {
    const created = await api<EdgeSecretAnswer>('POST', '/api/edges', 'admin', {
      id: 'gw1',
      siteId: 'north',
      name: 'North gateway',
      stations: ['n1'],
    });
    expect(created.status).toBe(201);
    gw1 = created.body;
    expect(gw1.credentials.username).toBe('edge-gw1');
    expect(gw1.credentials.password.length).toBeGreaterThanOrEqual(32);
    expect(gw1.credentials.env).toEqual({
      MQTT_USERNAME: 'edge-gw1',
      MQTT_PASSWORD: gw1.credentials.password,
    });
    expect(gw1.edge).toMatchObject({
      id: 'gw1',
      siteId: 'north',
      stations: ['n1'],
      state: 'never_connected',
    });
    expect(gw1.config).toMatchObject({ fileName: 'edge-gw1.yaml', ready: true, skipped: [] });
    expect(gw1.config.text).not.toContain(gw1.credentials.password);
    const file = join(dir, gw1.config.fileName);
    writeFileSync(file, gw1.config.text);
    const loaded = loadEdgeConfig(file);
    expect(loaded).toMatchObject({
      edgeId: 'gw1',
      site: 'north',
      mqtt: { url: brokerUrl, username: 'edge-gw1' },
    });
    expect(loaded.stations.map((s) => [s.id, s.tcp?.port])).toEqual([['n1', sim.ports.n1]]);
    // Once: neither the list nor the config again holds the password.
    const again = await api('GET', '/api/edges/gw1/config', 'admin');
    expect(JSON.stringify(again.body)).not.toContain(gw1.credentials.password);
    expect(JSON.stringify((await api('GET', '/api/edges', 'operator')).body)).not.toContain(
      gw1.credentials.password,
    );
    // A station another edge serves is refused, and the half-made edge is not left behind.
    const twice = await api<{ code: string }>('POST', '/api/edges', 'admin', { id: 'gw1', siteId: 'north' });
    expect(twice).toMatchObject({ status: 409, body: { code: 'error.edgeExists' } });
    const taken = await api<{ code: string }>('POST', '/api/edges', 'admin', {
      id: 'gwx',
      siteId: 'north',
      stations: ['n1'],
    });
    expect(taken).toMatchObject({ status: 409, body: { code: 'error.edgeStationTaken' } });
    expect((await api('GET', '/api/edges/gwx', 'admin')).status).toBe(404);
  });

  test('the generated config runs `aftercare edge` against the simulator; values, last seen and version arrive', async () => {
    edgeRun = runEdge(gw1.config.text, gw1.credentials.password);
    await until('n1 telemetry at the server', () => server.latest.get('north', 'n1') ?? undefined, 90_000);
    const online = await until('gw1 online with its version', async () => {
      const edge = await edgeOf('gw1');
      return edge.state === 'online' && edge.version ? edge : undefined;
    });
    expect(online.version).toBe(AFTERCARE_VERSION);
    expect(online.lastSeenAt).toBeGreaterThan(Date.now() - 60_000);
    // An operator reads it too (signed-in read).
    const listed = await api<{ edges: EdgeView[] }>('GET', '/api/edges?site=north', 'operator');
    expect(listed.body.edges.map((e) => [e.id, e.state])).toEqual([['gw1', 'online']]);
  }, 150_000);

  test("the edge's credentials cannot publish another site's topics nor another edge's station", async () => {
    const created = await api<EdgeSecretAnswer>('POST', '/api/edges', 'admin', {
      id: 'gw2',
      siteId: 'north',
      stations: ['n2'],
    });
    expect(created.status).toBe(201);
    gw2 = created.body;
    const watcher = await connectClient(brokerUrl, { username: 'server', password: 'srv' });
    clients.push(watcher);
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync('aftercare/v1/+/+/events', { qos: 1 });
    for (const topic of [
      topics.events('south', 'n1'),
      topics.events('north', 'n2'),
      'aftercare/v1/north/n1/commands',
    ]) {
      const spoof = await until('gw1 connects as a second client', async () =>
        connectClient(brokerUrl, {
          username: 'edge-gw1',
          password: gw1.credentials.password,
          clientId: 'gw1-spoof',
        }).catch(() => undefined),
      );
      clients.push(spoof);
      const closed = new Promise<void>((done) => spoof.once('close', () => done()));
      spoof.publish(topic, '{"spoof":true}', { qos: 1 });
      await closed;
    }
    // A publish gw1 may make goes through the same path and arrives: the refused ones would have by now.
    const own = await connectClient(brokerUrl, {
      username: 'edge-gw1',
      password: gw1.credentials.password,
      clientId: 'gw1-own',
    });
    clients.push(own);
    await own.publishAsync(topics.events('north', 'n1'), '{"own":true}', { qos: 1 });
    await until('the allowed event', () => (seen.length > 0 ? true : undefined), 10_000);
    expect(seen).toEqual([topics.events('north', 'n1')]);
    await own.endAsync(true);
  }, 60_000);

  test('renaming and reassigning stations: the ACL of a connected edge follows at once', async () => {
    const renamed = await api<{ edge: EdgeView }>('PUT', '/api/edges/gw2', 'admin', {
      name: 'Second gateway',
    });
    expect(renamed.body.edge.name).toBe('Second gateway');
    const other = await api<{ code: string }>('PUT', '/api/edges/gw2/stations', 'admin', {
      stations: ['n1'],
    });
    expect(other).toMatchObject({ status: 409, body: { code: 'error.edgeStationTaken' } });
    const foreign = await api<{ code: string }>('PUT', '/api/edges/gw2/stations', 'admin', {
      stations: ['zz'],
    });
    expect(foreign).toMatchObject({ status: 400, body: { code: 'error.edgeNoStation' } });
    const gw2Client = await connectClient(brokerUrl, {
      username: 'edge-gw2',
      password: gw2.credentials.password,
      clientId: 'gw2-acl',
    });
    clients.push(gw2Client);
    const watcher = await connectClient(brokerUrl, { username: 'server', password: 'srv' });
    clients.push(watcher);
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync('aftercare/v1/north/+/events', { qos: 1 });
    const moved = await api<{ edge: EdgeView }>('PUT', '/api/edges/gw2/stations', 'admin', {
      stations: ['n3'],
    });
    expect(moved.body.edge.stations).toEqual(['n3']);
    // The broker reads the rewritten file within moments: a fresh connection shows when it has.
    await until(
      'the broker allows n3 to gw2',
      async () => {
        const probe = await connectClient(brokerUrl, {
          username: 'edge-gw2',
          password: gw2.credentials.password,
        });
        clients.push(probe);
        probe.publish(topics.events('north', 'n3'), '{"probe":true}', { qos: 1 });
        await new Promise((r) => setTimeout(r, 300));
        await probe.endAsync(true);
        return seen.includes(topics.events('north', 'n3')) ? true : undefined;
      },
      20_000,
    );
    // The connection made before the change got the new stations in place: n3 passes, n2 does not.
    seen.length = 0;
    await gw2Client.publishAsync(topics.events('north', 'n3'), '{}', { qos: 1 });
    await until('n3 from the connection made before', () => (seen.length > 0 ? true : undefined), 10_000);
    expect(gw2Client.connected).toBe(true);
    const closed = new Promise<void>((done) => gw2Client.once('close', () => done()));
    gw2Client.publish(topics.events('north', 'n2'), '{}', { qos: 1 });
    await closed;
    expect(seen).not.toContain(topics.events('north', 'n2'));
    expect(
      (await api<{ config: { text: string } }>('GET', '/api/edges/gw2/config', 'admin')).body.config.text,
    ).toContain('id: n3');
  }, 60_000);

  test('rotate: the running edge is dropped at once, its old password refused, the new one works', async () => {
    const rotated = await api<EdgeSecretAnswer>('POST', '/api/edges/gw1/rotate', 'admin');
    expect(rotated.status).toBe(200);
    expect(rotated.body.credentials.password).not.toBe(gw1.credentials.password);
    expect(rotated.body.edge.credentialVersion).toBe(2);
    await until('gw1 offline after its old credentials were withdrawn', async () =>
      (await edgeOf('gw1')).state === 'offline' ? true : undefined,
    );
    expect(await refusal('edge-gw1', gw1.credentials.password)).toMatch(/Bad username or password/i);
    await stopChild(edgeRun!.child);
    edgeRun = runEdge(rotated.body.config.text, rotated.body.credentials.password);
    await until(
      'gw1 back online with the new password',
      async () => ((await edgeOf('gw1')).state === 'online' ? true : undefined),
      90_000,
    );
  }, 150_000);

  test('revoke: a connected edge is dropped and refused from then on; retire takes it out of the list', async () => {
    const connected = await connectClient(brokerUrl, {
      username: 'edge-gw2',
      password: gw2.credentials.password,
    });
    clients.push(connected);
    const closed = new Promise<void>((done) => connected.once('close', () => done()));
    const revoked = await api<{ edge: EdgeView }>('POST', '/api/edges/gw2/revoke', 'admin');
    expect(revoked.body.edge.state).toBe('revoked');
    await closed;
    expect(await refusal('edge-gw2', gw2.credentials.password)).toMatch(/Bad username or password/i);
    expect((await api('DELETE', '/api/edges/gw2', 'operator')).status).toBe(403);
    expect((await api('DELETE', '/api/edges/gw2', 'admin')).status).toBe(204);
    const active = await api<{ edges: EdgeView[] }>('GET', '/api/edges', 'admin');
    expect(active.body.edges.map((e) => e.id)).toEqual(['gw1']);
    const retired = await api<{ edges: EdgeView[] }>('GET', '/api/edges?retired=true', 'admin');
    expect(retired.body.edges.map((e) => [e.id, e.stations])).toEqual([['gw2', []]]);
    // Its station is free for another edge again.
    const again = await api('PUT', '/api/edges/gw1/stations', 'admin', { stations: ['n1', 'n3'] });
    expect(again.status).toBe(200);
  }, 60_000);

  test('every action is in the audit log', async () => {
    const audit = await api<{ entries: { action: string; target: string; result: string }[] }>(
      'GET',
      '/api/audit?action=edge.',
      'admin',
    );
    const entries = audit.body.entries.map((e) => `${e.action} ${e.target} ${e.result}`);
    for (const line of [
      'edge.create edge/gw1 ok',
      'edge.create edge/gwx refused',
      'edge.create edge/gw2 ok',
      'edge.rotate edge/gw1 ok',
      'edge.revoke edge/gw2 ok',
      'edge.rename edge/gw2 ok',
      'edge.stations edge/gw2 ok',
      'edge.stations edge/gw2 refused',
      'edge.retire edge/gw2 ok',
    ])
      expect(entries).toContain(line);
  });
});
