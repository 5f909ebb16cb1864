import type { StationState } from './station.ts';

const WEEK_SECONDS = 7 * 86_400;
const DAY_SECONDS = 86_400;
/**
 * Vibration of a bearing at the end of its life, mm/s RMS: where the wear curve ends after `weeks`. A
 * group 2 pump on a rigid foundation (ISO 10816-3 zone D from 4.5 mm/s) is in zone D at ~70% of the life.
 */
export const WORN_OUT_VIBRATION = 11;
/** Growth of the wear curve: e^4 ≈ 55, so half-way through life the bearing has shown ~12% of its rise. */
const WEAR_GROWTH = 4;

/**
 * Effects of a worn bearing on one pump: vibration added (mm/s) and `shape` (0 at new, 1 at the end of
 * its life, WORN_OUT_VIBRATION) for the heat it adds. A real bearing degrades slowly and then accelerates: exponential shape.
 */
export function bearingWear(state: StationState, pump: number): { shape: number; vibration: number } {
  const fault = state.faults.find((f) => f.fault === 'bearing_wear' && f.pump === pump);
  if (!fault) return { shape: 0, vibration: 0 };
  const weeks = Number(fault.params.weeks);
  const progress = Number(fault.params.progress) + (state.time - fault.since) / (weeks * WEEK_SECONDS);
  const life = Math.min(1.5, Math.max(0, progress));
  const shape = Math.expm1(WEAR_GROWTH * life) / Math.expm1(WEAR_GROWTH);
  const base = state.pumps[pump - 1]?.vibrationBase ?? 2;
  return { shape, vibration: Math.min(40, (WORN_OUT_VIBRATION - base) * shape) };
}

/** Insulation resistance in MΩ after any decay fault, from the healthy value. */
export function insulationFactor(state: StationState, healthyMohm: number): number {
  const fault = state.faults.find((f) => f.fault === 'insulation_decay');
  if (!fault) return healthyMohm;
  const days = (state.time - fault.since) / DAY_SECONDS;
  return Math.max(
    Number(fault.params.floorMohm),
    healthyMohm * Math.exp(-days / Number(fault.params.tauDays)),
  );
}

/** Earth leakage current added by a grounding fault, mA (0 without one). */
export function groundLeakageMa(state: StationState): number {
  const fault = state.faults.find((f) => f.fault === 'grounding_fault');
  return fault ? Number(fault.params.leakageMa) : 0;
}

/** Supply voltage relative to normal under sag or swell faults. */
export function supplyFactor(state: StationState): number {
  let factor = 1;
  for (const fault of state.faults) {
    if (fault.fault === 'under_voltage') factor *= 1 - Number(fault.params.percent) / 100;
    if (fault.fault === 'over_voltage') factor *= 1 + Number(fault.params.percent) / 100;
  }
  return factor;
}

/** How far a fault has come: 0 at its start, 1 once its ramp (seconds) or its days are over. */
function progressOf(state: StationState, since: number, seconds: number): number {
  return seconds <= 0 ? 1 : Math.min(1, Math.max(0, (state.time - since) / seconds));
}

/**
 * Hydraulic faults as changes to the pump's and the network's curves: a throttled valve takes a share
 * of the demanded flow away, a leak adds flow, a worn impeller lowers the pump's head at any speed, a
 * clogged strainer loses head before the inlet sensor (growing with flow squared).
 */
export function hydraulicFaults(state: StationState): {
  flowFactor: number;
  leakM3h: number;
  headFactor: number;
  strainerBarAt45: number;
} {
  let flowFactor = 1;
  let leakM3h = 0;
  let headFactor = 1;
  let strainerBarAt45 = 0;
  for (const f of state.faults) {
    if (f.fault === 'valve_throttled')
      flowFactor *=
        1 - (Number(f.params.percent) / 100) * progressOf(state, f.since, Number(f.params.rampSeconds));
    if (f.fault === 'leak_downstream')
      leakM3h += Number(f.params.m3h) * progressOf(state, f.since, Number(f.params.rampSeconds));
    if (f.fault === 'impeller_wear')
      headFactor *=
        1 -
        (Number(f.params.percent) / 100) *
          progressOf(state, f.since, Number(f.params.days) * DAY_SECONDS || 20);
    if (f.fault === 'clogged_strainer')
      strainerBarAt45 +=
        Number(f.params.bar) * progressOf(state, f.since, Number(f.params.days) * DAY_SECONDS || 20);
  }
  return { flowFactor, leakM3h, headFactor, strainerBarAt45 };
}
