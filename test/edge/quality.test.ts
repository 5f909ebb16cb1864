import { describe, expect, test } from 'vitest';
import type { Tag } from '../../core/profile/schema.ts';
import {
  canFreeze,
  EMPTY_HISTORY,
  evaluateQuality,
  type TagHistory,
  type TagRead,
} from '../../edge/quality.ts';

type QualityTag = Pick<Tag, 'type' | 'scale' | 'offset' | 'range'>;
const analog: QualityTag = { type: 'uint16', scale: 0.01, offset: 0, range: { min: 0, max: 16 } };
const float: QualityTag = { type: 'float32', scale: 1, offset: 0, range: { min: 0, max: 500 } };
const counter: QualityTag = { type: 'uint32', scale: 0.1, offset: 0, range: undefined };
const rawRanged: QualityTag = { type: 'uint16', scale: 1, offset: 0, range: { min: 0, max: 9 } };
const bool: QualityTag = { type: 'bool', scale: 1, offset: 0, range: undefined };
const options = { staleAfterMs: 3000, frozenAfter: 3 };
const NOW = 1_800_000_000_000;

const ok = (value: number | boolean): TagRead => ({ ok: true, value });
const failed: TagRead = { ok: false };
const seen = (value: number | boolean, ago: number, identicalReads = 1): TagHistory => ({
  lastValue: value,
  lastAt: NOW - ago,
  identicalReads,
});

describe('evaluateQuality', () => {
  test.each([
    ['first good read', analog, ok(4.2), EMPTY_HISTORY, { v: 4.2, q: 'good' }, 1],
    ['changed value', analog, ok(4.3), seen(4.2, 1000, 2), { v: 4.3, q: 'good' }, 1],
    ['identical, below frozenAfter', analog, ok(4.2), seen(4.2, 1000, 1), { v: 4.2, q: 'good' }, 2],
    ['identical, reaches frozenAfter', analog, ok(4.2), seen(4.2, 1000, 2), { v: 4.2, q: 'frozen' }, 3],
    ['float identical for long', float, ok(231.5), seen(231.5, 1000, 40), { v: 231.5, q: 'frozen' }, 41],
    ['a stopped pump reads exactly 0 for long', analog, ok(0), seen(0, 1000, 40), { v: 0, q: 'good' }, 41],
    [
      'a set point holds still by design',
      { ...analog, writable: true },
      ok(4),
      seen(4, 1000, 40),
      { v: 4, q: 'good' },
      41,
    ],
    ['counter never freezes', counter, ok(1234.5), seen(1234.5, 1000, 99), { v: 1234.5, q: 'good' }, 100],
    ['unscaled ranged int never freezes', rawRanged, ok(3), seen(3, 1000, 99), { v: 3, q: 'good' }, 100],
    ['bool never freezes', bool, ok(true), seen(true, 1000, 99), { v: true, q: 'good' }, 100],
    ['above range', analog, ok(16.01), EMPTY_HISTORY, { v: 16.01, q: 'out_of_range' }, 1],
    ['below range', analog, ok(-0.5), EMPTY_HISTORY, { v: -0.5, q: 'out_of_range' }, 1],
    ['range edge is in range', analog, ok(16), EMPTY_HISTORY, { v: 16, q: 'good' }, 1],
    ['out of range beats frozen', analog, ok(20), seen(20, 1000, 5), { v: 20, q: 'out_of_range' }, 6],
    ['NaN float', float, ok(Number.NaN), EMPTY_HISTORY, { v: null, q: 'out_of_range' }, 1],
    [
      'NaN repeated counts as identical',
      float,
      ok(Number.NaN),
      seen(Number.NaN, 1000, 1),
      { v: null, q: 'out_of_range' },
      2,
    ],
    ['failed, recent value', analog, failed, seen(4.2, 2000, 4), { v: 4.2, q: 'stale' }, 4],
    ['failed, value exactly at the limit', analog, failed, seen(4.2, 3000), { v: 4.2, q: 'stale' }, 1],
    ['failed, value too old', analog, failed, seen(4.2, 3001), { v: null, q: 'comms_failed' }, 1],
    ['failed, never read', analog, failed, EMPTY_HISTORY, { v: null, q: 'comms_failed' }, 0],
    ['failed, last was NaN', float, failed, seen(Number.NaN, 10), { v: null, q: 'comms_failed' }, 1],
    ['failed bool keeps last', bool, failed, seen(false, 100), { v: false, q: 'stale' }, 1],
  ])('%s', (_name, tag, read, history, expected, identicalReads) => {
    const result = evaluateQuality(tag, read, NOW, history, options);
    expect(result.value).toEqual(expected);
    expect(result.history.identicalReads).toBe(identicalReads);
  });

  test('a failed read neither breaks nor extends a frozen run', () => {
    let history = EMPTY_HISTORY;
    const sequence: TagRead[] = [ok(1), ok(1), failed, ok(1)];
    const qualities = sequence.map((read, i) => {
      const result = evaluateQuality(analog, read, NOW + i * 1000, history, options);
      history = result.history;
      return result.value.q;
    });
    expect(qualities).toEqual(['good', 'good', 'stale', 'frozen']);
  });
});

describe('canFreeze', () => {
  test.each([
    [analog, true],
    [float, true],
    [{ ...float, range: undefined }, false],
    [counter, false],
    [rawRanged, false],
    [{ ...rawRanged, offset: -40 }, true],
    [bool, false],
  ])('%j -> %s', (tag, expected) => {
    expect(canFreeze(tag)).toBe(expected);
  });
});

describe('frozen by time, not by number of reads', () => {
  const byTime = { staleAfterMs: 3000, frozenAfter: 2, frozenAfterMs: 60_000 };
  /** Feeds `values` read every `intervalMs` through evaluateQuality; returns each quality. */
  function run(values: number[], intervalMs: number): string[] {
    let history: TagHistory = EMPTY_HISTORY;
    return values.map((value, i) => {
      const result = evaluateQuality(analog, ok(value), NOW + i * intervalMs, history, byTime);
      history = result.history;
      return result.value.q;
    });
  }

  test.each([
    ['250 ms polls, steady for 30 s: never frozen', Array(120).fill(4.2), 250, 0],
    ['250 ms polls, steady for 70 s: frozen from 60 s on', Array(280).fill(4.2), 250, 280 - 240],
    ['10 s polls, steady for 70 s: frozen from 60 s on', Array(8).fill(4.2), 10_000, 2],
    [
      '250 ms polls, a reading that moves every 20 s: never frozen (no flapping)',
      Array.from({ length: 400 }, (_, i) => 4.2 + (Math.floor(i / 80) % 2) * 0.01),
      250,
      0,
    ],
  ])('%s', (_name, values, intervalMs, frozen) => {
    expect(run(values, intervalMs).filter((q) => q === 'frozen')).toHaveLength(frozen);
  });

  test('a changed value starts the clock again', () => {
    const qualities = run([...Array(260).fill(4.2), 4.3, ...Array(10).fill(4.3)], 250);
    expect(qualities.slice(0, 240)).not.toContain('frozen');
    expect(qualities.slice(241, 260).every((q) => q === 'frozen')).toBe(true);
    expect(qualities.slice(260)).not.toContain('frozen');
  });
});
