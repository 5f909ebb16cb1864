import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createGroupCommit } from '../../server/ingest/group-commit.ts';
import { InfluxWriteError } from '../../server/telemetry/influx-direct-write.ts';
import type { TelemetryPoint } from '../../server/telemetry/telemetry-store.ts';

const point = (station: string, ts: number): TelemetryPoint => ({
  site: 's',
  station,
  meaning: 'outlet.pressure',
  ts,
  value: 1,
  q: 'good',
});

/** A store write that records each request and completes when the test says so. */
function recordingWrite() {
  const requests: Array<{ points: readonly TelemetryPoint[]; finish: (error?: unknown) => void }> = [];
  const write = (points: readonly TelemetryPoint[]) =>
    new Promise<void>((resolve, reject) => {
      requests.push({ points, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { requests, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit of durable writes', () => {
  test('a lone message is written at once; messages arriving during a write share the next one', async () => {
    const { requests, write } = recordingWrite();
    const commit = createGroupCommit({ write });
    const settled: string[] = [];
    const first = commit([point('a', 1)]).then(() => settled.push('a'));
    await tick();
    expect(requests).toHaveLength(1);
    const rest = ['b', 'c', 'd'].map((s) => commit([point(s, 2), point(s, 3)]).then(() => settled.push(s)));
    await tick();
    expect(requests).toHaveLength(1);
    requests[0]!.finish();
    await first;
    await tick();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.points.map((p) => p.station)).toEqual(['b', 'b', 'c', 'c', 'd', 'd']);
    expect(settled).toEqual(['a']);
    requests[1]!.finish();
    await Promise.all(rest);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a batch is capped at maxPoints, never splitting one message', async () => {
    const { requests, write } = recordingWrite();
    const commit = createGroupCommit({ write, maxPoints: 4 });
    const all = [commit([point('a', 1)])];
    await tick();
    for (const s of ['b', 'c', 'd']) all.push(commit([point(s, 1), point(s, 2), point(s, 3)]));
    requests[0]!.finish();
    await tick();
    await tick();
    expect(requests.map((r) => r.points.length)).toEqual([1, 3]);
    requests[1]!.finish();
    await tick();
    await tick();
    requests[2]!.finish();
    await tick();
    await tick();
    requests[3]!.finish();
    await Promise.all(all);
    expect(requests.map((r) => r.points.length)).toEqual([1, 3, 3, 3]);
  });

  test('a retriable failure rejects every message of the batch (each retries on its own)', async () => {
    const { requests, write } = recordingWrite();
    const commit = createGroupCommit({ write });
    const first = commit([point('a', 1)]);
    await tick();
    const grouped = [commit([point('b', 1)]), commit([point('c', 1)])].map((p) =>
      p.then(
        () => 'stored',
        (e: Error) => e.message,
      ),
    );
    requests[0]!.finish();
    await first;
    await tick();
    requests[1]!.finish(new InfluxWriteError('InfluxDB answered 503', 503, true));
    expect(await Promise.all(grouped)).toEqual(['InfluxDB answered 503', 'InfluxDB answered 503']);
  });

  test('data the store refuses fails only its own message: the batch is split and retried one by one', async () => {
    const written: string[] = [];
    const commit = createGroupCommit({
      write: async (points) => {
        await tick();
        if (points.some((p) => p.station === 'bad'))
          throw new InfluxWriteError('InfluxDB answered 400: field type conflict', 400, false);
        written.push(...points.map((p) => p.station));
      },
    });
    const outcomes = await Promise.all(
      ['first', 'good1', 'bad', 'good2'].map((s) =>
        commit([point(s, 1)]).then(
          () => `${s} stored`,
          (e: Error) => `${s}: ${e.message}`,
        ),
      ),
    );
    expect(outcomes).toEqual([
      'first stored',
      'good1 stored',
      'bad: InfluxDB answered 400: field type conflict',
      'good2 stored',
    ]);
    expect(written.sort()).toEqual(['first', 'good1', 'good2']);
  });

  test('with maxConcurrentWrites, a second request starts on the next turn with what queued meanwhile', async () => {
    const { requests, write } = recordingWrite();
    const commit = createGroupCommit({ write, maxConcurrentWrites: 2 });
    const settled: string[] = [];
    const track = (s: string) => commit([point(s, 1)]).then(() => settled.push(s));
    const all = [track('a')];
    expect(requests).toHaveLength(1);
    // Same turn: these queue up behind 'a' and leave together on the next turn.
    all.push(track('b'), track('c'));
    expect(requests).toHaveLength(1);
    await tick();
    expect(requests.map((r) => r.points.map((p) => p.station))).toEqual([['a'], ['b', 'c']]);
    // Both requests under way: a third message waits for one of them.
    all.push(track('d'));
    await tick();
    expect(requests).toHaveLength(2);
    // The later request may finish first: its messages settle, 'a' does not.
    requests[1]!.finish();
    await tick();
    expect(settled).toEqual(['b', 'c']);
    expect(requests.map((r) => r.points.map((p) => p.station))).toEqual([['a'], ['b', 'c'], ['d']]);
    requests[0]!.finish();
    requests[2]!.finish();
    await Promise.all(all);
    expect(settled.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  describe('with a linger', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    test('messages trickling in within the linger share one write, sent when the oldest has waited it', async () => {
      const { requests, write } = recordingWrite();
      const commit = createGroupCommit({ write, lingerMs: 50, maxConcurrentWrites: 4 });
      const all = [commit([point('a', 1)])];
      await vi.advanceTimersByTimeAsync(20);
      all.push(commit([point('b', 1)]));
      await vi.advanceTimersByTimeAsync(20);
      all.push(commit([point('c', 1)]));
      expect(requests).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(9);
      expect(requests).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(requests.map((r) => r.points.map((p) => p.station))).toEqual([['a', 'b', 'c']]);
      requests[0]!.finish();
      await Promise.all(all);
      // The next message waits its own linger, not the rest of an old one.
      const late = commit([point('d', 2)]);
      await vi.advanceTimersByTimeAsync(49);
      expect(requests).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(requests).toHaveLength(2);
      requests[1]!.finish();
      await late;
    });

    test('a full batch does not wait for the linger', async () => {
      const { requests, write } = recordingWrite();
      const commit = createGroupCommit({ write, lingerMs: 1000, maxPoints: 4 });
      const all = [commit([point('a', 1), point('a', 2)]), commit([point('b', 1), point('b', 2)])];
      await vi.advanceTimersByTimeAsync(0);
      expect(requests.map((r) => r.points.length)).toEqual([4]);
      requests[0]!.finish();
      await Promise.all(all);
    });
  });
});
