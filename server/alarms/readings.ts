import { parseMeaning } from '../../core/profile/meanings.ts';
import type { SpoolState, StationState, TelemetryValue } from '../../core/telemetry/payloads.ts';

/** What the rules see of one station at one moment. */
export interface StationReadings {
  /** Latest values by tag meaning. */
  values: Record<string, TelemetryValue>;
  /** Communication state the edge reported with the values. */
  state: StationState;
  /** True when the latest telemetry is older than the site's `staleAfterMs`. */
  stale: boolean;
  /** False while the station's edge gateway reports itself offline (or its last will fired). */
  edgeOnline: boolean;
  /** The spool of the station's edge as its online status says; null or absent: unknown (offline, an older edge). */
  edgeSpool?: SpoolState | null;
}

/** Stale values are the last good reading and still recent; frozen, out-of-range or failed ones are not used. */
function usable(value: TelemetryValue | undefined): value is TelemetryValue {
  return value !== undefined && value.v !== null && (value.q === 'good' || value.q === 'stale');
}

export function numberAt(readings: StationReadings, meaning: string): number | undefined {
  const value = readings.values[meaning];
  if (!usable(value)) return undefined;
  if (typeof value.v === 'number') return value.v;
  return value.v ? 1 : 0;
}

export function boolAt(readings: StationReadings, meaning: string): boolean | undefined {
  const value = readings.values[meaning];
  if (!usable(value)) return undefined;
  return typeof value.v === 'boolean' ? value.v : value.v !== 0;
}

// Pump sets by bit mask (pumps 1-9), made once: asked on every message, answered without allocating.
const PUMP_SETS = new Map<number, readonly number[]>();

/** What one pass over a station's readings tells the rules. */
export interface ReadingsScan {
  /** Pump numbers that appear in the readings, ascending. Shared: do not change it. */
  pumps: readonly number[];
  /** Meanings whose value is frozen or out of range (usually none: then undefined). */
  abnormal: string[] | undefined;
}

/** One pass over the readings (asked on every message, so it allocates only for abnormal values). */
export function scanReadings(readings: StationReadings): ReadingsScan {
  let mask = 0;
  let abnormal: string[] | undefined;
  const values = readings.values;
  for (const meaning in values) {
    const parsed = parseMeaning(meaning);
    if (typeof parsed !== 'string' && parsed.kind === 'pump') mask |= 1 << parsed.pump;
    const q = values[meaning]!.q;
    if (q === 'frozen' || q === 'out_of_range') {
      abnormal ??= [];
      abnormal.push(meaning);
    }
  }
  let pumps = PUMP_SETS.get(mask);
  if (!pumps) {
    pumps = Object.freeze(Array.from({ length: 10 }, (_, pump) => pump).filter((pump) => mask & (1 << pump)));
    PUMP_SETS.set(mask, pumps);
  }
  return { pumps, abnormal };
}

const PUMP_SUBJECTS = Array.from({ length: 10 }, (_, pump) => `pump[${pump}]`);

export function pumpSubject(pump: number): string {
  return PUMP_SUBJECTS[pump] ?? `pump[${pump}]`;
}

/** Pump number of a `pump[N]` subject, or null. */
export function pumpOfSubject(subject: string): number | null {
  const match = /^pump\[(\d+)\]$/.exec(subject);
  return match ? Number(match[1]) : null;
}
