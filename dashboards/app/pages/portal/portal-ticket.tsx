import { useEffect, useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { renderOr } from '../../../../core/i18n/render.ts';
import { useApp, useLive, useLoad } from '../../context.ts';
import { ticketTitle } from '../../i18n/fault-titles.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { formatTime, siteTimeZone } from '../../lib/format.ts';
import { eventAction } from '../../lib/ticket-steps.ts';
import type { Ticket } from '../../lib/types.ts';
import { TICKET_ACTIONS } from '../../lib/workflow.ts';
import { photoUrl } from './photo-upload.ts';
import { portalHref } from './portal-route.ts';
import { QuoteConfirm } from './quote-confirm.tsx';
import { SurveyForm } from './survey-form.tsx';

/** Timeline entries of the service team's own (escalations, prediction evidence) stay off the portal. */
const HIDDEN = new Set(['escalation', 'evidence']);
const EVENTS = [
  'open',
  'web_request',
  'survey',
  'result_feedback',
  'occurrence',
  'reopen',
  'quote',
  'quote_confirmed',
  'service_record',
] as const;

/** One request as the customer follows it: state, technician and arrival, timeline, photos, survey. */
export function PortalTicket({ id }: { id: number }) {
  const { api, t, locale } = useApp();
  const live = useLive();
  const loaded = useLoad(() => api.call(contracts.getTicket, { params: { id } }), [id, live.ticketVersion]);
  const care = useLoad(() => api.call(contracts.ticketCare, { params: { id } }), [id, live.ticketVersion]);
  if (loaded.error) return <p class="error">{loaded.error}</p>;
  const ticket = loaded.data?.ticket;
  if (!ticket) return <p class="muted">{t('portal.loading')}</p>;
  const zone = siteTimeZone(ticket.site);
  const time = (ms: number) => formatTime(ms, zone, locale);
  const label = (action: string) => {
    if ((TICKET_ACTIONS as readonly string[]).includes(action))
      return t(`action.${action as (typeof TICKET_ACTIONS)[number]}`);
    if ((EVENTS as readonly string[]).includes(action)) return t(`portal.event.${action}` as MessageKey);
    return action;
  };
  const timeline = [...(ticket.timeline ?? [])]
    .filter((event) => !HIDDEN.has(event.action))
    .sort((a, b) => a.at - b.at);
  return (
    <article class="portal-ticket-page" data-ticket={ticket.id} data-state={ticket.state}>
      <a class="back" href={portalHref({ page: 'home' })}>
        ‹ {t('portal.back')}
      </a>
      <h1>
        {t('portal.ticket', { id: ticket.id })} · {ticketTitle(locale, ticket)}
      </h1>
      <p class="portal-status">
        <span class="wf-state" data-state={ticket.state}>
          {t(`wf.${ticket.state}`)}
        </span>{' '}
        {t(`portal.stateNote.${ticket.state}`)}
      </p>
      {care.data?.surveyOpen ? (
        <SurveyForm ticket={ticket.id} onDone={() => care.reload()} />
      ) : care.data?.survey ? (
        <p class="portal-thanks" role="status">
          {t('portal.survey.thanks', { score: care.data.survey.score })}
        </p>
      ) : null}
      <QuoteConfirm ticket={ticket.id} zone={zone} onConfirmed={() => loaded.reload()} />
      <Dispatch ticket={ticket} time={time} />
      <dl class="portal-facts">
        <dt>{t('portal.station')}</dt>
        <dd>{ticket.station}</dd>
        <dt>{t('portal.filedAt')}</dt>
        <dd>{time(ticket.createdAt)}</dd>
        <dt>{t('portal.reportedBy')}</dt>
        <dd translate={false}>{ticket.reportedBy === 'system' ? t('timeline.system') : ticket.reportedBy}</dd>
      </dl>
      {ticket.description && ticket.source === 'web' ? (
        <p class="portal-description" translate={false}>
          {ticket.description}
        </p>
      ) : null}
      {care.data && care.data.photos.length > 0 ? (
        <>
          <h2>{t('portal.photos')}</h2>
          <Photos ticket={ticket.id} photos={care.data.photos.map((p) => p.id)} />
        </>
      ) : null}
      <h2>{t('portal.progress')}</h2>
      <ol class="portal-timeline">
        {timeline.map((event, i) => {
          const action = eventAction(event);
          return (
            <li key={i} data-action={action}>
              <span class="num muted small-text">{time(event.at)}</span>
              <span>
                {label(action)}
                {event.to && action !== 'open' ? ` → ${t(`wf.${event.to as Ticket['state']}`)}` : ''}
              </span>
              {event.code ? (
                <span class="muted small-text">{renderOr(locale, event.code, event.params, event.note)}</span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </article>
  );
}

function Dispatch({ ticket, time }: { ticket: Ticket; time: (ms: number) => string }) {
  const { t } = useApp();
  if (ticket.state === 'closed' || ticket.state === 'signed_off') return null;
  if (!ticket.dispatch.technician) return <p class="portal-dispatch muted">{t('portal.notDispatched')}</p>;
  return (
    <dl class="portal-dispatch">
      <dt>{t('portal.technician')}</dt>
      <dd translate={false}>{ticket.dispatch.technician}</dd>
      {ticket.dispatch.expectedArrival !== null ? (
        <>
          <dt>{t('portal.eta')}</dt>
          <dd class="num">{time(ticket.dispatch.expectedArrival)}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** A ticket's photos, fetched with the session's token. */
export function Photos({ ticket, photos }: { ticket: number; photos: readonly number[] }) {
  const { session, t } = useApp();
  const [urls, setUrls] = useState<Record<number, string>>({});
  useEffect(() => {
    let current = true;
    for (const photo of photos)
      void photoUrl(session.token, ticket, photo)
        .then((url) => {
          if (current) setUrls((held) => ({ ...held, [photo]: url }));
        })
        .catch(() => {});
    return () => {
      current = false;
    };
  }, [ticket, photos.join(',')]);
  return (
    <ul class="portal-photos">
      {photos.map((photo, i) =>
        urls[photo] ? (
          <li key={photo} data-photo={photo}>
            <img src={urls[photo]} alt={t('care.photo', { n: i + 1, id: ticket })} />
          </li>
        ) : (
          <li key={photo} data-photo={photo} class="muted">
            …
          </li>
        ),
      )}
    </ul>
  );
}
