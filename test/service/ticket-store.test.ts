import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { AssetStore } from '../../server/assets/asset-store.ts';
import { seedDemoAssets } from '../../server/assets/demo-seed.ts';
import { RefusedError } from '../../server/db/errors.ts';
import { openServiceDatabase, type ServiceDb } from '../../server/db/open-database.ts';
import { startServiceLayer } from '../../server/service-layer.ts';
import { type FaultOccurrence, TicketStore } from '../../server/tickets/ticket-store.ts';
import { type RunningPostgres, startPostgres } from '../support/postgres.ts';

let postgres: RunningPostgres;
let databases = 0;
const open: ServiceDb[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  for (const db of open) await db.close();
  await postgres?.stop();
});

/** A fresh empty database on the running PostgreSQL, so tests do not see each other's tickets. */
async function freshPostgresUrl(): Promise<string> {
  databases += 1;
  const name = `service_${databases}`;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}

const BACKENDS = ['pglite', 'postgres'] as const;

const shared = new Map<string, ServiceDb>();

/** One database per backend (PGlite takes seconds to start); each test starts with no tickets. */
async function openStore(backend: (typeof BACKENDS)[number]) {
  let db = shared.get(backend);
  if (!db) {
    db =
      backend === 'pglite'
        ? await openServiceDatabase({ pgliteDir: ':memory:' })
        : await openServiceDatabase({ databaseUrl: await freshPostgresUrl(), poolSize: 20 });
    open.push(db);
    shared.set(backend, db);
    const assets = new AssetStore(db.db);
    await assets.seedPolicies();
    await seedDemoAssets(assets);
  }
  await sql`TRUNCATE ticket_events, tickets RESTART IDENTITY CASCADE`.execute(db.db);
  return { tickets: new TicketStore(db.db), assets: new AssetStore(db.db) };
}

const T0 = Date.parse('2025-06-01T00:00:00Z');
const H = 3_600_000;
const trip = (at: number, overrides: Partial<FaultOccurrence> = {}): FaultOccurrence => ({
  site: 'demo',
  station: 'st1',
  pump: 1,
  faultClass: 'pump_trip',
  subject: 'pump[1]',
  title: 'Pump tripped: pump[1]',
  severity: 'general',
  at,
  reopenWindowMs: 72 * H,
  ...overrides,
});

