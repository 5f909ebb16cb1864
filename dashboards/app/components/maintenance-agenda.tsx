import { useApp } from '../context.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { byMonth, type CalendarEntry, type RunHourEntry } from '../lib/calendar.ts';
import { formatNumber } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';

function TicketCell({ ticketId, state }: { ticketId: number | null; state: string | null }) {
  const { t } = useApp();
  if (ticketId === null) return <span class="muted">{t('calendar.notTicketed')}</span>;
  return (
    <a href={routeHref({ page: 'ticket', id: ticketId })}>
      #{ticketId} · {state ? t(`wf.${state}` as MessageKey) : ''}
    </a>
  );
}

const DONE = new Set(['resolved', 'signed_off', 'closed']);

/**
 * Dated visits by month: follow-up visits and calendar plans, each with its ticket once opened; a
 * visit past its date whose work is not done is marked overdue.
 */
export function MaintenanceAgenda({
  entries,
  showStation,
}: {
  entries: CalendarEntry[];
  showStation: boolean;
}) {
  const { t } = useApp();
  const today = new Date().toISOString().slice(0, 10);
  if (entries.length === 0) return <p class="muted">{t('calendar.empty')}</p>;
  return (
    <div class="agenda">
      {byMonth(entries).map(({ month, entries: list }) => (
        <section key={month} class="agenda-month" aria-label={month}>
          <h3 class="num">{month}</h3>
          <ul>
            {list.map((entry) => (
              <li
                key={`${entry.site}/${entry.station}/${entry.kind}/${entry.due}/${entry.plan ?? entry.months}`}
                data-kind={entry.kind}
                data-overdue={entry.due < today && !DONE.has(entry.state ?? '') ? 'true' : undefined}
              >
                <span class="num nowrap">{entry.due}</span>
                {showStation ? (
                  <a href={routeHref({ page: 'station', station: entry.station })}>{entry.station}</a>
                ) : null}
                <span>
                  {entry.kind === 'follow_up'
                    ? entry.months === 0
                      ? t('acceptance.firstVisit')
                      : t('calendar.followUp', { months: entry.months ?? 0 })
                    : t('calendar.preventive', { plan: entry.plan ?? '' })}
                </span>
                <TicketCell ticketId={entry.ticketId} state={entry.state} />
                {entry.due < today && !DONE.has(entry.state ?? '') ? (
                  <span class="overdue">{t('calendar.overdue')}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** Run-hour plans per pump: run hours now against the count the work is due at. */
export function RunHourPlans({ entries, showStation }: { entries: RunHourEntry[]; showStation: boolean }) {
  const { t } = useApp();
  if (entries.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="run-hour-plans">
        <caption>{t('calendar.byRunHours')}</caption>
        <thead>
          <tr>
            {showStation ? <th scope="col">{t('calendar.station')}</th> : null}
            <th scope="col">{t('calendar.pump')}</th>
            <th scope="col">{t('calendar.plan')}</th>
            <th scope="col">{t('calendar.runHours')}</th>
            <th scope="col">{t('calendar.ticket')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.site}/${entry.station}/${entry.pump}/${entry.plan}`}>
              {showStation ? <td>{entry.station}</td> : null}
              <td>{t('pump.label', { n: entry.pump })}</td>
              <td>{entry.plan}</td>
              <td class="num nowrap">
                {t('calendar.runHoursOf', {
                  now: formatNumber(entry.runHours, 0),
                  due: formatNumber(entry.dueAtRunHours, 0),
                })}
              </td>
              <td>
                <TicketCell ticketId={entry.ticketId} state={entry.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
