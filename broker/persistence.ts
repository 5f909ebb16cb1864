import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Level } from 'level';

const require = createRequire(import.meta.url);

export interface PersistenceChoice {
  /** Passed to aedes as `persistence`. */
  persistence: object;
  kind: 'memory' | 'level';
  /** Waits for writes in flight (bounded), then closes the store. Call after aedes has closed. */
  close(): Promise<void>;
}

/** How long close() waits for persistence writes still in flight before closing the store anyway. */
const SETTLE_TIMEOUT_MS = 5000;

/**
 * QoS 1 sessions, offline queues, in-flight and retained messages: on disk under `dataDir` with
 * aedes-persistence-level (LevelDB), or in memory without a data dir.
 */
export async function choosePersistence(dataDir: string | undefined): Promise<PersistenceChoice> {
  if (dataDir === undefined) {
    // aedes' own in-memory default, made here so the queue budget can wrap it (queue-budget.ts).
    const AsyncMemoryPersistence = require('aedes-persistence/asyncPersistence.js') as new () => object;
    return { persistence: new AsyncMemoryPersistence(), kind: 'memory', close: async () => {} };
  }
  const location = join(dataDir, 'aedes-level');
  await mkdir(location, { recursive: true });
  const db = new Level<string, Buffer>(location);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(
      `cannot open the broker store ${location}: ${cause} (is another broker using this data dir?)`,
    );
  }
  // The async class, not the package's main export: that one wraps it for callbacks, and its
  // destroy() waits for a 'ready' event that aedes 1.2's promise-based setup() never causes.
  const AsyncLevelPersistence = require('aedes-persistence-level/asyncPersistence.js') as new (
    db: Level<string, Buffer>,
  ) => object;
  const tracked = trackPending(new AsyncLevelPersistence(db));
  return {
    persistence: tracked.target,
    kind: 'level',
    close: async () => {
      await tracked.settled(SETTLE_TIMEOUT_MS);
      await db.close();
    },
  };
}

/**
 * aedes acknowledges a QoS 1 PUBLISH and then stores it for offline subscribers; on close, those
 * writes may still be running, so the store is closed only once they have settled.
 */
function trackPending(instance: object): { target: object; settled(timeoutMs: number): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const track = (result: unknown) => {
    if (result instanceof Promise) {
      pending.add(result);
      const forget = () => pending.delete(result);
      result.then(forget, forget);
    }
    return result;
  };
  const wrappers = new Map<PropertyKey, unknown>();
  const target = new Proxy(instance, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (!wrappers.has(property)) {
        // `object`, not the proxy, as `this`: the class keeps its db in #private fields. An async
        // method stays an AsyncFunction: aedes refuses a persistence whose setup() is not one.
        const call = (args: unknown[]) => track(value.apply(object, args));
        const isAsync = value.constructor.name === 'AsyncFunction';
        wrappers.set(
          property,
          isAsync ? async (...args: unknown[]) => await call(args) : (...args: unknown[]) => call(args),
        );
      }
      return wrappers.get(property);
    },
  });
  return {
    target,
    settled: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.allSettled([...pending]),
          new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
        ]);
      }
    },
  };
}
