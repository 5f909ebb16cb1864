import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { good, stationTelemetry } from './station-telemetry.ts';

const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let layer: ServiceLayer;
const seen: { alarm: string[]; ticket: string[] } = { alarm: [], ticket: [] };
const seq: Record<string, number> = {};

function telemetry(station: string, values: Record<string, TelemetryValue>): Telemetry {
  seq[station] = (seq[station] ?? 0) + 1;
  // The demo seed puts st3 at Riverside Water Works' site, st1 and st2 at site demo.
  return { ...stationTelemetry(station, seq[station] ?? 0, now, values), site: siteOf(station) };
}
const siteOf = (station: string) => (station === 'st3' ? 'riverside' : 'demo');

/** Sends telemetry at the current time, then moves the clock on. */
async function send(
  station: string,
  values: Record<string, TelemetryValue>,
  advanceMs = 1000,
): Promise<void> {
  await layer.onTelemetry(telemetry(station, values), now);
  now += advanceMs;
}

let rest: RoleApi;
const api = (method: string, path: string, role: string | null, body?: unknown, raw?: string) =>
  rest.call(method, path, role, body, raw);

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  layer.events.on('alarm', (e: { change: string }) => seen.alarm.push(e.change));
  layer.events.on('ticket', (e: { change: string }) => seen.ticket.push(e.change));
  rest = await serveWithTestRoles([...layer.routers]);
});

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

const tripped = { 'pump[1].fault': good(true), 'pump[1].running': good(false) };

