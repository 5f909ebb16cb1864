import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { createServerMetrics } from '../../server/http/metrics.ts';
import { createIngestPipeline } from '../../server/ingest/pipeline.ts';
import { StationHub } from '../../server/ingest/station-hub.ts';
import { openPgliteStore } from '../../server/telemetry/pglite-store.ts';
import type { TelemetryStore } from '../../server/telemetry/telemetry-store.ts';

const T = Date.now() - 60_000;
const message = (station: string, seq: number): Telemetry => ({
  v: 1,
  site: 'bp',
  station,
  edge: 'e1',
  model: 'booster-3p-380',
  seq,
  ts: T + seq * 10,
  state: 'ok',
  values: { 'pressure.outlet': { v: 4 + seq / 1000, q: 'good' } },
});

let dir: string;
let store: TelemetryStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-backpressure-'));
  store = await openPgliteStore({ dir });
});
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A hub whose one consumer (the rules and models) waits at a gate: the evaluations fall behind while
 * the store keeps taking the points, as at 2,000 stations on a small machine.
 */
function slowEvaluations(maxEvaluationBacklog: number) {
  const hub = new StationHub();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let evaluated = 0;
  hub.subscribe({
    onTelemetry: async () => {
      await gate;
      evaluated += 1;
    },
  });
  const metrics = createServerMetrics();
  const ingest = createIngestPipeline({
    store,
    hub,
    metrics,
    logger: silentLogger(),
    writeLingerMs: 0,
    maxEvaluationBacklog,
  });
  const send = (m: Telemetry) =>
    ingest(`aftercare/v1/${m.site}/${m.station}/telemetry`, Buffer.from(JSON.stringify(m)));
  return { hub, send, open, evaluated: () => evaluated, metrics };
}

const settledWithin = async (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('ingest back-pressure from the rules and models', () => {
  test('within the backlog, a message is acknowledged once stored, its evaluation still waiting', async () => {
    const { hub, send, open, evaluated } = slowEvaluations(10);
    const acks = Array.from({ length: 8 }, (_, i) => send(message(`s${i % 4}`, i)));
    expect(await settledWithin(Promise.all(acks), 5000)).toBe(true);
    expect(hub.backlog()).toBe(8);
    expect(evaluated()).toBe(0);
    open();
    await hub.idle();
    expect(evaluated()).toBe(8);
    expect(hub.backlog()).toBe(0);
  });

  test('past the backlog, acknowledgements wait for their evaluations: the queue stops growing here', async () => {
    const { hub, send, open, evaluated, metrics } = slowEvaluations(10);
    const sent = [
      ...Array.from({ length: 10 }, (_, i) => message(`s${i % 4}`, 100 + i)),
      ...Array.from({ length: 5 }, (_, i) => message(`s${i % 4}`, 200 + i)),
    ];
    const first = sent.slice(0, 10).map(send);
    expect(await settledWithin(Promise.all(first), 5000)).toBe(true);
    const behind = sent.slice(10).map(send);
    expect(await settledWithin(Promise.all(behind), 500)).toBe(false);
    expect(hub.backlog()).toBe(15);
    expect((await metrics.evaluationBacklog.get()).values[0]?.value).toBeGreaterThan(10);
    open();
    expect(await settledWithin(Promise.all(behind), 5000)).toBe(true);
    expect(evaluated()).toBe(15);
    // Every message's points were stored: each station's newest is the last one it sent.
    for (const station of ['s0', 's1', 's2', 's3']) {
      const last = sent.filter((m) => m.station === station).at(-1)!;
      const stored = await store.latest('bp', station);
      expect(stored.find((v) => v.meaning === 'pressure.outlet')).toMatchObject({
        ts: last.ts,
        value: last.values['pressure.outlet']!.v,
      });
    }
  });
});
