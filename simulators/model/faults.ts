import { z } from 'zod';

/** Faults a simulated station can be given; each can be cleared. */
export const FAULT_NAMES = [
  'pump_trip',
  'phase_loss',
  'under_voltage',
  'over_voltage',
  'grounding_fault',
  'insulation_decay',
  'bearing_wear',
  'sensor_stuck',
  'controller_silent',
  'exception_illegal_address',
  'exception_device_busy',
  'valve_throttled',
  'leak_downstream',
  'impeller_wear',
  'clogged_strainer',
  'sensor_drift',
  'cavitation',
  'rotor_imbalance',
  'misalignment',
  'dry_running',
  'air_in_pump',
  'sensor_spike',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** One line per fault for --help texts and API errors. */
export const FAULT_HELP: Record<FaultName, string> = {
  pump_trip: 'motor protection trips a pump (--pump N, default the duty pump); standby takes over',
  phase_loss: 'one supply phase lost (param phase=1..3, default 3); running pumps trip',
  under_voltage: 'supply sags (param percent, default 15)',
  over_voltage: 'supply swells (param percent, default 12)',
  grounding_fault: 'earth fault: leakage current (param leakageMa, default 45); with --pump, that pump trips',
  insulation_decay:
    'insulation resistance falls exponentially (param tauDays, default 1; floorMohm, default 0.1)',
  bearing_wear:
    'bearing of a pump (default 1) wears over weeks (param weeks until it is worn out at 11 mm/s, default 4; progress 0..1)',
  sensor_stuck:
    'one reading freezes (param meaning, default pressure.outlet; value, default the current one)',
  controller_silent: 'the controller stops answering Modbus requests',
  exception_illegal_address: 'every Modbus request gets exception 0x02 (illegal data address)',
  exception_device_busy: 'every Modbus request gets exception 0x06 (server device busy)',
  valve_throttled:
    'a valve downstream closes part way (param percent of the flow it takes away, default 40; rampSeconds, default 20): flow and power fall, the pressure loop holds the head',
  leak_downstream:
    'a leak downstream of the station (param m3h, default 10; rampSeconds, default 20): flow, speed and power rise at the same head',
  impeller_wear:
    "the impeller wears (param percent of the pump's head lost, default 10; days to get there, default 0: at once): speed and power rise for the same head and flow",
  clogged_strainer:
    'the suction strainer clogs (param bar lost at 45 m3/h, default 0.5; days to get there, default 0): inlet pressure falls, speed and power rise',
  sensor_drift:
    'one reading drifts (param meaning, default pressure.outlet; perDay, its drift a day, default 0.2)',
  cavitation:
    "the suction is starved (param npshaM, the NPSH available in m, default 1.8; rampSeconds, default 60): below the pump's NPSH required the head breaks down and fluctuates, flow falls, inlet pressure is low, vibration rises broadband",
  rotor_imbalance:
    'a pump rotor loses its balance (--pump, default 1; param mmS, vibration added at 50 Hz, default 3; days to get there, default 0): vibration at 1x speed grows with speed squared, bearing temperature and power rise a little',
  misalignment:
    'pump and motor shafts misaligned (--pump, default 1; param mmS, vibration added at full load, default 2.5; days to get there, default 0): vibration at 2x, bearing temperature up, power up a little',
  dry_running:
    'the pump loses its water (param rampSeconds, default 30): flow and head collapse, power falls to no-load, the pump heats up',
  air_in_pump:
    'air is drawn into the pump (param percent of gas by volume, default 6; rampSeconds, default 20): head and flow fall and fluctuate, so does the current',
  sensor_spike:
    'one reading spikes now and then (param meaning, default pressure.outlet; perHour, default 12; size, relative jump, default 0.5; seconds each spike lasts, default 1); related readings hold',
};

const positive = z.coerce.number().positive();

/** Parameters of each fault with their defaults (strings are coerced: they come from CLI flags too). */
export const FAULT_PARAMS = {
  pump_trip: z.object({}).strict(),
  phase_loss: z.object({ phase: z.coerce.number().int().min(1).max(3).default(3) }).strict(),
  under_voltage: z.object({ percent: z.coerce.number().min(0).max(100).default(15) }).strict(),
  over_voltage: z.object({ percent: z.coerce.number().min(0).max(100).default(12) }).strict(),
  grounding_fault: z.object({ leakageMa: positive.default(45) }).strict(),
  insulation_decay: z.object({ tauDays: positive.default(1), floorMohm: positive.default(0.1) }).strict(),
  bearing_wear: z
    .object({ weeks: positive.default(4), progress: z.coerce.number().min(0).max(2).default(0) })
    .strict(),
  sensor_stuck: z
    .object({ meaning: z.string().min(1).default('pressure.outlet'), value: z.coerce.number().optional() })
    .strict(),
  controller_silent: z.object({}).strict(),
  exception_illegal_address: z.object({}).strict(),
  exception_device_busy: z.object({}).strict(),
  valve_throttled: z
    .object({ percent: z.coerce.number().min(0).max(100).default(40), rampSeconds: positive.default(20) })
    .strict(),
  leak_downstream: z.object({ m3h: positive.default(10), rampSeconds: positive.default(20) }).strict(),
  impeller_wear: z
    .object({
      percent: z.coerce.number().min(0).max(60).default(10),
      days: z.coerce.number().min(0).default(0),
    })
    .strict(),
  clogged_strainer: z
    .object({ bar: positive.default(0.5), days: z.coerce.number().min(0).default(0) })
    .strict(),
  sensor_drift: z
    .object({ meaning: z.string().min(1).default('pressure.outlet'), perDay: z.coerce.number().default(0.2) })
    .strict(),
  cavitation: z.object({ npshaM: positive.max(30).default(1.8), rampSeconds: positive.default(60) }).strict(),
  rotor_imbalance: z
    .object({ mmS: positive.max(40).default(3), days: z.coerce.number().min(0).default(0) })
    .strict(),
  misalignment: z
    .object({ mmS: positive.max(40).default(2.5), days: z.coerce.number().min(0).default(0) })
    .strict(),
  dry_running: z.object({ rampSeconds: positive.default(30) }).strict(),
  air_in_pump: z
    .object({ percent: z.coerce.number().min(0).max(30).default(6), rampSeconds: positive.default(20) })
    .strict(),
  sensor_spike: z
    .object({
      meaning: z.string().min(1).default('pressure.outlet'),
      perHour: positive.max(3600).default(12),
      size: z.coerce.number().min(-1).max(10).default(0.5),
      seconds: z.coerce.number().int().min(1).max(60).default(1),
    })
    .strict(),
} satisfies Record<FaultName, z.ZodType>;

export type FaultParams = Record<string, number | string>;

/** A fault in force on a station. */
export interface ActiveFault {
  fault: FaultName;
  /** The pump it affects, for per-pump faults. */
  pump?: number;
  /** Validated parameters, defaults filled in. */
  params: FaultParams;
  /** Simulated second it began. */
  since: number;
}

/** Faults that belong to one pump (a pump number is required or defaulted). */
export const PUMP_FAULTS: ReadonlySet<FaultName> = new Set([
  'pump_trip',
  'bearing_wear',
  'rotor_imbalance',
  'misalignment',
]);
/** Faults of one sensor (a `meaning` parameter): the same fault on another sensor is another fault. */
export const SENSOR_FAULTS: ReadonlySet<FaultName> = new Set([
  'sensor_stuck',
  'sensor_drift',
  'sensor_spike',
]);
/** Faults where a pump is optional. */
export const OPTIONAL_PUMP_FAULTS: ReadonlySet<FaultName> = new Set(['grounding_fault']);
/** Faults the Modbus shell acts on; the physics does not see them. */
export const COMMUNICATION_FAULTS: ReadonlySet<FaultName> = new Set([
  'controller_silent',
  'exception_illegal_address',
  'exception_device_busy',
]);

/** A fault request that cannot be applied. Retrying does not help: the request must change. */
export class FaultError extends Error {
  override name = 'FaultError';
  constructor(
    message: string,
    /** `not_found` for an unknown or inactive fault, `invalid` for bad pump or params. */
    readonly kind: 'invalid' | 'not_found',
  ) {
    super(message);
  }
}

export function isFaultName(value: string): value is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(value);
}

/** Validates a fault's parameters, naming the fault and field in the error. */
export function parseFaultParams(fault: FaultName, params: unknown): FaultParams {
  const result = FAULT_PARAMS[fault].safeParse(params ?? {});
  if (result.success) return result.data as FaultParams;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `param "${field}": ${issue.message}` : issue.message;
  });
  throw new FaultError(`fault ${fault}: ${problems.join('; ')}`, 'invalid');
}

/** Same fault on the same pump (or the same sensor): a second injection replaces the first. */
export function sameFault(a: ActiveFault, b: ActiveFault): boolean {
  if (a.fault !== b.fault || (a.pump ?? 0) !== (b.pump ?? 0)) return false;
  return !SENSOR_FAULTS.has(a.fault) || a.params.meaning === b.params.meaning;
}
