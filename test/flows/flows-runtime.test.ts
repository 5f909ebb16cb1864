import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import {
  deploy,
  PEOPLE,
  signIn,
  startFlowsServer,
  telemetryPublisher,
  tripToTicketFlow,
  until,
} from './support.ts';

// Node-RED inside the server (issue 22): its runtime with the domain nodes, the platform's sign-in
// on the editor and the admin API, a deployed flow that opens a ticket on a pump trip, the owner's
// role bounding the nodes, and flows kept in the service database across a restart.
let broker: RunningMosquitto;
let server: RunningServer;
let dataDir: string;
let publisher: Awaited<ReturnType<typeof telemetryPublisher>>;
const tokens = {} as Record<keyof typeof PEOPLE, string>;

const flowTickets = async (station: string) =>
  (await server.service!.stores.tickets.list({ station })).filter((t) => t.fault_class === 'flow.pump_trip');

/**
 * Trips pump 1 (after a healthy reading) until `seen` answers: a deploy answers before Node-RED has
 * started the new flows, so the first trips may come before the telemetry node listens.
 */
const tripUntil = async <T>(
  station: string,
  what: string,
  seen: () => Promise<T | undefined> | T | undefined,
) =>
  await until(
    what,
    async () => {
      const answer = await seen();
      if (answer) return answer;
      await trip(station, false);
      await trip(station, true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return await seen();
    },
    60_000,
  );

const trip = async (station: string, tripped: boolean) =>
  await publisher.publish(station, {
    'pump[1].fault': { v: tripped, q: 'good' },
    'pump[1].running': { v: !tripped, q: 'good' },
  });

beforeAll(async () => {
  broker = await startMosquitto();
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-flows-test-'));
  server = await startFlowsServer(broker.url, dataDir);
  for (const role of Object.keys(PEOPLE) as (keyof typeof PEOPLE)[])
    tokens[role] = await signIn(server, PEOPLE[role]);
  publisher = await telemetryPublisher(broker.url);
}, 300_000);

afterAll(async () => {
  await publisher?.close();
  await server?.stop();
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Node-RED inside the server', () => {
  test('with no flows deployed Node-RED starts at the first request to /flows, with the six domain nodes', async () => {
    // Signed in and serving the API, but nobody has asked for /flows yet: Node-RED is not loaded.
    expect(server.flows).toBeUndefined();
    const response = await fetch(`${server.url}/flows/nodes`, {
      headers: { authorization: `Bearer ${tokens.engineer}`, accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const sets = (await response.json()) as {
      module: string;
      types: string[];
      enabled: boolean;
      err?: string;
    }[];
    const ours = sets.filter((set) => set.module === 'aftercare-flow-nodes');
    expect(ours.map((set) => set.err ?? 'loaded')).toEqual(['loaded', 'loaded']);
    expect(server.flows).toBeDefined();
    expect(ours.flatMap((set) => set.types).sort()).toEqual([
      'aftercare alarm',
      'aftercare command',
      'aftercare health',
      'aftercare notify',
      'aftercare telemetry',
      'aftercare ticket',
    ]);
  });

  test('an operator is refused by the editor sign-in and by the admin API; engineers pass', async () => {
    const editorSignIn = (who: { username: string; password: string }) =>
      fetch(`${server.url}/flows/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', ...who }),
      });
    const refused = await editorSignIn(PEOPLE.operator);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await refused.text()).not.toContain('access_token');
    const passed = await editorSignIn(PEOPLE.engineer);
    expect(passed.status).toBe(200);
    const { access_token } = (await passed.json()) as { access_token: string };
    // The editor's token is a platform session: the platform's own API takes it too.
    const me = await fetch(`${server.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await me.json()) as { username: string }).username).toBe('eng');

    const asOperator = await fetch(`${server.url}/flows/flows`, {
      headers: { authorization: `Bearer ${tokens.operator}` },
    });
    expect(asOperator.status).toBe(401);
    expect((await deploy(server, tokens.operator, [])).status).toBe(401);
    const anonymous = await fetch(`${server.url}/flows/flows`);
    expect(anonymous.status).toBe(401);
    const asEngineer = await fetch(`${server.url}/flows/flows`, {
      headers: { authorization: `Bearer ${tokens.engineer}` },
    });
    expect(asEngineer.status).toBe(200);
  });

  test('a flow deployed with an admin token opens exactly one ticket on a pump trip, with its note', async () => {
    const deployed = await deploy(server, tokens.admin, tripToTicketFlow('st1'));
    expect(deployed.status).toBe(204);
    const [ticket] = await tripUntil('st1', 'the flow ticket', async () => {
      const found = await flowTickets('st1');
      return found.length > 0 ? found : undefined;
    });
    // The same trip again, and a new one after it cleared: occurrences on the one open ticket.
    await trip('st1', true);
    await trip('st1', false);
    await trip('st1', true);
    await until('the second occurrence', async () =>
      (await server.service!.stores.tickets.get(ticket!.id))!.occurrence_count >= 2 ? true : undefined,
    );
    const tickets = await flowTickets('st1');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ source: 'flow', pump: 1, severity: 'major', title: 'Pump 1 tripped' });
    const events = await server.service!.stores.tickets.events(ticket!.id);
    const notes = events.filter((e) => e.action === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ actor: 'flow:boss', note: 'seen by the flow: check the drive' });
  }, 120_000);

  test("an engineer's flow may not open tickets (POST /api/tickets is service and admin only): refused and counted", async () => {
    expect((await deploy(server, tokens.engineer, tripToTicketFlow('st2'))).status).toBe(204);
    const before = server.flows!.bridge.counts.get('ticket:refused') ?? 0;
    await tripUntil('st2', 'the refusal', () =>
      (server.flows!.bridge.counts.get('ticket:refused') ?? 0) > before ? true : undefined,
    );
    expect(await flowTickets('st2')).toHaveLength(0);
  }, 120_000);

  test('flows survive a restart from the service database, with their owner', async () => {
    await server.stop();
    server = await startFlowsServer(broker.url, dataDir);
    // Flows are deployed: Node-RED runs from the start, before anyone opens /flows.
    expect(server.flows).toBeDefined();
    const token = await signIn(server, PEOPLE.engineer);
    const response = await fetch(`${server.url}/flows/flows`, {
      headers: { authorization: `Bearer ${token}`, 'node-red-api-version': 'v2' },
    });
    expect(response.status).toBe(200);
    const { flows } = (await response.json()) as { flows: { id: string; type: string; station?: string }[] };
    expect(flows.find((n) => n.id === 'tele')).toMatchObject({ type: 'aftercare telemetry', station: 'st2' });
    expect(flows.map((n) => n.type)).toContain('aftercare ticket');
    // The restored flow runs as its owner: still the engineer, still refused.
    const before = server.flows!.bridge.counts.get('ticket:refused') ?? 0;
    await tripUntil('st2', 'the restored flow acting', () =>
      (server.flows!.bridge.counts.get('ticket:refused') ?? 0) > before ? true : undefined,
    );
  }, 300_000);
});
