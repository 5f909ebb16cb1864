import { Router } from 'express';
import { healthScores, stationIndicators } from '../../core/api/predictive.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import { hourCount } from './hour-series.ts';
import { INDICATOR_SPECS } from './indicator-specs.ts';
import { predictTrack } from './indicator-track.ts';
import type { PredictiveShell } from './predictive-shell.ts';
import { indicatorViews, stationEpisodes, stationHealth } from './station-model.ts';

/** GET /health-scores and GET /stations/:id/indicators (mount at /api; any signed-in user reads). */
export function predictiveRoutes(shell: PredictiveShell, clock: () => number = Date.now): Router {
  const router = Router();

  contractRoute(router, healthScores, (_input, req) => {
    const scope = siteScope(req);
    const stations = [...shell.stations.values()]
      .filter((entry) => inScope(scope, entry.site))
      .sort((a, b) => `${a.site}/${a.station}`.localeCompare(`${b.site}/${b.station}`))
      .map((entry) => {
        const health = stationHealth(entry.model, entry.config);
        return {
          site: entry.site,
          station: entry.station,
          score: health.station.score,
          driver: health.station.driver,
          updatedAt: entry.model.lastAt,
          pumps: Object.entries(health.pumps).map(([pump, h]) => ({
            pump: Number(pump),
            score: h.score,
            driver: h.driver,
          })),
        };
      });
    return { stations };
  });

  contractRoute(router, stationIndicators, ({ params: { id: station }, query: { site } }, req, res) => {
    const scope = siteScope(req);
    const matches = [...shell.stations.values()].filter(
      (e) => e.station === station && (!site || e.site === site) && inScope(scope, e.site),
    );
    if (matches.length === 0) {
      res.status(404).json({
        error: `no health data for station ${station}${site ? ` at site ${site}` : ''} yet: it has sent no telemetry`,
        code: 'error.noHealthData',
        params: { id: station },
      });
      return ANSWERED;
    }
    if (matches.length > 1) {
      res.status(400).json({
        error: `station ${station} exists at sites ${matches.map((m) => m.site).join(', ')}: add ?site=`,
      });
      return ANSWERED;
    }
    const entry = matches[0]!;
    const now = entry.model.lastAt ?? clock();
    // The hourly pipeline skips the fit for indicators at their baseline; the API always shows the fit.
    const indicators = indicatorViews(entry.model, entry.config).map((view) => {
      const spec = INDICATOR_SPECS[view.indicator];
      const track = entry.model.tracks[view.key]!;
      const prediction = spec.predicted ? predictTrack(track, spec, now, entry.config) : null;
      return { ...view, prediction, hours: hourCount(track.hours) };
    });
    const health = stationHealth(entry.model, entry.config);
    return {
      site: entry.site,
      station: entry.station,
      at: entry.model.lastAt,
      health: {
        score: health.station.score,
        driver: health.station.driver,
        pumps: Object.entries(health.pumps).map(([pump, h]) => ({
          pump: Number(pump),
          score: h.score,
          driver: h.driver,
        })),
      },
      indicators,
      // The 50 most recent by end: an episode still open ends now, so it is always among them.
      episodes: stationEpisodes(entry.model, now)
        .sort((a, b) => a.end - b.end)
        .slice(-50),
      curve: {
        status: entry.curve.status,
        evaluatedAt: entry.curve.evaluatedAt,
        explanations: entry.curve.explanations.slice(-20),
      },
    };
  });

  return router;
}
