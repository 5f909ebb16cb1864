import { PUMP_CURRENTS, pumpMeaning, SUPPLY_VOLTAGES } from '../../core/profile/meanings.ts';
import type { ReadingInfo } from '../profiles/profile-registry.ts';
import type { FaultClass } from './catalogue.ts';
import { boolAt, numberAt, pumpSubject, type StationReadings, scanReadings } from './readings.ts';
import { type SiteThresholds, vibrationZonesOf } from './thresholds.ts';
import { type ConditionRaise, vendorCodeConditions } from './vendor-codes.ts';

/** One rule's verdict for one subject: holds, does not hold, or cannot tell (null: no usable value). */
export interface Condition {
  faultClass: FaultClass;
  /** '' for the station, `pump[N]` for a pump, the meaning for a tag. */
  subject: string;
  holds: boolean | null;
  /** The reading that decided it, for the alarm's detail. */
  value: number | boolean | null;
  /** Set when the verdict, not the rule, says how to raise (a vendor code's severity and text). */
  raise?: ConditionRaise;
}

export interface ConditionContext {
  readings: StationReadings;
  thresholds: SiteThresholds;
  /** Whether the alarm is active now: active alarms clear only past the hysteresis band. */
  isActive(faultClass: FaultClass, subject: string): boolean;
  /** `station.failover_count` seen last time, to notice a failover between two readings. */
  lastFailoverCount: number | undefined;
  /** The station's profile readings by meaning (vendor code tables). Default none. */
  profileReadings?: ReadonlyMap<string, ReadingInfo>;
  /**
   * Alarm keys (`faultClass|subject`) the engine holds a state for (active, or a delay running).
   * A per-reading rule that does not hold and has no state changes nothing, so it is not asked.
   */
  trackedKeys?: Iterable<string>;
}

/** `value < limit`, or `value < limit + band` while the alarm is active (hysteresis). */
function below(value: number | undefined, limit: number, band: number, active: boolean): boolean | null {
  if (value === undefined) return null;
  return value < (active ? limit + band : limit);
}

function above(value: number | undefined, limit: number, band: number, active: boolean): boolean | null {
  if (value === undefined) return null;
  return value > (active ? limit - band : limit);
}

function station(
  faultClass: FaultClass,
  holds: boolean | null,
  value: number | boolean | null = null,
): Condition {
  return { faultClass, subject: '', holds, value };
}

function voltageConditions(context: ConditionContext): Condition[] {
  const { readings, thresholds: t, isActive } = context;
  const volts: number[] = [];
  for (const meaning of SUPPLY_VOLTAGES) {
    const volt = numberAt(readings, meaning);
    if (volt !== undefined) volts.push(volt);
  }
  const classes: FaultClass[] = [
    'mains_loss',
    'phase_loss',
    'under_voltage',
    'over_voltage',
    'voltage_imbalance',
  ];
  if (volts.length === 0) return classes.map((faultClass) => station(faultClass, null));
  const band = (t.nominalVoltage * t.voltageHysteresisPct) / 100;
  const lostBelow = t.nominalVoltage * t.phaseLossFraction;
  const min = Math.min(...volts);
  const max = Math.max(...volts);
  const mean = volts.reduce((sum, v) => sum + v, 0) / volts.length;
  const mainsLoss = below(max, lostBelow, band, isActive('mains_loss', ''));
  const phaseLoss =
    volts.length > 1
      ? max >= lostBelow && (below(min, lostBelow, band, isActive('phase_loss', '')) ?? false)
      : false;
  const imbalancePct =
    mean > lostBelow ? (Math.max(...volts.map((v) => Math.abs(v - mean))) / mean) * 100 : 0;
  return [
    station('mains_loss', mainsLoss, max),
    station('phase_loss', phaseLoss, min),
    station(
      'under_voltage',
      below(min, t.nominalVoltage * (1 - t.underVoltagePct / 100), band, isActive('under_voltage', '')),
      min,
    ),
    station(
      'over_voltage',
      above(max, t.nominalVoltage * (1 + t.overVoltagePct / 100), band, isActive('over_voltage', '')),
      max,
    ),
    station(
      'voltage_imbalance',
      volts.length > 1
        ? above(
            imbalancePct,
            t.voltageImbalancePct,
            t.voltageImbalanceHysteresisPct,
            isActive('voltage_imbalance', ''),
          )
        : false,
      Math.round(imbalancePct * 100) / 100,
    ),
  ];
}

