import { performance } from 'node:perf_hooks';
import type { FromWorker, ToWorker } from '../child.ts';

/**
 * Now, in ms since the epoch at sub-millisecond resolution: one clock that processes on one
 * machine share (each process's monotonic clock from its own start), unlike performance.now().
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface WorkerImpl {
  /** What the bench gets back once started (ports, urls). */
  info: unknown;
  calls?: Record<string, (args: unknown) => unknown>;
  stop(): Promise<void>;
}

/**
 * The worker side of bench/child.ts: waits for `start`, answers `call`s, and on `stop` (or when
 * the bench goes away) stops and exits. Every worker also answers `memory` (process.memoryUsage())
 * and `loopBusy` (its event loop's utilisation since the last such call).
 */
export function serveWorker(start: (options: never) => Promise<WorkerImpl>): void {
  let elu = performance.eventLoopUtilization();
  const builtIn: Record<string, () => unknown> = {
    memory: () => process.memoryUsage(),
    /** Share of the time since the previous call (or start) the event loop was busy, 0..1. */
    loopBusy: () => {
      const now = performance.eventLoopUtilization();
      const share = performance.eventLoopUtilization(now, elu).utilization;
      elu = now;
      return share;
    },
  };
  const send = (message: FromWorker) => process.send?.(message);
  let impl: WorkerImpl | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 8000);
    try {
      await impl?.stop();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('message', async (message: ToWorker) => {
    if (message.type === 'start') {
      try {
        impl = await start(message.options as never);
        send({ type: 'ready', info: impl.info });
      } catch (error) {
        send({ type: 'failed', error: (error as Error).stack ?? String(error) });
        process.exit(1);
      }
    } else if (message.type === 'call') {
      try {
        const fn = builtIn[message.name] ?? impl?.calls?.[message.name];
        if (!fn) throw new Error(`no call "${message.name}"`);
        send({ type: 'result', id: message.id, value: await fn(message.args) });
      } catch (error) {
        send({ type: 'result', id: message.id, error: (error as Error).message });
      }
    } else if (message.type === 'stop') {
      await stop();
    }
  });
}
