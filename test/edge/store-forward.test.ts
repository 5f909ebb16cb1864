import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Forwarder } from '../../edge/store-forward/forwarder.ts';
import { LevelSpool, type SpooledMessage } from '../../edge/store-forward/spool.ts';
import { SpoolIndex } from '../../edge/store-forward/spool-index.ts';

const meta = (key: number, ts: number, bytes = 100) => ({ key, station: 'st1', ts, bytes });

describe('SpoolIndex', () => {
  test.each([
    { name: 'within limits', limits: { maxBytes: 1000, maxAgeMs: 10_000 }, now: 5000, evicted: [] },
    {
      name: 'over size: oldest first until within',
      limits: { maxBytes: 250, maxAgeMs: 10_000 },
      now: 5000,
      evicted: [
        { key: 0, reason: 'size' },
        { key: 1, reason: 'size' },
      ],
    },
    {
      name: 'too old by source time',
      limits: { maxBytes: 1000, maxAgeMs: 2500 },
      now: 5000,
      evicted: [
        { key: 0, reason: 'age' },
        { key: 1, reason: 'age' },
      ],
    },
    {
      name: 'age then size',
      limits: { maxBytes: 150, maxAgeMs: 3500 },
      now: 5000,
      evicted: [
        { key: 0, reason: 'age' },
        { key: 1, reason: 'size' },
        { key: 2, reason: 'size' },
      ],
    },
  ])('evictions: $name', ({ limits, now, evicted }) => {
    const index = new SpoolIndex(limits);
    for (let k = 0; k < 4; k++) index.add(meta(k, 1000 * (k + 1)));
    expect(index.evictions(now)).toEqual(evicted);
  });

  test('backlog skips messages in flight and keeps key order; release returns them', () => {
    const index = new SpoolIndex({ maxBytes: 1e6, maxAgeMs: 1e6 });
    for (let k = 0; k < 5; k++) index.add(meta(k, k));
    index.markInFlight(1);
    index.markInFlight(3);
    expect(index.backlog(10)).toEqual([0, 2, 4]);
    expect(index.backlog(2)).toEqual([0, 2]);
    expect(index.stats()).toEqual({ entries: 5, bytes: 500, inFlight: 2, backlog: 3 });
    index.release(1);
    expect(index.backlog(2)).toEqual([0, 1]);
    expect(index.remove(3)).toBe(true);
    expect(index.remove(3)).toBe(false);
    expect(index.stats()).toEqual({ entries: 4, bytes: 400, inFlight: 0, backlog: 4 });
  });
});

describe('LevelSpool', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('messages and per-station seq survive a reopen; removed ones are gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-spool-'));
    const message = (station: string, ts: number): SpooledMessage => ({
      topic: `aftercare/v1/s/${station}/telemetry`,
      payload: JSON.stringify({ station, ts }),
      station,
      ts,
    });
    const first = new LevelSpool(dir);
    expect(await first.open()).toEqual({ entries: [], lastSeq: {} });
    // Keys past 15 check that stored key order is numeric order (fixed-width hex).
    for (let key = 0; key < 40; key++) await first.append(key, message(key % 2 ? 'b' : 'a', 1000 + key), key);
    await first.remove([0, 1, 2]);
    await first.close();

    const second = new LevelSpool(dir);
    const contents = await second.open();
    expect(contents.entries.map((e) => e.key)).toEqual(Array.from({ length: 37 }, (_, i) => i + 3));
    expect(contents.lastSeq).toEqual({ a: 38, b: 39 });
    const [m3, m0] = await second.read([3, 0]);
    expect(m3).toEqual(message('b', 1003));
    expect(m0).toBeUndefined();
    await second.close();
  });

  test('a forwarder without a broker holds messages; a new one replays them in order once connected', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-spool-'));
    const offline = new Forwarder(
      new LevelSpool(dir),
      {},
      () => {},
      () => false,
    );
    await offline.open();
    for (let seq = 0; seq < 25; seq++) {
      offline.submit({ topic: 't', payload: String(seq), station: 'st1', ts: Date.now() }, seq);
    }
    await offline.close();

    const sent: string[] = [];
    const online = new Forwarder(
      new LevelSpool(dir),
      { drainPerSecond: 100, maxInFlight: 50 },
      (_topic, payload, done) => {
        sent.push(payload);
        setImmediate(() => done());
      },
      () => true,
    );
    expect(await online.open()).toEqual({ st1: 24 });
    const deadline = Date.now() + 5000;
    while (online.stats().entries > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    expect(online.stats()).toMatchObject({
      entries: 0,
      acked: 25,
      replayed: 25,
      evicted: { size: 0, age: 0 },
    });
    await online.close();
  });
});
