import type { Label, Profile, Tag } from '../../core/profile/schema.ts';
import { codesOf } from '../../core/profile/tag-schema.ts';

/** One entry of a vendor's alarm or warning code table, as the rules read it. */
export type VendorCode = NonNullable<Tag['alarmCodes']>[string];

/** What the server knows of one reading of a model: its unit, its states, its vendor codes. */
export interface ReadingInfo {
  unit: string;
  description?: string;
  /** The reading's name in both languages (custom meanings). */
  label?: Label;
  /** Code -> label of an enumeration (stored as codes, never averaged). */
  enum?: Map<number, Label>;
  /** The vendor's alarm or warning codes this reading reports. */
  alarmCodes?: Map<number, VendorCode>;
}

/**
 * The device profiles the server knows, by model, swapped whole when a profile file changes: every
 * reader (units, the alarm rules' code tables, enum-aware history) asks here at the time it reads,
 * so a reload takes effect on the next message without a restart.
 */
export class ProfileRegistry {
  private byModel = new Map<string, { profile: Profile; readings: Map<string, ReadingInfo> }>();
  private readonly listeners = new Set<() => void>();

  constructor(profiles: readonly Profile[] = []) {
    this.replace(profiles);
  }

  /** Installs a new set (a later profile of the same model wins) and tells the listeners. */
  replace(profiles: readonly Profile[]): void {
    const next = new Map<string, { profile: Profile; readings: Map<string, ReadingInfo> }>();
    for (const profile of profiles) next.set(profile.model, { profile, readings: readingsOf(profile) });
    this.byModel = next;
    for (const listener of this.listeners) listener();
  }

  /** Called after each replace; returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  models(): string[] {
    return [...this.byModel.keys()].sort();
  }

  profile(model: string): Profile | undefined {
    return this.byModel.get(model)?.profile;
  }

  /** Every reading of a model by meaning (derived ones included); undefined for an unknown model. */
  readings(model: string | undefined): ReadonlyMap<string, ReadingInfo> | undefined {
    return model === undefined ? undefined : this.byModel.get(model)?.readings;
  }

  reading(model: string | undefined, meaning: string): ReadingInfo | undefined {
    return this.readings(model)?.get(meaning);
  }
}

function readingsOf(profile: Profile): Map<string, ReadingInfo> {
  const readings = new Map<string, ReadingInfo>();
  for (const tag of profile.tags) {
    readings.set(tag.meaning, {
      unit: tag.unit,
      ...(tag.description ? { description: tag.description } : {}),
      ...(tag.label ? { label: tag.label } : {}),
      ...(tag.enum ? { enum: codesOf(tag.enum) } : {}),
      ...(tag.alarmCodes ? { alarmCodes: codesOf(tag.alarmCodes) } : {}),
    });
  }
  for (const reading of profile.derived) {
    readings.set(reading.meaning, { unit: reading.kind === 'power' ? reading.unit : '' });
  }
  return readings;
}