describe.each(BACKENDS)('TicketStore on %s', (backend) => {
  test('20 concurrent occurrences of one fault: one ticket with 20 occurrences', async () => {
    const { tickets } = await openStore(backend);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => tickets.openOrAddOccurrence(trip(T0 + i))),
    );
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'opened').length).toBe(1);
    const [ticket] = await tickets.list();
    expect(ticket?.occurrence_count).toBe(20);
    const events = await tickets.events(ticket?.id ?? 0);
    expect(events.map((e) => e.action).sort()).toEqual(['open', ...Array(19).fill('occurrence')].sort());
    expect((await tickets.list()).length).toBe(1);
  });

  test('a fault on another pump or station opens its own ticket; manual tickets never collide', async () => {
    const { tickets } = await openStore(backend);
    await tickets.openOrAddOccurrence(trip(T0));
    await tickets.openOrAddOccurrence(trip(T0, { pump: 2, subject: 'pump[2]' }));
    await tickets.openOrAddOccurrence(trip(T0, { station: 'st2' }));
    for (const title of ['No water on floor 12', 'Noise from the pump room']) {
      await tickets.createManual({
        site: 'demo',
        station: 'st1',
        pump: null,
        title,
        description: '',
        severity: 'minor',
        source: 'phone',
        reportedBy: 'Mr Li, 139 0000 0000',
        at: T0,
        actor: 'service',
      });
    }
    expect((await tickets.list()).length).toBe(5);
  });

  test('contract, SLA policy and warranty come from the assets', async () => {
    const { tickets } = await openStore(backend);
    const inside = await tickets.openOrAddOccurrence(trip(T0));
    const outside = await tickets.openOrAddOccurrence(trip(T0, { site: 'riverside', station: 'st3' }));
    expect([inside.ticket.contract_id, inside.ticket.sla_policy_id, inside.ticket.in_warranty]).toEqual([
      'demo-bid-2023',
      'water-supply-bid',
      true,
    ]);
    expect([outside.ticket.in_warranty, outside.ticket.warranty_end, outside.ticket.equipment_model]).toEqual(
      [false, '2023-05-20', 'CDL 20-5'],
    );
  });

  test('workflow with audit trail; illegal transitions refused with the reason and not recorded', async () => {
    const { tickets } = await openStore(backend);
    const { ticket } = await tickets.openOrAddOccurrence(trip(T0));
    await expect(tickets.transition(ticket.id, 'arrive', {}, 'svc', T0 + 1)).rejects.toThrow(
      /cannot arrive a ticket that is new/,
    );
    await tickets.transition(
      ticket.id,
      'triage',
      { mode: 'on_site', department: 'after_sales' },
      'svc',
      T0 + 1,
      'call',
    );
    await tickets.transition(
      ticket.id,
      'dispatch',
      { technician: 'Wang', expectedArrival: T0 + 5 * H },
      'svc',
      T0 + 2,
    );
    await tickets.transition(ticket.id, 'arrive', {}, 'wang', T0 + 4 * H);
    const parts = [{ part: 'bearing 6305', quantity: 2 }];
    await tickets.transition(
      ticket.id,
      'resolve',
      { workDone: 'bearings', partsUsed: parts, rootCause: 'bearing_wear' },
      'wang',
      T0 + 5 * H,
    );
    await tickets.transition(ticket.id, 'sign_off', { signerName: 'Zhang' }, 'wang', T0 + 5 * H + 1);
    const closed = await tickets.transition(ticket.id, 'close', {}, 'svc', T0 + 6 * H);
    expect([
      closed.state,
      closed.technician,
      closed.root_cause,
      closed.signer_name,
      closed.parts_used,
    ]).toEqual(['closed', 'Wang', 'bearing_wear', 'Zhang', parts]);
    const trail = (await tickets.events(ticket.id)).map(
      (e) => `${e.actor}:${e.action}:${e.from_state}->${e.to_state}`,
    );
    expect(trail).toEqual([
      'system:open:null->new',
      'svc:transition:new->triaged',
      'svc:transition:triaged->dispatched',
      'wang:transition:dispatched->on_site',
      'wang:transition:on_site->resolved',
      'wang:transition:resolved->signed_off',
      'svc:transition:signed_off->closed',
    ]);
    const refused = await tickets
      .transition(ticket.id, 'close', {}, 'svc', T0)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RefusedError);
    expect((refused as RefusedError).status).toBe(409);
    await expect(tickets.transition(9999, 'close', {}, 'svc', T0)).rejects.toThrow(/no ticket 9999/);
  });

  test('a fault returning within the window reopens the resolved ticket; after it, a new one opens', async () => {
    const { tickets } = await openStore(backend);
    const { ticket } = await tickets.openOrAddOccurrence(trip(T0));
    await tickets.transition(
      ticket.id,
      'triage',
      { mode: 'remote', department: 'after_sales' },
      'svc',
      T0 + H,
    );
    await tickets.transition(
      ticket.id,
      'resolve',
      { workDone: 'reset', rootCause: 'vfd_fault' },
      'svc',
      T0 + 2 * H,
    );
    const back = await tickets.openOrAddOccurrence(trip(T0 + 10 * H));
    expect([
      back.outcome,
      back.ticket.id,
      back.ticket.state,
      back.ticket.reopen_count,
      back.ticket.occurrence_count,
    ]).toEqual(['reopened', ticket.id, 'new', 1, 2]);
    await tickets.transition(
      ticket.id,
      'triage',
      { mode: 'remote', department: 'after_sales' },
      'svc',
      T0 + 11 * H,
    );
    await tickets.transition(
      ticket.id,
      'resolve',
      { workDone: 'replaced VFD', rootCause: 'vfd_fault' },
      'svc',
      T0 + 12 * H,
    );
    const later = await tickets.openOrAddOccurrence(trip(T0 + 12 * H + 73 * H));
    expect([later.outcome, later.ticket.id === ticket.id]).toEqual(['opened', false]);
    const trail = (await tickets.events(ticket.id)).map((e) => e.action);
    expect(trail).toEqual([
      'open',
      'transition',
      'transition',
      'reopen',
      'occurrence',
      'transition',
      'transition',
    ]);
  });

  test('concurrent returns of a resolved fault reopen it once', async () => {
    const { tickets } = await openStore(backend);
    const { ticket } = await tickets.openOrAddOccurrence(trip(T0));
    await tickets.transition(
      ticket.id,
      'triage',
      { mode: 'remote', department: 'after_sales' },
      'svc',
      T0 + H,
    );
    await tickets.transition(
      ticket.id,
      'resolve',
      { workDone: 'reset', rootCause: 'other' },
      'svc',
      T0 + 2 * H,
    );
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tickets.openOrAddOccurrence(trip(T0 + 3 * H + i))),
    );
    expect(results.filter((r) => r.outcome === 'reopened').length).toBe(1);
    expect(new Set(results.map((r) => r.ticket.id))).toEqual(new Set([ticket.id]));
    expect((await tickets.get(ticket.id))?.occurrence_count).toBe(11);
  });

  test('an escalation is recorded once', async () => {
    const { tickets } = await openStore(backend);
    const { ticket } = await tickets.openOrAddOccurrence(trip(T0));
    const first = await tickets.recordOnce(
      ticket.id,
      '0:fix:breached',
      T0 + 2 * H,
      'escalation',
      'fix passed',
      {},
    );
    const again = await tickets.recordOnce(
      ticket.id,
      '0:fix:breached',
      T0 + 2 * H,
      'escalation',
      'fix passed',
      {},
    );
    expect([first, again]).toEqual([true, false]);
  });
});

