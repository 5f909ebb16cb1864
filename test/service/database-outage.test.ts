import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RunningPostgres, startPostgres } from '../support/postgres.ts';
import { good, stationTelemetry } from './station-telemetry.ts';

const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let postgres: RunningPostgres;
let layer: ServiceLayer;
let seq = 0;

/** Pump 1 faulted, pump 2 took over. */
const tripped = {
  'pump[1].running': good(false),
  'pump[1].fault': good(true),
  'pump[2].running': good(true),
};

function telemetry(values: Record<string, TelemetryValue>): Telemetry {
  seq += 1;
  return stationTelemetry('st1', seq, now, values);
}

beforeAll(async () => {
  postgres = await startPostgres();
  layer = await startServiceLayer({ databaseUrl: postgres.url, clock: () => now, seedDemo: true });
}, 120_000);

afterAll(async () => {
  await layer?.close();
  await postgres?.stop();
});

describe('the ticket database briefly unavailable', () => {
  test('a pump trip raised while PostgreSQL is down still becomes its alarm and its ticket', async () => {
    // A healthy station first (the site's thresholds are read and kept).
    await layer.onTelemetry(telemetry({}), now);
    now += 1000;
    const failuresBefore = layer.stats().failures;
    // PostgreSQL goes away; the pump trips meanwhile, long enough for every on-delay: the rules
    // fire while nothing can be written.
    const outage = postgres.outage(3000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 5; i++) {
      await layer.onTelemetry(telemetry(tripped), now);
      now += 1000;
    }
    expect(layer.stats().failures).toBeGreaterThan(failuresBefore);
    await outage;
    // Back: the next tick (or message) records what the outage held up, once.
    let tickets: Awaited<ReturnType<typeof layer.stores.tickets.list>> = [];
    for (let i = 0; i < 50 && tickets.length === 0; i++) {
      await layer.onTelemetry(telemetry(tripped), now);
      now += 1000;
      await layer.tick(now);
      tickets = await layer.stores.tickets.list({ station: 'st1' }).catch(() => []);
    }
    expect(tickets.map((t) => t.fault_class)).toContain('pump_trip');
    const alarms = await layer.stores.alarms.active();
    expect(alarms.filter((a) => a.station === 'st1' && a.fault_class === 'pump_trip')).toHaveLength(1);
    // More readings of the same fault add nothing: one ticket, one occurrence.
    for (let i = 0; i < 3; i++) {
      now += 1000;
      await layer.onTelemetry(telemetry(tripped), now);
    }
    const after = await layer.stores.tickets.list({ station: 'st1' });
    const trip = after.filter((t) => t.fault_class === 'pump_trip');
    expect(trip).toHaveLength(1);
    expect(trip[0]!.occurrence_count).toBe(1);
  }, 60_000);
});
