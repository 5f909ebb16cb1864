import { defaultPumpCurve, type PumpCurve } from '../../core/profile/pump-curve.ts';
import { ambientTemperature, hourOfDay } from './environment.ts';
import type { ActiveFault } from './faults.ts';
import { electricalPowerKw, headBar, lineCurrent, ratedCurrent, requiredFrequency } from './hydraulics.ts';

/** How long before second 0 a station starts (createStationState's warm-up, step.ts). */
const WARM_UP_START_SECONDS = 1800;

import { createRng, deriveSeed, type RngState, uniform } from './random.ts';

export type PumpRole = 'duty' | 'assist' | 'standby';
/** Why a pump is tripped; a pump runs again when all its causes are cleared. */
export type TripCause = 'pump_trip' | 'phase_loss' | 'grounding_fault';

/** Options of a simulated station. */
export interface StationOptions {
  /** Seed of the station's noise; the same seed and steps give the same readings. */
  seed: number;
  /** Pumps in the set (the profile's `pumps`). Pump 1 is duty, the last one standby, any between assist. */
  pumps: number;
  /** Supply voltage, V (the profile's `nominalVoltage`). */
  nominalVoltage: number;
  /** Supply phases (the profile's `phases`). */
  phases: 1 | 3;
  /** Outlet pressure set point, bar. Default 4.0. */
  setpoint?: number;
  /** Rated motor power of each pump, kW. Default 7.5. */
  ratedPowerKw?: number;
  /** Demand at the daily peak, m3/h. Default 70 (one pump covers ~45 m3/h). */
  peakDemand?: number;
  /** Wall-clock time of simulated second 0, epoch ms; sets the time of day of the demand curve. Default 0. */
  startTime?: number;
  /** Local time offset east of UTC for the demand curve, minutes. Default 0. */
  utcOffsetMinutes?: number;
  /** The pumps' fitted curves (a profile's `pumpCurve`). Default the 7.5 kW booster pump's. */
  curve?: PumpCurve;
}

export interface PumpState {
  /** 1-based pump number. */
  pump: number;
  role: PumpRole;
  running: boolean;
  trips: TripCause[];
  /** Held on or off by a remote command (start_pump / stop_pump); undefined: automatic staging. */
  manual?: 'on' | 'off';
  /** VFD output, Hz. */
  frequency: number;
  /** True winding temperature, °C (the reading adds sensor noise). */
  windingTemperature: number;
  runSeconds: number;
  starts: number;
  /** Healthy vibration at 50 Hz, mm/s (differs a little between pumps). */
  vibrationBase: number;
  powerKw: number;
  /** True bearing temperature, °C. */
  bearingTemperature: number;
  /** Sensor values of the last step. */
  measured: {
    currents: number[];
    temperature: number;
    vibration: number;
    bearingTemperature: number;
    speedRpm: number;
    powerKw: number;
  };
}

/** A station as plain data: copy it with structuredClone, step it with stepStation. */
export interface StationState {
  config: Required<StationOptions>;
  rng: RngState;
  /**
   * Noise of the readings and faults added after the first model (bearing temperature, cavitation,
   * air): its own stream, so a healthy station reads exactly as it did before they existed.
   */
  rng2: RngState;
  /** Air in the pump: slow random surge of the gas share (unit variance, a few seconds' memory). */
  airSurge: number;
  /** Simulated seconds since start. */
  time: number;
  setpoint: number;
  pumps: PumpState[];
  /** Pumps the controller wants running. */
  stage: number;
  stageUpSeconds: number;
  stageDownSeconds: number;
  /** Slow random deviation of demand from the daily curve (fraction). */
  demandNoise: number;
  /** True outlet pressure, bar (lags the pump curve like a pressure vessel). */
  outletTrue: number;
  tankLevelTrue: number;
  energyKwh: number;
  failoverCount: number;
  faults: ActiveFault[];
  /** Sensor values of the last step. */
  measured: {
    flow: number;
    outletPressure: number;
    inletPressure: number;
    tankLevel: number;
    voltages: number[];
    ambient: number;
    insulationMohm: number;
    leakageMa: number;
  };
}

export const STATION_DEFAULTS = {
  setpoint: 4.0,
  ratedPowerKw: 7.5,
  peakDemand: 70,
  startTime: 0,
  utcOffsetMinutes: 0,
};

