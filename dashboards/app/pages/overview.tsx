import { useEffect } from 'preact/hooks';
import { StationTile } from '../components/station-tile.tsx';
import { useApp, useLive, useNow } from '../context.ts';
import { activeAlarmsOf } from '../lib/station-status.ts';

/** A tile per station, updating live. */
export function OverviewPage() {
  const { t, live: liveClient } = useApp();
  const live = useLive();
  // Sites and stations added since the connection opened (onboarding) show when the overview opens.
  useEffect(() => {
    void liveClient.refreshSites();
  }, [liveClient]);
  const now = useNow();
  const stations = [...live.stations.values()].sort((a, b) => a.station.localeCompare(b.station));
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('overview.title')}</h1>
      {stations.length === 0 ? <p>{t('overview.noStations')}</p> : null}
      <div class="tiles">
        {stations.map((view) => (
          <StationTile
            key={view.station}
            view={view}
            alarms={activeAlarmsOf(live.activeAlarms, view.station, live.shelves, now)}
            shelved={
              activeAlarmsOf(live.activeAlarms, view.station).length -
              activeAlarmsOf(live.activeAlarms, view.station, live.shelves, now).length
            }
            now={now}
          />
        ))}
      </div>
    </section>
  );
}
