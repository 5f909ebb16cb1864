import type { EdgeStatus } from '../../core/telemetry/payloads.ts';

export interface EdgeState extends EdgeStatus {
  receivedAt: number;
}

/** Each edge's state from its retained status topic (and its last will when it drops off). */
export class EdgeRegistry {
  private readonly edges = new Map<string, EdgeState>();

  apply(status: EdgeStatus, receivedAt: number): void {
    // No ts check: a last will carries the time it was set at connect, older than the online status
    // it replaces. The broker keeps per-topic order, so the newest message wins.
    this.edges.set(`${status.site}/${status.edge}`, { ...status, receivedAt });
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

  list(): EdgeState[] {
    return [...this.edges.values()].sort(
      (a, b) => a.site.localeCompare(b.site) || a.edge.localeCompare(b.edge),
    );
  }
}
