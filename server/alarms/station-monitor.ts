import type { EdgeStatus, Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';
import { emptyMemory, type StationMemory } from './engine.ts';
import type { StationReadings } from './readings.ts';

/** What the server knows of one station between messages. */
export interface StationEntry {
  site: string;
  station: string;
  edge: string | null;
  values: Record<string, TelemetryValue>;
  state: StationReadings['state'];
  lastReceivedAt: number | null;
  lastSourceTs: number | null;
  memory: StationMemory;
}

export function stationKey(site: string, station: string): string {
  return `${site}/${station}`;
}

/** Latest readings per station and online state per edge; plain bookkeeping, no IO. */
export class StationMonitor {
  readonly stations = new Map<string, StationEntry>();
  private readonly edgesOnline = new Map<string, boolean>();
  /** Telemetry older than what a station already reported, ignored. */
  outOfOrder = 0;

  entry(site: string, station: string): StationEntry {
    const key = stationKey(site, station);
    let entry = this.stations.get(key);
    if (!entry) {
      entry = {
        site,
        station,
        edge: null,
        values: {},
        state: 'ok',
        lastReceivedAt: null,
        lastSourceTs: null,
        memory: emptyMemory(),
      };
      this.stations.set(key, entry);
    }
    return entry;
  }

  /** Records telemetry; returns the entry, or undefined when it is older than what we have. */
  recordTelemetry(t: Telemetry, receivedAt: number): StationEntry | undefined {
    const entry = this.entry(t.site, t.station);
    if (entry.lastSourceTs !== null && t.ts < entry.lastSourceTs) {
      this.outOfOrder += 1;
      return undefined;
    }
    entry.edge = t.edge;
    // Slow-polled values come in fewer messages: keep the last of each meaning.
    entry.values = { ...entry.values, ...t.values };
    entry.state = t.state;
    entry.lastReceivedAt = receivedAt;
    entry.lastSourceTs = t.ts;
    // Telemetry from an edge proves it is online even before its retained status arrives.
    this.edgesOnline.set(t.edge, true);
    return entry;
  }

  /** Records an edge's status; returns the stations it concerns. */
  recordEdgeStatus(status: EdgeStatus): StationEntry[] {
    this.edgesOnline.set(status.edge, status.online);
    for (const [station, state] of Object.entries(status.stations)) {
      const entry = this.entry(status.site, station);
      entry.edge = status.edge;
      if (status.online) entry.state = state;
    }
    return [...this.stations.values()].filter((entry) => entry.edge === status.edge);
  }

  readings(entry: StationEntry, now: number, staleAfterMs: number): StationReadings {
    return {
      values: entry.values,
      state: entry.state,
      // A station we never heard from is not "stale": it may not be installed yet.
      stale: entry.lastReceivedAt !== null && now - entry.lastReceivedAt > staleAfterMs,
      edgeOnline: entry.edge === null ? true : (this.edgesOnline.get(entry.edge) ?? true),
    };
  }
}
