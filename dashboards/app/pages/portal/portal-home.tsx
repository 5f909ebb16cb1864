import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLive, useLoad, useNow } from '../../context.ts';
import { ticketTitle } from '../../i18n/fault-titles.ts';
import { formatDuration, formatNumber, formatTime, siteTimeZone } from '../../lib/format.ts';
import { activeAlarmsOf, numberOf, pumpStatuses, tileState } from '../../lib/station-status.ts';
import type { StationView, Ticket } from '../../lib/types.ts';
import { portalHref } from './portal-route.ts';

type PortalState = 'running' | 'fault' | 'warning' | 'offline';

/** What a customer reads of a station: running, fault (a pump faulted or an alarm), attention, or no data. */
function portalState(view: StationView | undefined, tile: ReturnType<typeof tileState>): PortalState {
  if (tile === 'offline' || !view) return 'offline';
  if (tile === 'alarm' || pumpStatuses(view).some((pump) => pump.state === 'fault')) return 'fault';
  return tile === 'warning' ? 'warning' : 'running';
}

/** The portal's home: the customer's stations live, surveys waiting, open and finished requests. */
export function PortalHome() {
  const { api, t, locale } = useApp();
  const live = useLive();
  const now = useNow(5000);
  const home = useLoad(() => api.call(contracts.portalHome), [live.ticketVersion]);
  const tickets = useLoad(
    () => api.call(contracts.listTickets, { query: { limit: 200 } }),
    [live.ticketVersion],
  );
  if (!home.data) return <p class="muted">{home.error ?? t('portal.loading')}</p>;
  const all = tickets.data?.tickets ?? [];
  const open = all.filter((ticket) => ticket.state !== 'closed');
  const closed = all.filter((ticket) => ticket.state === 'closed').slice(0, 10);
  return (
    <div class="portal-home">
      {home.data.customer ? (
        <p class="portal-hello" translate={false}>
          {t('portal.hello', { name: home.data.customer.name })}
        </p>
      ) : null}
      {home.data.awaitingSurvey.map((id) => (
        <a key={id} class="portal-survey-call" href={portalHref({ page: 'ticket', id })} data-ticket={id}>
          <span>{t('portal.surveyWaiting', { id })}</span>
          <strong>{t('portal.rateNow')} ›</strong>
        </a>
      ))}
      <h2>{t('portal.stations')}</h2>
      {home.data.stations.length === 0 ? <p class="muted">{t('portal.noStations')}</p> : null}
      <ul class="portal-stations">
        {home.data.stations.map((station) => {
          const view = live.stations.get(station.id);
          const alarms = activeAlarmsOf(live.activeAlarms, station.id, live.shelves, now);
          const state = portalState(view, tileState(view, alarms, now));
          const pumps = view ? pumpStatuses(view) : [];
          const running = pumps.filter((pump) => pump.state === 'running').length;
          return (
            <li
              key={`${station.site}/${station.id}`}
              class="portal-station"
              data-station={station.id}
              data-state={state}
            >
              <div class="portal-station-head">
                <strong translate={false}>{station.name}</strong>
                <span class="portal-state" data-state={state}>
                  {t(`portal.state.${state}`)}
                </span>
              </div>
              <div class="muted small-text" translate={false}>
                {station.siteName} · {station.id}
              </div>
              <div class="portal-station-facts">
                <span>
                  {t('portal.pressure')}{' '}
                  <strong class="num">{formatNumber(numberOf(view, 'pressure.outlet'), 2)}</strong>
                </span>
                {pumps.length > 0 ? (
                  <span>{t('portal.pumpsRunning', { running, total: pumps.length })}</span>
                ) : null}
              </div>
              {pumps
                .filter((pump) => pump.state === 'fault')
                .map((pump) => (
                  <p key={pump.pump} class="portal-fault">
                    {t('portal.pumpFault', { n: pump.pump })}
                  </p>
                ))}
              <div class="portal-station-foot">
                <span class="muted small-text">
                  {view
                    ? t('portal.updated', { age: formatDuration(Math.max(0, now - view.ts), locale) })
                    : ''}
                </span>
                <a href={portalHref({ page: 'request', station: station.id })}>{t('portal.nav.request')} ›</a>
              </div>
            </li>
          );
        })}
      </ul>
      <h2>{t('portal.openTickets')}</h2>
      {open.length === 0 ? <p class="muted">{t('portal.noOpen')}</p> : null}
      <ul class="portal-tickets">
        {open.map((ticket) => (
          <TicketRow key={ticket.id} ticket={ticket} />
        ))}
      </ul>
      {closed.length > 0 ? (
        <>
          <h2>{t('portal.closedTickets')}</h2>
          <ul class="portal-tickets">
            {closed.map((ticket) => (
              <TicketRow key={ticket.id} ticket={ticket} />
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function TicketRow({ ticket }: { ticket: Ticket }) {
  const { t, locale } = useApp();
  const zone = siteTimeZone(ticket.site);
  return (
    <li class="portal-ticket" data-ticket={ticket.id} data-state={ticket.state}>
      <a href={portalHref({ page: 'ticket', id: ticket.id })}>
        <div class="portal-station-head">
          <strong>
            #{ticket.id} {ticketTitle(locale, ticket)}
          </strong>
          <span class="wf-state" data-state={ticket.state}>
            {t(`wf.${ticket.state}`)}
          </span>
        </div>
        <div class="muted small-text">
          {ticket.station} · {formatTime(ticket.createdAt, zone, locale)}
        </div>
        {ticket.dispatch.technician && ticket.state !== 'closed' ? (
          <div class="small-text">
            {t('portal.technician')}: {ticket.dispatch.technician}
            {ticket.dispatch.expectedArrival !== null
              ? ` · ${t('portal.eta')} ${formatTime(ticket.dispatch.expectedArrival, zone, locale)}`
              : ''}
          </div>
        ) : null}
      </a>
    </li>
  );
}
