import { analyzeReadings } from '../server/predictive/offline-analysis.ts';
import { injectFault } from '../simulators/model/inject.ts';
import { readings } from '../simulators/model/readings.ts';
import { createStationState, stepStation } from '../simulators/model/step.ts';

/** The readings a SCADA export of a one-pump booster would have, named by meaning. */
const COLUMNS = [
  'pressure.outlet',
  'pressure.inlet',
  'flow.rate',
  'pump[1].current_l1',
  'pump[1].frequency',
  'pump[1].bearing_vibration',
] as const;

/** Fault classes of the short study (abrupt, minutes) with the parameters they are run at. */
export const SHORT_FAULTS: Record<string, { fault: string; params: Record<string, number | string> }> = {
  valve_throttled: { fault: 'valve_throttled', params: { percent: 40 } },
  leak_downstream: { fault: 'leak_downstream', params: { m3h: 10 } },
  impeller_wear: { fault: 'impeller_wear', params: { percent: 10 } },
  clogged_strainer: { fault: 'clogged_strainer', params: { bar: 0.5 } },
  sensor_drift: { fault: 'sensor_drift', params: { meaning: 'pressure.outlet', perDay: 24 } },
};

export interface RunScore {
  fault: string;
  seed: number;
  detected: boolean;
  falseBefore: boolean;
  /** First episode inside the fault, seconds after it started. */
  delaySeconds: number | null;
  explanation: string | null;
  episodes: number;
}

const START = Date.parse('2026-04-01T09:00:00Z');

/**
 * One short run: a one-pump station at 1 s for `normalMinutes`, then the fault for `faultMinutes`
 * (none: a healthy run), written as an export and put through `aftercare analyze`'s models.
 */
export function runShort(
  seed: number,
  fault: string | null,
  normalMinutes = 15,
  faultMinutes = 15,
): RunScore {
  const state = createStationState({ seed, pumps: 1, nominalVoltage: 380, phases: 3, startTime: START });
  const rows: { at: number; values: Record<string, number> }[] = [];
  const total = (normalMinutes + faultMinutes) * 60;
  const faultAt = START + normalMinutes * 60_000;
  for (let s = 0; s < total; s++) {
    if (fault && s === normalMinutes * 60) {
      const spec = SHORT_FAULTS[fault]!;
      injectFault(state, { fault: spec.fault, params: spec.params });
    }
    stepStation(state, 1);
    const r = readings(state);
    const values: Record<string, number> = {};
    for (const c of COLUMNS) if (typeof r[c] === 'number') values[c] = r[c] as number;
    rows.push({ at: START + state.time * 1000, values });
  }
  const analysis = analyzeReadings({
    timeColumn: 'time',
    columns: [...COLUMNS],
    rows,
    droppedRows: 0,
    droppedCells: 0,
  });
  const starts = analysis.episodes.map((e) => Date.parse(e.start));
  const inside = starts.filter((t) => t >= faultAt);
  const first = inside.length ? Math.min(...inside) : null;
  // The event of the fault that involves the most readings says what the fault looked like.
  const during = analysis.explanations.filter((x) => Date.parse(x.start) >= faultAt);
  const explanation = during.sort((a, b) => b.columns.length - a.columns.length)[0]?.code ?? null;
  return {
    fault: fault ?? 'healthy',
    seed,
    detected: fault !== null && first !== null,
    falseBefore: fault === null ? starts.length > 0 : starts.some((t) => t < faultAt),
    delaySeconds: first === null ? null : (first - faultAt) / 1000,
    explanation,
    episodes: starts.length,
  };
}
