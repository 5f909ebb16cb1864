import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { good, stationTelemetry } from './station-telemetry.ts';

const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let seq = 0;
let layer: ServiceLayer;

const tripped = { 'pump[1].fault': good(true), 'pump[1].running': good(false) };

async function sendTrip(): Promise<void> {
  seq += 1;
  await layer.onTelemetry(stationTelemetry('st1', seq, now, tripped), now);
  now += 1000;
}

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
});

afterAll(async () => {
  await layer?.close();
});

describe('an alarm and its ticket are written together', () => {
  test('a ticket write that fails leaves no alarm behind; the next reading writes both, linked', async () => {
    // The last write of the transaction (the ticket's audit event) is refused.
    await sql`CREATE FUNCTION refuse_ticket_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'ticket events refused by the test'; END $$`.execute(layer.db);
    await sql`CREATE TRIGGER refuse_ticket_event BEFORE INSERT ON ticket_events
      FOR EACH ROW EXECUTE FUNCTION refuse_ticket_event()`.execute(layer.db);
    await sendTrip();
    expect(layer.stats().failures).toBe(1);
    expect(await layer.stores.alarms.list({ station: 'st1' })).toEqual([]);
    expect(await layer.stores.tickets.list({ station: 'st1' })).toEqual([]);

    await sql`DROP TRIGGER refuse_ticket_event ON ticket_events`.execute(layer.db);
    await sendTrip();
    const alarms = await layer.stores.alarms.list({ station: 'st1' });
    const tickets = await layer.stores.tickets.list({ station: 'st1' });
    expect(alarms.map((a) => [a.fault_class, a.status, a.occurrences])).toEqual([
      ['pump_trip', 'active_unack', 1],
    ]);
    expect(tickets.map((t) => [t.fault_class, t.occurrence_count])).toEqual([['pump_trip', 1]]);
    expect(alarms[0]?.ticket_id).toBe(tickets[0]?.id);
    expect([layer.stats().alarmsRaised, layer.stats().ticketsOpened]).toEqual([1, 1]);
  });
});
