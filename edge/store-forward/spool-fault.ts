import type { SpoolState } from '../../core/telemetry/payloads.ts';

export type { SpoolState } from '../../core/telemetry/payloads.ts';

/** Why the spool cannot write: its state, a short code (ENOSPC, EROFS, EACCES, CORRUPT, ...) and a phrase. */
export interface SpoolFault {
  state: Exclude<SpoolState, 'ok'>;
  code: string;
  reason: string;
}

// LevelDB reports the OS error as text ("IO error: .../000003.log: No space left on device"), Node's
// fs as a code; both are matched.
const KNOWN: Array<{ code: string; pattern: RegExp; state: SpoolFault['state']; reason: string }> = [
  { code: 'ENOSPC', pattern: /ENOSPC|No space left/i, state: 'full', reason: 'no space left on device' },
  { code: 'EDQUOT', pattern: /EDQUOT|quota exceeded/i, state: 'full', reason: 'disk quota exceeded' },
  {
    code: 'EROFS',
    pattern: /EROFS|Read-only file system/i,
    state: 'read_only',
    reason: 'read-only file system',
  },
  { code: 'EACCES', pattern: /EACCES|Permission denied/i, state: 'unavailable', reason: 'permission denied' },
  {
    code: 'EPERM',
    pattern: /EPERM|Operation not permitted/i,
    state: 'unavailable',
    reason: 'operation not permitted',
  },
  {
    code: 'EIO',
    pattern: /\bEIO\b|Input\/output error/i,
    state: 'unavailable',
    reason: 'input/output error',
  },
  {
    code: 'ENOENT',
    pattern: /ENOENT|No such file/i,
    state: 'unavailable',
    reason: 'no such file or directory',
  },
  { code: 'ENOTDIR', pattern: /ENOTDIR|Not a directory/i, state: 'unavailable', reason: 'not a directory' },
  { code: 'LOCKED', pattern: /lock/i, state: 'unavailable', reason: 'locked by another process' },
  { code: 'CORRUPT', pattern: /corrupt/i, state: 'unavailable', reason: 'corrupted' },
];

/** Names the cause of a spool error (its whole `cause` chain is read), without its stack. */
export function classifySpoolError(error: unknown): SpoolFault {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') texts.push(e.code);
    texts.push(typeof e.message === 'string' ? e.message : String(current));
    current = e.cause;
  }
  const text = texts.join(' | ');
  for (const known of KNOWN) {
    if (known.pattern.test(text)) return { state: known.state, code: known.code, reason: known.reason };
  }
  const last = texts.at(-1) ?? 'unknown error';
  // One short line: the innermost message, trimmed (an error's text can carry a whole source file).
  return { state: 'unavailable', code: 'ERROR', reason: last.split('\n')[0]!.slice(0, 160) };
}

/** The one line the edge prints when its spool cannot be opened or written. */
export function describeSpoolFault(dir: string, fault: SpoolFault, opening: boolean): string {
  return `spool ${dir} cannot be ${opening ? 'opened' : 'written'}: ${fault.reason} (${fault.code}); publishing live without a spool`;
}