describe('two service layers on one PostgreSQL', () => {
  test('the same faults reaching both open exactly one ticket', async () => {
    const url = await freshPostgresUrl();
    let now = T0;
    const clock = () => now;
    const a = await startServiceLayer({ databaseUrl: url, clock, seedDemo: true });
    const b = await startServiceLayer({ databaseUrl: url, clock, seedDemo: true });
    try {
      const telemetry = (seq: number, fault: boolean): Telemetry => ({
        v: 1,
        site: 'demo',
        station: 'st2',
        edge: 'edge-1',
        model: 'booster-3p-380',
        seq,
        ts: now,
        state: 'ok',
        values: {
          'pump[1].fault': { v: fault, q: 'good' },
          'pump[1].running': { v: !fault, q: 'good' },
          'pump[2].fault': { v: false, q: 'good' },
          'pump[2].running': { v: fault, q: 'good' },
        },
      });
      for (let i = 0; i < 3; i++) {
        await Promise.all([
          a.onTelemetry(telemetry(i * 2, true), now),
          b.onTelemetry(telemetry(i * 2, true), now),
        ]);
        now += 3000;
        await Promise.all([
          a.onTelemetry(telemetry(i * 2 + 1, false), now),
          b.onTelemetry(telemetry(i * 2 + 1, false), now),
        ]);
        now += 3000;
        await Promise.all([a.tick(now), b.tick(now)]);
        now += 1000;
      }
      const trips = (await a.stores.tickets.list()).filter((t) => t.fault_class === 'pump_trip');
      expect(trips.length).toBe(1);
      expect(trips[0]?.occurrence_count).toBeGreaterThanOrEqual(3);
      expect([a.stats().failures, b.stats().failures]).toEqual([0, 0]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
