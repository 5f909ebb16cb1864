import { silentLogger } from '../core/log.ts';
import { loadProfile } from '../core/profile/load.ts';
import { openServiceDatabase } from '../server/db/open-database.ts';
import { DEFAULT_PREDICTIVE_CONFIG } from '../server/predictive/config.ts';
import { feedLiveCurve, type LiveCurve, newLiveCurve } from '../server/predictive/live-curve.ts';
import { snapshotOf } from '../server/predictive/model-snapshots.ts';
import { feedStation, newStationModel, type StationModel } from '../server/predictive/station-model.ts';
import { StationRuntime } from '../simulators/station-runtime.ts';

/**
 * Saves a health model for each station as a server that had watched it for `days` would have saved
 * it, so a bench measures the server as it runs for good (every model at its full 8 days of hourly
 * medians, baselines learned, the live curve's four hours of minutes) instead of its first hours of
 * learning. One simulated station of the
 * fleet's profile, fed once a minute up to two minutes ago, is saved under every station's name; the
 * server loads each on the station's first message, as after a restart. Returns the saved JSON's size.
 */
export async function seedHealthModels(options: {
  databaseUrl: string;
  site: string;
  stations: readonly string[];
  days: number;
  profile?: string;
}): Promise<{ bytes: number }> {
  const end = Date.now() - 120_000;
  const { model, curve } = modelWatchedFor(options.days, end, options.profile);
  const json = JSON.stringify(snapshotOf(model, DEFAULT_PREDICTIVE_CONFIG.keepDays, curve));
  const service = await openServiceDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 });
  try {
    for (let i = 0; i < options.stations.length; i += 200) {
      const rows = options.stations
        .slice(i, i + 200)
        .map((station) => ({ site: options.site, station, saved_at: end, model: json }));
      await service.db
        .insertInto('health_models')
        .values(rows)
        .onConflict((oc) => oc.columns(['site', 'station']).doUpdateSet({ saved_at: end, model: json }))
        .execute();
    }
  } finally {
    await service.close();
  }
  return { bytes: json.length };
}

/**
 * A health model as a server that had watched one simulated station of `profile` for `days` up to
 * `end` (ms) holds it, fed once a minute (the models' sample spacing), its live curve (the last
 * five hours fed, so its window is full), and the station's last readings.
 */
export function modelWatchedFor(
  days: number,
  end: number,
  profile = 'profiles/booster-3p-380.yaml',
): { model: StationModel; curve: LiveCurve; readings: Record<string, number | boolean> } {
  const minutes = Math.round(days * 1440);
  const start = end - minutes * 60_000;
  const runtime = new StationRuntime({
    id: 'seed',
    profile: loadProfile(profile),
    seed: 7,
    startTime: start,
    utcOffsetMinutes: 480,
    logger: silentLogger(),
  });
  const model = newStationModel();
  const curve = newLiveCurve();
  let readings: Record<string, number | boolean> = {};
  for (let minute = 1; minute <= minutes; minute++) {
    runtime.advance(60);
    readings = {};
    for (const [key, value] of Object.entries(runtime.readings())) {
      if (typeof value === 'number' || typeof value === 'boolean') readings[key] = value;
    }
    feedStation(model, start + minute * 60_000, readings, DEFAULT_PREDICTIVE_CONFIG);
    if (minutes - minute < 300) feedLiveCurve(curve, start + minute * 60_000, readings);
  }
  return { model, curve, readings };
}
