import { z } from 'zod';
import {
  type CurveWindow,
  curveRows,
  dropThrough,
  emptyWindow,
  newestAt,
  newestRunning,
  pushMinute,
  type SavedCurveWindow,
  savedCurveWindowSchema,
  savedWindowOf,
  windowOf,
} from './curve-window.ts';
import type { ExplainCode } from './explain-episodes.ts';
import type { ReadingMap } from './extract.ts';
import { analyzeReadings } from './offline-analysis.ts';

const MINUTE = 60_000;
/** Longest window judged: four hours of minutes (abrupt changes; slow ones are the station model's trends). */
const WINDOW_MINUTES = 240;
/** Fewest minutes before anything is judged: the models' own least (31 bins) and a learning fifth. */
const MIN_MINUTES = 40;

/** An explanation of the live curve models, as the station page and the predictive ticket show it. */
export interface LiveExplanation {
  start: number;
  end: number;
  code: ExplainCode;
  params: Record<string, string | number>;
  columns: string[];
  /** Still going at the newest minute. */
  active: boolean;
}

/**
 * The pump-curve and relation models of `aftercare analyze`, run on a station's live stream: readings
 * are averaged per minute (cheap per message: a few additions), and the models judge the last day of
 * minutes once per evaluation (every few minutes, not per message). The curve of a booster is another
 * with another number of pumps running, so the window starts again when that number changes: the
 * models then say "learning" until they have learned the new operating point. Plain data but
 * for the windows' typed columns; the windows are saved with the station's health model
 * (savedCurveOf), so a restarted server judges on at once instead of learning for 40 minutes.
 */
export interface LiveCurve {
  minute: number | null;
  sums: Record<string, { sum: number; n: number }>;
  running: number | null;
  /** The minutes of the number of pumps running now (the window judged). */
  window: CurveWindow;
  /** The windows of the other numbers of pumps running, resumed when that number runs again. */
  others: Record<string, CurveWindow>;
  evaluatedAt: number | null;
  status: 'learning' | 'judging';
  explanations: LiveExplanation[];
}

export function newLiveCurve(): LiveCurve {
  return {
    minute: null,
    sums: {},
    running: null,
    window: emptyWindow(),
    others: {},
    evaluatedAt: null,
    status: 'learning',
    explanations: [],
  };
}

/**
 * The station's readings the curve models read, by meaning: the station's pressures and flow, the
 * running pumps' mean speed and their total current (named as pump 1's: the station is one curve).
 */
function curveReadings(readings: ReadingMap): {
  values: Record<string, number>;
  running: number;
} {
  const values: Record<string, number> = {};
  for (const m of ['pressure.outlet', 'pressure.inlet', 'flow.rate'] as const) {
    const v = readings[m];
    if (typeof v === 'number' && Number.isFinite(v)) values[m] = v;
  }
  let running = 0;
  let speed = 0;
  let power = 0;
  let powered = 0;
  for (const key in readings) {
    const kind = pumpReadingKind(key);
    const v = readings[key];
    if (kind === null || typeof v !== 'number' || v <= 0) continue;
    if (kind === 'frequency') {
      running += 1;
      speed += v;
    } else {
      power += v;
      powered += 1;
    }
  }
  if (running > 0) values['pump[1].frequency'] = speed / running;
  if (powered > 0) values['pump[1].current_l1'] = power;
  return { values, running };
}

// Asked for every meaning of every message: a profile's meanings are few, so each is parsed once.
const pumpReadingKinds = new Map<string, 'frequency' | 'current_l1' | null>();

function pumpReadingKind(meaning: string): 'frequency' | 'current_l1' | null {
  let kind = pumpReadingKinds.get(meaning);
  if (kind === undefined) {
    const m = /^pump\[\d+\]\.(frequency|current_l1)$/.exec(meaning);
    kind = m ? (m[1] as 'frequency' | 'current_l1') : null;
    // Meanings come from profiles; a flood of invented ones is parsed each time instead of kept.
    if (pumpReadingKinds.size < 10_000) pumpReadingKinds.set(meaning, kind);
  }
  return kind;
}

