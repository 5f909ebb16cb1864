import { InfluxWriteError } from '../telemetry/influx-direct-write.ts';
import type { TelemetryPoint } from '../telemetry/telemetry-store.ts';

export interface GroupCommitOptions {
  /** The durable write (TelemetryStore.writeDurable). */
  write: (points: readonly TelemetryPoint[]) => Promise<void>;
  /** Most points in one write request. Default 5000. */
  maxPoints?: number;
  /**
   * Write requests in flight at once. Default 1: the classic group commit. With more, a further
   * request starts on the next turn of the event loop (so the messages of one socket read still
   * share it) while the others are under way.
   */
  maxConcurrentWrites?: number;
  /**
   * How long the oldest queued message may wait for others to share its write (Kafka's linger.ms),
   * unless the batch is full. Default 0: written at once. At a 1 s poll the messages of many
   * stations trickle in one by one, and a request each costs far more than the points in it.
   */
  lingerMs?: number;
}

interface Waiter {
  points: readonly TelemetryPoint[];
  resolve: () => void;
  reject: (error: unknown) => void;
  /** When it was queued (performance.now()), for the linger. */
  at: number;
}

/**
 * Group commit, as databases do it for their log: while one durable write is in flight, the points
 * of every message that arrives queue up, and the next write takes them all at once. A lone message
 * is written at once (no timer, no added latency); under load, one round trip serves hundreds of
 * messages. Each caller's promise settles with the write that carried its points; with several
 * writes under way they may settle out of order (ordered-acks.ts still acknowledges in order).
 *
 * A write the store refuses as bad data (InfluxWriteError, not retriable) is split: every message
 * is written alone, so one bad message cannot fail the good ones it was grouped with.
 */
export function createGroupCommit(
  options: GroupCommitOptions,
): (points: readonly TelemetryPoint[]) => Promise<void> {
  const maxPoints = options.maxPoints ?? 5000;
  const maxWrites = options.maxConcurrentWrites ?? 1;
  const lingerMs = options.lingerMs ?? 0;
  let queue: Waiter[] = [];
  let queuedPoints = 0;
  let writing = 0;
  let deferred = false;
  let lingerTimer: NodeJS.Timeout | undefined;

  const takeBatch = (): Waiter[] => {
    let count = 0;
    let taken = 0;
    while (taken < queue.length && (taken === 0 || count + queue[taken]!.points.length <= maxPoints)) {
      count += queue[taken]!.points.length;
      taken++;
    }
    const batch = queue.slice(0, taken);
    queue = queue.slice(taken);
    queuedPoints -= count;
    return batch;
  };

  const writeBatch = async (batch: Waiter[]): Promise<void> => {
    try {
      await options.write(batch.length === 1 ? batch[0]!.points : batch.flatMap((w) => w.points));
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      if (batch.length > 1 && error instanceof InfluxWriteError && !error.retriable) {
        for (const waiter of batch) await writeBatch([waiter]);
        return;
      }
      for (const waiter of batch) waiter.reject(error);
    }
  };

  const start = () => {
    if (writing >= maxWrites || queue.length === 0) return;
    if (lingerMs > 0 && queuedPoints < maxPoints) {
      const waited = performance.now() - queue[0]!.at;
      if (waited < lingerMs) {
        lingerTimer ??= setTimeout(() => {
          lingerTimer = undefined;
          start();
        }, lingerMs - waited);
        return;
      }
    }
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
    }
    writing++;
    void writeBatch(takeBatch()).finally(() => {
      writing--;
      start();
    });
    if (queue.length > 0 && writing < maxWrites) startSoon();
  };

  const startSoon = () => {
    if (deferred) return;
    deferred = true;
    setImmediate(() => {
      deferred = false;
      start();
    });
  };

  return (points) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ points, resolve, reject, at: lingerMs > 0 ? performance.now() : 0 });
      queuedPoints += points.length;
      if (writing === 0) start();
      else if (writing < maxWrites) startSoon();
    });
}
