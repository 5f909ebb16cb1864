import { setFlagsFromString } from 'node:v8';

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
 * What each AFTERCARE_EDGE_HEAP mode applies: `lean` (the default) all of EDGE_V8_FLAGS; `fast` the heap
 * ones only, keeping TurboFan (about half the CPU per message and ~10 MB more RSS, for edges polling
 * fast rather than many stations); `node` none, V8's defaults.
 */
const FLAGS_BY_MODE = {
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
  const mode = env.AFTERCARE_EDGE_HEAP || 'lean';
  if (!Object.hasOwn(FLAGS_BY_MODE, mode)) {
    throw new Error(`AFTERCARE_EDGE_HEAP=${mode}: expected one of ${EDGE_HEAP_MODES.join(', ')}`);
  }
  const given = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`.replaceAll('_', '-');
  const applied = FLAGS_BY_MODE[mode as EdgeHeapMode].filter((flag) => !given.includes(flag.split('=')[0]!));
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
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
