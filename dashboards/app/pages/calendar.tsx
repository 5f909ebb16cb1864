import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { MaintenanceAgenda, RunHourPlans } from '../components/maintenance-agenda.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useApp, useLive, useLoad } from '../context.ts';
import { calendarEntries, runHourEntries, withPlanNames } from '../lib/calendar.ts';

const DAY = 86_400_000;
const HORIZONS = [3, 6, 12, 24] as const;
const OVERDUE_DAYS = 60;

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The maintenance calendar: follow-up visits and preventive plans of every station, by month. */
export function CalendarPage() {
  const { t, api, locale } = useApp();
  const live = useLive();
  const [months, setMonths] = useState<number>(12);
  const [station, setStation] = useState('');
  // Recent weeks too: work past its date that is not done stands out as overdue.
  const from = dayText(Date.now() - OVERDUE_DAYS * DAY);
  const to = dayText(Date.now() + months * 30.5 * DAY);
  const answer = useLoad(
    () => api.call(contracts.maintenanceCalendar, { query: { from, to } }),
    [from, to, live.ticketVersion],
  );
  const calendar = answer.data ? withPlanNames(answer.data, locale) : undefined;
  const stations = calendar ? [...new Set(calendar.stations.map((s) => s.station))].sort() : [];
  const chosen = station === '' ? undefined : station;
  return (
    <section aria-labelledby="calendar-title">
      <header class="page-head">
        <h1 id="calendar-title">{t('calendar.title')}</h1>
      </header>
      <div class="filters">
        <SelectField
          id="calendar-horizon"
          label={t('calendar.horizon')}
          value={String(months)}
          choices={HORIZONS.map((n) => ({ value: String(n), label: t('calendar.months', { n }) }))}
          onChange={(value) => setMonths(Number(value))}
        />
        <SelectField
          id="calendar-station"
          label={t('calendar.station')}
          value={station}
          choices={[
            { value: '', label: t('calendar.allStations') },
            ...stations.map((s) => ({ value: s, label: s })),
          ]}
          onChange={setStation}
        />
      </div>
      {answer.error ? <p class="error">{t('common.error', { error: answer.error })}</p> : null}
      {calendar ? (
        <>
          <MaintenanceAgenda entries={calendarEntries(calendar, chosen)} showStation />
          <RunHourPlans entries={runHourEntries(calendar, chosen)} showStation />
        </>
      ) : (
        <p class="muted">{t('health.loading')}</p>
      )}
    </section>
  );
}
