import type { Severity } from './severity.ts';

/** Fault classes of a water-supply station. A ticket is unique per station, fault class and subject. */
export const FAULT_CLASSES = [
  'comms_lost',
  'edge_offline',
  'mains_loss',
  'phase_loss',
  'voltage_imbalance',
  'under_voltage',
  'over_voltage',
  'pump_trip',
  'redundancy_lost',
  'all_pumps_down',
  'overcurrent',
  'grounding_fault',
  'insulation_warning',
  'insulation_low',
  'outlet_pressure_low',
  'tank_low',
  'dry_run',
  'motor_overtemperature',
  'vibration_zone_c',
  'vibration_zone_d',
  'sensor_stuck',
  'sensor_out_of_range',
  // A vendor's alarm or warning code (the profile's alarmCodes table): severity and text per code.
  'vendor_alarm',
  'vendor_warning',
  // The station's edge gateway cannot keep telemetry on its disk (issue 17): readings go out live,
  // but nothing would be kept through a broker outage.
  'edge_disk_full',
  'edge_spool_read_only',
  'edge_spool_unavailable',
] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/** What an alarm is about: the station, one pump (`pump[2]`) or one tag meaning. */
export type RuleScope = 'station' | 'pump' | 'tag';

export interface AlarmRule {
  faultClass: FaultClass;
  title: string;
  severity: Severity;
  scope: RuleScope;
  /** The condition must hold this long before the alarm is raised. */
  onDelayMs: number;
  /** The condition must be gone this long before the alarm clears. */
  offDelayMs: number;
  /**
   * Causes: while any of these holds at the same station (any subject), this rule raises nothing
   * and an alarm already raised is left as it is.
   */
  suppressedBy: FaultClass[];
}

const COMMS: FaultClass[] = ['comms_lost', 'edge_offline'];
/** About the edge gateway itself, not a station's values: a silent controller says nothing of its disk. */
const EDGE_FAULTS: FaultClass[] = ['edge_disk_full', 'edge_spool_read_only', 'edge_spool_unavailable'];
const MAINS: FaultClass[] = ['mains_loss'];

function rule(
  faultClass: FaultClass,
  title: string,
  severity: Severity,
  scope: RuleScope,
  onDelayMs: number,
  offDelayMs: number,
  suppressedBy: FaultClass[] = [],
): AlarmRule {
  // Every value-driven rule is suppressed by lost communications: its values are stale.
  const causes =
    faultClass === 'comms_lost' || faultClass === 'edge_offline'
      ? suppressedBy
      : EDGE_FAULTS.includes(faultClass)
        ? ['edge_offline' as const, ...suppressedBy]
        : [...COMMS, ...suppressedBy];
  return { faultClass, title, severity, scope, onDelayMs, offDelayMs, suppressedBy: causes };
}

/** The default rule set; severities and delays are data, and a deployment may pass its own. */
export const DEFAULT_RULES: readonly AlarmRule[] = [
  rule('edge_offline', 'Edge gateway offline', 'major', 'station', 0, 0),
  rule('comms_lost', 'Station not answering', 'major', 'station', 0, 0, ['edge_offline']),
  rule('mains_loss', 'Loss of mains supply', 'major', 'station', 2_000, 5_000),
  rule('phase_loss', 'Phase loss', 'major', 'station', 2_000, 5_000, MAINS),
  rule('voltage_imbalance', 'Supply voltage imbalance', 'general', 'station', 10_000, 10_000, [
    'mains_loss',
    'phase_loss',
  ]),
  rule('under_voltage', 'Supply under-voltage', 'general', 'station', 5_000, 5_000, [
    'mains_loss',
    'phase_loss',
  ]),
  rule('over_voltage', 'Supply over-voltage', 'general', 'station', 5_000, 5_000),
  rule('pump_trip', 'Pump tripped', 'general', 'pump', 0, 2_000, MAINS),
  rule('redundancy_lost', 'Failover to standby: redundancy lost', 'general', 'station', 0, 30_000, [
    'all_pumps_down',
    'mains_loss',
  ]),
  rule('all_pumps_down', 'All pumps down', 'major', 'station', 0, 5_000, MAINS),
  rule('overcurrent', 'Pump overcurrent', 'general', 'pump', 5_000, 5_000),
  rule('grounding_fault', 'Grounding fault', 'major', 'station', 0, 5_000),
  rule('insulation_warning', 'Insulation resistance low (warning)', 'minor', 'station', 60_000, 60_000, [
    'insulation_low',
  ]),
  rule('insulation_low', 'Insulation resistance low', 'major', 'station', 10_000, 60_000),
  rule('outlet_pressure_low', 'Outlet pressure low', 'general', 'station', 30_000, 10_000, MAINS),
  rule('tank_low', 'Break tank low', 'minor', 'station', 10_000, 10_000, ['dry_run']),
  rule('dry_run', 'Dry run: pump running on an empty tank', 'major', 'station', 2_000, 10_000),
  rule('motor_overtemperature', 'Motor winding over-temperature', 'general', 'pump', 10_000, 30_000),
  rule('vibration_zone_c', 'Vibration in ISO 10816-3 zone C', 'minor', 'pump', 60_000, 60_000, [
    'vibration_zone_d',
  ]),
  rule('vibration_zone_d', 'Vibration in ISO 10816-3 zone D', 'major', 'pump', 10_000, 60_000),
  rule('sensor_stuck', 'Sensor stuck (value frozen)', 'minor', 'tag', 0, 0),
  rule('sensor_out_of_range', 'Sensor out of range', 'minor', 'tag', 0, 0),
  // The severity here is a fallback: each code's own, from the profile's table, is the one raised.
  rule('vendor_alarm', 'Controller alarm code', 'general', 'tag', 0, 2_000, MAINS),
  rule('vendor_warning', 'Controller warning code', 'minor', 'tag', 0, 2_000, MAINS),
  // General: someone must free or fix the edge's disk (a ticket, by the default policy).
  rule(
    'edge_disk_full',
    'Edge disk full: telemetry sent live without a spool',
    'general',
    'station',
    0,
    5_000,
  ),
  rule(
    'edge_spool_read_only',
    'Edge spool read-only: telemetry sent live without a spool',
    'general',
    'station',
    0,
    5_000,
  ),
  rule(
    'edge_spool_unavailable',
    'Edge spool unavailable: telemetry sent live without a spool',
    'general',
    'station',
    0,
    5_000,
  ),
];

// The engine asks for the rule of every condition on every message: each rule list is indexed once.
const indexes = new WeakMap<readonly AlarmRule[], Map<string, AlarmRule>>();

export function findRule(rules: readonly AlarmRule[], faultClass: string): AlarmRule | undefined {
  let index = indexes.get(rules);
  if (!index) {
    index = new Map();
    // The first rule of a class wins, as a search from the front would find it.
    for (const rule of rules) if (!index.has(rule.faultClass)) index.set(rule.faultClass, rule);
    indexes.set(rules, index);
  }
  return index.get(faultClass);
}
