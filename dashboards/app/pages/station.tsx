import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SiteThresholds } from '../../../core/alarms/thresholds.ts';
import { contracts } from '../../../core/api/index.ts';
import { AcceptancePanel } from '../components/acceptance-panel.tsx';
import { AlarmTable } from '../components/alarm-table.tsx';
import { ChartToolbar } from '../components/chart-toolbar.tsx';
import { CommandPanel } from '../components/command-panel.tsx';
import { CompletenessStrip } from '../components/completeness-strip.tsx';
import { type ChartRange, type ChartSeries, HistoryChart } from '../components/history-chart.tsx';
import { Schematic } from '../components/schematic.tsx';
import { StationHealth } from '../components/station-health.tsx';
import { StationReadings } from '../components/station-readings.tsx';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { alarmMarkers, type ChartKind, thresholdLines } from '../lib/chart-marks.ts';
import {
  type ChartView,
  chartViewQuery,
  DEFAULT_VIEW,
  parseChartView,
  refreshMs,
  viewSpan,
} from '../lib/chart-view.ts';
import { formatDuration, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { parseRoute, routeHref } from '../lib/router.ts';
import { activeAlarmsOf, pumpNumbers, tileState } from '../lib/station-status.ts';

/**
 * One station: live schematic, its alarms, data completeness, pump health with trends and predicted
 * crossings, coming maintenance, and history charts from minutes to 30 days or any fixed range, their
 * range and refresh kept in the link.
 */
export function StationPage({
  station,
  pathRange,
  query = '',
}: {
  station: string;
  pathRange?: string | undefined;
  query?: string | undefined;
}) {
  const { t, api, locale, session, live: liveClient } = useApp();
  const live = useLive();
  const now = useNow();
  const view = live.stations.get(station);
  // A station of a site made after the live connection opened: join its site's rooms and load it.
  const known = view !== undefined;
  useEffect(() => {
    if (!known) void liveClient.refreshSites();
  }, [known, liveClient]);
  const chartView = useMemo(() => parseChartView(query, pathRange), [query, pathRange]);
  const viewKey = chartViewQuery(chartView);
  const [anchor, setAnchor] = useState(() => Date.now());
  const [reload, setReload] = useState(0);
  // A new range starts now; the refresh interval moves a range ending now, or reloads a fixed one.
  const shownKey = useRef(viewKey);
  useEffect(() => {
    // Only a change of view moves the anchor: on the first render it is already now.
    if (shownKey.current === viewKey) return;
    shownKey.current = viewKey;
    setAnchor(Date.now());
  }, [viewKey]);
  useEffect(() => {
    const every = refreshMs(chartView.refresh);
    if (every === 0) return;
    const timer = setInterval(() => {
      if (chartView.range.kind === 'relative') setAnchor(Date.now());
      else setReload((n) => n + 1);
    }, every);
    return () => clearInterval(timer);
  }, [viewKey]);
  const range = useMemo<ChartRange>(() => viewSpan(chartView, anchor), [viewKey, anchor]);
  // A change applies to the view the link holds now, not the one last rendered: a range picked and a
  // refresh chosen before the page redraws both stand.
  const show = (change: Partial<ChartView>) => {
    const linked = parseRoute(location.hash);
    const current =
      linked.page === 'station' && linked.station === station
        ? parseChartView(linked.query ?? '', linked.range)
        : chartView;
    location.hash = routeHref({
      page: 'station',
      station,
      query: chartViewQuery({ ...current, ...change }),
    });
  };
  const alarms = useLoad(
    () => api.call(contracts.listAlarms, { query: { station, limit: 50 } }),
    [station, live.alarmVersion],
  );
  // Every alarm of the station the charts' range may hold, for their markers.
  const marked = useLoad(
    () => api.call(contracts.listAlarms, { query: { station, limit: 1000 } }),
    [station, live.alarmVersion],
  );
  const sites = useLoad(
    // The contract types thresholds loosely (the server resolves them in full): read as the rules do.
    () => api.get<{ sites: { id: string; thresholds: SiteThresholds }[] }>('/assets/sites'),
    [],
  );
  const markers = useMemo(
    () => alarmMarkers(marked.data?.alarms ?? [], range.from, range.to),
    [marked.data, range.from, range.to],
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
  const state = tileState(view, activeAlarmsOf(live.activeAlarms, station, live.shelves, now), now);
  const pumps = pumpNumbers(view);
  const unit = (meaning: string) => view.values[meaning]?.unit;
  const reading = (meaning: string, label: string): ChartSeries => ({ meaning, label, unit: unit(meaning) });
  const perPump = (field: string): ChartSeries[] =>
    pumps.map((n) => reading(`pump[${n}].${field}`, t('pump.label', { n })));
  const charts: { kind: ChartKind; title: MessageKey; series: ChartSeries[] }[] = [
    {
      kind: 'pressure',
      title: 'chart.pressure',
      series: [
        reading('pressure.outlet', t('chart.outlet')),
        reading('pressure.setpoint', t('chart.setpoint')),
        reading('pressure.inlet', t('chart.inlet')),
      ],
    },
    { kind: 'flow', title: 'chart.flow', series: [reading('flow.rate', t('station.flow'))] },
    {
      kind: 'voltage',
      title: 'chart.voltage',
      series: [1, 2, 3].map((n) => reading(`supply.voltage_l${n}`, `L${n}`)),
    },
    { kind: 'current', title: 'chart.current', series: perPump('current_l1') },
    { kind: 'temperature', title: 'chart.temperature', series: perPump('winding_temperature') },
    { kind: 'vibration', title: 'chart.vibration', series: perPump('bearing_vibration') },
  ];
  const thresholds = sites.data?.sites.find((s) => s.id === view.site)?.thresholds;

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
      <CommandPanel view={view} />
      <StationReadings
        view={view}
        range={range}
        reload={reload}
        timeZone={timeZone}
        markers={markers}
        onZoom={(from, to) => show({ range: { kind: 'absolute', from, to } })}
      />
      <CompletenessStrip site={view.site} station={station} />
      {can.seeStationCare(session.role) ? (
        <StationHealth site={view.site} station={station} timeZone={timeZone} />
      ) : null}
      <AcceptancePanel
        site={view.site}
        station={station}
        nominalVoltage={
          typeof thresholds?.nominalVoltage === 'number' ? thresholds.nominalVoltage : undefined
        }
      />
      <ChartToolbar view={chartView} now={anchor} timeZone={timeZone} onChange={show} />
      <p class="muted chart-hint">
        {t('chart.zoomHint')}
        {chartView.range.kind === 'absolute' ? (
          <>
            {' '}
            <a
              href={routeHref({
                page: 'station',
                station,
                query: chartViewQuery({ ...chartView, range: DEFAULT_VIEW.range }),
              })}
            >
              {t('chart.reset')}
            </a>
          </>
        ) : null}
      </p>
      <div class="charts">
        {charts.map((chart) => (
          <HistoryChart
            key={chart.kind}
            name={chart.kind}
            site={view.site}
            station={station}
            title={t(chart.title)}
            series={chart.series}
            range={range}
            reload={reload}
            timeZone={timeZone}
            thresholds={thresholdLines(chart.kind, thresholds)}
            markers={markers}
            onZoom={(from, to) => show({ range: { kind: 'absolute', from, to } })}
          />
        ))}
      </div>
    </section>
  );
}
