import { setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from '../core/node-flags.ts';

/**
 * The server's old generation may grow by half its live size before the next full collection,
 * instead of V8's up to 4x. At 1,000 stations the server allocates ~100 MB a second of short-lived
 * messages; with V8's default the heap stood at 220-340 MB used for ~80 MB live (bench fleet: server
 * RSS 444 MiB, 257 MiB with this). Read by V8 at each full collection, so it can be set from inside
 * the process. A --heap-growing-percent given to node wins.
 */
export function tuneServerHeap(): boolean {
  if (nodeFlagGiven('--heap-growing-percent')) return false;
  setFlagsFromString('--heap-growing-percent=50');
  return true;
}