/** Adds one message (mutates); returns true when a minute closed. */
export function feedLiveCurve(state: LiveCurve, at: number, readings: ReadingMap): boolean {
  const minute = Math.floor(at / MINUTE);
  let closed = false;
  if (state.minute !== null && minute > state.minute) {
    closeMinute(state);
    closed = true;
  }
  if (state.minute === null || minute >= state.minute) {
    state.minute = minute;
    const { values, running } = curveReadings(readings);
    if (running > 0) state.running = running;
    for (const [k, v] of Object.entries(values)) {
      const s = state.sums[k] ?? { sum: 0, n: 0 };
      s.sum += v;
      s.n += 1;
      state.sums[k] = s;
    }
  }
  return closed;
}

function closeMinute(state: LiveCurve): void {
  const values: Record<string, number> = {};
  for (const [k, s] of Object.entries(state.sums)) if (s.n > 0) values[k] = s.sum / s.n;
  state.sums = {};
  if (Object.keys(values).length === 0 || state.minute === null) return;
  const at = state.minute * MINUTE + MINUTE / 2;
  const window = state.window;
  const last = newestRunning(window);
  const lastRunning = last === undefined ? undefined : runningKey(last);
  // Another number of pumps running is another station curve: its own window, kept while the other
  // number runs (a pump staged in for a few minutes does not throw away hours of the usual curve).
  if (lastRunning !== undefined && lastRunning !== String(state.running ?? undefined)) {
    state.others[lastRunning] = window;
    const key = String(state.running ?? undefined);
    const resumed = state.others[key] ?? emptyWindow();
    delete state.others[key];
    dropThrough(resumed, at - WINDOW_MINUTES * MINUTE);
    state.window = resumed;
    // A parked window whose newest minute is older than the longest judged would be emptied on resume.
    for (const [other, parked] of Object.entries(state.others)) {
      if ((newestAt(parked) ?? 0) <= at - WINDOW_MINUTES * MINUTE) delete state.others[other];
    }
  }
  pushMinute(state.window, at, values, state.running, WINDOW_MINUTES);
}

/** The curve's windows as saved with the station's health model (the minute in progress is not). */
export interface SavedLiveCurve {
  window: SavedCurveWindow;
  others: Record<string, SavedCurveWindow>;
}

export const savedLiveCurveSchema = z.object({
  window: savedCurveWindowSchema,
  others: z.record(z.string(), savedCurveWindowSchema),
});

export function savedCurveOf(state: LiveCurve): SavedLiveCurve {
  return {
    window: savedWindowOf(state.window),
    others: Object.fromEntries(Object.entries(state.others).map(([k, w]) => [k, savedWindowOf(w)])),
  };
}

/**
 * A saved curve read back for a station whose next message is at `at` (ms): only the minutes the
 * window would still hold then, so a curve saved before a long stop starts learning again.
 * Judged at the next judgement, not before.
 */
export function restoreLiveCurve(saved: SavedLiveCurve, at: number): LiveCurve {
  const oldest = at - WINDOW_MINUTES * MINUTE;
  const curve = newLiveCurve();
  curve.window = windowOf(saved.window, WINDOW_MINUTES, oldest);
  for (const [key, w] of Object.entries(saved.others)) {
    const window = windowOf(w, WINDOW_MINUTES, oldest);
    if (window.length > 0) curve.others[key] = window;
  }
  return curve;
}

/** A pump count as the key of its window ('undefined' while none is known). */
const runningKey = (running: number) => String(Number.isNaN(running) ? undefined : running);

/**
 * Judges the window (pure in its result, records it on the state): the explanations of the events the
 * curve models see, newest last, each marked active when it reaches the newest minute.
 */
export function evaluateLiveCurve(state: LiveCurve, now: number): LiveExplanation[] {
  state.evaluatedAt = now;
  const rows = curveRows(state.window);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  if (rows.length < MIN_MINUTES || !columns.includes('flow.rate')) {
    state.status = 'learning';
    state.explanations = [];
    return [];
  }
  const analysis = analyzeReadings({ timeColumn: 'time', columns, rows, droppedRows: 0, droppedCells: 0 });
  const newest = rows[rows.length - 1]!.at;
  state.status = 'judging';
  state.explanations = analysis.explanations.map((x) => {
    const end = Date.parse(x.end);
    return {
      start: Date.parse(x.start),
      end,
      code: x.code,
      params: x.params,
      columns: x.columns,
      active: end >= newest - MINUTE,
    };
  });
  return state.explanations;
}
