import { computeDerived, type DerivedReading } from '../core/profile/derived.ts';
import type { Quality, TelemetryValue } from '../core/telemetry/payloads.ts';

/** How much a derived value can be trusted: as little as its least trusted input. */
const TRUST: readonly Quality[] = ['good', 'stale', 'frozen', 'out_of_range'];

/**
 * Adds the profile's derived readings to a cycle's values (in place), in the profile's order so one
 * may build on another. A reading whose inputs were not read this cycle is left out; one whose input
 * has no value is null with that input's quality.
 */
export function deriveReadings(
  readings: readonly DerivedReading[],
  values: Record<string, TelemetryValue>,
): void {
  for (const reading of readings) {
    const inputs = reading.inputs.map((meaning) => values[meaning]);
    if (inputs.some((input) => input === undefined)) continue;
    const missing = inputs.find((input) => input?.v === null);
    if (missing) {
      values[reading.meaning] = { v: null, q: missing.q };
      continue;
    }
    const v = computeDerived(reading, (meaning) => values[meaning]?.v);
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    const worst = Math.max(...inputs.map((input) => TRUST.indexOf(input?.q ?? 'good')));
    values[reading.meaning] = { v, q: TRUST[Math.max(0, worst)] ?? 'good' };
  }
}
