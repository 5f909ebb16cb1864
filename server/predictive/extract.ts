import { PUMP_CURRENTS, pumpMeaning, SUPPLY_VOLTAGES } from '../../core/profile/meanings.ts';
import type { PredictiveConfig } from './config.ts';
import type { IndicatorId } from './indicator-specs.ts';
import { imbalancePct, insulationAt40C } from './standards.ts';

/** A station's readings by meaning (numbers and booleans; missing or bad ones absent). */
export type ReadingMap = Readonly<Record<string, number | boolean | null | undefined>>;

/**
 * One indicator value from one set of readings; `band` is where a conditioned one's operating point
 * sits: its speed band, or its position on the flow bands (not rounded).
 */
export interface IndicatorSample {
  indicator: IndicatorId;
  /** Pump number, or null for the station. */
  pump: number | null;
  value: number;
  band: number | null;
}

/**
 * A message's values as readings: each meaning's value where its quality is good, undefined where
 * not (a stale, frozen or out-of-range reading says nothing about the machine). Made as a copy of the
 * values' own shape and then filled, because an object given its ~40 meanings one by one turns into a
 * hash table: ~3 KB and ~15 us a message where the copy takes ~0.4 KB and ~3 us.
 */
export function goodReadings(
  values: Readonly<Record<string, { v: number | boolean | null; q: string }>>,
): ReadingMap {
  const readings = { ...values } as unknown as Record<string, number | boolean | undefined>;
  for (const meaning in values) {
    const value = values[meaning]!;
    readings[meaning] = value.q === 'good' && value.v !== null ? value.v : undefined;
  }
  return readings;
}

const num = (r: ReadingMap, key: string): number | undefined => {
  const v = r[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** Pump numbers present in the readings (pump[N].running). */
export function pumpsIn(readings: ReadingMap): number[] {
  const pumps: number[] = [];
  // Meanings allow pumps 1-9 (core/profile/meanings.ts); probing them beats scanning every key.
  // A meaning there with no usable value (undefined: goodReadings) counts as absent.
  for (let pump = 1; pump <= 9; pump++)
    if (readings[pumpMeaning(pump, 'running')] !== undefined) pumps.push(pump);
  return pumps;
}

/** The speed band of a running pump at a comparable operating point, or undefined (stopped, ramping). */
export function speedBand(readings: ReadingMap, pump: number, config: PredictiveConfig): number | undefined {
  if (readings[pumpMeaning(pump, 'running')] !== true) return undefined;
  const hz = num(readings, pumpMeaning(pump, 'frequency'));
  if (hz === undefined || hz < config.minRunningHz) return undefined;
  return Math.floor(hz / config.speedBandHz);
}

/**
 * Where flow per running pump sits on the log-spaced flow bands (band k spans [k, k + 1), each
 * `flowBandRatio` wide), or undefined without flow. Not rounded: the baseline is interpolated there.
 */
export function flowPosition(flowPerPump: number, config: PredictiveConfig): number | undefined {
  if (!(flowPerPump > 0)) return undefined;
  return Math.log(flowPerPump) / Math.log(config.flowBandRatio);
}

/**
 * Per-reading indicators: pump ones only while the pump runs at a comparable operating point (a stopped
 * pump or one ramping is never sampled, so it is never an anomaly); station ones always.
 */
export function extractSamples(readings: ReadingMap, config: PredictiveConfig): IndicatorSample[] {
  const out: IndicatorSample[] = [];
  const ambient = num(readings, 'ambient.temperature');
  const pumps = pumpsIn(readings);
  const running = pumps.filter((p) => readings[pumpMeaning(p, 'running')] === true).length;
  const volts = SUPPLY_VOLTAGES.map((meaning) => num(readings, meaning)).filter((v) => v !== undefined);
  const meanVolts = volts.length > 0 ? volts.reduce((a, b) => a + b, 0) / volts.length : undefined;
  const flow = num(readings, 'flow.rate');
  const outlet = num(readings, 'pressure.outlet');
  const inlet = num(readings, 'pressure.inlet');
  for (const pump of pumps) {
    const band = speedBand(readings, pump, config);
    if (band === undefined) continue;
    const add = (indicator: IndicatorId, value: number | undefined) => {
      if (value !== undefined && Number.isFinite(value)) out.push({ indicator, pump, value, band });
    };
    add('vibration', num(readings, pumpMeaning(pump, 'bearing_vibration')));
    const winding = num(readings, pumpMeaning(pump, 'winding_temperature'));
    if (winding !== undefined && ambient !== undefined) add('temperature_rise', winding - ambient);
    const currents = PUMP_CURRENTS.map((field) => num(readings, pumpMeaning(pump, field))).filter(
      (v) => v !== undefined,
    );
    if (currents.length >= 2) add('current_imbalance', imbalancePct(currents));
    const meanAmps = currents.length > 0 ? currents.reduce((a, b) => a + b, 0) / currents.length : 0;
    const flowPerPump = flow === undefined ? undefined : flow / Math.max(1, running);
    const atFlow = flowPerPump === undefined ? undefined : flowPosition(flowPerPump, config);
    const measured = outlet !== undefined && inlet !== undefined && meanVolts && meanAmps > 0;
    if (flowPerPump !== undefined && atFlow !== undefined && measured) {
      // m3/h / 3600 x bar x 100 = kW of hydraulic power; apparent power as the electrical side.
      const hydraulicKw = (flowPerPump * Math.max(0, outlet - inlet) * 100) / 3600;
      const kva = (Math.sqrt(currents.length >= 3 ? 3 : 1) * meanVolts * meanAmps) / 1000;
      const value = hydraulicKw / kva;
      if (Number.isFinite(value)) out.push({ indicator: 'efficiency', pump, value, band: atFlow });
    }
  }
  if (volts.length >= 2 && meanVolts && meanVolts > 50) {
    out.push({ indicator: 'voltage_imbalance', pump: null, value: imbalancePct(volts), band: null });
  }
  const insulation = num(readings, 'insulation.resistance');
  if (insulation !== undefined && insulation > 0 && ambient !== undefined) {
    const r40 = insulationAt40C(insulation, ambient);
    out.push({ indicator: 'insulation_r40', pump: null, value: r40, band: null });
  }
  const leakage = num(readings, 'insulation.leakage_current');
  if (leakage !== undefined)
    out.push({ indicator: 'leakage_current', pump: null, value: leakage, band: null });
  return out;
}

/** Counters the hourly indicators are computed from. */
export interface Counters {
  starts: Record<number, number>;
  runHours: Record<number, number>;
  energyKwh?: number;
}

export function readCounters(readings: ReadingMap): Counters {
  const starts: Record<number, number> = {};
  const runHours: Record<number, number> = {};
  for (const pump of pumpsIn(readings)) {
    const s = num(readings, pumpMeaning(pump, 'start_count'));
    const h = num(readings, pumpMeaning(pump, 'run_hours'));
    if (s !== undefined) starts[pump] = s;
    if (h !== undefined) runHours[pump] = h;
  }
  const energy = num(readings, 'energy.total');
  return { starts, runHours, ...(energy !== undefined ? { energyKwh: energy } : {}) };
}
