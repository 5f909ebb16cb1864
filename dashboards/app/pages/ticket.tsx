import { contracts } from '../../../core/api/index.ts';
import { renderOr } from '../../../core/i18n/render.ts';
import { TicketQualityPanel } from '../components/quality/ticket-quality-panel.tsx';
import { ServiceRecordPanel } from '../components/service-record-panel.tsx';
import { SlaBadge } from '../components/sla-badge.tsx';
import { SlaPausePanel } from '../components/sla-pause-panel.tsx';
import { TicketCarePanel } from '../components/ticket-care-panel.tsx';
import { TransitionForm } from '../components/transition-form.tsx';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import { subjectText, ticketTitle } from '../i18n/fault-titles.ts';
import { formatDuration, formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { routeHref } from '../lib/router.ts';
import { arrivedAt, eventAction, ticketSteps } from '../lib/ticket-steps.ts';
import type { Ticket } from '../lib/types.ts';
import { nextActions, TICKET_ACTIONS } from '../lib/workflow.ts';

/** Where tickets come from: the manual sources of POST /api/tickets and the server's own openers. */
const SOURCES = [
  'phone',
  'email',
  'web',
  'visit',
  'alarm',
  'predictive',
  'plan',
  'follow_up',
  'flow',
] as const;
const isKnownSource = (source: string): source is (typeof SOURCES)[number] =>
  (SOURCES as readonly string[]).includes(source);

/** What the server writes on a timeline; a person's own entries are transitions with notes. */

/** Timeline entries that are not workflow actions. */
const TIMELINE_EVENTS = [
  'open',
  'occurrence',
  'transition',
  'reopen',
  'escalation',
  'survey',
  'evidence',
  'sla_pause',
  'sla_resume',
  'resolve_override',
  'web_request',
  'result_feedback',
  'quote',
  'quote_confirmed',
  'service_record',
] as const;

/** A ticket: facts, SLA clocks, equipment and warranty, the station's service history, timeline, next steps. */
export function TicketPage({ id }: { id: number }) {
  const { t, api, locale, session } = useApp();
  const live = useLive();
  const now = useNow();
  const loaded = useLoad(() => api.call(contracts.getTicket, { params: { id } }), [id, live.ticketVersion]);
  const ticket = loaded.data?.ticket;
  const history = useLoad(
    () =>
      ticket
        ? api.call(contracts.listTickets, { query: { station: ticket.station, limit: 50 } })
        : Promise.resolve({ tickets: [] as Ticket[] }),
    [ticket?.station, live.ticketVersion],
  );
  const causes = useLoad(
    () =>
      ticket?.resolution.rootCause
        ? api.get<{ rootCauses: { code: string; label: string }[] }>('/root-causes')
        : Promise.resolve({ rootCauses: [] }),
    [ticket?.resolution.rootCause],
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
  const timeline = [...(ticket.timeline ?? [])].sort((a, b) => a.at - b.at);
  const steps = ticketSteps(ticket.state, timeline);
  const arrived = arrivedAt(timeline);
  const actionText = (action: string) => {
    if ((TICKET_ACTIONS as readonly string[]).includes(action))
      return t(`action.${action as (typeof TICKET_ACTIONS)[number]}`);
    if ((TIMELINE_EVENTS as readonly string[]).includes(action))
      return t(`timeline.${action as (typeof TIMELINE_EVENTS)[number]}`);
    return action;
  };
  const worked =
    ticket.dispatch.technician !== null ||
    ticket.resolution.workDone !== null ||
    ticket.signOff.signerName !== null ||
    ticket.resolvedAt !== null;
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
      <ol class="wf-steps" aria-label={t('ticket.steps')}>
        {steps.map(({ state, step }) => (
          <li
            key={state}
            data-step={step}
            data-state={state}
            aria-current={step === 'current' ? 'step' : undefined}
          >
            <span class="wf-step-dot" aria-hidden="true" />
            <span class="wf-step-name">{t(`wf.${state}`)}</span>
            {step === 'done' ? <span class="visually-hidden"> ({t('ticket.stepDone')})</span> : null}
          </li>
        ))}
      </ol>
      {ticket.reopenCount > 0 ? <p class="muted">{t('ticket.reopened', { n: ticket.reopenCount })}</p> : null}
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
          {worked ? (
            <section class="ticket-work" aria-labelledby="ticket-work-title">
              <h2 id="ticket-work-title">{t('ticket.work')}</h2>
              <dl class="facts">
                <dt>{t('ticket.technician')}</dt>
                <dd data-field="technician">{ticket.dispatch.technician ?? '—'}</dd>
                <dt>{t('ticket.expectedArrival')}</dt>
                <dd class="num">{time(ticket.dispatch.expectedArrival)}</dd>
                <dt>{t('ticket.arrived')}</dt>
                <dd class="num" data-field="arrived">
                  {time(arrived)}
                </dd>
                <dt>{t('ticket.workDone')}</dt>
                <dd class="ticket-description" data-field="work-done">
                  {ticket.resolution.workDone ?? '—'}
                </dd>
                <dt>{t('ticket.parts')}</dt>
                <dd data-field="parts">
                  {ticket.resolution.partsUsed.length === 0
                    ? t('ticket.noParts')
                    : ticket.resolution.partsUsed.map((p) => `${p.part} × ${p.quantity}`).join(', ')}
                </dd>
                <dt>{t('ticket.rootCause')}</dt>
                <dd data-field="root-cause" data-code={ticket.resolution.rootCause ?? ''}>
                  {ticket.resolution.rootCause
                    ? renderOr(
                        locale,
                        `cause.${ticket.resolution.rootCause}`,
                        {},
                        causes.data?.rootCauses.find((c) => c.code === ticket.resolution.rootCause)?.label ??
                          ticket.resolution.rootCause,
                      )
                    : '—'}
                </dd>
                <dt>{t('ticket.resolvedAt')}</dt>
                <dd class="num">{time(ticket.resolvedAt)}</dd>
                <dt>{t('ticket.signerName')}</dt>
                <dd data-field="signer">{ticket.signOff.signerName ?? '—'}</dd>
                <dt>{t('ticket.signedAt')}</dt>
                <dd class="num">{time(ticket.signOff.signedAt)}</dd>
                <dt>{t('ticket.closedAt')}</dt>
                <dd class="num">{time(ticket.closedAt)}</dd>
              </dl>
            </section>
          ) : null}
          <h2>{t('ticket.slaClocks')}</h2>
          <table class="clocks">
            <thead>
              <tr>
                <th scope="col">{t('sla.col.clock')}</th>
                <th scope="col">{t('sla.col.state')}</th>
                <th scope="col">{t('sla.deadline')}</th>
                <th scope="col">{t('sla.timeLeft')}</th>
              </tr>
            </thead>
            <tbody>
              {(ticket.sla?.clocks ?? []).map((clock) => {
                const runsNow = ticket.sla?.current?.clock === clock.clock;
                const left =
                  clock.state === 'paused' && runsNow
                    ? (ticket.sla?.current?.remainingMs ?? null)
                    : clock.deadline !== null && clock.metAt === null && clock.state !== 'n_a'
                      ? clock.deadline - now
                      : null;
                return (
                  <tr
                    key={clock.clock}
                    data-clock={clock.clock}
                    data-state={clock.state}
                    data-current={runsNow ? 'yes' : undefined}
                  >
                    <th scope="row">
                      {t(`clock.${clock.clock}`)}
                      {runsNow ? <span class="sla-now"> · {t('sla.runsNow')}</span> : null}
                    </th>
                    <td>{t(`clockState.${clock.state}`)}</td>
                    <td class="num">{time(clock.deadline)}</td>
                    <td class="num">
                      {left === null ? '' : (left >= 0 ? '' : '-') + formatDuration(Math.abs(left), locale)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <SlaPausePanel ticket={ticket} zone={zone} mayAct={mayAct} onDone={() => loaded.reload()} />
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
          <h2>
            {t('ticket.timeline')} <span class="muted small-text">({t('ticket.historyOrder')})</span>
          </h2>
          <ol class="timeline">
            {timeline.map((event, i) => (
              <li key={i} data-action={eventAction(event)} data-at={event.at}>
                <span class="num muted">{time(event.at)}</span>{' '}
                <strong>{event.actor === 'system' ? t('timeline.system') : event.actor}</strong>{' '}
                {actionText(eventAction(event))}
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
        <ServiceRecordPanel ticket={ticket} />
        <TicketCarePanel ticket={ticket} />
        <TicketQualityPanel ticket={ticket} />
      </div>
    </section>
  );
}
