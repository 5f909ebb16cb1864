import { parseMeaning } from '../../core/profile/meanings.ts';
import type { Sidedness } from './change-detector.ts';

/** How a column is judged: which way is a fault, the scale its wear grows on, a default threshold. */
export interface ColumnKind {
  kind:
    | 'vibration'
    | 'temperature'
    | 'pressure'
    | 'flow'
    | 'power'
    | 'current'
    | 'speed'
    | 'insulation'
    | 'other'
    /** Residuals of a pump's speed, or its power or current, from their learned relation to the flow. */
    | 'speedRelation'
    | 'powerRelation'
    /** Residuals of the head from the pump's learned curve at its speed (affinity laws). */
    | 'headRelation';
  sidedness: Sidedness;
  worse: 'up' | 'down';
  scale: 'linear' | 'log';
  /** Without a --threshold, the threshold is this multiple of the column's own healthy level. */
  thresholdRatio?: number;
  /**
   * Smallest noise a bin is judged against, as a share of the level: readings that follow the demand
   * (flow, power, current, speed) wander a tenth of their level within minutes on a healthy station.
   */
  relativeFloor?: number;
}

export interface ColumnGuess {
  column: string;
  /** The meaning it was mapped or guessed to, if any. */
  meaning: string | null;
  unit: string | null;
  /** `relation`: a derived column, a reading's residual from its learned relation to the flow. */
  how: 'mapped' | 'named' | 'guessed' | 'none' | 'relation';
  kind: ColumnKind;
}

const KINDS: Record<ColumnKind['kind'], ColumnKind> = {
  // A falling vibration is no fault; wear grows it exponentially; +6 dB over its own healthy level is the
  // usual relative alert of condition monitoring when no absolute limit is known.
  vibration: { kind: 'vibration', sidedness: 'high', worse: 'up', scale: 'log', thresholdRatio: 2 },
  // A cooling winding or bearing is the load or the room falling, no fault.
  temperature: { kind: 'temperature', sidedness: 'high', worse: 'up', scale: 'linear' },
  pressure: { kind: 'pressure', sidedness: 'both', worse: 'down', scale: 'linear' },
  flow: { kind: 'flow', sidedness: 'both', worse: 'down', scale: 'linear', relativeFloor: 0.12 },
  power: { kind: 'power', sidedness: 'both', worse: 'up', scale: 'linear', relativeFloor: 0.12 },
  current: { kind: 'current', sidedness: 'both', worse: 'up', scale: 'linear', relativeFloor: 0.12 },
  speed: { kind: 'speed', sidedness: 'both', worse: 'up', scale: 'linear', relativeFloor: 0.08 },
  speedRelation: { kind: 'speedRelation', sidedness: 'both', worse: 'up', scale: 'linear' },
  powerRelation: { kind: 'powerRelation', sidedness: 'both', worse: 'up', scale: 'linear' },
  headRelation: { kind: 'headRelation', sidedness: 'both', worse: 'down', scale: 'linear' },
  insulation: { kind: 'insulation', sidedness: 'low', worse: 'down', scale: 'log' },
  other: { kind: 'other', sidedness: 'both', worse: 'up', scale: 'linear' },
};

/** Name and unit patterns, first match wins; `meaning` is what a station export's column most likely is. */
const RULES: { test: RegExp; unit?: RegExp; kind: ColumnKind['kind']; meaning?: string }[] = [
  { test: /temp|°c|degc|winding|ntc|pt100/i, kind: 'temperature' },
  {
    test: /vib|accel|bearing|velocity|rms|kurtosis/i,
    kind: 'vibration',
    meaning: 'pump[1].bearing_vibration',
  },
  { test: /insul|megger|riso/i, kind: 'insulation', meaning: 'insulation.resistance' },
  {
    test: /(suction|inlet|intake|\bin\b).*(press|head)|(press|head).*(suction|inlet|intake|\bin\b)/i,
    kind: 'pressure',
    meaning: 'pressure.inlet',
  },
  { test: /press|head|discharge|outlet/i, kind: 'pressure', meaning: 'pressure.outlet' },
  { test: /flow|debit|durchfluss|流量/i, kind: 'flow', meaning: 'flow.rate' },
  { test: /power|kw\b|watt|功率/i, kind: 'power', meaning: 'pump[1].power' },
  { test: /current|amp|电流/i, kind: 'current', meaning: 'pump[1].current_l1' },
  { test: /speed|rpm|转速/i, kind: 'speed', meaning: 'pump[1].speed' },
  { test: /freq|(?<![a-z])hz(?![a-z])|频率/i, kind: 'speed', meaning: 'pump[1].frequency' },
];

