import { curveNpshr } from '../../core/profile/pump-curve.ts';
import { controlPumps } from './control.ts';
import { ambientTemperature, demandFraction, hourOfDay, supplySwing } from './environment.ts';
import {
  bearingWear,
  groundLeakageMa,
  hydraulicFaults,
  insulationFactor,
  supplyFactor,
} from './fault-effects.ts';
import {
  electricalPowerKw,
  headBar,
  lineCurrent,
  motorRpm,
  NOMINAL_HZ,
  ratedCurrent,
  requiredFrequency,
} from './hydraulics.ts';
import { cavitation, npshAvailable, rotorFaults, suctionFaults } from './pump-faults.ts';
import { gaussian, type RngState } from './random.ts';
import { inletFromLevel, newStationState, type StationOptions, type StationState } from './station.ts';

/** Longest step taken in one go; longer steps are split so the control logic sees the day go by. */
export const MAX_SUBSTEP_SECONDS = 60;
/** VFD ramp and pressure loop settle with this time constant, s. */
const CONTROL_TAU = 3;
/** The pressure vessel smooths outlet pressure with this time constant, s. */
const VESSEL_TAU = 2;
/** Winding thermal time constant of a 7.5 kW TEFC motor, s (~20 min). */
const THERMAL_TAU = 1200;
/** Winding rise over ambient at rated current, K (class F motor, class B rise). */
const RATED_RISE = 55;
/** Bearing housing thermal time constant, s. */
const BEARING_TAU = 900;
/** Demand's slow random deviation: time constant, s, and size (fraction of the curve). */
const DEMAND_NOISE_TAU = 900;
const DEMAND_NOISE_SIZE = 0.06;
const TANK_AREA_M2 = 30;
const TANK_INFLOW_M3H = 85;
const TANK_FLOAT_LEVEL = 3.5;
/** Phase current imbalance of a healthy motor (a few tenths of a percent is normal). */
const PHASE_IMBALANCE = [1, 1.012, 0.988];

/** Simulated time a new station runs before second 0, so it starts settled (pressure, staging, heat). */
export const WARM_UP_SECONDS = 1800;

/** A settled station at simulated second 0, with its readings taken. */
export function createStationState(options: StationOptions): StationState {
  const state = newStationState(options);
  state.time = -WARM_UP_SECONDS;
  stepStation(state, WARM_UP_SECONDS);
  state.time = 0; // exact, whatever the float sum of the substeps
  return state;
}

/** Advances a station by `dtSeconds` of simulated time (mutates and returns it). */
export function stepStation(state: StationState, dtSeconds: number): StationState {
  if (!Number.isFinite(dtSeconds) || dtSeconds < 0)
    throw new RangeError(`dtSeconds must be >= 0, got ${dtSeconds}`);
  let left = dtSeconds;
  do {
    const dt = Math.min(left, MAX_SUBSTEP_SECONDS);
    substep(state, dt);
    left -= dt;
  } while (left > 1e-9);
  return state;
}

/** Blends `value` toward `target` as a first-order lag, exact for any step length. */
function lag(value: number, target: number, dt: number, tau: number): number {
  return target + (value - target) * Math.exp(-dt / tau);
}