/** Inlet pressure from the break tank's level (0.0981 bar per metre of water plus the feed's own head). */
export function inletFromLevel(level: number): number {
  return 0.25 + 0.0981 * level;
}

function initialRole(pump: number, pumps: number): PumpRole {
  if (pump === 1) return 'duty';
  return pump === pumps ? 'standby' : 'assist';
}

/** A fresh station before its first step (use createStationState, which also takes the first readings). */
export function newStationState(options: StationOptions): StationState {
  if (!Number.isInteger(options.pumps) || options.pumps < 1)
    throw new RangeError('pumps must be an integer >= 1');
  const given = stripUndefined(options);
  const ratedPowerKw = given.ratedPowerKw ?? given.curve?.motorKw ?? STATION_DEFAULTS.ratedPowerKw;
  const config: Required<StationOptions> = {
    ...STATION_DEFAULTS,
    ...given,
    ratedPowerKw,
    curve: given.curve ?? defaultPumpCurve(ratedPowerKw),
  };
  const rng = createRng(deriveSeed(config.seed, 'station'));
  const tankLevel = 3.2;
  const inlet = inletFromLevel(tankLevel);
  const pumps: PumpState[] = [];
  for (let pump = 1; pump <= config.pumps; pump++) {
    pumps.push({
      pump,
      role: initialRole(pump, config.pumps),
      running: false,
      trips: [],
      frequency: 0,
      windingTemperature: pump === 1 ? 45 : 18,
      runSeconds: Math.round((6000 + 6000 * uniform(rng)) * 3600),
      starts: Math.round(800 + 700 * uniform(rng)),
      vibrationBase: 1.5 + 0.6 * uniform(rng),
      powerKw: 0,
      bearingTemperature: pump === 1 ? 30 : 18,
      measured: {
        currents: [0, 0, 0],
        temperature: 18,
        vibration: 0.05,
        bearingTemperature: 18,
        speedRpm: 0,
        powerKw: 0,
      },
    });
  }
  const duty = pumps[0]!;
  duty.running = true;
  duty.frequency = requiredFrequency(config.curve, config.setpoint - inlet, config.peakDemand * 0.3, 1);
  const outlet = inlet + Math.max(0, headBar(config.curve, duty.frequency, config.peakDemand * 0.3, 1));
  settleTemperatures(duty, config, outlet - inlet);
  return {
    config,
    rng,
    rng2: createRng(deriveSeed(config.seed, 'station-2')),
    airSurge: 0,
    time: 0,
    setpoint: config.setpoint,
    pumps,
    stage: 1,
    stageUpSeconds: 0,
    stageDownSeconds: 0,
    demandNoise: 0,
    outletTrue: outlet,
    tankLevelTrue: tankLevel,
    energyKwh: Math.round(80_000 + 60_000 * uniform(rng)),
    failoverCount: 0,
    faults: [],
    measured: {
      flow: 0,
      outletPressure: outlet,
      inletPressure: inlet,
      tankLevel,
      voltages: [config.nominalVoltage, config.nominalVoltage, config.nominalVoltage],
      ambient: 18,
      insulationMohm: 600,
      leakageMa: 3.5,
    },
  };
}

/**
 * The duty pump has run for hours before the simulation starts: its winding and bearing begin near
 * their steady temperatures at its first operating point, so the warm-up leaves no slow transient in a
 * short run (the other pumps stand at the room's temperature).
 */
function settleTemperatures(duty: PumpState, config: Required<StationOptions>, head: number): void {
  const ambient = ambientTemperature(
    hourOfDay(config.startTime, -WARM_UP_START_SECONDS, config.utcOffsetMinutes),
  );
  const kw = electricalPowerKw(config.curve, duty.frequency, config.peakDemand * 0.3, head);
  const load =
    lineCurrent(kw, config.nominalVoltage, config.phases) /
    ratedCurrent(config.ratedPowerKw, config.nominalVoltage, config.phases);
  const speed = duty.frequency / 50;
  duty.windingTemperature = ambient + 55 * load * load;
  duty.bearingTemperature = ambient + 10 * speed * speed + 6 * (kw / config.ratedPowerKw);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Highest number of pumps run together: all but one standby. */
export function maxRunning(state: StationState): number {
  return state.pumps.length >= 2 ? state.pumps.length - 1 : 1;
}

export function isTripped(pump: PumpState): boolean {
  return pump.trips.length > 0;
}
