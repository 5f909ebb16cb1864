import { PUMP_CURRENTS, pumpMeaning, SUPPLY_VOLTAGES } from '../../core/profile/meanings.ts';
import type { ReadingInfo } from '../profiles/profile-registry.ts';
import type { FaultClass } from './catalogue.ts';
import { boolAt, numberAt, pumpSubject, pumpsIn, type StationReadings } from './readings.ts';
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
  const volts = SUPPLY_VOLTAGES.map((meaning) => numberAt(readings, meaning)).filter(
    (v): v is number => v !== undefined,
  );
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

function pumpConditions(context: ConditionContext, pumps: number[]): Condition[] {
  const { readings, thresholds: t, isActive } = context;
  const zones = vibrationZonesOf(t);
  const conditions: Condition[] = [];
  for (const pump of pumps) {
    const subject = pumpSubject(pump);
    const fault = boolAt(readings, pumpMeaning(pump, 'fault'));
    conditions.push({ faultClass: 'pump_trip', subject, holds: fault ?? null, value: fault ?? null });
    const currents = PUMP_CURRENTS.map((field) => numberAt(readings, pumpMeaning(pump, field))).filter(
      (v): v is number => v !== undefined,
    );
    const current = currents.length > 0 ? Math.max(...currents) : undefined;
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

function redundancyConditions(context: ConditionContext, pumps: number[]): Condition[] {
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

function stationConditions(context: ConditionContext, pumps: number[]): Condition[] {
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

function qualityConditions(readings: StationReadings): Condition[] {
  const conditions: Condition[] = [];
  for (const [meaning, value] of Object.entries(readings.values)) {
    // A failed read says nothing about the sensor; comms rules cover it.
    if (value.q === 'comms_failed') continue;
    conditions.push({
      faultClass: 'sensor_stuck',
      subject: meaning,
      holds: value.q === 'frozen',
      value: value.v,
    });
    conditions.push({
      faultClass: 'sensor_out_of_range',
      subject: meaning,
      holds: value.q === 'out_of_range',
      value: value.v,
    });
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

/** Every rule's verdict for one station's readings. Pure. */
export function evaluateConditions(context: ConditionContext): Condition[] {
  const { readings } = context;
  const pumps = pumpsIn(readings);
  return [
    station('edge_offline', !readings.edgeOnline),
    station('comms_lost', readings.state === 'comms_failed' || readings.stale),
    ...voltageConditions(context),
    ...pumpConditions(context, pumps),
    ...redundancyConditions(context, pumps),
    ...stationConditions(context, pumps),
    ...qualityConditions(readings),
    ...vendorCodeConditions(readings, context.profileReadings),
    ...edgeSpoolConditions(readings),
  ];
}
