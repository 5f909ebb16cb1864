import type { Telemetry } from '../../core/telemetry/payloads.ts';

export interface FieldLimits {
  /** Most values one message may carry. Default 512 (what the payload schema allows). */
  perMessage: number;
  /** Most custom readings (`custom.*`) a station may add in an hour; each is a new InfluxDB field. Default 100. */
  newPerStationPerHour: number;
}

export const DEFAULT_FIELD_LIMITS: FieldLimits = { perMessage: 512, newPerStationPerHour: 100 };

const HOUR_MS = 3_600_000;
const CUSTOM = 'custom.';

interface StationFields {
  known: Set<string>;
  hourStart: number;
  addedThisHour: number;
}

export type FieldVerdict =
  | { kind: 'ok'; message: Telemetry }
  | { kind: 'too_many_fields'; count: number }
  /** Custom readings past the station's hourly budget were taken out of the message. */
  | { kind: 'trimmed'; message: Telemetry; refused: string[] };

/**
 * How many fields an edge may make: a message with more values than `perMessage` is refused, and a
 * station's custom readings it never sent before are admitted up to `newPerStationPerHour` an hour
 * (35 messages of invented names would otherwise add 35,000 fields to InfluxDB). The profile's
 * meanings are a fixed vocabulary and always pass. One pass over the values; nothing is allocated
 * unless a message carries a custom reading the station never sent.
 */
export class FieldBudget {
  readonly #stations = new Map<string, StationFields>();

  constructor(private readonly limits: FieldLimits = DEFAULT_FIELD_LIMITS) {}

  judge(message: Telemetry, now: number): FieldVerdict {
    let count = 0;
    let fresh: string[] | undefined;
    let held: StationFields | undefined;
    for (const meaning in message.values) {
      count += 1;
      if (!meaning.startsWith(CUSTOM)) continue;
      held ??= this.#held(message.site, message.station, now);
      if (!held.known.has(meaning)) {
        fresh ??= [];
        fresh.push(meaning);
      }
    }
    if (count > this.limits.perMessage) return { kind: 'too_many_fields', count };
    if (!fresh || !held) return { kind: 'ok', message };
    if (now - held.hourStart >= HOUR_MS || now < held.hourStart) {
      held.hourStart = now;
      held.addedThisHour = 0;
    }
    const refused: string[] = [];
    for (const meaning of fresh) {
      if (held.addedThisHour < this.limits.newPerStationPerHour) {
        held.known.add(meaning);
        held.addedThisHour += 1;
      } else refused.push(meaning);
    }
    if (refused.length === 0) return { kind: 'ok', message };
    const values = { ...message.values };
    for (const meaning of refused) delete values[meaning];
    return { kind: 'trimmed', message: { ...message, values }, refused };
  }

  #held(site: string, station: string, now: number): StationFields {
    const key = `${site}/${station}`;
    let held = this.#stations.get(key);
    if (!held) {
      held = { known: new Set(), hourStart: now, addedThisHour: 0 };
      this.#stations.set(key, held);
    }
    return held;
  }
}
