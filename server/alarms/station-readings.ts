import type { EdgeState } from '../ingest/edge-registry.ts';
import type { StationLatest } from '../ingest/latest-values.ts';
import type { StationReadings } from './readings.ts';

/**
 * What the rules see of a station, from the hub's held state and its site's edge statuses. Pure.
 * The newer word wins: a station's telemetry, or an edge status that lists it (its edge, and its
 * state while the edge is online); telemetry newer than its edge's status proves the edge online.
 */
export function stationReadings(
  where: { site: string; station: string },
  held: StationLatest | undefined,
  edges: readonly EdgeState[],
  now: number,
  staleAfterMs: number,
  /** Until then an edge's offline status is not believed (a server that just started hears retained statuses and wills first). */
  judgeEdgesFrom = Number.NEGATIVE_INFINITY,
): StationReadings {
  let listing: EdgeState | undefined;
  for (const edge of edges) {
    if (edge.stations[where.station] !== undefined && (!listing || edge.receivedAt > listing.receivedAt))
      listing = edge;
  }
  const statusNewer = listing !== undefined && (!held || listing.receivedAt >= held.receivedAt);
  const edgeId = statusNewer ? listing!.edge : (held?.edge ?? null);
  const state = statusNewer && listing!.online ? listing!.stations[where.station]! : (held?.state ?? 'ok');
  const edge = edgeId === null ? undefined : edges.find((e) => e.edge === edgeId);
  const provenOnline =
    held !== undefined && held.edge === edgeId && edge !== undefined && held.receivedAt > edge.receivedAt;
  return {
    values: held?.values ?? {},
    state,
    // A station we never heard from is not "stale": it may not be installed yet.
    stale: held !== undefined && now - held.receivedAt > staleAfterMs,
    edgeOnline: edge === undefined || provenOnline || edge.online || now < judgeEdgesFrom,
    edgeSpool: edge?.online ? (edge.spool?.state ?? null) : null,
  };
}
