/**
 * Keeps aedes 1.2 alive when a subscriber drops out during a QoS 0 flood.
 *
 * Where the crash comes from (mqemitter 7.1, fastparallel 2): aedes' emitter runs at most
 * `concurrency` (100) messages at once and queues the rest. A slow subscriber holds those slots
 * (aedes waits for its socket to drain), so under a flood thousands of messages pile up in
 * `mq._messageQueue`. When that subscriber dies its listener is removed, and each queued message
 * now matches nobody. fastparallel calls back *synchronously* for an empty listener list, and
 * mqemitter's `released()` then starts the next queued message in the same stack:
 *
 *   released -> _do -> _parallel(no listeners) -> done + released -> _do -> _parallel -> ...
 *
 * one level per queued message, until "RangeError: Maximum call stack size exceeded" kills the
 * process (reproduced: 3 publishers of 10-byte QoS 0 messages, subscriber stalled then killed).
 * The fix proposed upstream (mcollina/mqemitter#204) is not released; the maintainer's advice
 * there is to go async only after many calls in the same tick, which is what this guard does:
 * it counts how deep `_parallel` calls are nested and, past `maxDepth`, continues the chain on
 * the next turn of the event loop with a fresh stack. In normal operation the depth stays far
 * below the limit and nothing is deferred.
 */

interface EmitterInternals {
  _parallel?: (that: unknown, listeners: unknown[], message: unknown, done: unknown) => void;
}

/** Nesting depth at which the chain is continued on a fresh stack (each level is ~8 frames). */
export const DEFAULT_MAX_SYNC_DEPTH = 100;

export function guardEmitterRecursion(
  mq: unknown,
  onDefer: () => void = () => {},
  maxDepth: number = DEFAULT_MAX_SYNC_DEPTH,
): void {
  const emitter = mq as EmitterInternals;
  const parallel = emitter._parallel;
  if (typeof parallel !== 'function') {
    // A future mqemitter without `_parallel`: fail at start-up, not under load in production.
    throw new Error(
      'flood guard: aedes.mq has no _parallel (mqemitter changed); review broker/flood-guard.ts',
    );
  }
  let depth = 0;
  const guarded: NonNullable<EmitterInternals['_parallel']> = function (
    this: unknown,
    that,
    listeners,
    message,
    done,
  ) {
    if (depth >= maxDepth) {
      onDefer();
      setImmediate(() => guarded.call(this, that, listeners, message, done));
      return;
    }
    depth++;
    try {
      parallel.call(this, that, listeners, message, done);
    } finally {
      depth--;
    }
  };
  emitter._parallel = guarded;
}
