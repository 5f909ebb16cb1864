import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import { formatTime, siteTimeZone } from '../../lib/format.ts';
import { routeHref } from '../../lib/router.ts';
import type { Ticket } from '../../lib/types.ts';
import { CaseList } from './case-list.tsx';

/** A ticket's quality analysis, its quality actions and similar past cases from the case library. */
export function TicketQualityPanel({ ticket }: { ticket: Ticket }) {
  const { t, api, locale, session } = useApp();
  const staff = session.role !== 'customer';
  const quality = useLoad(
    () =>
      staff
        ? api.call(contracts.getTicketQuality, { params: { id: ticket.id } })
        : Promise.resolve({ record: null, actions: [] }),
    [ticket.id, ticket.state],
  );
  const similar = useLoad(
    () =>
      staff
        ? api.call(contracts.similarCases, { params: { id: ticket.id }, query: { limit: 5 } })
        : Promise.resolve({ cases: [] }),
    [ticket.id],
  );
  if (!staff) return null;
  const record = quality.data?.record;
  const zone = siteTimeZone(ticket.site);
  return (
    <section class="panel ticket-quality" aria-labelledby="ticket-quality-title">
      <h2 id="ticket-quality-title">{t('quality.record')}</h2>
      {record ? (
        <dl class="facts">
          <dt>{t('quality.responsibility')}</dt>
          <dd data-field="responsibility">{t(`quality.responsibility.${record.responsibility}`)}</dd>
          <dt>{t('quality.corrective')}</dt>
          <dd class="ticket-description" data-field="corrective">
            {record.correctiveAction}
          </dd>
          <dt>{t('quality.preventive')}</dt>
          <dd class="ticket-description" data-field="preventive">
            {record.preventiveAction}
          </dd>
        </dl>
      ) : (
        <p class="muted">{t('quality.recordMissing')}</p>
      )}
      {(quality.data?.actions ?? []).length > 0 ? (
        <>
          <h3>{t('quality.ticketActions')}</h3>
          <ul class="history">
            {(quality.data?.actions ?? []).map((action) => (
              <li key={action.id} data-overdue={action.overdue}>
                <a href={routeHref({ page: 'quality', action: action.id })}>
                  {t('quality.detail', { id: action.id })}
                </a>{' '}
                · {t(`quality.status.${action.status}`)} · {action.owner} ·{' '}
                <span class="num">{formatTime(action.dueAt, zone, locale)}</span>
                {action.overdue ? <span class="overdue-flag"> {t('quality.overdue')}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 id="similar-cases-title">{t('quality.similar')}</h2>
      <CaseList cases={similar.data?.cases ?? []} empty={t('quality.similarNone')} />
    </section>
  );
}
