import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLive } from '../context.ts';
import { alarmTitle, subjectText } from '../i18n/fault-titles.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { routeHref } from '../lib/router.ts';
import { shelfOf } from '../lib/station-status.ts';
import type { Alarm } from '../lib/types.ts';

interface AlarmTableProps {
  alarms: Alarm[];
  /** Leaves out the station column (on a station's own page). */
  compact?: boolean;
  onChanged: () => void;
  /** Offers "Shelve" on active alarms (the alarms page, for roles that may shelve). */
  onShelve?: (alarm: Alarm) => void;
}

/** Alarms with severity, status and, for operators and admins, an acknowledge button. */
export function AlarmTable({ alarms, compact = false, onChanged, onShelve }: AlarmTableProps) {
  const { t, locale, session, api } = useApp();
  const [error, setError] = useState<string | undefined>();
  const mayAck = can.acknowledge(session.role);
  const { shelves } = useLive();
  const now = Date.now();
  const acknowledge = async (alarm: Alarm) => {
    setError(undefined);
    try {
      await api.call(contracts.acknowledgeAlarm, { params: { id: alarm.id }, body: {} });
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  if (alarms.length === 0) return <p class="muted">{t('alarms.none')}</p>;
  return (
    <div class="table-wrap">
      {error ? (
        <p class="error" role="alert">
          {t('common.error', { error })}
        </p>
      ) : null}
      <table class="alarms-table">
        <thead>
          <tr>
            <th scope="col">{t('alarms.colRaised')}</th>
            {compact ? null : <th scope="col">{t('alarms.colStation')}</th>}
            <th scope="col">{t('alarms.colSeverity')}</th>
            <th scope="col">{t('alarms.colAlarm')}</th>
            <th scope="col">{t('alarms.colStatus')}</th>
            <th scope="col">{t('alarms.colTicket')}</th>
          </tr>
        </thead>
        <tbody>
          {alarms.map((alarm) => {
            const title = alarmTitle(locale, alarm);
            const subject = subjectText(locale, alarm.subject);
            const shelf = alarm.status.startsWith('active') ? shelfOf(alarm, shelves, now) : undefined;
            return (
              <tr
                key={alarm.id}
                data-alarm={alarm.id}
                data-status={alarm.status}
                data-shelved={shelf ? 'true' : undefined}
                data-fault={alarm.faultClass}
              >
                <td class="num nowrap" data-label={t('alarms.colRaised')}>
                  {formatTime(alarm.raisedAt, siteTimeZone(alarm.site), locale, !compact)}
                </td>
                {compact ? null : (
                  <td data-label={t('alarms.colStation')}>
                    <a href={routeHref({ page: 'station', station: alarm.station })}>{alarm.station}</a>
                  </td>
                )}
                <td data-label={t('alarms.colSeverity')}>
                  <span class="severity" data-severity={alarm.severity}>
                    {t(`severity.${alarm.severity}`)}
                  </span>
                </td>
                <td data-label={t('alarms.colAlarm')}>
                  {title}
                  {subject ? <span class="muted"> · {subject}</span> : null}
                </td>
                <td data-label={t('alarms.colStatus')}>
                  <div class="status-cell">
                    <span class="status" data-status={alarm.status}>
                      {t(`status.${alarm.status}`)}
                    </span>
                    {shelf ? (
                      <span
                        class="shelved-badge"
                        title={t('alarms.shelvedUntil', {
                          time: formatTime(shelf.until, siteTimeZone(alarm.site), locale),
                          user: shelf.shelvedBy,
                        })}
                      >
                        {t('status.shelved')}
                      </span>
                    ) : null}
                    {alarm.status.endsWith('_unack') && mayAck ? (
                      <button
                        type="button"
                        class="small"
                        aria-label={t('alarms.ackLabel', { id: alarm.id, title })}
                        onClick={() => void acknowledge(alarm)}
                      >
                        {t('alarms.ack')}
                      </button>
                    ) : null}
                    {onShelve && alarm.status.startsWith('active') && !shelf ? (
                      <button
                        type="button"
                        class="small ghost"
                        aria-label={t('shelf.rowLabel', { id: alarm.id, title })}
                        onClick={() => onShelve(alarm)}
                      >
                        {t('shelf.row')}
                      </button>
                    ) : null}
                    {alarm.acknowledgedBy ? (
                      <span class="muted small-text">
                        {' '}
                        {t('alarms.ackedBy', { user: alarm.acknowledgedBy })}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td class="num" data-label={t('alarms.colTicket')}>
                  {alarm.ticketId ? (
                    <a href={routeHref({ page: 'ticket', id: alarm.ticketId })}>#{alarm.ticketId}</a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