function pumpConditions(context: ConditionContext, pumps: readonly number[]): Condition[] {
  const { readings, thresholds: t, isActive } = context;
  const zones = vibrationZonesOf(t);
  const conditions: Condition[] = [];
  for (const pump of pumps) {
    const subject = pumpSubject(pump);
    const fault = boolAt(readings, pumpMeaning(pump, 'fault'));
    conditions.push({ faultClass: 'pump_trip', subject, holds: fault ?? null, value: fault ?? null });
    let current: number | undefined;
    for (const field of PUMP_CURRENTS) {
      const amps = numberAt(readings, pumpMeaning(pump, field));
      if (amps !== undefined && (current === undefined || amps > current)) current = amps;
    }
    conditions.push({
      faultClass: 'overcurrent',
      subject,
      holds: above(current, t.overcurrentA, t.overcurrentHysteresisA, isActive('overcurrent', subject)),
      value: current ?? null,
    });
    const temperature = numberAt(readings, pumpMeaning(pump, 'winding_temperature'));
    conditions.push({
      faultClass: 'motor_overtemperature',
      subject,
      holds: above(
        temperature,
        t.windingTemperatureC,
        t.windingTemperatureHysteresisC,
        isActive('motor_overtemperature', subject),
      ),
      value: temperature ?? null,
    });
    const vibration = numberAt(readings, pumpMeaning(pump, 'bearing_vibration'));
    for (const [faultClass, limit] of [
      ['vibration_zone_c', zones.bc],
      ['vibration_zone_d', zones.cd],
    ] as const) {
      conditions.push({
        faultClass,
        subject,
        holds: above(vibration, limit, t.vibrationHysteresisMmS, isActive(faultClass, subject)),
        value: vibration ?? null,
      });
    }
  }
  return conditions;
}

function redundancyConditions(context: ConditionContext, pumps: readonly number[]): Condition[] {
  const { readings, lastFailoverCount } = context;
  const faults = pumps.map((pump) => boolAt(readings, pumpMeaning(pump, 'fault')));
  const running = pumps.map((pump) => boolAt(readings, pumpMeaning(pump, 'running')));
  const known = faults.filter((f): f is boolean => f !== undefined);
  const failovers = numberAt(readings, 'station.failover_count');
  const failedOver =
    failovers !== undefined && lastFailoverCount !== undefined && failovers > lastFailoverCount;
  const anyFault = known.some(Boolean);
  const healthyRunning = pumps.some((_, i) => faults[i] === false && running[i] === true);
  const redundancy =
    known.length === 0 && failovers === undefined ? null : failedOver || (anyFault && healthyRunning);
  const allDown = known.length === 0 ? null : known.length === pumps.length && known.every(Boolean);
  return [
    station('redundancy_lost', redundancy, failovers ?? null),
    station('all_pumps_down', allDown, known.filter(Boolean).length),
  ];
}

