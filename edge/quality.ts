import type { Tag } from '../core/profile/schema.ts';
import type { TelemetryValue } from '../core/telemetry/payloads.ts';

/**
 * What the edge remembers about one tag between reads. Flat (no nested object), so the poller can
 * copy a cycle's result into the record it keeps instead of keeping new objects every cycle.
 */
export interface TagHistory {
  /** The last value read from the device (whatever its quality); undefined before the first read. */
  lastValue?: number | boolean;
  /** When `lastValue` was read (ms since the epoch). */
  lastAt?: number;
  /** Consecutive reads that returned exactly `lastValue`, this one included. */
  identicalReads: number;
  /** When the first of those identical reads was made (ms); undefined in histories from before. */
  identicalSince?: number;
}

export const EMPTY_HISTORY: TagHistory = { identicalReads: 0 };

export interface QualityOptions {
  /** A failed read keeps the last value, as `stale`, while it is at most this old (ms). */
  staleAfterMs: number;
  /** Consecutive bit-identical reads after which a ranged analog value is `frozen` (at least). */
  frozenAfter: number;
  /**
   * And for at least this long (ms): frozen is judged by time, so it does not depend on the poll
   * interval (30 reads were 7.5 s at 250 ms polls, and a steady reading flapped in and out of
   * frozen). Default 0: by reads only.
   */
  frozenAfterMs?: number;
}

/**
 * What happened to a tag this cycle: a decoded value, the device's own "no value" code, or no value
 * (timeout, exception, skipped).
 */
export type TagRead =
  | { ok: true; value: number | boolean }
  | { ok: true; notAvailable: true }
  | { ok: false };

export const NOT_AVAILABLE: TagRead = { ok: true, notAvailable: true };

/**
 * Only analog measurements can freeze: float or scaled values with a plausible range. Bools,
 * counters and set points legitimately hold still for hours.
 */
export function canFreeze(
  tag: Pick<Tag, 'type' | 'scale' | 'offset' | 'range'> & { writable?: boolean; frozenCheck?: boolean },
): boolean {
  // A set point (writable) holds still by design; a profile turns the check off for constants.
  if (tag.range === undefined || tag.type === 'bool' || tag.writable || tag.frozenCheck === false)
    return false;
  return tag.type === 'float32' || tag.scale !== 1 || tag.offset !== 0;
}

/**
 * Quality of one tag after one cycle, and its history for the next. Precedence when several apply:
 * out_of_range over frozen (a stuck value outside its range is first of all implausible). A value
 * that is not a finite number (a float32 NaN) is out_of_range with v null, as JSON has no NaN.
 */
export function evaluateQuality(
  tag: Pick<Tag, 'type' | 'scale' | 'offset' | 'range'> & { writable?: boolean; frozenCheck?: boolean },
  read: TagRead,
  now: number,
  history: TagHistory,
  options: QualityOptions,
): { value: TelemetryValue; history: TagHistory } {
  if (!read.ok) {
    const { lastValue, lastAt } = history;
    if (
      lastValue !== undefined &&
      lastAt !== undefined &&
      now - lastAt <= options.staleAfterMs &&
      isPublishable(lastValue)
    ) {
      return { value: { v: lastValue, q: 'stale' }, history };
    }
    return { value: { v: null, q: 'comms_failed' }, history };
  }
  // The device says it has no value: nothing to judge, and nothing to keep as the last value.
  if (!('value' in read)) return { value: { v: null, q: 'not_available' }, history };
  const value = read.value;
  const identical = history.lastValue !== undefined && Object.is(history.lastValue, value);
  const next: TagHistory = {
    lastValue: value,
    lastAt: now,
    identicalReads: identical ? history.identicalReads + 1 : 1,
    identicalSince: identical ? (history.identicalSince ?? history.lastAt ?? now) : now,
  };
  if (!isPublishable(value)) return { value: { v: null, q: 'out_of_range' }, history: next };
  if (typeof value === 'number' && tag.range && (value < tag.range.min || value > tag.range.max)) {
    return { value: { v: value, q: 'out_of_range' }, history: next };
  }
  // A stopped pump's current and frequency read exactly 0 for hours; a stuck live sensor keeps
  // the noisy value it had, which is practically never exactly 0.
  if (
    canFreeze(tag) &&
    value !== 0 &&
    next.identicalReads >= options.frozenAfter &&
    now - (next.identicalSince ?? now) >= (options.frozenAfterMs ?? 0)
  ) {
    return { value: { v: value, q: 'frozen' }, history: next };
  }
  return { value: { v: value, q: 'good' }, history: next };
}

function isPublishable(value: number | boolean): boolean {
  return typeof value === 'boolean' || Number.isFinite(value);
}
