import type { PredictiveConfig } from './config.ts';
import { ieee43MinimumMohm } from './standards.ts';

export const INDICATORS = [
  'vibration',
  'temperature_rise',
  'current_imbalance',
  'efficiency',
  'starts_per_hour',
  'run_hours_since_maintenance',
  'voltage_imbalance',
  'insulation_r40',
  'leakage_current',
  'specific_energy',
] as const;
export type IndicatorId = (typeof INDICATORS)[number];

/**
 * How an indicator is judged. `scale` is where its degradation is a straight line in time: a worn
 * bearing's vibration grows exponentially above the healthy level (log_excess), insulation decays
 * exponentially (log), the rest drift (linear).
 */
export interface IndicatorSpec {
  id: IndicatorId;
  label: string;
  unit: string;
  scope: 'pump' | 'station';
  /** Which way is worse. */
  direction: 'up' | 'down';
  scale: 'linear' | 'log' | 'log_excess';
  /**
   * The operating point the baselines are learned per band of, only while the pump runs: its speed, or
   * for the efficiency proxy its flow (a pressure-held booster runs at nearly one speed from night to
   * peak while its flow, and so its efficiency, changes several-fold); null: one baseline.
   */
  operatingPoint: 'speed' | 'flow' | null;
  /**
   * The threshold is relative to the learned baseline: the health score judges the value moved to the
   * reference operating point (as the trend does), not the raw one, which a low-flow hour pulls down.
   */
  relative?: true;
  /** Sampled once an hour (counters), not per reading. */
  hourly: boolean;
  /** Trended and predicted (false: shown only). */
  predicted: boolean;
  /** Alarm threshold from the config, or relative to the learned baseline; undefined: none. */
  threshold(config: PredictiveConfig, baseline: number): number | undefined;
  /** Where the threshold comes from, for the evidence. */
  source: string;
}

const spec = (s: IndicatorSpec) => s;

export const INDICATOR_SPECS: Record<IndicatorId, IndicatorSpec> = {
  vibration: spec({
    id: 'vibration',
    label: 'Bearing vibration',
    unit: 'mm/s',
    scope: 'pump',
    direction: 'up',
    scale: 'log_excess',
    operatingPoint: 'speed',
    hourly: false,
    predicted: true,
    threshold: (c) => c.vibrationZones.cd,
    source: 'ISO 10816-3 zone C/D boundary',
  }),
  temperature_rise: spec({
    id: 'temperature_rise',
    label: 'Winding temperature rise over ambient',
    unit: 'K',
    scope: 'pump',
    direction: 'up',
    scale: 'linear',
    operatingPoint: 'speed',
    hourly: false,
    predicted: true,
    threshold: (c) => c.temperatureRiseAlarmK,
    source: 'IEC 60034-1 class B rise',
  }),
  current_imbalance: spec({
    id: 'current_imbalance',
    label: 'Phase current imbalance',
    unit: '%',
    scope: 'pump',
    direction: 'up',
    scale: 'linear',
    operatingPoint: 'speed',
    hourly: false,
    predicted: true,
    threshold: (c) => c.currentImbalanceAlarmPct,
    source: 'NEMA MG 1',
  }),
  efficiency: spec({
    id: 'efficiency',
    label: 'Hydraulic efficiency proxy (flow x head / electrical power)',
    unit: 'kW/kVA',
    scope: 'pump',
    direction: 'down',
    scale: 'linear',
    operatingPoint: 'flow',
    relative: true,
    hourly: false,
    predicted: true,
    threshold: (c, baseline) => baseline * (1 - c.efficiencyDropPct / 100),
    source: 'drop below the healthy baseline',
  }),
  starts_per_hour: spec({
    id: 'starts_per_hour',
    label: 'Starts per hour',
    unit: '1/h',
    scope: 'pump',
    direction: 'up',
    scale: 'linear',
    operatingPoint: null,
    hourly: true,
    predicted: false,
    threshold: (c) => c.startsPerHourAlarm,
    source: 'motor start limit',
  }),
  run_hours_since_maintenance: spec({
    id: 'run_hours_since_maintenance',
    label: 'Run hours since the last maintenance',
    unit: 'h',
    scope: 'pump',
    direction: 'up',
    scale: 'linear',
    operatingPoint: null,
    hourly: true,
    predicted: false,
    threshold: () => undefined,
    source: 'maintenance plan',
  }),
  voltage_imbalance: spec({
    id: 'voltage_imbalance',
    label: 'Supply voltage imbalance',
    unit: '%',
    scope: 'station',
    direction: 'up',
    scale: 'linear',
    operatingPoint: null,
    hourly: false,
    predicted: true,
    threshold: (c) => c.voltageImbalanceAlarmPct,
    source: 'NEMA MG 1 / alarm rules',
  }),
  insulation_r40: spec({
    id: 'insulation_r40',
    label: 'Insulation resistance corrected to 40 °C',
    unit: 'MΩ',
    scope: 'station',
    direction: 'down',
    scale: 'log',
    operatingPoint: null,
    hourly: false,
    predicted: true,
    threshold: (c) => ieee43MinimumMohm(c.winding),
    source: 'IEEE 43 minimum IR at 40 °C',
  }),
  leakage_current: spec({
    id: 'leakage_current',
    label: 'Earth leakage current',
    unit: 'mA',
    scope: 'station',
    direction: 'up',
    scale: 'linear',
    operatingPoint: null,
    hourly: false,
    predicted: true,
    threshold: (c) => c.leakageAlarmMa,
    source: '30 mA RCD trip level',
  }),
  specific_energy: spec({
    id: 'specific_energy',
    label: 'Specific energy',
    unit: 'kWh/m3',
    scope: 'station',
    direction: 'up',
    scale: 'linear',
    operatingPoint: null,
    hourly: true,
    predicted: false,
    threshold: () => undefined,
    source: '',
  }),
};
