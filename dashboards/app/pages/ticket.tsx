import { renderOr } from '../../../core/i18n/render.ts';
import { SlaBadge } from '../components/sla-badge.tsx';
import { TransitionForm } from '../components/transition-form.tsx';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import { subjectText, ticketTitle } from '../i18n/fault-titles.ts';
import { formatDuration, formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { routeHref } from '../lib/router.ts';
import type { Ticket } from '../lib/types.ts';
import { nextActions } from '../lib/workflow.ts';

/** Where tickets come from: the manual sources of POST /api/tickets and the server's own openers. */
const SOURCES = ['phone', 'email', 'web', 'visit', 'alarm', 'predictive', 'plan', 'follow_up'] as const;
const isKnownSource = (source: string): source is (typeof SOURCES)[number] =>
  (SOURCES as readonly string[]).includes(source);

/** What the server writes on a timeline; a person's own entries are transitions with notes. */
const EVENT_ACTIONS = [
  'open',
  'occurrence',
  'transition',
  'reopen',
  'escalation',
  'survey',
  'evidence',
] as const;
const isKnownEvent = (action: string): action is (typeof EVENT_ACTIONS)[number] =>
  (EVENT_ACTIONS as readonly string[]).includes(action);

/** A ticket: facts, SLA clocks, equipment and warranty, the station's service history, timeline, next steps. */
export function TicketPage({ id }: { id: number }) {
  const { t, api, locale, session } = useApp();
  const live = useLive();
  const now = useNow();
  const loaded = useLoad(() => api.get<{ ticket: Ticket }>(`/tickets/${id}`), [id, live.ticketVersion]);
  const ticket = loaded.data?.ticket;
  const history = useLoad(
    () =>
      ticket
        ? api.get<{ tickets: Ticket[] }>(`/tickets?station=${encodeURIComponent(ticket.station)}&limit=50`)
        : Promise.resolve({ tickets: [] as Ticket[] }),
    [ticket?.station, live.ticketVersion],
  );
  if (loaded.error) return <p class="error">{t('common.error', { error: loaded.error })}</p>;
  if (!ticket) return <p>{t('common.loading')}</p>;
  const zone = siteTimeZone(ticket.site);
  const time = (ms: number | null) => (ms === null ? '—' : formatTime(ms, zone, locale));
  const title = ticketTitle(locale, ticket);
  const subject = subjectText(locale, ticket.subject);
  const description = renderOr(locale, ticket.descriptionCode, ticket.descriptionParams, ticket.description);
  const actions = nextActions(ticket.state, ticket.triage.mode);
  const mayAct = can.transitionTickets(session.role);
  const others = (history.data?.tickets ?? []).filter((other) => other.id !== ticket.id);
  const warranty =
    ticket.equipment.inWarranty === null
      ? '—'
      : ticket.equipment.inWarranty
        ? t('ticket.inWarranty')
        : t('ticket.outOfWarranty');

  return (
    <section class="ticket" aria-labelledby="ticket-title" data-state={ticket.state}>
      <header class="page-head">
        <a href={routeHref({ page: 'service' })} class="back">
          ← {t('ticket.back')}
        </a>
        <h1 id="ticket-title">
          {t('ticket.title', { id: ticket.id })} · {title}
        </h1>
        <span class="wf-state" data-state={ticket.state}>
          {t(`wf.${ticket.state}`)}
        </span>
        <SlaBadge ticket={ticket} now={now} />
      </header>
      <div class="ticket-grid">
        <section class="panel">
          <dl class="facts">
            <dt>{t('ticket.station')}</dt>
            <dd>
              <a href={routeHref({ page: 'station', station: ticket.station })}>{ticket.station}</a>
              {subject ? ` · ${subject}` : ''}
            </dd>
            <dt>{t('ticket.severity')}</dt>
            <dd>
              <span class="severity" data-severity={ticket.severity}>
                {t(`severity.${ticket.severity}`)}
              </span>
            </dd>
            <dt>{t('ticket.source')}</dt>
            <dd data-source={ticket.source}>
              {isKnownSource(ticket.source) ? t(`source.${ticket.source}`) : ticket.source}
            </dd>
            <dt>{t('ticket.reportedBy')}</dt>
            <dd>{ticket.reportedBy === 'system' ? t('timeline.system') : ticket.reportedBy}</dd>
            {ticket.description ? (
              <>
                <dt>{t('ticket.description')}</dt>
                <dd class="ticket-description">{description}</dd>
              </>
            ) : null}
            <dt>{t('ticket.occurrences')}</dt>
            <dd class="num">{ticket.occurrences}</dd>
            <dt>{t('ticket.created')}</dt>
            <dd class="num">{time(ticket.createdAt)}</dd>
          </dl>
          <h2>{t('ticket.slaClocks')}</h2>
          <table class="clocks">
            <tbody>
              {(ticket.sla?.clocks ?? []).map((clock) => (
                <tr key={clock.clock} data-clock={clock.clock} data-state={clock.state}>
                  <th scope="row">{t(`clock.${clock.clock}`)}</th>
                  <td>{t(`clockState.${clock.state}`)}</td>
                  <td class="num">{time(clock.deadline)}</td>
                  <td class="num">
                    {clock.deadline !== null && clock.metAt === null && clock.state !== 'n_a'
                      ? (clock.deadline >= now ? '' : '-') +
                        formatDuration(Math.abs(clock.deadline - now), locale)
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('ticket.equipment')}</h2>
          <dl class="facts">
            <dt>{t('ticket.model')}</dt>
            <dd>{ticket.equipment.model ?? '—'}</dd>
            <dt>{t('ticket.serial')}</dt>
            <dd class="num">{ticket.equipment.serial ?? '—'}</dd>
            <dt>{t('ticket.warranty')}</dt>
            <dd class="num">
              {ticket.equipment.warrantyEnd ?? '—'} <span class="warranty">({warranty})</span>
            </dd>
          </dl>
        </section>
        <section class="panel">
          <h2>{t('ticket.actions')}</h2>
          {!mayAct ? <p class="muted">{t('ticket.readOnly')}</p> : null}
          {mayAct && actions.length === 0 ? <p class="muted">{t('ticket.noActions')}</p> : null}
          {mayAct
            ? actions.map((action) => (
                <TransitionForm
                  key={`${ticket.state}-${action}`}
                  ticket={ticket}
                  action={action}
                  onDone={() => loaded.reload()}
                />
              ))
            : null}
        </section>
        <section class="panel">
          <h2>{t('ticket.timeline')}</h2>
          <ol class="timeline">
            {(ticket.timeline ?? []).map((event, i) => (
              <li key={i} data-action={event.action}>
                <span class="num muted">{time(event.at)}</span>{' '}
                <strong>{event.actor === 'system' ? t('timeline.system') : event.actor}</strong>{' '}
                {isKnownEvent(event.action) ? t(`timeline.${event.action}`) : event.action}
                {event.to ? ` → ${t(`wf.${event.to as Ticket['state']}`)}` : ''}
                {event.note ? (
                  <span class="muted"> · {renderOr(locale, event.code, event.params, event.note)}</span>
                ) : null}
              </li>
            ))}
          </ol>
          <h2>{t('ticket.history')}</h2>
          <ul class="history">
            {others.map((other) => (
              <li key={other.id}>
                <a href={routeHref({ page: 'ticket', id: other.id })}>#{other.id}</a>{' '}
                {ticketTitle(locale, other)} · {t(`wf.${other.state}`)} ·{' '}
                <span class="num muted">{time(other.createdAt)}</span>
              </li>
            ))}
            {others.length === 0 ? <li class="muted">{t('service.empty')}</li> : null}
          </ul>
        </section>
      </div>
    </section>
  );
}
