import type { PumpRow, SiteRow, StationRow } from '../db/schema.ts';
import { dateMs, type ExposedPump } from './exposure.ts';

/** The fleet's pumps with the dates that bound their service (install, else sale, else acceptance). */
export function exposedPumps(
  stations: readonly (StationRow & { pumps: PumpRow[] })[],
  sites: readonly SiteRow[],
): ExposedPump[] {
  const customerOf = new Map(sites.map((site) => [site.id, site.customer_id]));
  return stations.flatMap((station) =>
    station.pumps.map((pump) => ({
      site: station.site_id,
      station: station.id,
      customer: customerOf.get(station.site_id) ?? '',
      model: pump.model || station.model || 'unknown',
      inServiceFrom:
        dateMs(pump.install_date) ??
        dateMs(pump.sale_date) ??
        dateMs(pump.acceptance_date) ??
        dateMs(station.acceptance_date),
      retiredAt: pump.retired_at ?? station.retired_at ?? null,
    })),
  );
}
