import type { StationState } from '../simulators/model/station.ts';

/** A fault class as the study runs it. */
export interface FaultSpec {
  fault: string;
  params: Record<string, number | string>;
  /**
   * Parts of the names of the readings, relations and indicators the fault moves: an episode inside the
   * fault counts as its detection only on one of them (a false episode that happens to fall inside
   * does not).
   */
  moves: string[];
}

/** A slow fault, with the state that counts as its end (alarm, worn out) for the lead time. */
export interface SlowFaultSpec extends FaultSpec {
  /** Longest the fault runs, days, before the study gives up waiting for its end. */
  maxDays: number;
  ended: (state: StationState, faultDays: number) => boolean;
}

/**
 * Abrupt forms (minutes) at the parameters the short study runs them at: every class a pump or its
 * sensors can show within a quarter of an hour. Bearing wear has no abrupt form.
 */
export const SHORT_FAULTS: Record<string, FaultSpec> = {
  valve_throttled: {
    fault: 'valve_throttled',
    params: { percent: 40 },
    moves: ['flow.rate', 'frequency', 'current', 'power', 'efficiency'],
  },
  // Near the drive's top speed the head gives way to a leak: the outlet pressure's dip is its signature too.
  leak_downstream: {
    fault: 'leak_downstream',
    params: { m3h: 10 },
    moves: ['flow.rate', 'frequency', 'current', 'power', 'efficiency', 'pressure.outlet'],
  },
  impeller_wear: {
    fault: 'impeller_wear',
    params: { percent: 10 },
    moves: ['frequency', 'current', 'power', 'pressure.outlet', 'efficiency'],
  },
  clogged_strainer: {
    fault: 'clogged_strainer',
    params: { bar: 0.5 },
    moves: ['pressure.inlet', 'frequency'],
  },
  cavitation: {
    fault: 'cavitation',
    params: { npshaM: 1.8 },
    moves: ['pressure', 'flow.rate', 'vibration', 'current', 'power'],
  },
  rotor_imbalance: {
    fault: 'rotor_imbalance',
    params: { mmS: 3 },
    moves: ['vibration', 'bearing_temperature', 'power'],
  },
  misalignment: {
    fault: 'misalignment',
    params: { mmS: 2.5 },
    moves: ['vibration', 'bearing_temperature', 'power'],
  },
  dry_running: {
    fault: 'dry_running',
    params: {},
    moves: ['flow.rate', 'pressure', 'current', 'power', 'bearing_temperature'],
  },
  air_in_pump: {
    fault: 'air_in_pump',
    params: { percent: 6 },
    moves: ['flow.rate', 'pressure.outlet', 'current', 'power', 'frequency'],
  },
  // Water in the terminal box: the resistance falls by e every ~7 minutes.
  insulation_decay: { fault: 'insulation_decay', params: { tauDays: 0.005 }, moves: ['insulation'] },
  sensor_drift: {
    fault: 'sensor_drift',
    params: { meaning: 'pressure.outlet', perDay: 24 },
    moves: ['pressure.outlet'],
  },
  sensor_stuck: { fault: 'sensor_stuck', params: { meaning: 'flow.rate' }, moves: ['flow.rate'] },
  sensor_spike: {
    fault: 'sensor_spike',
    params: { meaning: 'pressure.outlet', perHour: 30, size: 0.5 },
    moves: ['pressure.outlet'],
  },
};

const ZONE_D_MM_S = 4.5;

/** Slow forms (weeks) and the end each is measured to. */
export const SLOW_FAULTS: Record<string, SlowFaultSpec> = {
  impeller_wear: {
    fault: 'impeller_wear',
    params: { percent: 12, days: 21 },
    moves: ['frequency', 'current', 'power', 'pressure.outlet', 'efficiency'],
    maxDays: 21,
    ended: (_s, days) => days >= 21,
  },
  clogged_strainer: {
    fault: 'clogged_strainer',
    params: { bar: 0.6, days: 21 },
    moves: ['pressure.inlet', 'frequency'],
    maxDays: 21,
    ended: (_s, days) => days >= 21,
  },
  misalignment: {
    fault: 'misalignment',
    params: { mmS: 2.5, days: 21 },
    moves: ['vibration', 'bearing_temperature', 'power'],
    maxDays: 21,
    ended: (_s, days) => days >= 21,
  },
  bearing_wear: {
    fault: 'bearing_wear',
    params: { weeks: 4 },
    moves: ['vibration', 'bearing_temperature', 'winding'],
    maxDays: 35,
    ended: (s) => s.pumps[0]!.running && s.pumps[0]!.measured.vibration >= ZONE_D_MM_S,
  },
  insulation_decay: {
    fault: 'insulation_decay',
    params: { tauDays: 4 },
    moves: ['insulation'],
    maxDays: 35,
    ended: (s) => s.measured.insulationMohm < 1,
  },
  // 0.3 bar in three weeks: 7.5% of the set point, where a service team recalibrates.
  sensor_drift: {
    fault: 'sensor_drift',
    params: { meaning: 'pressure.outlet', perDay: 0.3 / 21 },
    moves: ['pressure.outlet'],
    maxDays: 21,
    ended: (_s, days) => days >= 21,
  },
};