function stationConditions(context: ConditionContext, pumps: readonly number[]): Condition[] {
  const { readings, thresholds: t, isActive } = context;
  const groundingBit = boolAt(readings, 'grounding.fault');
  const leakage = numberAt(readings, 'insulation.leakage_current');
  const leaking = leakage === undefined ? undefined : leakage > t.leakageCurrentMa;
  const grounding =
    groundingBit === undefined && leaking === undefined ? null : groundingBit === true || leaking === true;
  const resistance = numberAt(readings, 'insulation.resistance');
  const pressure = numberAt(readings, 'pressure.outlet');
  const level = numberAt(readings, 'tank.level');
  const anyRunning = pumps.some((pump) => boolAt(readings, pumpMeaning(pump, 'running')) === true);
  const dryLevel = below(level, t.dryRunM, t.tankHysteresisM, isActive('dry_run', ''));
  return [
    station('grounding_fault', grounding, leakage ?? groundingBit ?? null),
    station(
      'insulation_warning',
      below(
        resistance,
        t.insulationWarningMOhm,
        t.insulationHysteresisMOhm,
        isActive('insulation_warning', ''),
      ),
      resistance ?? null,
    ),
    station(
      'insulation_low',
      below(resistance, t.insulationAlarmMOhm, t.insulationHysteresisMOhm, isActive('insulation_low', '')),
      resistance ?? null,
    ),
    station(
      'outlet_pressure_low',
      below(
        pressure,
        t.outletPressureLowBar,
        t.outletPressureHysteresisBar,
        isActive('outlet_pressure_low', ''),
      ),
      pressure ?? null,
    ),
    station('tank_low', below(level, t.tankLowM, t.tankHysteresisM, isActive('tank_low', '')), level ?? null),
    station('dry_run', dryLevel === null ? null : dryLevel && anyRunning, level ?? null),
  ];
}

const SENSOR_CLASSES = ['sensor_stuck', 'sensor_out_of_range'] as const;

/**
 * The sensor quality rules, per reading. Only verdicts that can change something are made: a reading
 * that is frozen or out of range, or one whose alarm is standing or pending (so that it can clear).
 */
function qualityConditions(
  readings: StationReadings,
  abnormal: readonly string[] | undefined,
  trackedKeys: Iterable<string> | undefined,
): Condition[] {
  const conditions: Condition[] = [];
  for (const meaning of abnormal ?? []) {
    const value = readings.values[meaning]!;
    conditions.push(
      { faultClass: 'sensor_stuck', subject: meaning, holds: value.q === 'frozen', value: value.v },
      {
        faultClass: 'sensor_out_of_range',
        subject: meaning,
        holds: value.q === 'out_of_range',
        value: value.v,
      },
    );
  }
  if (trackedKeys === undefined) return conditions;
  for (const key of trackedKeys) {
    const bar = key.indexOf('|');
    const faultClass = key.slice(0, bar);
    if (faultClass !== SENSOR_CLASSES[0] && faultClass !== SENSOR_CLASSES[1]) continue;
    const meaning = key.slice(bar + 1);
    const value = readings.values[meaning];
    // A failed read says nothing about the sensor (comms rules cover it); a missing one decides nothing.
    if (value === undefined || value.q === 'comms_failed') continue;
    if (value.q === 'frozen' || value.q === 'out_of_range') continue; // asked above
    conditions.push({ faultClass, subject: meaning, holds: false, value: value.v });
  }
  return conditions;
}

/** The edge's disk, from its status: unknown (null) while it is offline or never said. */
function edgeSpoolConditions(readings: StationReadings): Condition[] {
  const spool = readings.edgeSpool ?? null;
  const holds = (state: string) => (spool === null ? null : spool === state);
  return [
    station('edge_disk_full', holds('full')),
    station('edge_spool_read_only', holds('read_only')),
    station('edge_spool_unavailable', holds('unavailable')),
  ];
}

/** Every rule's verdict for one station's readings (see `trackedKeys` for the per-reading rules). Pure. */
export function evaluateConditions(context: ConditionContext): Condition[] {
  const { readings } = context;
  const { pumps, abnormal } = scanReadings(readings);
  const conditions: Condition[] = [
    station('edge_offline', !readings.edgeOnline),
    station('comms_lost', readings.state === 'comms_failed' || readings.stale),
  ];
  for (const part of [
    voltageConditions(context),
    pumpConditions(context, pumps),
    redundancyConditions(context, pumps),
    stationConditions(context, pumps),
    qualityConditions(readings, abnormal, context.trackedKeys),
    vendorCodeConditions(readings, context.profileReadings),
    edgeSpoolConditions(readings),
  ]) {
    for (const condition of part) conditions.push(condition);
  }
  return conditions;
}