describe('service layer end to end', () => {
  test('a pump trip raises an alarm and opens one ticket with SLA deadlines', async () => {
    await send('st1', tripped);
    const alarms = (await api('GET', '/alarms?station=st1', 'operator')).body.alarms;
    expect(alarms.map((a: { faultClass: string; status: string }) => `${a.faultClass}:${a.status}`)).toEqual([
      'pump_trip:active_unack',
    ]);
    const tickets = (await api('GET', '/tickets?station=st1', 'service')).body.tickets;
    expect(tickets.length).toBe(1);
    const [ticket] = tickets;
    expect([ticket.faultClass, ticket.severity, ticket.state, ticket.equipment.inWarranty]).toEqual([
      'pump_trip',
      'general',
      'new',
      true,
    ]);
    const deadlines = Object.fromEntries(
      ticket.sla.clocks.map((c: { clock: string; deadline: number | null }) => [
        c.clock,
        c.deadline === null ? null : c.deadline - ticket.createdAt,
      ]),
    );
    // The fix clock runs from arrival on site (赴现场后…修复): no deadline before a visit.
    expect(deadlines).toEqual({ respond: 0, on_site: 24 * 3_600_000, fix: null });
    expect(ticket.sla.clocks[2].state).toBe('not_started');
  });

  test('five more trips: still one ticket, six occurrences; clearing leaves the ticket open', async () => {
    for (let i = 0; i < 5; i++) {
      await send('st1', {}, 2500); // off-delay 2 s runs out on the next reading
      await send('st1', {}, 1000);
      await send('st1', tripped);
    }
    await send('st1', {}, 2500);
    await send('st1', {});
    const tickets = (await api('GET', '/tickets?station=st1', 'service')).body.tickets;
    expect(tickets.map((t: { occurrences: number; state: string }) => [t.occurrences, t.state])).toEqual([
      [6, 'new'],
    ]);
    const [alarm] = (await api('GET', '/alarms?station=st1', 'operator')).body.alarms;
    expect([alarm.status, alarm.occurrences]).toEqual(['cleared_unack', 6]);
  });

  test('failover: a loss-of-redundancy ticket while pressure stays normal', async () => {
    await send('st2', {});
    await send('st2', {
      ...tripped,
      'pump[2].running': good(true),
      'station.failover_count': good(1),
      'pressure.outlet': good(3.4),
    });
    const tickets = (await api('GET', '/tickets?station=st2', 'service')).body.tickets;
    expect(tickets.map((t: { faultClass: string }) => t.faultClass).sort()).toEqual([
      'pump_trip',
      'redundancy_lost',
    ]);
    const alarms = (await api('GET', '/alarms?station=st2&q=pressure', 'operator')).body.alarms;
    expect(alarms).toEqual([]);
  });

  test('a silent station raises comms lost on tick, and nothing beneath it', async () => {
    await send('st3', { 'pressure.outlet': good(3.4) });
    now += 61_000;
    await layer.tick(now);
    const alarms = (await api('GET', '/alarms?station=st3', 'operator')).body.alarms;
    expect(alarms.map((a: { faultClass: string }) => a.faultClass)).toEqual(['comms_lost']);
    const [ticket] = (await api('GET', '/tickets?station=st3', 'service')).body.tickets;
    expect([ticket.faultClass, ticket.severity, ticket.equipment.inWarranty]).toEqual([
      'comms_lost',
      'major',
      false,
    ]);
  });

  test('API: roles, validation and refusals are 4xx with a message', async () => {
    const [alarm] = (await api('GET', '/alarms?station=st1&q=pump_trip', 'operator')).body.alarms;
    expect((await api('GET', '/tickets', null)).status).toBe(401);
    expect((await api('POST', `/alarms/${alarm.id}/ack`, 'service', {})).status).toBe(403);
    const acked = await api('POST', `/alarms/${alarm.id}/ack`, 'operator', { note: 'seen' });
    expect([acked.status, acked.body.alarm.status, acked.body.alarm.acknowledgedBy]).toEqual([
      200,
      'cleared_ack',
      'operator',
    ]);
    const again = await api('POST', `/alarms/${alarm.id}/ack`, 'operator', {});
    expect([again.status, again.body.error]).toEqual([409, expect.stringMatching(/already acknowledged/)]);
    const bad = await api('GET', '/tickets?state=open', 'service');
    expect([bad.status, bad.body.error]).toEqual([400, expect.stringMatching(/^invalid request: state/)]);
    const malformed = await api('POST', '/tickets', 'service', undefined, '{"site":');
    expect(malformed.status).toBe(400);
    expect((await api('GET', '/tickets/424242', 'service')).status).toBe(404);
    expect((await api('GET', '/tickets/abc', 'service')).status).toBe(400);
    const history = await api('GET', `/alarms/${alarm.id}`, 'operator');
    expect(history.body.history.map((h: { action: string }) => h.action).slice(-2)).toEqual([
      'cleared',
      'acknowledged',
    ]);
  });

  test('the ticket workflow through the API, with its timeline', async () => {
    const [ticket] = (await api('GET', '/tickets?station=st1', 'service')).body.tickets;
    const path = `/tickets/${ticket.id}/transitions`;
    const refused = await api('POST', path, 'service', { action: 'arrive' });
    expect([refused.status, refused.body.error]).toEqual([
      409,
      expect.stringMatching(/cannot arrive a ticket that is new/),
    ]);
    expect(
      (await api('POST', path, 'operator', { action: 'triage', mode: 'on_site', department: 'after_sales' }))
        .status,
    ).toBe(403);
    const missing = await api('POST', path, 'service', { action: 'triage', mode: 'on_site' });
    expect([missing.status, missing.body.error]).toEqual([400, expect.stringMatching(/department/)]);
    const steps = [
      { action: 'triage', mode: 'on_site', department: 'after_sales', note: 'phone triage' },
      {
        action: 'dispatch',
        technician: 'Wang Wei',
        expectedArrival: new Date(now + 4 * 3_600_000).toISOString(),
      },
      { action: 'arrive' },
      {
        action: 'resolve',
        workDone: 'Replaced contactor',
        partsUsed: [{ part: 'contactor LC1D25', quantity: 1 }],
        rootCause: 'contactor_relay',
        ...QUALITY_RECORD,
        // Resolving while an alarm of the ticket is still active needs a reason; ignored when none is.
        overrideActiveAlarm: 'contactor replaced; the trip clears on the next poll',
      },
      { action: 'sign_off', signerName: 'Zhang San' },
      { action: 'close' },
    ];
    for (const step of steps) {
      now += 600_000;
      const result = await api('POST', path, 'service', step);
      expect([step.action, result.status]).toEqual([step.action, 200]);
    }
    const detail = (await api('GET', `/tickets/${ticket.id}`, 'engineer')).body.ticket;
    expect([detail.state, detail.resolution.rootCause, detail.signOff.signerName, detail.sla.state]).toEqual([
      'closed',
      'contactor_relay',
      'Zhang San',
      'ok',
    ]);
    expect(
      detail.timeline
        .filter((e: { action: string }) => e.action === 'transition')
        .map((e: { to: string }) => e.to),
    ).toEqual(['triaged', 'dispatched', 'on_site', 'resolved', 'signed_off', 'closed']);
    const report = await api('GET', '/reports/reliability?by=failure_mode', 'engineer');
    expect(report.body.rows.find((r: { key: string }) => r.key === 'contactor_relay')).toMatchObject({
      failures: 1,
      resolved: 1,
    });
  });

  test('manual ticket, shelving, SLA escalation on tick, and admin edits', async () => {
    const manual = await api('POST', '/tickets', 'service', {
      site: 'demo',
      station: 'st2',
      title: 'Customer reports low pressure on top floors',
      severity: 'minor',
      source: 'phone',
      reportedBy: 'Mr Li',
    });
    expect([manual.status, manual.body.ticket.source, manual.body.ticket.sla.clocks[2].state]).toEqual([
      201,
      'phone',
      'not_started',
    ]);
    // Nobody on site within the contract's 24 h: the on-site clock is breached and escalated.
    now += 24 * 3_600_000 + 60_000;
    await layer.tick(now);
    const breached = (await api('GET', '/tickets?sla=breached&station=st2', 'service')).body.tickets;
    expect(breached.map((t: { title: string }) => t.title)).toContain(
      'Customer reports low pressure on top floors',
    );
    expect(seen.ticket).toContain('escalation');
    const shelf = await api('POST', '/alarms/shelves', 'operator', {
      site: 'demo',
      station: 'st1',
      faultClass: 'pump_trip',
      subject: 'pump[1]',
      minutes: 30,
      reason: 'contactor on order',
    });
    expect(shelf.status).toBe(201);
    await send('st1', {}); // st1 answers again: its comms-lost alarm clears
    const before = layer.stats().alarmsRaised;
    await send('st1', tripped);
    await send('st1', tripped);
    expect(layer.stats().alarmsRaised).toBe(before);
    const active = (await api('GET', '/alarms?station=st1&state=active_unack,active_ack', 'operator')).body
      .alarms;
    expect(active).toEqual([]);
    expect((await api('PUT', '/contracts/demo-bid-2023', 'operator', {})).status).toBe(403);
    const edit = await api('PUT', '/contracts/demo-bid-2023', 'admin', {
      customerId: 'demo-water',
      name: 'Booster stations, purchase plan',
      slaPolicyId: 'purchase-plan',
      startsOn: '2023-01-01',
    });
    expect([edit.status, edit.body.contract.sla_policy_id]).toEqual([200, 'purchase-plan']);
    expect(
      (
        await api('PUT', '/contracts/demo-bid-2023', 'admin', {
          customerId: 'demo-water',
          name: 'x',
          slaPolicyId: 'nope',
          startsOn: '2023-01-01',
        })
      ).status,
    ).toBe(400);
    const stations = (await api('GET', '/assets/stations?site=demo', 'operator')).body.stations;
    expect(stations.map((s: { id: string; inWarranty: boolean }) => `${s.id}:${s.inWarranty}`)).toEqual([
      'st1:true',
      'st2:true',
    ]);
    const riverside = (await api('GET', '/assets/stations?site=riverside', 'operator')).body.stations;
    expect(riverside.map((s: { id: string; inWarranty: boolean }) => `${s.id}:${s.inWarranty}`)).toEqual([
      'st3:false',
    ]);
    expect(seen.alarm).toEqual(
      expect.arrayContaining(['raised', 'raised_again', 'cleared', 'acknowledged', 'shelved']),
    );
    expect(layer.stats().failures).toBe(0);
  });
});
