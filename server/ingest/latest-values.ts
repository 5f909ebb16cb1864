import type { StationView as LiveStationView } from '../../core/live/events.ts';
import type { Profile } from '../../core/profile/schema.ts';
import type { StationState, Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';
import { ProfileRegistry } from '../profiles/profile-registry.ts';

export interface StationLatest {
  site: string;
  station: string;
  edge: string;
  model: string;
  state: StationState;
  seq: number;
  /** Source timestamp of the newest message. */
  ts: number;
  /** When the server received the newest message (ms). */
  receivedAt: number;
  /** The newest value of each meaning: the message's own value objects, shared, never changed. */
  values: Record<string, TelemetryValue>;
  /**
   * Source timestamp of each meaning's value where it is not `ts` (a meaning the newest message did
   * not carry, or a late message's): most messages carry every meaning, and this stays empty.
   */
  valueTs: Record<string, number>;
}

/** A station's latest values as the API and live stream show them: with age and unit. */
export type StationView = LiveStationView;

/**
 * The newest value of every meaning of every station, held in memory. Values missing from a
 * message (slow-polled tags) keep their last one; an older message never overwrites a newer value.
 */
export class LatestValues {
  private readonly stations = new Map<string, StationLatest>();
  /** Units by model and meaning, read at each view: a reloaded profile shows at once. */
  readonly profiles: ProfileRegistry;

  constructor(profiles: readonly Profile[] | ProfileRegistry = []) {
    this.profiles = profiles instanceof ProfileRegistry ? profiles : new ProfileRegistry(profiles);
  }

  /**
   * Every message passes here, so in the usual case (the message carries every meaning held) it makes
   * one small object and shares the message's values: a held station is never changed (consumers judge
   * the one they were handed), and its values are the messages' own. Copying the maps per message
   * made ~10 KB a message that lived a second, long enough to reach the old generation.
   */
  apply(message: Telemetry, receivedAt: number): StationLatest {
    const key = stationKey(message.site, message.station);
    const held = this.stations.get(key);
    let next: StationLatest;
    if (!held || message.ts >= held.ts) {
      // The newest message: each value it carries is the newest of its meaning.
      next = { ...header(message), receivedAt, values: message.values, valueTs: NO_OLDER_VALUES };
      if (held && !carriesAll(message.values, held.values)) {
        next.values = { ...held.values, ...message.values };
        next.valueTs = {};
        for (const meaning in held.values) {
          if (!(meaning in message.values)) next.valueTs[meaning] = held.valueTs[meaning] ?? held.ts;
        }
      }
    } else {
      // A late one fills in only meanings held from still older messages (or not at all).
      next = { ...held, values: { ...held.values }, valueTs: { ...held.valueTs } };
      for (const meaning in message.values) {
        if (meaning in held.values && (held.valueTs[meaning] ?? held.ts) > message.ts) continue;
        next.values[meaning] = message.values[meaning]!;
        next.valueTs[meaning] = message.ts;
      }
    }
    this.stations.set(key, next);
    return next;
  }

  get(site: string, station: string): StationLatest | undefined {
    return this.stations.get(stationKey(site, station));
  }

  delete(site: string, station: string): void {
    this.stations.delete(stationKey(site, station));
  }

  /** Stations with this id across sites (ids are meant to be unique, but sites are independent). */
  findById(station: string): StationLatest[] {
    return [...this.stations.values()].filter((s) => s.station === station);
  }

  list(): StationLatest[] {
    return [...this.stations.values()].sort(
      (a, b) => a.site.localeCompare(b.site) || a.station.localeCompare(b.station),
    );
  }

  view(latest: StationLatest, now: number): StationView {
    const readings = this.profiles.readings(latest.model);
    const values: StationView['values'] = {};
    for (const meaning of Object.keys(latest.values).sort()) {
      const { v, q } = latest.values[meaning]!;
      const ts = latest.valueTs[meaning] ?? latest.ts;
      const unit = readings?.get(meaning)?.unit;
      values[meaning] = { v, q, ts, ageMs: Math.max(0, now - ts), ...(unit ? { unit } : {}) };
    }
    const { receivedAt: _receivedAt, values: _values, valueTs: _valueTs, ...rest } = latest;
    return { ...rest, ageMs: Math.max(0, now - latest.ts), values };
  }
}

/** The valueTs of a station whose every value came with its newest message (shared, never changed). */
const NO_OLDER_VALUES: Record<string, number> = Object.freeze({}) as Record<string, number>;

/** Whether a message's values hold every meaning held before (then they replace them whole). */
function carriesAll(values: Record<string, TelemetryValue>, held: Record<string, TelemetryValue>): boolean {
  for (const meaning in held) if (!(meaning in values)) return false;
  return true;
}

function header(message: Telemetry) {
  const { site, station, edge, model, state, seq, ts } = message;
  return { site, station, edge, model, state, seq, ts };
}

function stationKey(site: string, station: string): string {
  return `${site}/${station}`;
}
