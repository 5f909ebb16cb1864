import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, test } from 'vitest';
import { Forwarder } from '../../edge/store-forward/forwarder.ts';
import {
  decodeMessage,
  encodeMessage,
  LevelSpool,
  MemorySpool,
  type QueuedMessage,
  type SpooledMessage,
} from '../../edge/store-forward/spool.ts';

const message = (station: string, ts: number): SpooledMessage => ({
  topic: `aftercare/v1/s/${station}/telemetry`,
  payload: JSON.stringify({ station, ts, values: { 'a.b': { v: 1.5, q: 'good' } }, note: 'tab\there' }),
  station,
  ts,
});

/** A memory spool whose writes take a while, so submissions pile up behind the one under way. */
class SlowSpool extends MemorySpool {
  writes = 0;
  override async appendMany(
    entries: ReadonlyArray<{ key: number; message: SpooledMessage; seq: number }>,
  ): Promise<void> {
    this.writes += 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    await super.appendMany(entries);
  }
}

describe('grouped spool writes', () => {
  test('messages submitted during a write go in the next one together, and all are sent', async () => {
    const spool = new SlowSpool();
    const sent: string[] = [];
    let groups = 0;
    const forwarder = new Forwarder(
      spool,
      {},
      (_topic, payload, done) => {
        sent.push(payload);
        done();
      },
      () => true,
      undefined,
      undefined,
      (sends) => {
        groups += 1;
        sends();
      },
    );
    await forwarder.open();
    // Source times of now: older ones would be evicted by age.
    const t0 = Date.now();
    for (let i = 0; i < 200; i++) {
      forwarder.submit(message(`st${i % 10}`, t0 + i), i);
      if (i === 99) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(forwarder.queued()).toBeGreaterThan(0);
    await forwarder.close();
    expect(sent).toHaveLength(200);
    expect(sent.map((p) => (JSON.parse(p) as { ts: number }).ts)).toEqual(
      Array.from({ length: 200 }, (_, i) => t0 + i),
    );
    expect(spool.writes).toBeLessThanOrEqual(3);
    expect(forwarder.stats()).toMatchObject({ acked: 200, batches: spool.writes, lost: 0, entries: 0 });
    expect(groups).toBe(spool.writes);
  });

  test('messages submitted within the write linger share one spool write; a later one gets its own', async () => {
    const spool = new SlowSpool();
    const forwarder = new Forwarder(
      spool,
      { writeLingerMs: 40 },
      (_t, _p, done) => done(),
      () => true,
    );
    await forwarder.open();
    const t0 = Date.now();
    // Three turns of the event loop, as stations finishing their cycles one after another.
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 10; i++) forwarder.submit(message(`st${i}`, t0 + turn * 10 + i), turn * 10 + i);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(spool.writes).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spool.writes).toBe(1);
    expect(forwarder.stats()).toMatchObject({ acked: 30, batches: 1 });
    forwarder.submit(message('st0', t0 + 30), 30);
    await forwarder.close();
    expect(spool.writes).toBe(2);
    expect(forwarder.stats()).toMatchObject({ acked: 31, batches: 2, lost: 0 });
  });

  test('messages acknowledged within the delete linger leave the spool in one delete, and a stop deletes what is pending', async () => {
    class CountingSpool extends MemorySpool {
      removeCalls: number[][] = [];
      written: number[] = [];
      override async appendMany(entries: readonly QueuedMessage[]): Promise<void> {
        this.written.push(...entries.map((e) => e.key));
        await super.appendMany(entries);
      }
      async held(): Promise<number> {
        return (await this.read(this.written)).filter(Boolean).length;
      }
      override async remove(keys: readonly number[]): Promise<void> {
        this.removeCalls.push([...keys]);
        await super.remove(keys);
      }
    }
    const spool = new CountingSpool();
    const acks: Array<() => void> = [];
    const forwarder = new Forwarder(
      spool,
      { writeLingerMs: 5, removeLingerMs: 50 },
      (_topic, _payload, done) => acks.push(() => done()),
      () => true,
    );
    await forwarder.open();
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) forwarder.submit(message(`st${i % 5}`, t0 + i), i);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(acks).toHaveLength(50);
    // 40 PUBACKs arrive over two turns of the event loop, within the linger: one delete of 40 keys.
    for (const ack of acks.splice(0, 20)) ack();
    await new Promise((resolve) => setImmediate(resolve));
    for (const ack of acks.splice(0, 20)) ack();
    await new Promise((resolve) => setImmediate(resolve));
    expect(spool.removeCalls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spool.removeCalls.map((keys) => keys.length)).toEqual([40]);
    expect(await spool.held()).toBe(10);
    // The last 10 are acknowledged just before the edge stops: close deletes them before it ends.
    for (const ack of acks.splice(0)) ack();
    await forwarder.close();
    expect(spool.removeCalls.map((keys) => keys.length)).toEqual([40, 10]);
    expect(spool.written).toHaveLength(50);
    expect(await spool.held()).toBe(0);
    expect(forwarder.stats()).toMatchObject({ acked: 50, lost: 0 });
  });

  test('a spooled message is kept as a line of text and read back as it was; the older JSON form still reads', async () => {
    const m = message('st1', 42);
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
    expect(decodeMessage(JSON.stringify(m))).toEqual(m);

    const dir = await mkdtemp(join(tmpdir(), 'aftercare-spool-batch-'));
    try {
      // A spool an older edge wrote: JSON values.
      const old = new ClassicLevel<string, unknown>(dir, { valueEncoding: 'json' });
      await old.batch([
        { type: 'put', key: `m!${(7).toString(16).padStart(13, '0')}`, value: message('old', 7) },
        { type: 'put', key: 's!old', value: 3 },
      ]);
      await old.close();
      const spool = new LevelSpool(dir);
      const contents = await spool.open();
      expect(contents.lastSeq).toEqual({ old: 3 });
      await spool.appendMany([
        { key: 8, message: message('st1', 8), seq: 5 },
        { key: 9, message: message('st1', 9), seq: 6 },
      ]);
      expect(await spool.read([7, 8, 9])).toEqual([message('old', 7), message('st1', 8), message('st1', 9)]);
      await spool.close();
      expect((await spool.open()).lastSeq).toEqual({ old: 3, st1: 6 });
      await spool.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
