import type { z } from 'zod';
import { contracts } from '../../../core/api/index.ts';
import type { stationIndicatorsSchema } from '../../../core/api/predictive.ts';
import { useApp, useLoad, useNow } from '../context.ts';
import { CurveExplanations } from './curve-explanations.tsx';
import { HealthPanel } from './health-panel.tsx';
import { StationMaintenance } from './station-maintenance.tsx';

export type StationIndicators = z.infer<typeof stationIndicatorsSchema>;

const RELOAD_MS = 60_000;

/**
 * What the health models say of a station: its indicators loaded once a minute and shown as the
 * pump-curve explanations and the health panel, beside its maintenance.
 */
export function StationHealth({
  site,
  station,
  timeZone,
}: {
  site: string;
  station: string;
  timeZone: string;
}) {
  const { api } = useApp();
  const minute = Math.floor(useNow(RELOAD_MS) / RELOAD_MS);
  const indicators = useLoad(
    () => api.call(contracts.stationIndicators, { params: { id: station }, query: { site } }),
    [site, station, minute],
  );
  return (
    <>
      <CurveExplanations curve={indicators.data?.curve} timeZone={timeZone} />
      <div class="station-care">
        <HealthPanel site={site} station={station} indicators={indicators} timeZone={timeZone} />
        <StationMaintenance site={site} station={station} />
      </div>
    </>
  );
}