/** Units read from the column name, e.g. "Outlet pressure (bar)", "flow_m3h", "P [kW]". */
const UNITS: { test: RegExp; unit: string; kind: ColumnKind['kind'] }[] = [
  { test: /mm\/s|in\/s/i, unit: 'mm/s', kind: 'vibration' },
  { test: /[([]\s*g\s*[)\]]|m\/s2|m\/s²/i, unit: 'g', kind: 'vibration' },
  { test: /(?<![a-z])(bar|kpa|mpa|psi|mwc|m\s*h2o)(?![a-z])/i, unit: 'pressure', kind: 'pressure' },
  { test: /m3\/?h|m³\/h|l\/s|l\/min|gpm/i, unit: 'flow', kind: 'flow' },
  { test: /(?<![a-z])(kw|w)(?![a-z])/i, unit: 'kW', kind: 'power' },
  { test: /(?<![a-z])(a|amps?)(?![a-z])/i, unit: 'A', kind: 'current' },
  { test: /°c|degc|\bc\)|°f/i, unit: '°C', kind: 'temperature' },
  { test: /mohm|mω|gohm/i, unit: 'MΩ', kind: 'insulation' },
  { test: /(?<![a-z])(rpm|hz)(?![a-z])/i, unit: 'rpm', kind: 'speed' },
];

const MEANING_KINDS: Record<string, ColumnKind['kind']> = {
  bearing_vibration: 'vibration',
  winding_temperature: 'temperature',
  bearing_temperature: 'temperature',
  drive_temperature: 'temperature',
  power: 'power',
  current_l1: 'current',
  current_l2: 'current',
  current_l3: 'current',
  frequency: 'speed',
  speed: 'speed',
  'pressure.outlet': 'pressure',
  'pressure.inlet': 'pressure',
  'flow.rate': 'flow',
  'insulation.resistance': 'insulation',
  'ambient.temperature': 'temperature',
};

function kindOfMeaning(meaning: string): ColumnKind['kind'] {
  const parsed = parseMeaning(meaning);
  if (typeof parsed === 'string') return 'other';
  const key = parsed.kind === 'pump' ? parsed.field : parsed.meaning;
  return MEANING_KINDS[key] ?? 'other';
}

/**
 * What a column is: mapped by the user (`--map col=meaning`), named by meaning already, or guessed
 * from its name and unit. The guess only chooses how the column is judged (which way is worse, the
 * scale, a default relative threshold) and how it is labelled; it never converts units. Pure.
 */
export function kindOf(kind: ColumnKind['kind']): ColumnKind {
  return KINDS[kind];
}

export function guessColumn(column: string, mapped?: string): ColumnGuess {
  if (mapped !== undefined) {
    return { column, meaning: mapped, unit: null, how: 'mapped', kind: KINDS[kindOfMeaning(mapped)] };
  }
  if (typeof parseMeaning(column) !== 'string') {
    return { column, meaning: column, unit: null, how: 'named', kind: KINDS[kindOfMeaning(column)] };
  }
  const unit = UNITS.find((u) => u.test.test(column));
  const rule = RULES.find((r) => r.test.test(column));
  const kind = rule?.kind ?? unit?.kind ?? 'other';
  if (kind === 'other') return { column, meaning: null, unit: null, how: 'none', kind: KINDS.other };
  const meaning = rule?.meaning && rule.kind === kind ? rule.meaning : null;
  const written = unit ? (column.match(unit.test)?.[0] ?? unit.unit) : null;
  return { column, meaning, unit: written, how: 'guessed', kind: KINDS[kind] };
}

/** The mapping flags `col=meaning`, checked: an unknown meaning is refused with the reason. */
export function parseMappings(flags: readonly string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.lastIndexOf('=');
    if (at <= 0 || at === flag.length - 1) return `"${flag}" is not column=meaning`;
    const meaning = flag.slice(at + 1).trim();
    const why = parseMeaning(meaning);
    if (typeof why === 'string') return why;
    out[flag.slice(0, at).trim()] = meaning;
  }
  return out;
}
