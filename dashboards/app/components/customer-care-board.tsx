import { contracts } from '../../../core/api/index.ts';
import { useApp, useLive, useLoad } from '../context.ts';
import { ticketTitle } from '../i18n/fault-titles.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';

/** The service board's result feedback to give (due or overdue, soonest first). */
export function ResultFeedbackList() {
  const { api, t, locale } = useApp();
  const live = useLive();
  const list = useLoad(
    () => api.call(contracts.listResultFeedback, { query: { state: 'open' } }),
    [live.ticketVersion],
  );
  const tasks = list.data?.tasks ?? [];
  return (
    <section class="panel result-feedback" aria-labelledby="feedback-list-title">
      <h2 id="feedback-list-title">
        {t('feedback.list')} <span class="count num">{tasks.length}</span>
      </h2>
      {tasks.length === 0 ? <p class="muted">{t('feedback.none')}</p> : null}
      <ul class="history">
        {tasks.map((task) => (
          <li key={task.ticketId} data-ticket={task.ticketId} data-state={task.state}>
            <a href={routeHref({ page: 'ticket', id: task.ticketId })}>#{task.ticketId}</a>{' '}
            {ticketTitle(locale, { ...task, faultClass: null })} · {task.station} ·{' '}
            <span class="feedback-state" data-state={task.state}>
              {t(`feedback.state.${task.state}`)}
            </span>{' '}
            {task.dueAt !== null ? (
              <span class="num muted">
                {t('feedback.dueAt', { time: formatTime(task.dueAt, siteTimeZone(task.site), locale) })}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/** Satisfaction per customer (GET /api/reports/satisfaction): average, surveys, closed tickets, response rate. */
export function SatisfactionReport() {
  const { api, t } = useApp();
  const live = useLive();
  const report = useLoad(() => api.call(contracts.satisfactionReport), [live.ticketVersion]);
  const rows = report.data?.rows ?? [];
  return (
    <section class="panel satisfaction" aria-labelledby="satisfaction-title">
      <h2 id="satisfaction-title">{t('satisfaction.title')}</h2>
      {rows.length === 0 ? <p class="muted">{t('satisfaction.none')}</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('satisfaction.customer')}</th>
              <th>{t('satisfaction.average')}</th>
              <th>{t('satisfaction.surveys')}</th>
              <th>{t('satisfaction.closed')}</th>
              <th>{t('satisfaction.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.customer} data-customer={row.customer}>
                <td translate={false}>{row.name}</td>
                <td class="num">{row.average === null ? '—' : row.average.toFixed(2)}</td>
                <td class="num">{row.surveys}</td>
                <td class="num">{row.closed}</td>
                <td class="num">{percent(row.responseRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