function substep(state: StationState, dt: number): void {
  const { config, rng } = state;
  state.time += dt;
  const hour = hourOfDay(config.startTime, state.time, config.utcOffsetMinutes);

  // Demand: the daily curve times a slow random walk (exact Ornstein-Uhlenbeck update).
  const keep = Math.exp(-dt / DEMAND_NOISE_TAU);
  state.demandNoise =
    state.demandNoise * keep + DEMAND_NOISE_SIZE * Math.sqrt(1 - keep * keep) * gaussian(rng);
  const demand = Math.max(0, config.peakDemand * demandFraction(hour) * (1 + state.demandNoise));

  const hydraulic = hydraulicFaults(state);
  const curve = config.curve;
  const suctionHealthy =
    inletFromLevel(state.tankLevelTrue) -
    hydraulic.strainerBarAt45 * ((demand * hydraulic.flowFactor) / 45) ** 2;
  const suction = suctionFaults(state, suctionHealthy, dt);
  // Consumers draw less when the set cannot hold its pressure (the pump cannot make the head).
  const network =
    state.outletTrue >= 0.95 * state.setpoint
      ? 1
      : Math.sqrt(Math.max(0, state.outletTrue) / (0.95 * state.setpoint));
  const anyRunning = state.pumps.some((p) => p.running);
  const reach = anyRunning ? Math.min(suction.delivery, network) : 1;
  const delivered = demand * hydraulic.flowFactor * reach + hydraulic.leakM3h;
  controlPumps(state, dt, delivered);

  const running = state.pumps.filter((p) => p.running);
  // A clogged strainer loses head before the inlet sensor, growing with the flow squared: the suction
  // faults were judged at the demanded flow, the loss follows the flow delivered.
  const inlet =
    suction.inlet -
    hydraulic.strainerBarAt45 * ((delivered / 45) ** 2 - ((demand * hydraulic.flowFactor) / 45) ** 2);
  const perPump = delivered / Math.max(1, running.length);
  const speedNow =
    running.length > 0
      ? Math.sqrt(running.reduce((sum, p) => sum + (p.frequency / NOMINAL_HZ) ** 2, 0) / running.length)
      : 0;
  const cav = cavitation(state, npshAvailable(inlet), curveNpshr(curve, perPump, speedNow));
  // A worn impeller, cavitation, air or no water give less head at every speed: the loop asks for more speed.
  const headFactor = hydraulic.headFactor * suction.headFactor * cav.headFactor;
  const headNeeded = Math.max(0, state.setpoint - inlet);
  const target = requiredFrequency(curve, headNeeded, delivered, running.length, headFactor);
  for (const pump of running) pump.frequency = lag(pump.frequency, target, dt, CONTROL_TAU);
  const meanSpeed =
    running.length > 0
      ? Math.sqrt(running.reduce((sum, p) => sum + p.frequency ** 2, 0) / running.length)
      : 0;
  const head =
    running.length > 0 ? Math.max(0, headBar(curve, meanSpeed, delivered, running.length, headFactor)) : 0;
  state.outletTrue = lag(state.outletTrue, inlet + head, dt, VESSEL_TAU);
  // With every pump stopped the network still draws a little through the bypass at inlet pressure.
  const flow = running.length > 0 ? delivered : 0.25 * delivered;

  const inflow = TANK_INFLOW_M3H * Math.min(1, Math.max(0, (TANK_FLOAT_LEVEL - state.tankLevelTrue) / 0.5));
  state.tankLevelTrue = Math.max(0, state.tankLevelTrue + ((inflow - flow) / 3600) * (dt / TANK_AREA_M2));

  const ambient = ambientTemperature(hour);
  const voltages = supplyVoltages(state, hour, rng);
  const meanVolts = voltages.reduce((a, b) => a + b, 0) / voltages.length;
  const ratedAmps = ratedCurrent(config.ratedPowerKw, config.nominalVoltage, config.phases);

  let totalKw = 0;
  for (const pump of state.pumps) {
    const wear = bearingWear(state, pump.pump);
    const speed = pump.frequency / NOMINAL_HZ;
    const load = pump.powerKw / config.ratedPowerKw;
    const rotor = rotorFaults(state, pump.pump, speed, load);
    if (pump.running) {
      pump.powerKw = electricalPowerKw(curve, pump.frequency, flow / running.length, head, rotor.powerShare);
      pump.runSeconds += dt;
    } else {
      pump.powerKw = 0;
    }
    totalKw += pump.powerKw;
    const amps = lineCurrent(pump.powerKw, meanVolts, config.phases);
    const rise = pump.running ? RATED_RISE * (amps / ratedAmps) ** 2 + 25 * wear.shape : 0;
    pump.windingTemperature = lag(pump.windingTemperature, ambient + rise, dt, THERMAL_TAU);
    const bearingRise = pump.running
      ? 10 * speed * speed + 6 * load + 30 * wear.shape + rotor.bearingHeat + 45 * suction.dry
      : 0;
    pump.bearingTemperature = lag(pump.bearingTemperature, ambient + bearingRise, dt, BEARING_TAU);
    pump.measured = {
      currents: PHASE_IMBALANCE.slice(0, config.phases).map((k) => noisy(rng, amps * k, 0.006 * amps)),
      temperature: pump.windingTemperature + 0.15 * gaussian(rng),
      vibration: pump.running
        ? Math.abs(
            pump.vibrationBase * (0.6 + (0.4 * pump.frequency) / NOMINAL_HZ) +
              wear.vibration +
              0.05 * gaussian(rng) +
              extraVibration(state, rotor.vibration, cav.severity, suction),
          )
        : Math.abs(0.05 + 0.02 * gaussian(rng)),
      bearingTemperature: pump.bearingTemperature + 0.15 * gaussian(state.rng2),
      speedRpm: pump.running ? Math.round(motorRpm(pump.frequency, pump.powerKw, config.ratedPowerKw)) : 0,
      powerKw: pump.running ? noisy(state.rng2, pump.powerKw, 0.005 * pump.powerKw) : 0,
    };
  }
  state.energyKwh += (totalKw * dt) / 3600;

  const phaseVolts = config.phases === 3 ? config.nominalVoltage / Math.sqrt(3) : config.nominalVoltage;
  const healthyMohm = 600 * 2 ** (-(ambient - 20) / 10); // insulation resistance halves per 10 K
  const leakage = groundLeakageMa(state);
  let insulation = insulationFactor(state, healthyMohm);
  if (leakage > 0) insulation = Math.min(insulation, phaseVolts / leakage / 1000);
  const resistiveMa = (phaseVolts / (insulation * 1e6)) * 1000;
  state.measured = {
    flow: noisy(rng, flow, 0.005 * flow),
    outletPressure: noisy(rng, state.outletTrue, 0.015),
    // A compound gauge: a starved suction reads below atmospheric.
    inletPressure: Math.max(-1, inlet + 0.005 * gaussian(rng)),
    tankLevel: noisy(rng, state.tankLevelTrue, 0.004),
    voltages,
    ambient: ambient + 0.1 * gaussian(rng),
    insulationMohm: noisy(rng, insulation, 0.01 * insulation),
    // Capacitive leakage of the VFD's EMC filter (a few mA) dwarfs a healthy resistive share.
    leakageMa: noisy(rng, 3.5 + resistiveMa + leakage, 0.08),
  };
}

