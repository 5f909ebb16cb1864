import type { MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/live/events.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type AccountsServer, BOSS, startAccountsServer } from '../support/accounts-server.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const PASSWORD = 'our own booster rooms';

let running: AccountsServer;
let boss: string;
let acme: string;
let publisher: MqttClient;
const sockets: LiveSocket[] = [];
const api = (...args: Parameters<AccountsServer['api']>) => running.api(...args);

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function telemetry(site: string, station: string, seq: number, tripped: boolean): Telemetry {
  return {
    v: 1,
    site,
    station,
    edge: `edge-${site}`,
    model: 'booster-3p-380',
    seq,
    ts: Date.now(),
    state: 'ok',
    values: {
      'pump[1].fault': { v: tripped, q: 'good' },
      'pump[1].running': { v: !tripped, q: 'good' },
      'tank.level': { v: 2.5, q: 'good' },
    },
  };
}

async function connect(token: string): Promise<LiveSocket> {
  const socket: LiveSocket = connectSocket(running.server.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

beforeAll(async () => {
  running = await startAccountsServer();
  boss = await running.signIn(BOSS.username, BOSS.password);
  // A second customer beside the demo's: ACME with site acme-a, whose station is also called st1.
  const assets = running.server.service!.stores.assets;
  await assets.upsertCustomer({ id: 'acme', name: 'ACME Water', address: '', phone: '' });
  await assets.upsertSite({ id: 'acme-a', customer_id: 'acme', name: 'ACME A', address: '', thresholds: {} });
  await assets.upsertStation({
    site_id: 'acme-a',
    id: 'st1',
    name: 'ACME pump room',
    model: '',
    serial_number: '',
  });
  const created = await api('POST', '/accounts', boss, {
    username: 'acme-view',
    password: PASSWORD,
    role: 'customer',
    customer: 'acme',
  });
  expect(created.status).toBe(201);
  acme = await running.signIn('acme-view', PASSWORD);
  publisher = connectMqtt(running.broker.url, { clientId: 'customer-scope-publisher' });
  await waitFor(() => (publisher.connected ? true : undefined), 'publisher on broker');
  await waitFor(
    async () => ((await api('GET', '/health', boss)).body.broker?.connected ? true : undefined),
    'server on broker',
  );
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await publisher?.endAsync();
  await running?.stop();
});

describe('a customer account sees its own sites only', () => {
  test("its sites are its customer's, read on every request: a new site shows without a new sign-in", async () => {
    expect((await api('GET', '/auth/me', acme)).body).toEqual({
      username: 'acme-view',
      role: 'customer',
      sites: ['acme-a'],
    });
    await running.server.service!.stores.assets.upsertSite({
      id: 'acme-b',
      customer_id: 'acme',
      name: 'ACME B',
      address: '',
      thresholds: {},
    });
    expect((await api('GET', '/auth/me', acme)).body.sites).toEqual(['acme-a', 'acme-b']);
    const sites = (await api('GET', '/assets/sites', acme)).body.sites.map((s: { id: string }) => s.id);
    expect(sites).toEqual(['acme-a', 'acme-b']);
  });

  test("its socket receives its station's updates and alarms and none of the other customer's station of the same name", async () => {
    const mine = await connect(acme);
    const all = await connect(boss);
    const seen = { mine: [] as string[], all: [] as string[] };
    for (const [name, socket] of [
      ['mine', mine],
      ['all', all],
    ] as const) {
      socket.on('station:update', (p) => seen[name].push(`station:${p.site}`));
      socket.on('alarm', (p) => seen[name].push(`alarm:${'alarm' in p ? p.alarm.site : p.shelf.site}`));
      socket.on('ticket', (p) => seen[name].push(`ticket:${p.ticket.site}`));
    }
    // By station id alone: each socket joins the rooms of the sites it may see.
    expect(await mine.timeout(3000).emitWithAck('subscribe', { station: 'st1' })).toEqual({
      ok: true,
      rooms: ['station:acme-a/st1', 'station:acme-b/st1'],
    });
    expect(await mine.timeout(3000).emitWithAck('subscribe', { site: 'demo' })).toMatchObject({ ok: false });
    expect(await all.timeout(3000).emitWithAck('subscribe', { station: 'st1' })).toMatchObject({ ok: true });

    for (const site of ['demo', 'acme-a']) {
      await publisher.publishAsync(
        topics.telemetry(site, 'st1'),
        JSON.stringify(telemetry(site, 'st1', 1, false)),
        {
          qos: 1,
        },
      );
      await publisher.publishAsync(
        topics.telemetry(site, 'st1'),
        JSON.stringify(telemetry(site, 'st1', 2, true)),
        {
          qos: 1,
        },
      );
    }
    const has = (list: string[], what: string) => (list.includes(what) ? true : undefined);
    await waitFor(
      () => has(seen.all, 'alarm:demo') && has(seen.all, 'alarm:acme-a') && has(seen.all, 'station:demo'),
      'both sites on the admin socket',
    );
    await waitFor(
      () => has(seen.mine, 'alarm:acme-a') && has(seen.mine, 'station:acme-a'),
      'acme on its socket',
    );
    expect(seen.mine.filter((s) => !s.endsWith(':acme-a'))).toEqual([]);
  });

  test('its API lists hold its sites only; a thing of another customer is not found', async () => {
    await waitFor(
      async () => ((await api('GET', '/tickets', boss)).body.tickets.length >= 2 ? true : undefined),
      'tickets of both sites',
    );
    const sitesOf = (list: { site: string }[]) => [...new Set(list.map((x) => x.site))].sort();
    expect(sitesOf((await api('GET', '/stations', boss)).body)).toEqual(['acme-a', 'demo']);
    expect(sitesOf((await api('GET', '/stations', acme)).body)).toEqual(['acme-a']);
    expect(sitesOf((await api('GET', '/alarms', acme)).body.alarms)).toEqual(['acme-a']);
    const tickets = (await api('GET', '/tickets', boss)).body.tickets as { id: number; site: string }[];
    expect(sitesOf((await api('GET', '/tickets', acme)).body.tickets)).toEqual(['acme-a']);
    const demoTicket = tickets.find((t) => t.site === 'demo')!;
    const acmeTicket = tickets.find((t) => t.site === 'acme-a')!;
    expect((await api('GET', `/tickets/${demoTicket.id}`, acme)).status).toBe(404);
    expect((await api('GET', `/tickets/${acmeTicket.id}`, acme)).status).toBe(200);
    expect((await api('GET', '/stations/st1?site=demo', acme)).status).toBe(404);
  });

  test.each([
    ['GET', '/system'],
    ['GET', '/health-scores'],
    ['GET', '/maintenance/calendar'],
    ['GET', '/assets/customers'],
    ['GET', '/reports/reliability'],
    ['GET', '/accounts'],
    ['GET', '/audit'],
    ['POST', '/alarms/1/ack'],
    ['POST', '/tickets'],
  ])('%s %s: nothing of engineering, service work or admin (403)', async (method, path) => {
    const answer = await api(method, path, acme, method === 'POST' ? {} : undefined);
    expect(answer).toMatchObject({ status: 403, body: { code: 'error.roleForbidden' } });
  });
});

describe('a site-scoped staff account: maintenance, surveys, reports and customer lists follow its sites', () => {
  let ling: string;
  beforeAll(async () => {
    const created = await api('POST', '/accounts', boss, {
      username: 'acme-ops',
      password: 'tank level at the acme site',
      role: 'service',
      sites: ['acme-a'],
    });
    expect(created.status).toBe(201);
    ling = await running.signIn('acme-ops', 'tank level at the acme site');
  });

  test('customers and contracts: only those owning its sites', async () => {
    expect(
      (await api('GET', '/assets/customers', boss)).body.customers.map((c: { id: string }) => c.id),
    ).toEqual(['acme', 'demo-water', 'riverside-water']);
    expect(
      (await api('GET', '/assets/customers', ling)).body.customers.map((c: { id: string }) => c.id),
    ).toEqual(['acme']);
    expect((await api('GET', '/contracts', ling)).body.contracts).toEqual([]);
    expect((await api('GET', '/contracts', boss)).body.contracts.length).toBeGreaterThan(0);
  });

  test("the maintenance calendar holds its sites' stations only; the demo customer's surveys are not found", async () => {
    const all = (await api('GET', '/maintenance/calendar', boss)).body.stations.map(
      (s: { site: string }) => s.site,
    );
    expect(all).toContain('demo');
    const mine = (await api('GET', '/maintenance/calendar', ling)).body.stations.map(
      (s: { site: string }) => s.site,
    );
    expect([...new Set(mine)]).toEqual(['acme-a']);
    expect((await api('GET', '/customers/demo-water/surveys', ling)).status).toBe(404);
    expect((await api('GET', '/customers/acme/surveys', ling)).status).toBe(200);
  });

  test('the reliability report counts its sites only', async () => {
    const count = (body: { rows: { failures?: number }[] }) => body.rows.length;
    const all = (await api('GET', '/reports/reliability?by=station', boss)).body;
    const mine = (await api('GET', '/reports/reliability?by=station', ling)).body;
    expect(count(all)).toBeGreaterThan(count(mine));
    expect(JSON.stringify(mine)).not.toContain('demo/');
  });

  test("non-conforming product records: those of its sites' tickets and quality actions only; an unlinked one is unscoped staff's", async () => {
    const tickets = await waitFor(async () => {
      const list = (await api('GET', '/tickets', boss)).body.tickets as { id: number; site: string }[];
      const demo = list.find((t) => t.site === 'demo');
      const acme = list.find((t) => t.site === 'acme-a');
      return demo && acme ? { demo, acme } : undefined;
    }, 'tickets of both sites');
    const ncr = (fields: Record<string, unknown>) => ({
      product: 'Pump seal kit',
      batch: 'B-2291',
      problem: 'leaks at the shaft after a week',
      disposition: 'return_to_maker',
      ...fields,
    });
    const make = async (fields: Record<string, unknown>) => {
      const created = await api('POST', '/quality/ncrs', boss, ncr(fields));
      expect(created.status).toBe(201);
      return created.body.ncr.id as number;
    };
    const demoNcr = await make({ ticketId: tickets.demo.id });
    const acmeNcr = await make({ ticketId: tickets.acme.id });
    const unlinked = await make({});

    const ids = async (token: string) =>
      ((await api('GET', '/quality/ncrs', token)).body.ncrs as { id: number }[]).map((n) => n.id);
    expect(await ids(boss)).toEqual(expect.arrayContaining([demoNcr, acmeNcr, unlinked]));
    expect(await ids(ling)).toEqual([acmeNcr]);
    expect((await api('GET', `/quality/ncrs?ticketId=${tickets.demo.id}`, ling)).body.ncrs).toEqual([]);
    expect((await api('GET', `/quality/ncrs/${acmeNcr}`, ling)).status).toBe(200);
    for (const id of [demoNcr, unlinked]) {
      expect(await api('GET', `/quality/ncrs/${id}`, ling)).toMatchObject({
        status: 404,
        body: { code: 'error.noNcr' },
      });
      expect(await api('PUT', `/quality/ncrs/${id}`, ling, ncr({ ticketId: tickets.acme.id }))).toMatchObject(
        {
          status: 404,
          body: { code: 'error.noNcr' },
        },
      );
    }
    // Writing: a link out of its sites is as if it did not exist; no link at all is refused.
    expect(await api('POST', '/quality/ncrs', ling, ncr({ ticketId: tickets.demo.id }))).toMatchObject({
      status: 400,
      body: { code: 'error.ncrNoTicket' },
    });
    expect(
      await api('PUT', `/quality/ncrs/${acmeNcr}`, ling, ncr({ ticketId: tickets.demo.id })),
    ).toMatchObject({
      status: 400,
      body: { code: 'error.ncrNoTicket' },
    });
    expect(await api('POST', '/quality/ncrs', ling, ncr({}))).toMatchObject({
      status: 400,
      body: { code: 'error.ncrNeedsLink' },
    });
    const own = await api('POST', '/quality/ncrs', ling, ncr({ ticketId: tickets.acme.id }));
    expect(own.status).toBe(201);
    expect(await ids(ling)).toEqual([own.body.ncr.id, acmeNcr]);
    // The demo's record is untouched by the scoped account's attempts.
    expect((await api('GET', `/quality/ncrs/${demoNcr}`, boss)).body.ncr.ticketId).toBe(tickets.demo.id);
  });
});
