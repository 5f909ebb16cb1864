import type { StationView as LiveStationView } from '../../core/live/events.ts';
import type { Profile } from '../../core/profile/schema.ts';
import type { Quality, StationState, Telemetry } from '../../core/telemetry/payloads.ts';
import { ProfileRegistry } from '../profiles/profile-registry.ts';

export interface HeldValue {
  v: number | boolean | null;
  q: Quality;
  /** Source timestamp of the message that carried it (ms). */
  ts: number;
}

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
  values: Record<string, HeldValue>;
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

  apply(message: Telemetry, receivedAt: number): StationLatest {
    const key = stationKey(message.site, message.station);
    const held = this.stations.get(key);
    const newer = !held || message.ts >= held.ts;
    const next: StationLatest = held
      ? { ...held, values: { ...held.values } }
      : { ...header(message), receivedAt, values: {} };
    if (newer) Object.assign(next, header(message), { receivedAt });
    for (const [meaning, { v, q }] of Object.entries(message.values)) {
      const previous = next.values[meaning];
      if (!previous || previous.ts <= message.ts) next.values[meaning] = { v, q, ts: message.ts };
    }
    this.stations.set(key, next);
    return next;
  }

  get(site: string, station: string): StationLatest | undefined {
    return this.stations.get(stationKey(site, station));
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
      const held = latest.values[meaning]!;
      const unit = readings?.get(meaning)?.unit;
      values[meaning] = { ...held, ageMs: Math.max(0, now - held.ts), ...(unit ? { unit } : {}) };
    }
    const { receivedAt: _receivedAt, values: _values, ...rest } = latest;
    return { ...rest, ageMs: Math.max(0, now - latest.ts), values };
  }
}

function header(message: Telemetry) {
  const { site, station, edge, model, state, seq, ts } = message;
  return { site, station, edge, model, state, seq, ts };
}

function stationKey(site: string, station: string): string {
  return `${site}/${station}`;
}
