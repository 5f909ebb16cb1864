import { BAR_PER_METRE } from '../../core/profile/pump-curve.ts';
import { gaussian } from './random.ts';
import type { StationState } from './station.ts';

const DAY_SECONDS = 86_400;
/** Atmospheric less vapour pressure of water at 20 °C, bar: what a gauge inlet pressure adds to NPSH. */
const ABSOLUTE_LESS_VAPOUR_BAR = 0.99;
/** Memory of the air surges, s. */
const AIR_SURGE_TAU = 4;

/** How far a fault has come: 0 at its start, 1 once its ramp (seconds) is over. */
function progress(state: StationState, since: number, seconds: number): number {
  return seconds <= 0 ? 1 : Math.min(1, Math.max(0, (state.time - since) / seconds));
}

/** NPSH available in m from a gauge inlet pressure in bar (velocity head neglected). */
export function npshAvailable(inletGaugeBar: number): number {
  return (inletGaugeBar + ABSOLUTE_LESS_VAPOUR_BAR) / BAR_PER_METRE;
}

/** The gauge inlet pressure, bar, at which the NPSH available is `npshaM`. */
export function inletForNpsha(npshaM: number): number {
  return npshaM * BAR_PER_METRE - ABSOLUTE_LESS_VAPOUR_BAR;
}

/** What the suction side's faults do to the pump this step. */
export interface SuctionEffects {
  /** Gauge inlet pressure, bar, after the faults (from the healthy one). */
  inlet: number;
  /** Share of the demanded flow the pump can still move (air, dry running). */
  delivery: number;
  /** Factor on the pump's head from air and dry running (cavitation follows from the NPSH). */
  headFactor: number;
  /** Share of the pump's water replaced by air or gone (0..1), for vibration and heat. */
  air: number;
  dry: number;
}

/**
 * Suction faults: a starved suction (cavitation: the inlet falls to the pressure that leaves `npshaM` of
 * NPSH), air drawn in (the gas share surges at random around its mean, head and flow with it) and dry
 * running (the water is gone: flow and head collapse, the inlet reads about zero).
 */
export function suctionFaults(state: StationState, healthyInlet: number, dt: number): SuctionEffects {
  let inlet = healthyInlet;
  let delivery = 1;
  let headFactor = 1;
  let air = 0;
  let dry = 0;
  for (const f of state.faults) {
    if (f.fault === 'cavitation') {
      const target = inletForNpsha(Number(f.params.npshaM));
      inlet += (Math.min(inlet, target) - inlet) * progress(state, f.since, Number(f.params.rampSeconds));
    }
    if (f.fault === 'dry_running') {
      dry = Math.max(dry, progress(state, f.since, Number(f.params.rampSeconds)));
    }
    if (f.fault === 'air_in_pump') {
      const keep = Math.exp(-dt / AIR_SURGE_TAU);
      state.airSurge = state.airSurge * keep + Math.sqrt(1 - keep * keep) * gaussian(state.rng2);
      const mean = (Number(f.params.percent) / 100) * progress(state, f.since, Number(f.params.rampSeconds));
      air = Math.min(0.3, mean * Math.max(0, 1 + 0.6 * state.airSurge));
    }
  }
  if (air > 0) {
    headFactor *= Math.max(0.3, 1 - 2.5 * air);
    delivery *= Math.max(0.3, 1 - 1.5 * air);
  }
  if (dry > 0) {
    headFactor *= 1 - 0.95 * dry;
    delivery *= 1 - 0.98 * dry;
    inlet += (-0.05 - inlet) * dry;
  }
  return { inlet, delivery, headFactor, air, dry };
}

/**
 * Cavitation from NPSH available against required: none above 1.3 times the required (the usual
 * margin); incipient below it (noise, up to the 3% head drop that defines NPSHr); below the required
 * the head breaks down steeply. Returns the head factor (noisy: the vapour comes and goes) and the
 * severity 0..1 for the broadband vibration.
 */
export function cavitation(
  state: StationState,
  npsha: number,
  npshr: number,
): { headFactor: number; severity: number } {
  const r = npsha / Math.max(0.1, npshr);
  if (r >= 1.3) return { headFactor: 1, severity: 0 };
  const drop = r >= 1 ? (0.03 * (1.3 - r)) / 0.3 : Math.min(0.7, 0.03 + 0.8 * (1 - r));
  const severity = r >= 1 ? (0.3 * (1.3 - r)) / 0.3 : Math.min(1, 0.3 + 1.4 * (1 - r));
  const noisy = drop * (1 + 0.5 * gaussian(state.rng2));
  return { headFactor: Math.min(1, Math.max(0.2, 1 - noisy)), severity };
}

/** Mechanical faults of one pump's rotor: vibration added (mm/s), bearing heat (K) and power lost (share). */
export function rotorFaults(
  state: StationState,
  pump: number,
  speed: number,
  load: number,
): { vibration: number; bearingHeat: number; powerShare: number } {
  let vibration = 0;
  let bearingHeat = 0;
  let powerShare = 0;
  for (const f of state.faults) {
    if (f.pump !== pump) continue;
    const days = Number(f.params.days ?? 0) * DAY_SECONDS;
    if (f.fault === 'rotor_imbalance') {
      // Centrifugal force of an unbalanced mass grows with speed squared (1x).
      const added = Number(f.params.mmS) * progress(state, f.since, days || 20) * speed * speed;
      vibration += added;
      bearingHeat += 1.5 * added;
      powerShare += 0.004 * added;
    }
    if (f.fault === 'misalignment') {
      // The coupling's reaction forces (2x) follow the torque it carries.
      const added = Number(f.params.mmS) * progress(state, f.since, days || 20) * (0.6 + 0.4 * load);
      vibration += added;
      bearingHeat += 3 * added;
      powerShare += 0.008 * added;
    }
  }
  return { vibration, bearingHeat, powerShare };
}
