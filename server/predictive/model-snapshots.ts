import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { savedHours } from './hour-series.ts';
import { type SavedStationModel, type StationModel, upgradeStationModel } from './station-model.ts';

const DAY = 86_400_000;

/**
 * Saved health models, one per station, in the service database: a restarted server loads them and
 * predicts on instead of learning every baseline again.
 */
export class HealthModelSnapshots {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async load(site: string, station: string): Promise<StationModel | undefined> {
    const row = await this.db
      .selectFrom('health_models')
      .select('model')
      .where('site', '=', site)
      .where('station', '=', station)
      .executeTakeFirst();
    return row ? upgradeStationModel(row.model as SavedStationModel) : undefined;
  }

  /** Saves the model with only the hourly medians its trend window reads (the rest is in the health series). */
  async save(
    site: string,
    station: string,
    model: StationModel,
    keepDays: number,
    at: number,
  ): Promise<void> {
    const json = JSON.stringify(snapshotOf(model, keepDays));
    await this.db
      .insertInto('health_models')
      .values({ site, station, saved_at: at, model: json })
      .onConflict((oc) => oc.columns(['site', 'station']).doUpdateSet({ saved_at: at, model: json }))
      .execute();
  }
}

/** The model with each track's hourly medians cut to the last `keepDays` days. Pure. */
export function snapshotOf(model: StationModel, keepDays: number): SavedStationModel {
  const from = (model.lastAt ?? 0) - keepDays * DAY;
  const tracks = Object.fromEntries(
    Object.entries(model.tracks).map(([key, track]) => [
      key,
      { ...track, hours: savedHours(track.hours, from) },
    ]),
  );
  return { ...model, tracks };
}
