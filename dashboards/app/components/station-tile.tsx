import { useApp } from '../context.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';
import { numberOf, pumpStatuses, tileState } from '../lib/station-status.ts';
import type { Alarm, StationView } from '../lib/types.ts';

interface TileProps {
  view: StationView;
  alarms: Alarm[];
  now: number;
}

/** One station at a glance: state colour, pressure against set point, duty and standby, alarms, age. */
export function StationTile({ view, alarms, now }: TileProps) {
  const { t, locale } = useApp();
  const state = tileState(view, alarms, now);
  const pumps = pumpStatuses(view);
  const duty = pumps.filter((p) => p.duty).map((p) => t('pump.short', { n: p.pump }));
  const standby = pumps.filter((p) => p.standby).map((p) => t('pump.short', { n: p.pump }));
  const pressure = numberOf(view, 'pressure.outlet');
  const setpoint = numberOf(view, 'pressure.setpoint');
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
