/**
 * The one vocabulary of tag meanings. Rules, the server and the dashboards read values by meaning,
 * never by register, so a new controller model is a new profile file, not new code.
 * Per-pump meanings are written `pump[N].field`; per-station ones `group.field`.
 */
export const PUMP_FIELDS = [
  'running',
  'fault',
  'standby',
  'duty',
  /** A trip reset written by a remote command (a coil the controller clears itself). */
  'reset',
  /** Run (true) or stop (false) written by a remote command; the controller's automatic staging otherwise. */
  'run_command',
  'run_hours',
  'start_count',
  'frequency',
  'current_l1',
  'current_l2',
  'current_l3',
  'winding_temperature',
  'bearing_vibration',
  /** Bearing housing temperature, °C. */
  'bearing_temperature',
  /** Motor speed, rpm (drives report it; a pump runs while it is above 0). */
  'speed',
  /** Active power drawn, kW (read from the drive, or derived from voltage, current and power factor). */
  'power',
  'power_factor',
  /** The drive's output voltage, V. */
  'output_voltage',
  'dc_bus_voltage',
  'drive_temperature',
  /** The drive's active fault code (0: none), read with the vendor's alarm code table. */
  'alarm_code',
  /** The drive's active warning code (0: none). */
  'warning_code',
] as const;

export const STATION_MEANINGS = [
  'supply.voltage_l1',
  'supply.voltage_l2',
  'supply.voltage_l3',
  'pressure.outlet',
  'pressure.inlet',
  'pressure.setpoint',
  /** The pump the controller runs as duty (a number, written by the switch_duty command). */
  'station.duty_pump',
  'flow.rate',
  'tank.level',
  'insulation.resistance',
  'insulation.leakage_current',
  'grounding.fault',
  'station.failover_count',
  'station.alarm_word',
  'ambient.temperature',
  'energy.total',
  /** The controller's operating mode (an enumeration: auto, manual, ...). */
  'station.control_mode',
  /** The controller's active alarm and warning codes (0: none), read with its alarm code table. */
  'station.alarm_code',
  'station.warning_code',
  'supply.frequency',
] as const;

export type PumpField = (typeof PUMP_FIELDS)[number];

/** The three phase voltages of the supply, L1 to L3. */
export const SUPPLY_VOLTAGES = ['supply.voltage_l1', 'supply.voltage_l2', 'supply.voltage_l3'] as const;
/** A pump's three phase currents, L1 to L3 (fields of `pump[N]`). */
export const PUMP_CURRENTS = ['current_l1', 'current_l2', 'current_l3'] as const;
export type StationMeaning = (typeof STATION_MEANINGS)[number];

const PUMP_MEANING = /^pump\[([1-9])\]\.([a-z_0-9]+)$/;

export type ParsedMeaning =
  | { kind: 'pump'; pump: number; field: PumpField }
  | { kind: 'station'; meaning: StationMeaning }
  | { kind: 'custom'; meaning: string };

// Every message names the same few dozen meanings, and the rules and models ask for each of them
// on every message: the answers are kept (a bounded number, so invented names cannot grow it).
const parsed = new Map<string, Readonly<ParsedMeaning> | string>();
const MAX_REMEMBERED = 4096;

/** Parses a meaning, or returns a sentence saying why it is not one. The answer is shared: do not change it. */
export function parseMeaning(meaning: string): Readonly<ParsedMeaning> | string {
  let answer = parsed.get(meaning);
  if (answer === undefined) {
    answer = parseMeaningOnce(meaning);
    if (parsed.size >= MAX_REMEMBERED) parsed.clear();
    parsed.set(meaning, answer);
  }
  return answer;
}

function parseMeaningOnce(meaning: string): ParsedMeaning | string {
  const pump = PUMP_MEANING.exec(meaning);
  if (pump) {
    const field = pump[2] as PumpField;
    if (!PUMP_FIELDS.includes(field)) {
      return `unknown pump field "${pump[2]}" (known: ${PUMP_FIELDS.join(', ')})`;
    }
    return { kind: 'pump', pump: Number(pump[1]), field };
  }
  if ((STATION_MEANINGS as readonly string[]).includes(meaning)) {
    return { kind: 'station', meaning: meaning as StationMeaning };
  }
  if (/^custom\.[a-z_0-9.]+$/.test(meaning)) return { kind: 'custom', meaning };
  return `unknown meaning "${meaning}": use pump[N].<field>, one of ${STATION_MEANINGS.join(', ')}, or custom.<name>`;
}

// The names the rules and models look up on every message, made once: a key built anew by a
// template each time must be flattened and hashed at every lookup.
const PUMP_MEANINGS: Readonly<Record<PumpField, string>>[] = Array.from(
  { length: 10 },
  (_, pump) =>
    Object.fromEntries(PUMP_FIELDS.map((field) => [field, `pump[${pump}].${field}`])) as Record<
      PumpField,
      string
    >,
);

/** `pump[N].field`, the same string object each time for pumps 1-9. */
export function pumpMeaning(pump: number, field: PumpField): string {
  return PUMP_MEANINGS[pump]?.[field] ?? `pump[${pump}].${field}`;
}
