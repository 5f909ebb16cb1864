import { useApp } from '../context.ts';
import { alarmTitle, subjectText } from '../i18n/fault-titles.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';
import { numberOf, pumpStatuses, tileState, topAlarm } from '../lib/station-status.ts';
import type { Alarm, StationView } from '../lib/types.ts';

interface TileProps {
  view: StationView;
  /** Active alarms that are not shelved. */
  alarms: Alarm[];
  /** Active alarms an operator has shelved: named as a count, not counted as active. */
  shelved?: number;
  now: number;
}

/** One station at a glance: state colour, pressure against set point, duty and standby, alarms, age. */
export function StationTile({ view, alarms, shelved = 0, now }: TileProps) {
  const { t, locale } = useApp();
  const state = tileState(view, alarms, now);
  const pumps = pumpStatuses(view);
  const duty = pumps.filter((p) => p.duty).map((p) => t('pump.short', { n: p.pump }));
  const standby = pumps.filter((p) => p.standby).map((p) => t('pump.short', { n: p.pump }));
  const pressure = numberOf(view, 'pressure.outlet');
  const setpoint = numberOf(view, 'pressure.setpoint');
  const top = topAlarm(alarms);
  const subject = top ? subjectText(locale, top.subject) : '';
  return (
    <a
      class="tile"
      data-state={state}
      data-station={view.station}
      data-ts={view.ts}
      href={routeHref({ page: 'station', station: view.station })}
      aria-label={`${t('tile.open', { station: view.station })}: ${t(`state.${state}`)}`}
    >
      <header>
        <h2>{view.station}</h2>
        <span class="state-badge" data-state={state}>
          {t(`state.${state}`)}
        </span>
      </header>
      <div class="tile-pressure">
        <span class="label">{t('tile.pressure')}</span>
        <span class="big num">{formatNumber(pressure, 2)}</span>
        <span class="unit">bar</span>
        <span class="sub num">{t('tile.setpoint', { value: formatNumber(setpoint, 2) })}</span>
      </div>
      <div class="pump-strip" aria-hidden="true">
        {pumps.map((p) => (
          <span key={p.pump} class="pump-dot" data-state={p.state} title={t(`pump.${p.state}`)}>
            {p.pump}
          </span>
        ))}
      </div>
      <p class="tile-alarm" data-fault={top?.faultClass ?? ''}>
        <span class="label">{t('tile.topAlarm')}</span>{' '}
        {top ? (
          <>
            <span class="severity" data-severity={top.severity}>
              {alarmTitle(locale, top)}
            </span>
            {subject ? <span class="muted"> · {subject}</span> : null}
            {alarms.length > 1 ? (
              <span class="muted"> {t('tile.more', { n: alarms.length - 1 })}</span>
            ) : null}
          </>
        ) : (
          <span class="muted">{t('tile.noAlarm')}</span>
        )}
        {shelved > 0 ? (
          <span class="shelved-badge" data-shelved={shelved}>
            {t('tile.shelved', { n: shelved })}
          </span>
        ) : null}
      </p>
      <dl class="facts">
        <dt>{t('tile.duty')}</dt>
        <dd class="num">{duty.join(' ') || '—'}</dd>
        <dt>{t('tile.standby')}</dt>
        <dd class="num">{standby.join(' ') || '—'}</dd>
        <dt>{t('tile.alarms')}</dt>
        <dd class="num" data-alarms={alarms.length}>
          {alarms.length}
        </dd>
        <dt>{t('tile.lastData')}</dt>
        <dd class="num">{t('tile.ago', { age: formatDuration(now - view.ts, locale) })}</dd>
      </dl>
    </a>
  );
}
