import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { ResultFeedbackList, SatisfactionReport } from '../components/customer-care-board.tsx';
import { NewTicketForm } from '../components/new-ticket-form.tsx';
import { SlaBadge } from '../components/sla-badge.tsx';
import { SlaReportPanel } from '../components/sla-report-panel.tsx';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import { subjectText, ticketTitle } from '../i18n/fault-titles.ts';
import { can } from '../lib/roles.ts';
import { routeHref } from '../lib/router.ts';
import { byUrgency } from '../lib/sla.ts';
import { WORKFLOW_STATES } from '../lib/workflow.ts';

/**
 * Tickets in a column per workflow state, most urgent first (breached, then the least time left on
 * the clock that runs now), with that clock and its time left; updates when any ticket changes. The
 * service team opens tickets for customers' calls and emails here.
 */
export function ServiceBoardPage() {
  const { t, api, locale, session } = useApp();
  const [creating, setCreating] = useState(false);
  const live = useLive();
  const now = useNow();
  const list = useLoad(
    () => api.call(contracts.listTickets, { query: { limit: 500 } }),
    [live.ticketVersion],
  );
  const tickets = list.data?.tickets ?? [];
  return (
    <section aria-labelledby="service-title">
      <header class="page-head">
        <h1 id="service-title">{t('service.title')}</h1>
        {can.createTickets(session.role) ? (
          <button
            type="button"
            aria-expanded={creating}
            aria-controls="new-ticket"
            onClick={() => setCreating(!creating)}
          >
            {t('newTicket.open')}
          </button>
        ) : null}
      </header>
      {creating ? (
        <NewTicketForm
          onCancel={() => setCreating(false)}
          onCreated={(ticket) => {
            setCreating(false);
            location.hash = routeHref({ page: 'ticket', id: ticket.id });
          }}
        />
      ) : null}
      {list.error ? <p class="error">{t('common.error', { error: list.error })}</p> : null}
      <div class="board">
        {WORKFLOW_STATES.map((state) => {
          const column = tickets.filter((ticket) => ticket.state === state).sort(byUrgency(now));
          return (
            <section key={state} class="board-column" data-state={state} aria-labelledby={`col-${state}`}>
              <h2 id={`col-${state}`}>
                {t(`wf.${state}`)} <span class="count num">{column.length}</span>
              </h2>
              {column.length === 0 ? <p class="muted">{t('service.empty')}</p> : null}
              {column.map((ticket) => {
                const title = ticketTitle(locale, ticket);
                return (
                  <a
                    key={ticket.id}
                    class="ticket-card"
                    data-ticket={ticket.id}
                    href={routeHref({ page: 'ticket', id: ticket.id })}
                    aria-label={t('service.openTicket', { id: ticket.id, title })}
                  >
                    <span class="ticket-head">
                      <span class="num">#{ticket.id}</span>
                      <span class="severity" data-severity={ticket.severity}>
                        {t(`severity.${ticket.severity}`)}
                      </span>
                    </span>
                    <span class="ticket-title">{title}</span>
                    {ticket.source === 'web' ? <span class="muted">{t('care.fromWeb')}</span> : null}
                    <span class="muted">
                      {ticket.station}
                      {subjectText(locale, ticket.subject) ? ` · ${subjectText(locale, ticket.subject)}` : ''}
                    </span>
                    <SlaBadge ticket={ticket} now={now} />
                  </a>
                );
              })}
            </section>
          );
        })}
      </div>
      {can.createTickets(session.role) ? <SlaReportPanel /> : null}
      <div class="ticket-grid">
        <ResultFeedbackList />
        <SatisfactionReport />
      </div>
    </section>
  );
}
