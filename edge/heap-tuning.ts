import { setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from '../core/node-flags.ts';

/**
 * V8 settings for the long-running edge, applied in its own process at start-up. The edge is I/O
 * bound (at 100 stations its main thread is ~90% idle) yet V8's defaults are tuned for throughput,
 * and each of these was measured at 100 stations (bench edge-memory):
 * - `--semi-space-growth-factor=1`: the young generation stays at its first size (2 x 1 MB), more,
 *   shorter scavenges; V8 grows it to 2 x 16 MB under the edge's ~10 MB/s of short-lived objects.
 * - `--heap-growing-percent=50`: after a full GC the old generation may grow by half its live size
 *   (~15 MB) before the next, instead of up to 4x.
 * - `--max-opt=1`: functions tier up to Sparkplug's baseline code but not to TurboFan. TurboFan
 *   compiles on V8's worker threads, and the compilation memory they free stays in those threads'
 *   malloc arenas (~10 MB of RSS), besides ~4 MB of the node binary's compiler code paged in; the
 *   edge pays for it in CPU per message instead (the bench prints both).
 * All are read by V8 each time it resizes or tiers up (unlike --max-semi-space-size or
 * --no-concurrent-recompilation, which only count on the command line), so setting them from inside
 * the process works.
 */
const HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'] as const;
export const EDGE_V8_FLAGS = [...HEAP_FLAGS, '--max-opt=1'] as const;

/**
 * What each AFTERCARE_EDGE_HEAP mode applies: `lean` all of EDGE_V8_FLAGS; `fast` the heap ones only,
 * keeping TurboFan (about half the CPU per message and ~10 MB more RSS); `node` none, V8's defaults.
 * `auto` (the default) starts lean and, once the config names more than AUTO_FAST_ABOVE stations,
 * turns TurboFan back on and lets the young generation grow (fitEdgeHeapToStations): a pump-house
 * edge stays small, an edge reading a fleet behind gateways spends memory on CPU (bench fleet: 500
 * stations, 80% of one core lean, 44% with TurboFan; 1,000 stations, event loop 100% busy and polls
 * missed with the young generation held small, 92% and none missed with it free to grow).
 */
const FLAGS_BY_MODE = {
  auto: EDGE_V8_FLAGS,
  lean: EDGE_V8_FLAGS,
  fast: HEAP_FLAGS,
  node: [],
} as const satisfies Record<string, readonly string[]>;

export type EdgeHeapMode = keyof typeof FLAGS_BY_MODE;
export const EDGE_HEAP_MODES = Object.keys(FLAGS_BY_MODE) as EdgeHeapMode[];

/**
 * Applies the flags of the mode AFTERCARE_EDGE_HEAP asks for (FLAGS_BY_MODE). Flags given on the command
 * line or in NODE_OPTIONS win. Returns the flags applied; throws on an unknown mode.
 */
export function tuneEdgeHeap(env: NodeJS.ProcessEnv = process.env, execArgv = process.execArgv): string[] {
  const mode = edgeHeapMode(env);
  if (!Object.hasOwn(FLAGS_BY_MODE, mode)) {
    throw new Error(`AFTERCARE_EDGE_HEAP=${mode}: expected one of ${EDGE_HEAP_MODES.join(', ')}`);
  }
  const applied = FLAGS_BY_MODE[mode as EdgeHeapMode].filter((flag) => !nodeFlagGiven(flag, env, execArgv));
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
}

/**
 * Above this many stations `auto` spends memory on CPU. An edge of 100 stations stays lean: it keeps
 * the 80 MB of bench edge-memory (V8's defaults held it at 102 MiB there, lean at 70).
 */
export const AUTO_FAST_ABOVE = 200;

const edgeHeapMode = (env: NodeJS.ProcessEnv): string => env.AFTERCARE_EDGE_HEAP || 'auto';

/**
 * In `auto` mode, an edge with more than AUTO_FAST_ABOVE stations lets hot code reach TurboFan again
 * (V8 reads --max-opt each time a function tiers up, so code compiled from now on may be optimised)
 * and its young generation grow as V8 would. Returns whether it did; a --max-opt given on node's
 * command line is left alone (NODE_OPTIONS cannot carry it).
 */
export function fitEdgeHeapToStations(
  stations: number,
  env: NodeJS.ProcessEnv = process.env,
  execArgv = process.execArgv,
): boolean {
  if (edgeHeapMode(env) !== 'auto' || stations <= AUTO_FAST_ABOVE) return false;
  if (nodeFlagGiven('--max-opt', env, execArgv)) return false;
  // --max-opt=1 also switched TurboFan off by implication (V8 does not undo that): both go back.
  setFlagsFromString('--max-opt=999');
  setFlagsFromString('--turbofan');
  // A fleet's cycles keep many objects alive at once (a request per station under way); a young
  // generation held at 2 x 1 MB promoted them and spent a quarter of the edge's time in GC.
  setFlagsFromString('--semi-space-growth-factor=2');
  return true;
}

/** tuneEdgeHeap for the edge's entry points: an unknown mode ends the process with a one-line error. */
export function tuneEdgeHeapOrExit(): void {
  try {
    tuneEdgeHeap();
  } catch (error) {
    console.error(`aftercare edge: ${(error as Error).message}`);
    process.exit(2);
  }
}
