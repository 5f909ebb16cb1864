import { pumpMeaning } from '../../core/profile/meanings.ts';
import type { ActiveFault } from './faults.ts';
import { createRng, deriveSeed, uniform } from './random.ts';
import { isTripped, type StationState } from './station.ts';

export type Readings = Record<string, number | boolean>;

/** Bits of station.alarm_word (as the reference profile's header lists them). */
export const ALARM_BITS = {
  /** Pump 1..3 tripped: bits 0..2. */
  pumpTripped: 0,
  phaseLoss: 3,
  underVoltage: 4,
  overVoltage: 5,
  groundingFault: 6,
  outletPressureLow: 7,
  tankLow: 8,
} as const;

/** Supply deviation beyond which the controller raises an under- or over-voltage alarm (EN 50160: ±10%). */
const VOLTAGE_ALARM_SHARE = 0.1;
const TANK_LOW_M = 0.5;

/**
 * The station's values keyed by the profile's meanings (pure: the same state gives the same readings).
 * Sensors frozen by a `sensor_stuck` fault report their frozen value.
 */
export function readings(state: StationState): Readings {
  const m = state.measured;
  const values: Readings = {};
  for (const pump of state.pumps) {
    const n = pump.pump;
    const tripped = isTripped(pump);
    values[pumpMeaning(n, 'running')] = pump.running;
    values[pumpMeaning(n, 'fault')] = tripped;
    values[pumpMeaning(n, 'standby')] = pump.role === 'standby' && !tripped && !pump.running;
    values[pumpMeaning(n, 'duty')] = pump.role === 'duty';
    // The reset coil is a pulse the controller clears; the run command reads as what the pump does.
    values[pumpMeaning(n, 'reset')] = false;
    values[pumpMeaning(n, 'run_command')] = pump.running;
    values[pumpMeaning(n, 'run_hours')] = pump.runSeconds / 3600;
    values[pumpMeaning(n, 'start_count')] = pump.starts;
    values[pumpMeaning(n, 'frequency')] = pump.frequency;
    pump.measured.currents.forEach((amps, i) => {
      values[pumpMeaning(n, `current_l${i + 1}` as 'current_l1')] = amps;
    });
    values[pumpMeaning(n, 'winding_temperature')] = pump.measured.temperature;
    values[pumpMeaning(n, 'bearing_vibration')] = pump.measured.vibration;
    values[pumpMeaning(n, 'bearing_temperature')] = pump.measured.bearingTemperature;
    values[pumpMeaning(n, 'speed')] = pump.measured.speedRpm;
    values[pumpMeaning(n, 'power')] = pump.measured.powerKw;
  }
  m.voltages.forEach((volts, i) => {
    values[`supply.voltage_l${i + 1}`] = volts;
  });
  values['pressure.outlet'] = m.outletPressure;
  values['pressure.inlet'] = m.inletPressure;
  values['pressure.setpoint'] = state.setpoint;
  values['station.duty_pump'] = state.pumps.find((p) => p.role === 'duty')?.pump ?? 0;
  values['flow.rate'] = m.flow;
  values['tank.level'] = m.tankLevel;
  values['insulation.resistance'] = m.insulationMohm;
  values['insulation.leakage_current'] = m.leakageMa;
  values['grounding.fault'] = state.faults.some((f) => f.fault === 'grounding_fault');
  values['station.failover_count'] = state.failoverCount;
  values['ambient.temperature'] = m.ambient;
  values['energy.total'] = state.energyKwh;
  for (const fault of state.faults) {
    if (fault.fault === 'sensor_spike') {
      const meaning = String(fault.params.meaning);
      const value = values[meaning];
      const jump = spikeAt(state, fault);
      if (typeof value === 'number' && jump !== 0)
        values[meaning] = value + jump * Number(fault.params.size) * Math.abs(value);
      continue;
    }
    if (fault.fault === 'sensor_drift') {
      const meaning = String(fault.params.meaning);
      const value = values[meaning];
      if (typeof value === 'number')
        values[meaning] = value + (Number(fault.params.perDay) * (state.time - fault.since)) / 86_400;
      continue;
    }
    if (fault.fault !== 'sensor_stuck') continue;
    const frozen = fault.params.value;
    const meaning = String(fault.params.meaning);
    if (typeof frozen === 'number')
      values[meaning] = typeof values[meaning] === 'boolean' ? frozen !== 0 : frozen;
  }
  values['station.alarm_word'] = alarmWord(state, values);
  return values;
}

/** The controller's alarm word, from what its own sensors read. */
export function alarmWord(state: StationState, values: Readings): number {
  let word = 0;
  const set = (bit: number, on: boolean) => {
    if (on) word |= 1 << bit;
  };
  state.pumps.slice(0, 3).forEach((pump, i) => {
    set(ALARM_BITS.pumpTripped + i, isTripped(pump));
  });
  const nominal = state.config.nominalVoltage;
  const volts = state.measured.voltages;
  const lost = volts.some((v) => v < 0.5 * nominal);
  const healthy = volts.filter((v) => v >= 0.5 * nominal);
  const mean = healthy.reduce((a, b) => a + b, 0) / Math.max(1, healthy.length);
  set(ALARM_BITS.phaseLoss, lost);
  set(ALARM_BITS.underVoltage, healthy.length > 0 && mean < nominal * (1 - VOLTAGE_ALARM_SHARE));
  set(ALARM_BITS.overVoltage, mean > nominal * (1 + VOLTAGE_ALARM_SHARE));
  set(ALARM_BITS.groundingFault, values['grounding.fault'] === true);
  set(ALARM_BITS.outletPressureLow, Number(values['pressure.outlet']) < 0.75 * state.setpoint);
  set(ALARM_BITS.tankLow, Number(values['tank.level']) < TANK_LOW_M);
  return word;
}

/**
 * Whether a spiking sensor shows a spike at this instant, and which way (+1 up, -1 down, 0 none): spikes
 * start at random whole seconds (`perHour` on average) and last `seconds`. A function of the seed, the
 * sensor and the time only, so the readings stay pure and a coarse sample sees a spike only when one
 * falls on it, as a SCADA snapshot would.
 */
export function spikeAt(state: StationState, fault: ActiveFault): -1 | 0 | 1 {
  const chance = Number(fault.params.perHour) / 3600;
  const now = Math.floor(state.time);
  const first = Math.max(Math.ceil(fault.since), now - Number(fault.params.seconds) + 1);
  for (let second = now; second >= first; second--) {
    const rng = createRng(deriveSeed(state.config.seed + second * 7919, String(fault.params.meaning)));
    if (uniform(rng) < chance) return uniform(rng) < 0.5 ? -1 : 1;
  }
  return 0;
}
