import { analyzeReadings } from '../server/predictive/offline-analysis.ts';
import { injectFault } from '../simulators/model/inject.ts';
import { readings } from '../simulators/model/readings.ts';
import type { StationState } from '../simulators/model/station.ts';
import { createStationState, stepStation } from '../simulators/model/step.ts';
import { SHORT_FAULTS, SLOW_FAULTS } from './fault-catalog.ts';

export { SHORT_FAULTS, SLOW_FAULTS } from './fault-catalog.ts';

/** The readings a SCADA export of a one-pump booster would have, named by meaning. */
export const COLUMNS = [
  'pressure.outlet',
  'pressure.inlet',
  'flow.rate',
  'pump[1].current_l1',
  'pump[1].frequency',
  'pump[1].power',
  'pump[1].bearing_vibration',
  'pump[1].bearing_temperature',
  'pump[1].winding_temperature',
  'insulation.resistance',
] as const;

export interface RunScore {
  fault: string;
  seed: number;
  /** An episode inside the fault on a reading or relation the fault moves. */
  detected: boolean;
  /** An episode inside the fault on anything. */
  detectedAny: boolean;
  falseBefore: boolean;
  /** First episode inside the fault on what it moves, seconds after it started. */
  delaySeconds: number | null;
  /** Seconds from the first episode inside the fault to the fault's end (slow runs; null: not reached). */
  leadSeconds: number | null;
  explanation: string | null;
  episodes: number;
  /** The reading or relation of each counted episode (healthy runs: all; fault runs: those before it). */
  indicators: string[];
  /** Simulated days the run spans. */
  days: number;
}

const SHORT_START = Date.parse('2026-04-01T09:00:00Z');
const SLOW_START = Date.parse('2026-03-01T00:00:00Z');
const DAY_SECONDS = 86_400;

type Row = { at: number; values: Record<string, number> };

function row(state: StationState, start: number): Row {
  const r = readings(state);
  const values: Record<string, number> = {};
  for (const c of COLUMNS) if (typeof r[c] === 'number') values[c] = r[c] as number;
  return { at: start + Math.round(state.time * 1000), values };
}

/** Puts the export through `aftercare analyze`'s models and scores it against the fault's start. */
function score(
  rows: Row[],
  fault: string | null,
  moves: readonly string[],
  seed: number,
  faultAt: number,
  endedAt: number | null,
): RunScore {
  const analysis = analyzeReadings({
    timeColumn: 'time',
    columns: [...COLUMNS],
    rows,
    droppedRows: 0,
    droppedCells: 0,
  });
  const starts = analysis.episodes.map((e) => Date.parse(e.start));
  const counted = analysis.episodes.filter((e) => fault === null || Date.parse(e.start) < faultAt);
  const inside = analysis.episodes.filter(
    (e) => Date.parse(e.start) >= faultAt && moves.some((m) => e.indicator.includes(m)),
  );
  const first = inside.length ? Math.min(...inside.map((e) => Date.parse(e.start))) : null;
  // The event of the fault that involves the most readings says what the fault looked like.
  const during = analysis.explanations.filter((x) => Date.parse(x.start) >= faultAt);
  const explanation = during.sort((a, b) => b.columns.length - a.columns.length)[0]?.code ?? null;
  return {
    fault: fault ?? 'healthy',
    seed,
    detected: fault !== null && first !== null,
    detectedAny: fault !== null && starts.some((t) => t >= faultAt),
    falseBefore: fault === null ? starts.length > 0 : starts.some((t) => t < faultAt),
    delaySeconds: first === null ? null : (first - faultAt) / 1000,
    leadSeconds: first === null || endedAt === null ? null : (endedAt - first) / 1000,
    explanation,
    episodes: counted.length,
    indicators: counted.map((e) => e.indicator.replace('pump[1].', '')),
    days: (rows[rows.length - 1]!.at - rows[0]!.at) / 86_400_000,
  };
}

/** Minutes of normal operation a short run of `seed` begins with: 10 to 20. */
export const normalMinutesOf = (seed: number) => 10 + ((seed * 7) % 11);

/**
 * One short run: a one-pump station sampled at 1 s for `normalMinutes`, then the fault's abrupt form
 * for `faultMinutes` (none: a healthy run), written as an export and put through the models.
 */
export function runShort(
  seed: number,
  fault: string | null,
  normalMinutes = normalMinutesOf(seed),
  faultMinutes = 15,
): RunScore {
  const state = createStationState({
    seed,
    pumps: 1,
    nominalVoltage: 380,
    phases: 3,
    startTime: SHORT_START,
  });
  const rows: Row[] = [];
  const total = (normalMinutes + faultMinutes) * 60;
  for (let s = 0; s < total; s++) {
    if (fault && s === normalMinutes * 60) {
      const spec = SHORT_FAULTS[fault]!;
      injectFault(state, { fault: spec.fault, params: spec.params });
    }
    stepStation(state, 1);
    rows.push(row(state, SHORT_START));
  }
  const moves = fault ? SHORT_FAULTS[fault]!.moves : [];
  return score(rows, fault, moves, seed, SHORT_START + normalMinutes * 60_000, null);
}

/** Days of normal operation a slow run of `seed` begins with: 7 to 13. */
export const normalDaysOf = (seed: number) => 7 + 2 * (seed % 4);

/**
 * One slow run: a one-pump station sized for its demand (40 m3/h at the peak), sampled every
 * `sampleSeconds`, `normalDays` healthy, then the fault's slow form until its end (plus a day) or its
 * longest; a healthy run (`fault` null) lasts `healthyDays`.
 */
export function runSlow(
  seed: number,
  fault: string | null,
  options: { normalDays?: number; sampleSeconds?: number; healthyDays?: number } = {},
): RunScore {
  const sample = options.sampleSeconds ?? 600;
  const normalDays =
    fault === null ? (options.healthyDays ?? 28) : (options.normalDays ?? normalDaysOf(seed));
  const state = createStationState({
    seed,
    pumps: 1,
    nominalVoltage: 380,
    phases: 3,
    peakDemand: 40,
    startTime: SLOW_START,
  });
  const rows: Row[] = [];
  const spec = fault === null ? undefined : SLOW_FAULTS[fault]!;
  const faultAt = SLOW_START + normalDays * 86_400_000;
  let endedAt: number | null = null;
  while (state.time < normalDays * DAY_SECONDS) {
    stepStation(state, sample);
    rows.push(row(state, SLOW_START));
  }
  if (spec) {
    injectFault(state, { fault: spec.fault, params: spec.params });
    const since = state.time;
    let stopAt = since + spec.maxDays * DAY_SECONDS;
    while (state.time < stopAt) {
      stepStation(state, sample);
      rows.push(row(state, SLOW_START));
      if (endedAt === null && spec.ended(state, (state.time - since) / DAY_SECONDS)) {
        endedAt = SLOW_START + Math.round(state.time * 1000);
        stopAt = Math.min(stopAt, state.time + DAY_SECONDS);
      }
    }
  }
  return score(rows, fault, spec?.moves ?? [], seed, faultAt, endedAt);
}
