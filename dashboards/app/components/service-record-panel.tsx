import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import { downloadFile } from '../lib/fetch-file.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { routeHref } from '../lib/router.ts';
import { serviceSteps } from '../lib/service-steps.ts';
import type { Ticket } from '../lib/types.ts';
import { ChargeTable } from './charge-table.tsx';
import '../pages/service-record.css';

/** On the ticket page: the service history as steps, the service record with its charge and PDF. */
export function ServiceRecordPanel({ ticket }: { ticket: Ticket }) {
  const { t, api, locale, session } = useApp();
  const record = useLoad(
    () => api.call(contracts.getServiceRecord, { params: { id: ticket.id } }),
    [ticket.id, ticket.updatedAt],
  );
  const zone = siteTimeZone(ticket.site);
  const steps = serviceSteps(ticket.createdAt, ticket.timeline ?? []);
  const current = record.data?.record;
  const mayFill = can.transitionTickets(session.role) && ticket.state === 'on_site' && !current;
  return (
    <section class="panel service-record-panel" aria-labelledby="record-panel-title">
      <h2 id="record-panel-title">{t('record.steps')}</h2>
      <ol class="service-steps">
        {steps.map(({ step, at, actor }) => (
          <li key={step} data-step={step} data-done={at === null ? 'no' : 'yes'}>
            <span class="wf-step-dot" aria-hidden="true" />
            <span class="service-step-name">{t(`record.step.${step}`)}</span>
            {at !== null ? (
              <span class="num muted small-text">
                {' '}
                {formatTime(at, zone, locale)}
                {actor && actor !== 'system' ? ` · ${actor}` : ''}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <h2>{t('record.panel')}</h2>
      {mayFill ? (
        <a
          class="button"
          href={routeHref({ page: 'service-record', id: ticket.id })}
          data-testid="open-record"
        >
          {t('record.open')}
        </a>
      ) : null}
      {current ? (
        <div data-record={ticket.id}>
          <ChargeTable charge={current.charge} />
          <p>
            {t('record.signer')}: {current.signerName} · {formatTime(current.signedAt, zone, locale)}
          </p>
          <button
            type="button"
            onClick={() =>
              void downloadFile(
                session.token,
                `/tickets/${ticket.id}/service-record.pdf`,
                `service-record-${ticket.id}.pdf`,
                locale,
              )
            }
          >
            {t('record.pdf')}
          </button>
        </div>
      ) : mayFill ? null : (
        <p class="muted">{t('record.none')}</p>
      )}
    </section>
  );
}
