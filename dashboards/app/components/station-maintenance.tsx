import { contracts } from '../../../core/api/index.ts';
import { useApp, useLive, useLoad } from '../context.ts';
import { calendarEntries, runHourEntries, withPlanNames } from '../lib/calendar.ts';
import { MaintenanceAgenda, RunHourPlans } from './maintenance-agenda.tsx';

const YEAR = 366 * 86_400_000;

/** A station's maintenance for the coming year: follow-up visits, calendar and run-hour plans. */
export function StationMaintenance({ site, station }: { site: string; station: string }) {
  const { t, api, locale } = useApp();
  const live = useLive();
  // Recent weeks too: work past its date that is not done stands out as overdue.
  const from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + YEAR).toISOString().slice(0, 10);
  const answer = useLoad(
    () => api.call(contracts.maintenanceCalendar, { query: { site, from, to } }),
    [site, from, live.ticketVersion],
  );
  return (
    <section class="station-maintenance" aria-labelledby="station-maintenance-title">
      <h2 id="station-maintenance-title">{t('calendar.stationTitle')}</h2>
      {answer.data ? (
        <>
          <MaintenanceAgenda
            entries={calendarEntries(withPlanNames(answer.data, locale), station)}
            showStation={false}
          />
          <RunHourPlans
            entries={runHourEntries(withPlanNames(answer.data, locale), station)}
            showStation={false}
          />
        </>
      ) : (
        <p class="muted">{answer.error ?? t('health.loading')}</p>
      )}
    </section>
  );
}
