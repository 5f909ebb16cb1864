import type { EdgeStatus } from '../../core/telemetry/payloads.ts';

export interface EdgeState extends EdgeStatus {
  receivedAt: number;
  /** How far ahead of the server's clock the edge last dated a message that was quarantined, ms. */
  clockAheadMs?: number;
}

/** After this long without another message from the future, an edge's clock is believed again. */
const CLOCK_AHEAD_FORGOTTEN_MS = 3_600_000;

/** Each edge's state from its retained status topic (and its last will when it drops off). */
export class EdgeRegistry {
  private readonly edges = new Map<string, EdgeState>();
  private readonly clocksAhead = new Map<string, { aheadMs: number; at: number }>();

  apply(status: EdgeStatus, receivedAt: number): void {
    // No ts check: a last will carries the time it was set at connect, older than the online status
    // it replaces. The broker keeps per-topic order, so the newest message wins.
    this.edges.set(`${status.site}/${status.edge}`, { ...status, receivedAt });
  }

  /** The edge dated a message `aheadMs` ahead of the server's clock at `at` (the message was quarantined). */
  noteClockAhead(site: string, edgeId: string, aheadMs: number, at: number): void {
    this.clocksAhead.set(`${site}/${edgeId}`, { aheadMs, at });
  }

  clear(site: string, edgeId: string): void {
    this.edges.delete(`${site}/${edgeId}`);
  }

  /** The edges of one site, unsorted (the alarm engine reads them per station). */
  ofSite(site: string): EdgeState[] {
    const edges: EdgeState[] = [];
    for (const edge of this.edges.values()) if (edge.site === site) edges.push(edge);
    return edges;
  }

  /** Every edge with its status, and how far ahead its clock ran within the last hour (by `now`). */
  list(now = Date.now()): EdgeState[] {
    return [...this.edges.values()]
      .map((edge) => {
        const ahead = this.clocksAhead.get(`${edge.site}/${edge.edge}`);
        return ahead && now - ahead.at < CLOCK_AHEAD_FORGOTTEN_MS
          ? { ...edge, clockAheadMs: ahead.aheadMs }
          : edge;
      })
      .sort((a, b) => a.site.localeCompare(b.site) || a.edge.localeCompare(b.edge));
  }
}
