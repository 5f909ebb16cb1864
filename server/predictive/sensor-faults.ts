import { median, robustSigma } from './robust-stats.ts';

/**
 * Two ways a sensor fails that the binned CUSUM cannot see: a reading frozen while the readings it
 * depends on move (its variance collapses, its level stays plausible), and a reading that jumps for
 * single samples far from its neighbours while they hold (the bin median removes each spike, so
 * they are counted on the raw samples, before binning). Pure; cost linear in the samples.
 */
export interface SensorEpisode {
  column: string;
  kind: 'stuck' | 'spike';
  start: number;
  /** Where the reading froze (stuck) or the first counted spike. */
  onset: number;
  end: number;
  /** The frozen value (stuck only). */
  value?: number;
  /** Stuck: frozen samples over the shortest counted run; spike: spikes over the count that flags. */
  score: number;
  /** Spikes counted in the episode (spike only). */
  count?: number;
  open: boolean;
}

export interface SensorColumn {
  column: string;
  /** Judging starts here (ms); the learning period before it sets what is normal. */
  learnedTo: number;
  /** Its movement says something about the others' (a hydraulic reading: flow, pressure, power...). */
  related: boolean;
}

type Row = { at: number; values: Record<string, number | boolean | undefined> };

/** Fewest consecutive identical samples that count as frozen. */
const STUCK_MIN_SAMPLES = 30;
/** A frozen sample moves less than this share of the column's usual sample-to-sample change. */
const STUCK_SHARE = 0.01;
/** The related readings move: their median change over the run at least this share of their usual one. */
const MOVING_SHARE = 0.3;
/** A spike is this many sigmas from the median of its neighbours. */
const SPIKE_SIGMAS = 10;
/** Related readings hold at a spike: within this many of their sigmas of their neighbours' median. */
const HOLD_SIGMAS = 4;
/** Spikes counted over this stretch; this many flag an episode. */
const SPIKE_WINDOW_MS = 15 * 60_000;
const SPIKE_COUNT = 3;
const HALF = 2;

export function sensorEpisodes(rows: readonly Row[], columns: readonly SensorColumn[]): SensorEpisode[] {
  const series = new Map(columns.map((c) => [c.column, seriesOf(rows, c)]));
  const out: SensorEpisode[] = [];
  for (const c of columns) {
    const s = series.get(c.column)!;
    const related = columns
      .filter((o) => o.related && o.column !== c.column)
      .map((o) => series.get(o.column)!);
    if (related.length === 0 || s.learningSteps === 0) continue;
    out.push(...stuckEpisodes(c, s, related), ...spikeEpisodes(c, s, related));
  }
  return out;
}

interface Series {
  at: number[];
  values: (number | undefined)[];
  /** Usual |change| between consecutive samples in the learning period. */
  usualStep: number;
  learningSteps: number;
  /** Robust sigma of a sample's distance from its neighbours' median, learning period. */
  spikeSigma: number;
  from: number;
}

function seriesOf(rows: readonly Row[], c: SensorColumn): Series {
  const values = rows.map((r) =>
    typeof r.values[c.column] === 'number' ? (r.values[c.column] as number) : undefined,
  );
  let from = rows.findIndex((r) => r.at >= c.learnedTo);
  if (from < 0) from = rows.length;
  const steps: number[] = [];
  const dev: number[] = [];
  for (let i = 1; i < from; i++) {
    const a = values[i - 1];
    const b = values[i];
    if (a !== undefined && b !== undefined) steps.push(Math.abs(b - a));
    const d = deviation(values, i);
    if (d !== null) dev.push(d);
  }
  return {
    at: rows.map((r) => r.at),
    values,
    usualStep: steps.length ? median(steps) : 0,
    learningSteps: steps.filter((x) => x > 0).length,
    spikeSigma: dev.length ? robustSigma(dev) : 0,
    from,
  };
}

/** A sample's distance from the median of its two neighbours on each side (null: too near an edge or a gap). */
function deviation(values: readonly (number | undefined)[], i: number): number | null {
  if (i < HALF || i + HALF >= values.length) return null;
  const around: number[] = [];
  for (let j = i - HALF; j <= i + HALF; j++) {
    if (j === i) continue;
    const v = values[j];
    if (v === undefined) return null;
    around.push(v);
  }
  const v = values[i];
  return v === undefined ? null : v - median(around);
}

