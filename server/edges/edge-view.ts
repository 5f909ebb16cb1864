import type { EdgeState, EdgeView } from '../../core/api/edges.ts';
import { edgeUsername } from '../../core/edges/provisioned-edges.ts';
import type { Sighting } from './edge-sightings.ts';
import type { EdgeWithStations } from './edge-store.ts';

/** What the broker's retained status says of an edge right now, if it said anything. */
export interface LiveStatus {
  online: boolean;
  receivedAt: number;
  version?: string | undefined;
}

/**
 * An edge as the API shows it: the stored row, brought up to date by what ingest saw since the
 * last flush. Revoked wins over everything; then the retained status (online or its last will);
 * an edge never heard from is `never_connected`.
 */
export function edgeView(
  row: EdgeWithStations,
  live: LiveStatus | undefined,
  sighting: Sighting | undefined,
): EdgeView {
  const lastSeenAt = maxOrNull(row.last_seen_at, live?.online ? live.receivedAt : null, sighting?.at);
  const state: EdgeState =
    row.revoked_at !== null || row.retired_at !== null
      ? 'revoked'
      : live?.online
        ? 'online'
        : lastSeenAt === null
          ? 'never_connected'
          : 'offline';
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    username: edgeUsername(row.id),
    stations: row.stations,
    state,
    lastSeenAt,
    version: sighting?.version ?? live?.version ?? row.version,
    createdAt: row.created_at,
    credentialVersion: row.credential_version,
    revokedAt: row.revoked_at,
    retiredAt: row.retired_at,
  };
}

function maxOrNull(...values: Array<number | null | undefined>): number | null {
  const known = values.filter((value): value is number => typeof value === 'number');
  return known.length ? Math.max(...known) : null;
}