/**
 * Vibration the newer faults add: the rotor's (imbalance, misalignment), cavitation's broadband noise,
 * air's and dry running's rough running. Drawn from the second stream, only while such a fault acts.
 */
function extraVibration(
  state: StationState,
  rotor: number,
  cavitation: number,
  suction: { air: number; dry: number },
): number {
  if (rotor === 0 && cavitation === 0 && suction.air === 0 && suction.dry === 0) return 0;
  const rough = Math.abs(gaussian(state.rng2));
  return (
    rotor +
    cavitation * (2.5 + 0.8 * rough) +
    8 * suction.air * (1 + 0.3 * rough) +
    0.6 * suction.dry * (1 + rough)
  );
}

function noisy(rng: RngState, value: number, sigma: number): number {
  return Math.max(0, value + sigma * gaussian(rng));
}

function supplyVoltages(state: StationState, hour: number, rng: RngState): number[] {
  const { config } = state;
  const factor = supplyFactor(state);
  const lostPhase = state.faults.find((f) => f.fault === 'phase_loss')?.params.phase;
  const volts: number[] = [];
  for (let phase = 1; phase <= config.phases; phase++) {
    const nominal = config.nominalVoltage * (1 + supplySwing(hour)) * factor;
    // A lost phase reads a few volts induced from the healthy ones, not a clean zero.
    volts.push(
      phase === lostPhase ? Math.abs(4 + 1.5 * gaussian(rng)) : noisy(rng, nominal, 0.006 * nominal),
    );
  }
  return volts;
}
