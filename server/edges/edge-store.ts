import { type Kysely, sql } from 'kysely';
import { RefusedError } from '../db/errors.ts';
import type { EdgeRow, ServiceDatabase, StationEndpoint } from '../db/schema.ts';

/** An edge row with the stations that name it (stations.edge_id), sorted. */
export interface EdgeWithStations extends EdgeRow {
  stations: string[];
}

/** What the generated config needs of a station. */
export interface ConfigStation {
  id: string;
  profile: string;
  endpoint: StationEndpoint | null;
}

export interface EdgeListFilter {
  site?: string | undefined;
  sites?: readonly string[] | undefined;
  retired: boolean;
}

/** The edges table and stations.edge_id: plain reads and writes, the decisions are the routes'. */
export class EdgeStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async get(id: string): Promise<EdgeWithStations | undefined> {
    const row = await this.db.selectFrom('edges').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { ...row, stations: (await this.stationIds([id])).get(id) ?? [] };
  }

  async list(filter: EdgeListFilter): Promise<EdgeWithStations[]> {
    let query = this.db.selectFrom('edges').selectAll();
    if (filter.site !== undefined) query = query.where('site_id', '=', filter.site);
    if (filter.sites !== undefined) {
      if (filter.sites.length === 0) return [];
      query = query.where('site_id', 'in', [...filter.sites]);
    }
    query = filter.retired
      ? query.where('retired_at', 'is not', null)
      : query.where('retired_at', 'is', null);
    const rows = await query.orderBy('site_id').orderBy('id').execute();
    const stations = await this.stationIds(rows.map((row) => row.id));
    return rows.map((row) => ({ ...row, stations: stations.get(row.id) ?? [] }));
  }

  /** Edges whose credentials the broker accepts: not revoked, not retired, with a password set. */
  async active(): Promise<EdgeWithStations[]> {
    const rows = await this.db
      .selectFrom('edges')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where('retired_at', 'is', null)
      .where('secret_hash', 'is not', null)
      .orderBy('id')
      .execute();
    const stations = await this.stationIds(rows.map((row) => row.id));
    return rows.map((row) => ({ ...row, stations: stations.get(row.id) ?? [] }));
  }

  async siteExists(site: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sites')
      .select('id')
      .where('id', '=', site)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async create(row: { id: string; siteId: string; name: string; secretHash: string; at: number }) {
    await this.db
      .insertInto('edges')
      .values({
        id: row.id,
        site_id: row.siteId,
        name: row.name,
        created_at: row.at,
        secret_hash: row.secretHash,
        credential_version: 1,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst()
      .then((result) => {
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
          throw new RefusedError(`edge ${row.id} exists`, 409, 'error.edgeExists', { id: row.id });
      });
  }

  /** Undoes a creation that failed half-way (never an edge that was handed out). */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('edges').where('id', '=', id).execute();
  }

  async rename(id: string, name: string): Promise<void> {
    await this.db.updateTable('edges').set({ name }).where('id', '=', id).execute();
  }

  /**
   * Makes `stations` (of the edge's site) exactly the ones naming this edge, in one transaction.
   * Refuses a station that is unknown, retired, or served by another edge that is not retired.
   */
  async setStations(edge: EdgeRow, stations: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const wanted = [...new Set(stations)];
      const rows =
        wanted.length === 0
          ? []
          : await tx
              .selectFrom('stations')
              .leftJoin('edges', 'edges.id', 'stations.edge_id')
              .select([
                'stations.id as id',
                'stations.retired_at as retiredAt',
                'stations.edge_id as edgeId',
                'edges.retired_at as edgeRetiredAt',
              ])
              .where('stations.site_id', '=', edge.site_id)
              .where('stations.id', 'in', wanted)
              .execute();
      const found = new Map(rows.map((row) => [row.id, row]));
      for (const station of wanted) {
        const row = found.get(station);
        if (!row || row.retiredAt !== null)
          throw new RefusedError(`no station ${edge.site_id}/${station}`, 400, 'error.edgeNoStation', {
            site: edge.site_id,
            station,
          });
        if (row.edgeId !== null && row.edgeId !== edge.id && row.edgeRetiredAt === null)
          throw new RefusedError(
            `station ${edge.site_id}/${station} is served by edge ${row.edgeId}`,
            409,
            'error.edgeStationTaken',
            { station, edge: row.edgeId },
          );
      }
      let clear = tx.updateTable('stations').set({ edge_id: null }).where('edge_id', '=', edge.id);
      if (wanted.length > 0) clear = clear.where('id', 'not in', wanted);
      await clear.execute();
      if (wanted.length > 0)
        await tx
          .updateTable('stations')
          .set({ edge_id: edge.id })
          .where('site_id', '=', edge.site_id)
          .where('id', 'in', wanted)
          .execute();
    });
  }

  async revoke(id: string, at: number): Promise<void> {
    await this.db.updateTable('edges').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  /** A new password hash; a revoked edge is active again. */
  async rotate(id: string, secretHash: string): Promise<void> {
    await this.db
      .updateTable('edges')
      .set((eb) => ({
        secret_hash: secretHash,
        revoked_at: null,
        credential_version: eb('credential_version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Retired for good: no credentials, no stations. */
  async retire(id: string, at: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('stations').set({ edge_id: null }).where('edge_id', '=', id).execute();
      await tx.updateTable('edges').set({ retired_at: at, secret_hash: null }).where('id', '=', id).execute();
    });
  }

  /** Stores when an edge was last heard from and the version it reported (never moves back). */
  async recordSighting(id: string, site: string, at: number, version: string | undefined): Promise<void> {
    await this.db
      .updateTable('edges')
      .set({
        last_seen_at: sql<number>`greatest(coalesce(last_seen_at, ${at}), ${at})`,
        ...(version !== undefined ? { version } : {}),
      })
      .where('id', '=', id)
      .where('site_id', '=', site)
      .execute();
  }

  /** The edge's stations with what its config needs. */
  async configStations(edgeId: string): Promise<ConfigStation[]> {
    const rows = await this.db
      .selectFrom('stations')
      .select(['id', 'profile', 'endpoint'])
      .where('edge_id', '=', edgeId)
      .where('retired_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, profile: row.profile, endpoint: row.endpoint }));
  }

  private async stationIds(edgeIds: readonly string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (edgeIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('stations')
      .select(['id', 'edge_id'])
      .where('edge_id', 'in', [...edgeIds])
      .where('retired_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const row of rows) {
      if (!row.edge_id) continue;
      const list = map.get(row.edge_id) ?? [];
      list.push(row.id);
      map.set(row.edge_id, list);
    }
    return map;
  }
}
