/**
 * Pump and motor physics of a booster set from the pump's curves (core/profile/pump-curve.ts): head,
 * shaft power and NPSH required against flow at rated speed, carried to other speeds by the affinity
 * laws. The default curve fits a 7.5 kW multistage pump (~45 m3/h at 3.4 bar head at 50 Hz).
 */
import { curveHead, curvePower, type PumpCurve, speedForHead } from '../../core/profile/pump-curve.ts';

export const NOMINAL_HZ = 50;
/** The VFD never runs the pump below this (too little head and cooling flow). */
export const MIN_HZ = 35;
const MOTOR_EFFICIENCY = 0.9;
const POWER_FACTOR = 0.85;

/** Head in bar of `pumps` identical pumps in parallel at `frequency` Hz sharing `flow` m3/h, times `factor`. */
export function headBar(
  curve: PumpCurve,
  frequency: number,
  flow: number,
  pumps: number,
  factor = 1,
): number {
  if (pumps <= 0) return 0;
  return factor * curveHead(curve, flow / pumps, frequency / curve.ratedHz);
}

/**
 * Frequency at which `pumps` pumps give `headNeeded` bar at `flow` m3/h when their head is `factor`
 * times the curve's (may lie outside the VFD's range).
 */
export function frequencyFor(
  curve: PumpCurve,
  headNeeded: number,
  flow: number,
  pumps: number,
  factor = 1,
): number {
  const perPump = flow / Math.max(1, pumps);
  return curve.ratedHz * speedForHead(curve, Math.max(0, headNeeded) / Math.max(0.05, factor), perPump);
}

/** The frequency a pressure controller settles at, clamped to the VFD's range. */
export function requiredFrequency(
  curve: PumpCurve,
  headNeeded: number,
  flow: number,
  pumps: number,
  factor = 1,
): number {
  return Math.min(NOMINAL_HZ, Math.max(MIN_HZ, frequencyFor(curve, headNeeded, flow, pumps, factor)));
}

/**
 * Electrical power in kW of one running pump at `frequency` delivering `flowPerPump` at `head` bar. The
 * losses that do not depend on flow (disc friction, windage: the curve's power at zero flow) follow
 * speed cubed; the hydraulic share scales with the head the pump actually gives against its curve's, so
 * a pump off its curve (worn, cavitating, running dry) draws accordingly. `extraShare`: mechanical
 * losses a fault adds (an imbalanced or misaligned rotor), as a share of the shaft power.
 */
export function electricalPowerKw(
  curve: PumpCurve,
  frequency: number,
  flowPerPump: number,
  head: number,
  extraShare = 0,
): number {
  const s = frequency / curve.ratedHz;
  if (s <= 0) return 0;
  const idle = s ** 3 * curvePower(curve, 0, 1);
  const onCurve = curveHead(curve, flowPerPump, s);
  const share = onCurve > 0.05 ? Math.min(2, Math.max(0, head / onCurve)) : 0;
  const hydraulic = Math.max(0, curvePower(curve, flowPerPump, s) - idle) * share;
  return ((idle + hydraulic) * (1 + extraShare)) / MOTOR_EFFICIENCY;
}

/** Line current in A for an electrical power at a line voltage (three phase) or phase voltage (one phase). */
export function lineCurrent(powerKw: number, volts: number, phases: 1 | 3): number {
  if (volts <= 1) return 0;
  const apparent = (powerKw * 1000) / POWER_FACTOR;
  return phases === 3 ? apparent / (Math.sqrt(3) * volts) : apparent / volts;
}

/** Full-load current of a motor (the reference for heating). */
export function ratedCurrent(ratedKw: number, volts: number, phases: 1 | 3): number {
  return lineCurrent(ratedKw / MOTOR_EFFICIENCY, volts, phases);
}

/** Motor speed in rpm of a 2-pole induction motor: synchronous speed less a slip that grows with load (2900 rpm at full load and 50 Hz). */
export function motorRpm(frequency: number, powerKw: number, ratedKw: number): number {
  if (frequency <= 0) return 0;
  const load = (powerKw * MOTOR_EFFICIENCY) / Math.max(0.1, ratedKw);
  return Math.max(0, 60 * frequency - 100 * load);
}
