import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { StationHub } from '../../server/ingest/station-hub.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { good, stationTelemetry } from './station-telemetry.ts';

// Scale-out: an instance that gives a partition up forgets its stations; the new owner judges them.
const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let layer: ServiceLayer;
const seq: Record<string, number> = {};

const send = (station: string) => {
  seq[station] = (seq[station] ?? 0) + 1;
  return layer.onTelemetry(
    stationTelemetry(station, seq[station] ?? 0, now, { 'pressure.outlet': good(3.4) }),
    now,
  );
};

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
});

afterAll(async () => {
  await layer?.close();
});

describe('forgetting stations (a partition given up)', () => {
  test('the hub drops the held state after what the station had queued, and tells its consumers', async () => {
    const hub = new StationHub();
    const order: string[] = [];
    hub.subscribe({
      onTelemetry: async (message: Telemetry) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`message ${message.seq}`);
      },
      onForget: (site, station) => order.push(`forget ${site}/${station}`),
    });
    const message = stationTelemetry('st9', 1, T0, { 'pressure.outlet': good(3) });
    const accepted = hub.accept(message, T0);
    const forgotten = hub.forget(message.site, 'st9');
    expect(hub.latest.get(message.site, 'st9')).toBeDefined();
    await Promise.all([accepted.done, forgotten]);
    expect(order).toEqual(['message 1', `forget ${message.site}/st9`]);
    expect(hub.latest.get(message.site, 'st9')).toBeUndefined();
    // Taken again later: it starts fresh, as a new station.
    expect(hub.accept({ ...message, seq: 0, ts: T0 - 5000 }, T0).verdict).toBe('live');
  });

  test('a forgotten station raises no comms_lost when it goes silent here; a kept one does', async () => {
    await send('st1');
    await send('st2');
    await layer.hub.forget(stationTelemetry('st1', 0, now, {}).site, 'st1');
    now += 61_000;
    await layer.tick(now);
    const active = await layer.stores.alarms.active();
    expect(active.map((a) => `${a.station}:${a.fault_class}`).sort()).toEqual(['st2:comms_lost']);
    now += 61_000;
    await layer.tick(now);
    expect((await layer.stores.alarms.active()).some((a) => a.station === 'st1')).toBe(false);
  });

  test('a forgotten station that comes back (the partition taken again) is judged afresh', async () => {
    await send('st1');
    now += 61_000;
    await layer.tick(now);
    const active = await layer.stores.alarms.active();
    expect(active.filter((a) => a.station === 'st1').map((a) => a.fault_class)).toEqual(['comms_lost']);
  });
});
