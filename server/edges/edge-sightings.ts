import type { EdgeStatus, Telemetry } from '../../core/telemetry/payloads.ts';
import type { StationConsumer } from '../ingest/station-hub.ts';

export interface Sighting {
  site: string;
  /** When the server last heard from the edge (receive time, ms). */
  at: number;
  version: string | undefined;
}

/**
 * When each edge was last heard from (its status, or telemetry it carried for its stations) and the
 * version it reported: held in memory as messages come (a status message is rare; telemetry comes
 * every second), written to the edges table by `flush` every few seconds, not once per message.
 */
export class EdgeSightings implements StationConsumer {
  private readonly seen = new Map<string, Sighting>();
  private readonly dirty = new Set<string>();

  async onTelemetry(message: Telemetry, _station: unknown, receivedAt: number): Promise<void> {
    this.note(message.edge, message.site, receivedAt, undefined);
  }

  /**
   * An offline status is a last will (set at connect, delivered when the edge drops) or a retained
   * one replayed when the server subscribes: neither says when the edge was last heard, so only an
   * online status counts as a sighting.
   */
  async onEdgeStatus(status: EdgeStatus, receivedAt: number): Promise<void> {
    if (status.online) this.note(status.edge, status.site, receivedAt, status.version);
  }

  get(edgeId: string, site: string): Sighting | undefined {
    const sighting = this.seen.get(edgeId);
    return sighting?.site === site ? sighting : undefined;
  }

  /** Hands the sightings not yet written to `write`; the ones it fails on are kept for the next flush. */
  async flush(write: (edgeId: string, sighting: Sighting) => Promise<void>): Promise<void> {
    for (const edgeId of [...this.dirty]) {
      const sighting = this.seen.get(edgeId);
      this.dirty.delete(edgeId);
      if (!sighting) continue;
      try {
        await write(edgeId, sighting);
      } catch (error) {
        this.dirty.add(edgeId);
        throw error;
      }
    }
  }

  private note(edgeId: string, site: string, at: number, version: string | undefined): void {
    const held = this.seen.get(edgeId);
    const same = held?.site === site;
    this.seen.set(edgeId, {
      site,
      at: same ? Math.max(held.at, at) : at,
      version: version ?? (same ? held.version : undefined),
    });
    this.dirty.add(edgeId);
  }
}
