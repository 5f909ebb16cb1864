import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from '../core/node-flags.ts';

/** How far the old generation may grow past its live size before a full collection, %. */
export const HEAP_GROWING_PERCENT = 25;

/** One full collection in this many compacts the old generation (see compactEveryNthFullGc). */
export const COMPACT_EVERY_FULL_GCS = 8;

/** The young generation's cap: 2 x 8 MB semi-spaces, as `--max-semi-space-size=8` gives. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;

/**
 * V8 settings for the long-running server, applied in its own process at start:
 * - `--heap-growing-percent=25`: the old generation may grow by a quarter of its live size before the
 *   next full collection, instead of V8's up to 4x. At 1,000 stations the server allocates ~80 MB a
 *   second of short-lived messages; with V8's default the heap stood at 220-340 MB used for ~80 MB
 *   live (bench fleet: server RSS 444 MiB, 257 MiB at 50%). At 25%, with every station's models at
 *   their full 8 days (~75 MB live), RSS 242-249 MiB where 50% held 250-261, for a full collection
 *   every ~1.9 s instead of ~3.3 (~10 ms each: ~0.5% of one core). Read by V8 at each full collection.
 * - the young generation held to YOUNG_GENERATION_CAP_BYTES (capYoungGeneration). V8 grows it to
 *   2 x 16 MB under that load; at 2 x 8 MB the bench's server held 234-240 MiB instead of 244-265
 *   with no CPU difference the runs could show.
 * Flags given to node (command line or NODE_OPTIONS) win.
 */
export function tuneServerHeap(): string[] {
  const applied: string[] = [];
  if (!nodeFlagGiven('--heap-growing-percent')) {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    applied.push(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
  if (!nodeFlagGiven('--max-semi-space-size') && !nodeFlagGiven('--semi-space-growth-factor')) {
    capYoungGeneration(YOUNG_GENERATION_CAP_BYTES);
    applied.push(`young generation <= ${YOUNG_GENERATION_CAP_BYTES / 1024 / 1024} MiB`);
  }
  if (!nodeFlagGiven('--compact-on-every-full-gc')) {
    compactEveryNthFullGc(COMPACT_EVERY_FULL_GCS);
    applied.push(`compaction every ${COMPACT_EVERY_FULL_GCS} full collections`);
  }
  return applied;
}

/**
 * Under steady load V8 compacts the old generation only where its own heuristics see fragmentation,
 * and keeps the pages it took: at 1,000 stations with their models at 8 days, RSS held 269-290 MiB, and
 * stepped to 297-310 at the first hour's close after the models were read (every track's array made
 * anew at once, since fixed: see hourSeriesOf) and stayed there. With
 * `--compact-on-every-full-gc` the same load held 209-240 MiB, but the server took 51% of one core
 * instead of 34%; compacting one full collection in eight, 228-249 MiB at 35% (4-minute windows; each
 * compacting collection holds up to ~100 MiB more for a second, its evacuated pages' copies: 1 s
 * samples over 260 in 9 of 580, median 225, against none and 238 without). So one full collection in
 * `every` compacts: the flag is switched on after
 * the collection before it and off again after it (V8 reads it at each full collection). Returns a
 * function that stops.
 */
export function compactEveryNthFullGc(every: number): () => void {
  let fullGcs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      fullGcs += 1;
      const compactNext = fullGcs % every === every - 1;
      setFlagsFromString(compactNext ? '--compact-on-every-full-gc' : '--no-compact-on-every-full-gc');
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
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
