import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from '../core/node-flags.ts';

/** The young generation's cap: 2 x 8 MB semi-spaces, as `--max-semi-space-size=8` gives. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;

/**
 * V8 settings for the long-running server, applied in its own process at start:
 * - `--heap-growing-percent=50`: the old generation may grow by half its live size before the next
 *   full collection, instead of V8's up to 4x. At 1,000 stations the server allocates ~100 MB a
 *   second of short-lived messages; with V8's default the heap stood at 220-340 MB used for ~80 MB
 *   live (bench fleet: server RSS 444 MiB, 257 MiB with this). Read by V8 at each full collection.
 * - the young generation held to YOUNG_GENERATION_CAP_BYTES (capYoungGeneration). V8 grows it to
 *   2 x 16 MB under that load; at 2 x 8 MB the bench's server held 234-240 MiB instead of 244-265
 *   with no CPU difference the runs could show.
 * Flags given to node (command line or NODE_OPTIONS) win.
 */
export function tuneServerHeap(): string[] {
  const applied: string[] = [];
  if (!nodeFlagGiven('--heap-growing-percent')) {
    setFlagsFromString('--heap-growing-percent=50');
    applied.push('--heap-growing-percent=50');
  }
  if (!nodeFlagGiven('--max-semi-space-size') && !nodeFlagGiven('--semi-space-growth-factor')) {
    capYoungGeneration(YOUNG_GENERATION_CAP_BYTES);
    applied.push(`young generation <= ${YOUNG_GENERATION_CAP_BYTES / 1024 / 1024} MiB`);
  }
  return applied;
}

/**
 * `--max-semi-space-size` only counts on node's command line, which `aftercare server` does not
 * own; `--semi-space-growth-factor` is read at every resize. So after each collection the young
 * generation may grow (by V8's factor 2) while doubling keeps it within `capBytes`, and stops
 * growing once it would not; should V8 shrink it again (a quiet spell), it may grow back.
 * Returns a function that stops watching.
 */
export function capYoungGeneration(capBytes: number): () => void {
  let growing = true;
  const check = () => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!young) return;
    const grow = young.space_size * 2 <= capBytes;
    if (grow === growing) return;
    growing = grow;
    setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => observer.disconnect();
}
