import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { savedHours } from './hour-series.ts';
import { type LiveCurve, type SavedLiveCurve, savedCurveOf, savedLiveCurveSchema } from './live-curve.ts';
import { type SavedStationModel, type StationModel, upgradeStationModel } from './station-model.ts';

const DAY = 86_400_000;

/** A station's model as saved, with its live curve's windows (saved since 7 Dec 2026). */
export type SavedHealthModel = SavedStationModel & { curve?: SavedLiveCurve };

/** A station's saved model read back; `curveRefused`: a saved curve was unreadable (the model stands). */
export interface RestoredHealth {
  model: StationModel;
  curve: SavedLiveCurve | undefined;
  curveRefused: boolean;
}

/**
 * Saved health models, one per station, in the service database: a restarted server loads them and
 * predicts on instead of learning every baseline again.
 */
export class HealthModelSnapshots {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async load(site: string, station: string): Promise<RestoredHealth | undefined> {
    const row = await this.db
      .selectFrom('health_models')
      .select('model')
      .where('site', '=', site)
      .where('station', '=', station)
      .executeTakeFirst();
    if (!row) return undefined;
    const { curve, ...saved } = row.model as SavedHealthModel;
    const parsed = curve === undefined ? undefined : savedLiveCurveSchema.safeParse(curve);
    return {
      model: upgradeStationModel(saved),
      curve: parsed?.success ? parsed.data : undefined,
      curveRefused: parsed !== undefined && !parsed.success,
    };
  }

  /** Saves the model with only the hourly medians its trend window reads (the rest is in the health series). */
  async save(
    site: string,
    station: string,
    model: StationModel,
    keepDays: number,
    at: number,
    curve?: LiveCurve,
  ): Promise<void> {
    const json = JSON.stringify(snapshotOf(model, keepDays, curve));
    await this.db
      .insertInto('health_models')
      .values({ site, station, saved_at: at, model: json })
      .onConflict((oc) => oc.columns(['site', 'station']).doUpdateSet({ saved_at: at, model: json }))
      .execute();
  }
}

/** The model with each track's hourly medians cut to the last `keepDays` days, and the curve's windows. Pure. */
export function snapshotOf(model: StationModel, keepDays: number, curve?: LiveCurve): SavedHealthModel {
  const from = (model.lastAt ?? 0) - keepDays * DAY;
  const tracks = Object.fromEntries(
    Object.entries(model.tracks).map(([key, track]) => [
      key,
      { ...track, hours: savedHours(track.hours, from) },
    ]),
  );
  return curve ? { ...model, tracks, curve: savedCurveOf(curve) } : { ...model, tracks };
}
