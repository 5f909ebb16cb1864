import { useMemo, useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { AlarmTable } from '../components/alarm-table.tsx';
import { CompletenessStrip } from '../components/completeness-strip.tsx';
import { HealthPanel } from '../components/health-panel.tsx';
import { type ChartRange, type ChartSeries, HistoryChart } from '../components/history-chart.tsx';
import { Schematic } from '../components/schematic.tsx';
import { StationMaintenance } from '../components/station-maintenance.tsx';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { formatDuration, siteTimeZone } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';
import { activeAlarmsOf, pumpNumbers, tileState } from '../lib/station-status.ts';

const MINUTE = 60_000;
const PRESETS: { key: string; ms: number }[] = [
  { key: '15m', ms: 15 * MINUTE },
  { key: '1h', ms: 60 * MINUTE },
  { key: '6h', ms: 360 * MINUTE },
  { key: '24h', ms: 1440 * MINUTE },
  { key: '7d', ms: 7 * 1440 * MINUTE },
  { key: '30d', ms: 30 * 1440 * MINUTE },
];

/**
 * One station: live schematic, its alarms, data completeness, pump health with trends and predicted
 * crossings, coming maintenance, and history charts from minutes to 30 days.
 */
export function StationPage({
  station,
  initialRange,
}: {
  station: string;
  initialRange?: string | undefined;
}) {
  const { t, api, locale } = useApp();
  const live = useLive();
  const now = useNow();
  const view = live.stations.get(station);
  const [preset, setPreset] = useState(() =>
    PRESETS.some((p) => p.key === initialRange) ? initialRange! : '1h',
  );
  const [zoom, setZoom] = useState<{ from: number; to: number } | undefined>();
  const [anchor, setAnchor] = useState(() => Date.now());
  const range = useMemo<ChartRange>(() => {
    if (zoom) return { ...zoom, live: false };
    const ms = PRESETS.find((p) => p.key === preset)?.ms ?? 60 * MINUTE;
    return { from: anchor - ms, to: anchor, live: true };
  }, [preset, zoom, anchor]);
  const alarms = useLoad(
    () => api.call(contracts.listAlarms, { query: { station, limit: 50 } }),
    [station, live.alarmVersion],
  );

  if (!view) {
    return (
      <section>
        <p>{t('station.unknown', { station })}</p>
        <a href={routeHref({ page: 'overview' })}>{t('station.back')}</a>
      </section>
    );
  }
  const timeZone = siteTimeZone(view.site);
  const state = tileState(view, activeAlarmsOf(live.activeAlarms, station), now);
  const pumps = pumpNumbers(view);
  const perPump = (field: string): ChartSeries[] =>
    pumps.map((n) => ({ meaning: `pump[${n}].${field}`, label: t('pump.label', { n }) }));
  const charts: { title: MessageKey; series: ChartSeries[] }[] = [
    {
      title: 'chart.pressure',
      series: [
        { meaning: 'pressure.outlet', label: t('chart.outlet') },
        { meaning: 'pressure.setpoint', label: t('chart.setpoint') },
        { meaning: 'pressure.inlet', label: t('chart.inlet') },
      ],
    },
    { title: 'chart.flow', series: [{ meaning: 'flow.rate', label: t('station.flow') }] },
    {
      title: 'chart.voltage',
      series: [1, 2, 3].map((n) => ({ meaning: `supply.voltage_l${n}`, label: `L${n}` })),
    },
    { title: 'chart.current', series: perPump('current_l1') },
    { title: 'chart.temperature', series: perPump('winding_temperature') },
    { title: 'chart.vibration', series: perPump('bearing_vibration') },
  ];
  const choose = (key: string) => {
    setZoom(undefined);
    setPreset(key);
    setAnchor(Date.now());
  };

  return (
    <section class="station" aria-labelledby="station-title">
      <header class="page-head">
        <a href={routeHref({ page: 'overview' })} class="back">
          ← {t('station.back')}
        </a>
        <h1 id="station-title">{t('station.title', { station })}</h1>
        <span class="state-badge" data-state={state}>
          {t(`state.${state}`)}
        </span>
        <span class="muted num">{t('tile.ago', { age: formatDuration(now - view.ts, locale) })}</span>
      </header>
      <div class="station-top">
        <Schematic view={view} />
        <section class="station-alarms" aria-labelledby="station-alarms-title">
          <h2 id="station-alarms-title">{t('station.alarms')}</h2>
          <AlarmTable alarms={alarms.data?.alarms ?? []} compact onChanged={alarms.reload} />
        </section>
      </div>
      <CompletenessStrip site={view.site} station={station} />
      <div class="station-care">
        <HealthPanel site={view.site} station={station} timeZone={timeZone} />
        <StationMaintenance site={view.site} station={station} />
      </div>
      <fieldset class="range-bar">
        <legend class="visually-hidden">{t('chart.range')}</legend>
        {PRESETS.map((p) => (
          <button
            key={p.key}
            type="button"
            class="chip"
            aria-pressed={!zoom && preset === p.key}
            onClick={() => choose(p.key)}
          >
            {p.key}
          </button>
        ))}
        {zoom ? (
          <button type="button" class="chip" onClick={() => setZoom(undefined)}>
            {t('chart.reset')}
          </button>
        ) : null}
        <span class="muted">{t('chart.zoomHint')}</span>
      </fieldset>
      <div class="charts">
        {charts.map((chart) => (
          <HistoryChart
            key={chart.title}
            site={view.site}
            station={station}
            title={t(chart.title)}
            series={chart.series}
            range={range}
            timeZone={timeZone}
            onZoom={(from, to) => setZoom({ from, to })}
          />
        ))}
      </div>
    </section>
  );
}
