import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningDemo, startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';

// Faults injected into the simulator travel Modbus -> edge -> MQTT -> server -> alarm engine ->
// ticket store, and the ticket is worked through the HTTP API with the demo's accounts.
let demo: RunningDemo;
let dataDir: string;
const tokens: Record<string, string> = {};

type Ticket = {
  id: number;
  station: string;
  pump: number | null;
  faultClass: string | null;
  state: string;
  occurrences: number;
  equipment: { inWarranty: boolean | null };
  sla: { deadlines?: Record<string, unknown> } | null;
  timeline?: Array<{ action: string; actor: string; from: string | null; to: string | null }>;
};
type Alarm = { id: number; station: string; faultClass: string; subject: string; status: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-service-'));
  demo = await startDemo({
    port: 0,
    mqttPort: 0,
    modbusPort: 0,
    controlPort: 0,
    dataDir,
    seed: 3,
    speed: 1,
    internalSecret: 'test-internal-secret',
    scenarioDir: join(process.cwd(), 'scenarios'),
    logger: silentLogger(),
  });
  for (const role of ['operator', 'service']) tokens[role] = await login(role, role);
  // Two PGlite databases open at start: slow on a loaded 2-core machine.
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function login(username: string, password: string): Promise<string> {
  const response = await fetch(`${demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function api<T>(role: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${demo.server.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const st2Tickets = async () =>
  (await api<{ tickets: Ticket[] }>('service', '/tickets?station=st2')).json.tickets;
const tripTicket = async () =>
  (await st2Tickets()).find((t) => t.faultClass === 'pump_trip' && t.pump === 2 && t.state !== 'closed');
const tripAlarm = async () =>
  (await api<{ alarms: Alarm[] }>('operator', '/alarms?station=st2')).json.alarms.find(
    (a) => a.faultClass === 'pump_trip' && a.subject === 'pump[2]',
  );

describe('faults become tickets on the running demo', () => {
  test('sign-in refuses a wrong password and a request without a token', async () => {
    const wrong = await fetch(`${demo.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'service', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${demo.server.url}/api/tickets`)).status).toBe(401);
    const forged = await fetch(`${demo.server.url}/api/tickets`, {
      headers: { authorization: 'Bearer x.y.z' },
    });
    expect(forged.status).toBe(401);
  });

  test('a pump trip opens one ticket with SLA deadlines; five more trips add occurrences', {
    timeout: 120_000,
  }, async () => {
    await demo.simulator.inject('st2', 'pump_trip', { pump: 2 });
    const ticket = await eventually('the trip ticket', tripTicket);
    expect(ticket.occurrences).toBe(1);
    expect(ticket.sla).not.toBeNull();
    expect(typeof ticket.equipment.inWarranty).toBe('boolean');
    expect((await tripAlarm())?.status).toBe('active_unack');

    for (let trip = 2; trip <= 6; trip++) {
      await demo.simulator.clear('st2', 'pump_trip', { pump: 2 });
      await eventually('the alarm to clear', async () =>
        (await tripAlarm())?.status.startsWith('cleared') ? true : undefined,
      );
      await demo.simulator.inject('st2', 'pump_trip', { pump: 2 });
      await eventually(`occurrence ${trip}`, async () =>
        (await tripTicket())?.occurrences === trip ? true : undefined,
      );
    }
    const trips = (await st2Tickets()).filter((t) => t.faultClass === 'pump_trip' && t.pump === 2);
    expect(trips).toHaveLength(1);
    expect(trips[0]?.occurrences).toBe(6);
  });

  test('the failover opens a loss-of-redundancy ticket', async () => {
    const redundancy = await eventually('the redundancy ticket', async () =>
      (await st2Tickets()).find((t) => t.faultClass === 'redundancy_lost'),
    );
    expect(redundancy.state).toBe('new');
  });

  test('the operator acknowledges; clearing leaves the ticket open until the service team resolves it', {
    timeout: 60_000,
  }, async () => {
    const alarm = await tripAlarm();
    expect(alarm).toBeDefined();
    const ack = await api<{ alarm: Alarm }>('operator', `/alarms/${alarm?.id}/ack`, {
      note: 'seen on the wall screen',
    });
    expect(ack.status).toBe(200);
    expect(ack.json.alarm.status).toBe('active_ack');
    // The service role may not acknowledge.
    expect((await api('service', `/alarms/${alarm?.id}/ack`, {})).status).toBe(403);

    await demo.simulator.clear('st2', 'pump_trip', { pump: 2 });
    await eventually('the alarm to clear', async () =>
      (await tripAlarm())?.status === 'cleared_ack' ? true : undefined,
    );
    const ticket = await tripTicket();
    expect(ticket?.state).toBe('new');

    const id = ticket?.id;
    const steps: Array<[unknown, string]> = [
      [{ action: 'triage', mode: 'on_site', department: 'after_sales', note: 'phoned the plant' }, 'triaged'],
      [{ action: 'dispatch', technician: 'Wang Wei', expectedArrival: Date.now() + 3_600_000 }, 'dispatched'],
      [{ action: 'arrive' }, 'on_site'],
      [
        {
          action: 'resolve',
          workDone: 'replaced the motor protection relay',
          partsUsed: [{ part: 'thermal relay', quantity: 1 }],
          rootCause: 'bearing_wear',
          ...QUALITY_RECORD,
        },
        'resolved',
      ],
      [{ action: 'sign_off', signerName: 'Li Na' }, 'signed_off'],
      [{ action: 'close' }, 'closed'],
    ];
    // Illegal: closing a ticket that is not signed off.
    const early = await api<{ error: string }>('service', `/tickets/${id}/transitions`, { action: 'close' });
    expect(early.status).toBe(409);
    expect(early.json.error).toMatch(/close/);
    for (const [body, state] of steps) {
      const step = await api<{ ticket: Ticket }>('service', `/tickets/${id}/transitions`, body);
      expect(step.status, JSON.stringify(step.json)).toBe(200);
      expect(step.json.ticket.state).toBe(state);
    }
    const detail = await api<{ ticket: Ticket }>('service', `/tickets/${id}`);
    const transitions = (detail.json.ticket.timeline ?? []).filter((e) => e.action === 'transition');
    expect(transitions.map((e) => e.to)).toEqual([
      'triaged',
      'dispatched',
      'on_site',
      'resolved',
      'signed_off',
      'closed',
    ]);
    expect(transitions.every((e) => e.actor === 'service')).toBe(true);
    expect(detail.json.ticket.timeline?.filter((e) => e.action === 'occurrence')).toHaveLength(5);
  });
});
