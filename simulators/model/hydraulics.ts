/**
 * Pump and motor physics of a booster set, by the affinity laws: head scales with speed squared, power
 * with speed cubed. Figures fit a 7.5 kW multistage pump (~45 m3/h at 3.4 bar head at 50 Hz).
 */

export const NOMINAL_HZ = 50;
/** The VFD never runs the pump below this (too little head and cooling flow). */
export const MIN_HZ = 35;
/** Shut-off head at 50 Hz, bar. */
export const SHUTOFF_HEAD_BAR = 5.2;
/** Head loss coefficient of one pump, bar per (m3/h)^2. */
export const HEAD_LOSS_K = 8.9e-4;
const PUMP_EFFICIENCY = 0.7;
const MOTOR_EFFICIENCY = 0.9;
const POWER_FACTOR = 0.85;
/** Losses that do not depend on flow (disc friction, windage) as a share of rated power at 50 Hz. */
const IDLE_POWER_SHARE = 0.2;

/** Head in bar of `pumps` identical pumps in parallel at mean speed ratio², sharing `flow` m3/h. */
export function headBar(meanSpeedSquared: number, flow: number, pumps: number): number {
  if (pumps <= 0) return 0;
  const perPump = flow / pumps;
  return SHUTOFF_HEAD_BAR * meanSpeedSquared - HEAD_LOSS_K * perPump * perPump;
}

/** Frequency at which `pumps` pumps give `headNeeded` bar at `flow` m3/h (may lie outside the VFD's range). */
export function frequencyFor(headNeeded: number, flow: number, pumps: number): number {
  const perPump = flow / Math.max(1, pumps);
  const ratioSquared = (headNeeded + HEAD_LOSS_K * perPump * perPump) / SHUTOFF_HEAD_BAR;
  return NOMINAL_HZ * Math.sqrt(Math.max(0, ratioSquared));
}

/** The frequency a pressure controller settles at, clamped to the VFD's range. */
export function requiredFrequency(headNeeded: number, flow: number, pumps: number): number {
  return Math.min(NOMINAL_HZ, Math.max(MIN_HZ, frequencyFor(headNeeded, flow, pumps)));
}

/** Electrical power in kW of one running pump. */
export function electricalPowerKw(
  ratedKw: number,
  frequency: number,
  flowPerPump: number,
  head: number,
): number {
  const speed = frequency / NOMINAL_HZ;
  const hydraulicKw = (flowPerPump / 3600) * Math.max(0, head) * 100; // m3/s * bar(1e5 Pa) / 1000
  const shaftKw = IDLE_POWER_SHARE * ratedKw * speed ** 3 + hydraulicKw / PUMP_EFFICIENCY;
  return shaftKw / MOTOR_EFFICIENCY;
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
