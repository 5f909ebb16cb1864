import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TelemetryValue } from '../../core/telemetry/payloads.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { good, stationTelemetry } from './station-telemetry.ts';

// The clock's turn evaluates only stations whose outcome time alone may have changed; these check
// that every such case still fires, on the clock, with no message arriving.
let now = Date.now();
let layer: ServiceLayer;
let rest: RoleApi;
const seq: Record<string, number> = {};
const siteOf = (station: string) => (station === 'st3' ? 'riverside' : 'demo');

async function send(station: string, values: Record<string, TelemetryValue> = {}): Promise<void> {
  seq[station] = (seq[station] ?? 0) + 1;
  const message = { ...stationTelemetry(station, seq[station], now, values), site: siteOf(station) };
  await layer.onTelemetry(message, now);
}

/** Moves the clock on and runs the service's tick; returns how many stations the tick evaluated. */
async function tickAfter(ms: number): Promise<number> {
  now += ms;
  const before = layer.stats().timedEvaluations;
  await layer.tick(now);
  return layer.stats().timedEvaluations - before;
}

const api = (method: string, path: string, role: string, body?: unknown) =>
  rest.call(method, path, role, body);

async function activeAlarms(station: string): Promise<string[]> {
  const { body } = await api('GET', `/alarms?station=${station}&state=active_unack,active_ack`, 'operator');
  return body.alarms.map((a: { faultClass: string }) => a.faultClass).sort();
}

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  rest = await serveWithTestRoles([...layer.routers]);
  // Past the start's grace for edges' offline statuses (120 s): its end is a time-driven change of its own.
  now += 121_000;
  await layer.tick(now);
});

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

describe('the clock evaluates what is due, and only that', () => {
  test('stations just heard from, with no delay running, are left to their messages', async () => {
    await send('st1');
    await send('st2');
    await send('st3');
    expect(await tickAfter(500)).toBe(0);
    expect(await tickAfter(500)).toBe(0);
  });

  test('an on-delay runs out on the clock while the station is silent', async () => {
    await send('st1', { 'pressure.outlet': good(1.9) }); // below 2 bar: a 30 s on-delay starts
    expect(await tickAfter(10_000)).toBe(0);
    expect(await activeAlarms('st1')).toEqual([]);
    expect(await tickAfter(20_500)).toBe(1);
    expect(await activeAlarms('st1')).toEqual(['outlet_pressure_low']);
    // An alarm that changed changes what suppresses other rules: the station is judged once more.
    expect(await tickAfter(500)).toBe(1);
    expect(await tickAfter(500)).toBe(0);
  });

  test('a station falls silent past its stale age: comms lost, raised by the clock', async () => {
    for (const station of ['st1', 'st2', 'st3']) await send(station);
    // st1 reads 3.5 bar again: its pressure alarm clears when the 10 s off-delay runs out.
    expect(await tickAfter(9000)).toBe(0);
    expect(await tickAfter(1500)).toBe(1);
    expect(await activeAlarms('st1')).toEqual([]);
    expect(await tickAfter(500)).toBe(1);
    expect(await tickAfter(48_000)).toBe(0);
    // 60 s is the default stale age: one tick later every station has been silent longer.
    expect(await tickAfter(2000)).toBe(3);
    expect(await activeAlarms('st2')).toEqual(['comms_lost']);
    expect(await activeAlarms('st3')).toEqual(['comms_lost']);
    // Judged once more after the change; then nothing is due until a station speaks again.
    expect(await tickAfter(1000)).toBe(3);
    expect(await tickAfter(1000)).toBe(0);
  });

  test('a shelf ended early: the standing fault is raised at the next tick, with no new message', async () => {
    await send('st2');
    expect(await activeAlarms('st2')).toEqual([]);
    const shelf = await api('POST', '/alarms/shelves', 'operator', {
      site: 'demo',
      station: 'st2',
      faultClass: 'pump_trip',
      subject: 'pump[1]',
      minutes: 30,
      reason: 'contactor on order',
    });
    expect(shelf.status).toBe(201);
    await send('st2', { 'pump[1].fault': good(true), 'pump[1].running': good(false) });
    expect(await activeAlarms('st2')).toEqual([]);
    expect((await api('DELETE', `/alarms/shelves/${shelf.body.shelf.id}`, 'operator')).status).toBe(204);
    expect(await tickAfter(500)).toBe(1);
    expect(await activeAlarms('st2')).toEqual(['pump_trip']);
    expect(await tickAfter(500)).toBe(1);
    expect(await tickAfter(500)).toBe(0);
  });

  test("a site's thresholds changed: its silent stations are judged by them at the next tick", async () => {
    await send('st3'); // 3.5 bar: healthy by the default 2 bar limit; its comms-lost alarm clears
    expect(await tickAfter(500)).toBe(1);
    expect(await tickAfter(500)).toBe(0);
    const put = await api('PUT', '/assets/sites/riverside/thresholds', 'admin', { outletPressureLowBar: 4 });
    expect(put.status).toBe(200);
    // The tick starts the 30 s on-delay under the new limit; it runs out on the clock.
    expect(await tickAfter(500)).toBe(1);
    expect(await tickAfter(29_000)).toBe(0);
    expect(await tickAfter(1000)).toBe(1);
    expect(await activeAlarms('st3')).toEqual(['outlet_pressure_low']);
  });

  test('a clock that went back judges every station again', async () => {
    const evaluated = await tickAfter(-5000);
    expect(evaluated).toBe(3);
    expect(layer.stats().failures).toBe(0);
  });
});
