import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for the long-running edge, applied in its own process at start-up. The edge keeps
 * ~15 MB live at 100 stations but allocates ~10 MB/s of short-lived objects; with V8's defaults the
 * young generation grows to 2 x 16 MB and the old one to 4x its live size before a full GC, so RSS
 * sat near 120 MB. Both flags are read by V8 each time it resizes (unlike --max-semi-space-size,
 * which only counts on the command line), so setting them from inside the process works:
 * - the young generation stays at its first size (2 x 1 MB): more, shorter scavenges;
 * - after a full GC the old generation may grow by half its live size before the next.
 */
export const EDGE_V8_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'] as const;

/**
 * Applies EDGE_V8_FLAGS unless AFTERCARE_EDGE_HEAP=node asks for V8's defaults (or the flags were
 * given on the command line or in NODE_OPTIONS, which then win). Returns the flags applied.
 */
export function tuneEdgeHeap(env: NodeJS.ProcessEnv = process.env, execArgv = process.execArgv): string[] {
  if (env.AFTERCARE_EDGE_HEAP === 'node') return [];
  const given = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`.replaceAll('_', '-');
  const applied = EDGE_V8_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]!));
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
}