function stuckEpisodes(c: SensorColumn, s: Series, related: readonly Series[]): SensorEpisode[] {
  // A sensor whose readings are quantised steps (most samples equal) has no variance to lose.
  if (s.usualStep <= 0) return [];
  const tiny = STUCK_SHARE * s.usualStep;
  const out: SensorEpisode[] = [];
  let runStart = -1;
  const close = (end: number, open: boolean) => {
    const length = end - runStart + 1;
    if (runStart >= 0 && length >= STUCK_MIN_SAMPLES && relatedMove(related, runStart, end)) {
      out.push({
        column: c.column,
        kind: 'stuck',
        start: rowsAt(runStart + STUCK_MIN_SAMPLES - 1),
        onset: rowsAt(runStart),
        end: rowsAt(end),
        value: s.values[runStart]!,
        score: length / STUCK_MIN_SAMPLES,
        open,
      });
    }
    runStart = -1;
  };
  const rowsAt = (i: number) => s.at[i]!;
  // A reading resting at its own highest or lowest value so far is saturated (a drive at its top
  // speed, a transmitter at its range's end), not stuck: a frozen sensor holds wherever it was.
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  for (let i = 0; i < s.from; i++) {
    const v = s.values[i];
    if (v !== undefined) {
      high = Math.max(high, v);
      low = Math.min(low, v);
    }
  }
  for (let i = Math.max(1, s.from); i < s.values.length; i++) {
    const a = s.values[i - 1];
    const b = s.values[i];
    if (a !== undefined) {
      high = Math.max(high, a);
      low = Math.min(low, a);
    }
    const saturated = a !== undefined && (a >= high - tiny || a <= low + tiny);
    const frozen = a !== undefined && b !== undefined && Math.abs(b - a) <= tiny && !saturated;
    if (frozen && runStart < 0) runStart = i - 1;
    if (!frozen && runStart >= 0) close(i - 1, false);
  }
  if (runStart >= 0) close(s.values.length - 1, true);
  return out;
}

/** At least one related reading changes over [from, to] by its usual sample-to-sample step. */
function relatedMove(related: readonly Series[], from: number, to: number): boolean {
  return related.some((r) => {
    if (r.usualStep <= 0) return false;
    const steps: number[] = [];
    for (let i = from + 1; i <= to; i++) {
      const a = r.values[i - 1];
      const b = r.values[i];
      if (a !== undefined && b !== undefined) steps.push(Math.abs(b - a));
    }
    return steps.length > 0 && median(steps) >= MOVING_SHARE * r.usualStep;
  });
}

function spikeEpisodes(c: SensorColumn, s: Series, related: readonly Series[]): SensorEpisode[] {
  if (s.spikeSigma <= 0) return [];
  const spikes: number[] = [];
  for (let i = s.from; i < s.values.length; i++) {
    const d = deviation(s.values, i);
    if (d === null || Math.abs(d) < SPIKE_SIGMAS * s.spikeSigma) continue;
    const hold = related.every((r) => {
      if (r.spikeSigma <= 0) return true;
      const rd = deviation(r.values, i);
      return rd === null || Math.abs(rd) < HOLD_SIGMAS * r.spikeSigma;
    });
    if (hold) spikes.push(s.at[i]!);
  }
  const out: SensorEpisode[] = [];
  let first = 0;
  for (let j = 0; j < spikes.length; j++) {
    while (spikes[j]! - spikes[first]! > SPIKE_WINDOW_MS) first++;
    if (j - first + 1 < SPIKE_COUNT) continue;
    const last = out[out.length - 1];
    if (last && spikes[first]! <= last.end + SPIKE_WINDOW_MS) {
      last.end = spikes[j]!;
      last.count = (last.count ?? 0) + 1;
      last.score = last.count / SPIKE_COUNT;
    } else {
      out.push({
        column: c.column,
        kind: 'spike',
        start: spikes[j]!,
        onset: spikes[first]!,
        end: spikes[j]!,
        score: 1,
        count: SPIKE_COUNT,
        open: false,
      });
    }
  }
  const lastAt = s.at[s.at.length - 1]!;
  for (const e of out) e.open = lastAt - e.end < SPIKE_WINDOW_MS;
  return out;
}
