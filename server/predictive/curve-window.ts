import { z } from 'zod';

const MINUTE = 60_000;

/** One minute of the live curve: the mean of each reading, and the pumps running (when known). */
export interface CurveRow {
  at: number;
  values: Record<string, number>;
  running?: number;
}

/**
 * A window of minutes as typed columns: the minute (minutes since the epoch; a row stands at its
 * minute's middle), the pumps running and each reading's mean as 32-bit floats (NaN: no value that
 * minute, or no pump count known). ~28 bytes a minute of a booster's six columns where arrays of
 * doubles took 88 with their spare capacity: the models judge pressures, flows and currents to a few
 * digits, and a float keeps seven. Only the first `length` rows are in use; the columns grow by
 * doubling up to the window's longest.
 */
export interface CurveWindow {
  minute: Int32Array;
  running: Float32Array;
  columns: Record<string, Float32Array>;
  length: number;
}

const FIRST_CAPACITY = 16;

export const emptyWindow = (): CurveWindow => ({
  minute: new Int32Array(0),
  running: new Float32Array(0),
  columns: {},
  length: 0,
});

/** The newest row's time, ms (undefined: the window is empty). */
export const newestAt = (window: CurveWindow): number | undefined =>
  window.length === 0 ? undefined : rowAt(window, window.length - 1);

/** A minute's row stands at its middle, ms. */
const middleOf = (minute: number) => minute * MINUTE + MINUTE / 2;

const rowAt = (window: CurveWindow, i: number) => middleOf(window.minute[i]!);

/** The pumps running at the newest row (NaN: not known, undefined: the window is empty). */
export const newestRunning = (window: CurveWindow): number | undefined =>
  window.length === 0 ? undefined : window.running[window.length - 1]!;

/** The window's minutes as rows (for the models, once per judgement). */
export function curveRows(window: CurveWindow): CurveRow[] {
  const names = Object.keys(window.columns);
  const rows: CurveRow[] = [];
  for (let i = 0; i < window.length; i++) {
    const values: Record<string, number> = {};
    for (const name of names) {
      const v = window.columns[name]![i]!;
      if (!Number.isNaN(v)) values[name] = v;
    }
    const running = window.running[i]!;
    rows.push(
      Number.isNaN(running) ? { at: rowAt(window, i), values } : { at: rowAt(window, i), values, running },
    );
  }
  return rows;
}

/**
 * Appends the minute whose middle is `at` (mutates); the oldest minutes make room once the window
 * holds `longest`.
 */
export function pushMinute(
  window: CurveWindow,
  at: number,
  values: Record<string, number>,
  running: number | null,
  longest: number,
): void {
  if (window.length >= longest) dropMinutes(window, window.length - longest + 1);
  if (window.length === window.minute.length) {
    grow(window, Math.min(longest, Math.max(FIRST_CAPACITY, 2 * window.length)));
  }
  const i = window.length;
  window.minute[i] = Math.floor(at / MINUTE);
  window.running[i] = running ?? Number.NaN;
  for (const name in values) window.columns[name] ??= nanColumn(window.minute.length);
  for (const name in window.columns) window.columns[name]![i] = values[name] ?? Number.NaN;
  window.length += 1;
}

/** Drops the minutes at or before `at`, ms (mutates). */
export function dropThrough(window: CurveWindow, at: number): void {
  let stale = 0;
  while (stale < window.length && rowAt(window, stale) <= at) stale++;
  dropMinutes(window, stale);
}

function dropMinutes(window: CurveWindow, count: number): void {
  if (count <= 0) return;
  const end = window.length;
  window.minute.copyWithin(0, count, end);
  window.running.copyWithin(0, count, end);
  for (const name in window.columns) window.columns[name]!.copyWithin(0, count, end);
  window.length -= count;
}

function grow(window: CurveWindow, capacity: number): void {
  const minute = new Int32Array(capacity);
  minute.set(window.minute.subarray(0, window.length));
  window.minute = minute;
  window.running = grown(window.running, capacity, window.length);
  for (const name in window.columns) {
    window.columns[name] = grown(window.columns[name]!, capacity, window.length);
  }
}

function grown(column: Float32Array, capacity: number, length: number): Float32Array {
  const next = nanColumn(capacity);
  next.set(column.subarray(0, length));
  return next;
}

const nanColumn = (capacity: number) => new Float32Array(capacity).fill(Number.NaN);

/** A window as saved with the station's health model: its columns as plain numbers (null: no value). */
export interface SavedCurveWindow {
  minutes: number[];
  running: (number | null)[];
  columns: Record<string, (number | null)[]>;
}

export const savedCurveWindowSchema = z
  .object({
    minutes: z.array(z.number().int()),
    running: z.array(z.number().nullable()),
    columns: z.record(z.string(), z.array(z.number().nullable())),
  })
  .refine(
    (w) =>
      w.running.length === w.minutes.length &&
      Object.values(w.columns).every((c) => c.length === w.minutes.length) &&
      w.minutes.every((m, i) => i === 0 || m > w.minutes[i - 1]!),
    'every column as long as the minutes, the minutes rising',
  );

/** The window's rows in use as plain data (JSON has no NaN). Pure. */
export function savedWindowOf(window: CurveWindow): SavedCurveWindow {
  const plain = (column: Float32Array) =>
    Array.from(column.subarray(0, window.length), (v) => (Number.isNaN(v) ? null : v));
  return {
    minutes: Array.from(window.minute.subarray(0, window.length)),
    running: plain(window.running),
    columns: Object.fromEntries(Object.entries(window.columns).map(([name, c]) => [name, plain(c)])),
  };
}

/**
 * A saved window read back, keeping its newest `longest` minutes and, given `after` (ms), only the
 * minutes after it, with room to grow as pushMinute would have grown it (one at least half full: its
 * longest at once, not made again as it fills).
 */
export function windowOf(saved: SavedCurveWindow, longest: number, after = -Infinity): CurveWindow {
  let stale = 0;
  while (stale < saved.minutes.length && middleOf(saved.minutes[stale]!) <= after) stale++;
  const skip = Math.max(stale, saved.minutes.length - longest);
  const length = saved.minutes.length - skip;
  const capacity = length >= longest / 2 ? longest : Math.max(FIRST_CAPACITY, 2 * length);
  const window: CurveWindow = {
    minute: new Int32Array(capacity),
    running: nanColumn(capacity),
    columns: {},
    length,
  };
  const float = (values: (number | null)[], into: Float32Array) => {
    for (let i = 0; i < length; i++) into[i] = values[skip + i] ?? Number.NaN;
    return into;
  };
  window.minute.set(saved.minutes.slice(skip));
  float(saved.running, window.running);
  for (const [name, values] of Object.entries(saved.columns))
    window.columns[name] = float(values, nanColumn(capacity));
  return window;
}
