import type { z } from 'zod';
import type { qualityActionSchema } from '../../../../core/api/quality.ts';
import { renderOr } from '../../../../core/i18n/render.ts';
import { useApp } from '../../context.ts';
import { subjectText } from '../../i18n/fault-titles.ts';
import { formatTime, siteTimeZone } from '../../lib/format.ts';
import { routeHref } from '../../lib/router.ts';

export type QualityAction = z.output<typeof qualityActionSchema>;

/** The failure mode by its root-cause or fault-class code, in the reader's language. */
export function failureModeText(locale: Parameters<typeof renderOr>[0], mode: string | null): string {
  if (!mode) return '—';
  return renderOr(locale, `cause.${mode}`, {}, renderOr(locale, `fault.${mode}`, {}, mode));
}

/** Quality actions, overdue ones marked; a row's number opens its detail. */
export function ActionTable({ actions, selected }: { actions: readonly QualityAction[]; selected?: number }) {
  const { t, locale } = useApp();
  if (actions.length === 0) return <p class="muted">{t('quality.noActions')}</p>;
  return (
    <div class="table-scroll">
      <table class="quality-actions">
        <thead>
          <tr>
            <th scope="col">{t('quality.col.id')}</th>
            <th scope="col">{t('quality.col.station')}</th>
            <th scope="col">{t('quality.col.failureMode')}</th>
            <th scope="col">{t('quality.col.reasons')}</th>
            <th scope="col">{t('quality.col.owner')}</th>
            <th scope="col">{t('quality.col.due')}</th>
            <th scope="col">{t('quality.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            <tr
              key={a.id}
              data-action-id={a.id}
              data-overdue={a.overdue ? 'yes' : undefined}
              aria-current={selected === a.id ? 'true' : undefined}
            >
              <th scope="row">
                <a href={routeHref({ page: 'quality', action: a.id })}>#{a.id}</a>
                {a.ticketId !== null ? (
                  <a class="muted small-text nowrap" href={routeHref({ page: 'ticket', id: a.ticketId })}>
                    {' '}
                    ({t('quality.col.ticket')} #{a.ticketId})
                  </a>
                ) : null}
              </th>
              <td>
                {a.station}
                {a.pump !== null ? ` · ${subjectText(locale, `pump[${a.pump}]`)}` : ''}
              </td>
              <td>{failureModeText(locale, a.failureMode)}</td>
              <td>{a.reasons.map((r) => t(`quality.reason.${r}`)).join('、')}</td>
              <td>{a.owner}</td>
              <td class="num">
                {formatTime(a.dueAt, siteTimeZone(a.site), locale, true)}
                {a.overdue ? <span class="overdue-flag"> {t('quality.overdue')}</span> : null}
              </td>
              <td data-status={a.status}>{t(`quality.status.${a.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
