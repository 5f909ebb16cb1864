import { RegisterRangeError } from '../core/modbus/codec.ts';
import { parseMeaning, pumpMeaning } from '../core/profile/meanings.ts';
import type { Profile, Tag } from '../core/profile/schema.ts';
import type { Readings } from './model/readings.ts';

/** Synchronous motor speed of a 2-pole pump motor at 1 Hz, less ~3% slip (2900 rpm at 50 Hz). */
const RPM_PER_HZ = 58;
const POWER_FACTOR_RUNNING = 0.86;

/**
 * Readings the station model does not produce itself but a vendor's controller reports, worked out
 * from the model's own: drive speed, power, output and DC-bus voltage, drive temperature, the
 * controller's mode and its alarm codes.
 */
function modelExtras(profile: Profile, model: Readings): Readings {
  const extras: Readings = {};
  const supply = Number(model['supply.voltage_l1'] ?? profile.nominalVoltage);
  const ambient = Number(model['ambient.temperature'] ?? 20);
  let anyTripped = false;
  for (let pump = 1; pump <= profile.pumps; pump++) {
    const hz = Number(model[pumpMeaning(pump, 'frequency')] ?? 0);
    const amps = Number(model[pumpMeaning(pump, 'current_l1')] ?? 0);
    const running = model[pumpMeaning(pump, 'running')] === true;
    const tripped = model[pumpMeaning(pump, 'fault')] === true;
    anyTripped ||= tripped;
    const pf = running ? POWER_FACTOR_RUNNING : 0;
    const phases = profile.phases === 3 ? Math.sqrt(3) : 1;
    extras[pumpMeaning(pump, 'speed')] = Math.round(hz * RPM_PER_HZ);
    extras[pumpMeaning(pump, 'power_factor')] = pf;
    extras[pumpMeaning(pump, 'power')] = (phases * supply * amps * pf) / 1000;
    extras[pumpMeaning(pump, 'output_voltage')] = (supply * Math.min(hz, 50)) / 50;
    extras[pumpMeaning(pump, 'dc_bus_voltage')] = supply * 1.35;
    extras[pumpMeaning(pump, 'drive_temperature')] = ambient + (running ? 15 : 3);
    extras[pumpMeaning(pump, 'alarm_code')] = tripped
      ? firstCode(profile, pumpMeaning(pump, 'alarm_code'))
      : 0;
    extras[pumpMeaning(pump, 'warning_code')] = 0;
  }
  extras['station.alarm_code'] = anyTripped ? firstCode(profile, 'station.alarm_code') : 0;
  extras['station.warning_code'] = 0;
  extras['supply.frequency'] = 50;
  return extras;
}

/** The code a tripped drive shows: the profile's first major alarm code, or its first code at all. */
function firstCode(profile: Profile, meaning: string): number {
  const tag = profile.tags.find((t) => t.meaning === meaning);
  const entries = Object.entries(tag?.alarmCodes ?? {}).filter(([, entry]) => entry.kind === 'alarm');
  const major = entries.find(([, entry]) => entry.severity === 'major') ?? entries[0];
  return major ? Number(major[0]) : 1;
}

/** A value that reads as a plausible instrument for a tag nothing else gives a value to (never 0). */
function plausible(tag: Tag): number | boolean {
  if (tag.type === 'bool') return false;
  const codes = Object.keys(tag.enum ?? {});
  if (codes.length > 0) return Number(codes[0]);
  if (tag.alarmCodes) return 0;
  if (tag.range) {
    const middle = (tag.range.min + tag.range.max) / 2;
    return middle === 0 ? tag.range.max / 2 || 1 : middle;
  }
  return 1;
}

/**
 * A value for every tag of the profile: the model's reading where it has one, else one worked out
 * from the model, else a plausible one; derived readings need none (the edge computes them).
 */
export function servedValues(profile: Profile, model: Readings): Readings {
  // A profile whose every tag the model reads itself (the reference controller) needs nothing more:
  // the image is rebuilt at every step of every station, so this is the common, cheap case.
  if (modelCoversAll(profile, model)) return model;
  const extras = modelExtras(profile, model);
  const values: Readings = {};
  for (const tag of profile.tags) {
    const meaning = tag.meaning;
    const known = model[meaning] ?? extras[meaning];
    if (known !== undefined) {
      values[meaning] = known;
      continue;
    }
    const parsed = parseMeaning(meaning);
    values[meaning] = typeof parsed === 'string' ? 0 : plausible(tag);
  }
  return values;
}

const covered = new WeakMap<Profile, boolean>();

function modelCoversAll(profile: Profile, model: Readings): boolean {
  let known = covered.get(profile);
  if (known === undefined) {
    known = profile.tags.every((tag) => model[tag.meaning] !== undefined);
    covered.set(profile, known);
  }
  return known;
}

/** Why a value cannot be served on its tag (a RegisterRangeError's message with the tag named). */
export function unfitReason(tag: Tag, error: unknown): string | undefined {
  return error instanceof RegisterRangeError
    ? `tag ${tag.name} (${tag.meaning}): ${error.message}`
    : undefined;
}
