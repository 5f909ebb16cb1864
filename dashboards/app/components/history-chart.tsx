import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { useApp } from '../context.ts';
import { chartCsv } from '../lib/chart-export.ts';
import { type AlarmMarker, rangeWithLines, type ThresholdLine } from '../lib/chart-marks.ts';
import { zonedStamp } from '../lib/chart-view.ts';
import { formatAxisTick, formatTime } from '../lib/format.ts';
import { appendLive, chooseStep, mergeSeries, type SeriesData } from '../lib/history-step.ts';
import type { StationView } from '../lib/types.ts';
import { type DrawnMarks, drawMarks } from './chart-draw.ts';
import { download } from './download.ts';

export interface ChartSeries {
  meaning: string;
  label: string;
  /** The reading's unit (the profile's), shown with hovered values and in the CSV header. */
  unit?: string | undefined;
  /** An enumeration's labels by code: drawn as steps, hovered values and the axis shown as labels. */
  labels?: Record<string, string> | undefined;
}

export interface ChartRange {
  from: number;
  to: number;
  /** The range ends now: live points are appended and old ones slide off. */
  live: boolean;
}

interface HistoryChartProps {
  site: string;
  station: string;
  /** Names the chart in the DOM (data-chart) and in the CSV file's name. */
  name: string;
  title: string;
  series: ChartSeries[];
  range: ChartRange;
  /** Bumped by the refresh interval: reloads the same range. */
  reload: number;
  timeZone: string;
  thresholds: readonly ThresholdLine[];
  markers: readonly AlarmMarker[];
  /** A drag across the chart asks for this range. */
  onZoom: (from: number, to: number) => void;
}

const COLOURS = ['#4fc3f7', '#ffb74d', '#ba68c8', '#81c784', '#e57373', '#fff176'];
const HEIGHT = 180;

type Point = { ts: number; value: number | boolean; min?: number; max?: number };

/** A state chart's y range: every code of the enumeration, half a step beyond the first and last. */
function stateRange(states: Record<string, string>): [number, number] {
  const codes = Object.keys(states).map(Number);
  return [Math.min(...codes) - 0.5, Math.max(...codes) + 0.5];
}

/**
 * A uPlot chart of some meanings' history at a step that keeps it under ~1000 points (the server
 * downsamples), with live points appended while the range ends now. Hovering shows the time and each
 * series' value with its unit in the legend; the site's thresholds and the station's alarms in the
 * range are drawn over the series; the data on the chart can be saved as CSV.
 */
export function HistoryChart(props: HistoryChartProps) {
  const { site, station, name, title, series, range, reload, timeZone, onZoom } = props;
  const { api, live, t, locale } = useApp();
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<SeriesData>([[]]);
  const [status, setStatus] = useState<'loading' | 'ready' | string>('loading');
  const [drawn, setDrawn] = useState<DrawnMarks>({ markers: 0, thresholds: 0 });
  const key = series.map((s) => `${s.meaning}:${s.unit ?? ''}`).join(',');
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const marks = useRef({ lines: props.thresholds, markers: props.markers });
  marks.current = { lines: props.thresholds, markers: props.markers };
  const marksKey = `${props.thresholds.map((l) => l.value).join(',')}|${props.markers.map((m) => `${m.change}${m.at}`).join(',')}`;

  useEffect(() => {
    let cancelled = false;
    let cleanup = () => {};
    const step = chooseStep(range.to - range.from);
    setStatus('loading');
    const query = (meaning: string) =>
      `/stations/${encodeURIComponent(station)}/history?site=${encodeURIComponent(site)}` +
      `&tag=${encodeURIComponent(meaning)}&from=${Math.round(range.from)}&to=${Math.round(range.to)}&step=${step.text}`;
    Promise.all(series.map((s) => api.get<{ points: Point[] }>(query(s.meaning))))
      .then((answers) => {
        if (cancelled || !holder.current) return;
        data.current = mergeSeries(
          answers.map((a) =>
            a.points.map((p) => ({ ts: p.ts, value: typeof p.value === 'number' ? p.value : null })),
          ),
          // A bucket with no value ("not available", no reading) is a gap, not a line across it.
          step.ms,
        );
        const states = series.find((s) => s.labels)?.labels;
        plot.current?.destroy();
        const width = Math.max(240, holder.current.clientWidth);
        const decimals = (v: number) => (Math.abs(v) >= 100 ? 1 : 2);
        const options: uPlot.Options = {
          width,
          height: HEIGHT,
          scales: {
            x: { time: true, range: [range.from / 1000, range.to / 1000] },
            y: {
              range: (_u, min, max) =>
                states
                  ? stateRange(states)
                  : (rangeWithLines(
                      min,
                      max,
                      marks.current.lines.map((l) => l.value),
                    ) ?? [0, 1]),
            },
          },
          legend: { live: true },
          cursor: { drag: { x: true, y: false, setScale: false } },
          axes: [
            {
              stroke: '#9fb0c3',
              grid: { stroke: '#26323f' },
              ticks: { stroke: '#26323f' },
              values: (u, ticks) => {
                const span = ((u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0)) * 1000;
                return ticks.map((s) => formatAxisTick(s * 1000, span, timeZone, locale));
              },
            },
            {
              stroke: '#9fb0c3',
              grid: { stroke: '#26323f' },
              ticks: { stroke: '#26323f' },
              size: states ? 90 : 50,
              // A state's axis names its codes, and only whole codes.
              ...(states
                ? {
                    splits: () => Object.keys(states).map(Number),
                    values: (_u: uPlot, ticks: number[]) => ticks.map((v) => states[String(v)] ?? ''),
                  }
                : {}),
            },
          ],
          series: [
            {
              label: t('chart.time'),
              value: (_u, v) => (v == null ? '—' : formatTime(v * 1000, timeZone, locale)),
            },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: COLOURS[i % COLOURS.length],
              width: 1.5,
              spanGaps: false,
              ...(s.labels ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
              value: (_u: uPlot, v: number | null) =>
                v == null
                  ? '—'
                  : s.labels
                    ? (s.labels[String(v)] ?? String(v))
                    : `${v.toFixed(decimals(v))}${s.unit ? ` ${s.unit}` : ''}`,
            })),
          ],
          hooks: {
            setSelect: [
              (u) => {
                if (u.select.width < 5) return;
                const from = u.posToVal(u.select.left, 'x') * 1000;
                const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
                u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
                zoomRef.current(from, to);
              },
            ],
            draw: [
              drawMarks(
                () => marks.current,
                (next) =>
                  setDrawn((held) =>
                    held.markers === next.markers && held.thresholds === next.thresholds ? held : next,
                  ),
              ),
            ],
          },
        };
        plot.current = new uPlot(options, data.current, holder.current);
        setStatus('ready');
        if (!range.live) return;
        const stepS = step.ms / 1000;
        const stop = live.onStation((view: StationView) => {
          if (view.station !== station || !plot.current) return;
          const values = series.map((s) => {
            const v = view.values[s.meaning]?.v;
            return typeof v === 'number' ? v : null;
          });
          const nowS = Date.now() / 1000;
          const spanS = (range.to - range.from) / 1000;
          data.current = appendLive(data.current, view.ts / 1000, values, stepS, nowS - spanS);
          plot.current.setScale('x', { min: nowS - spanS, max: nowS });
          plot.current.setData(data.current, false);
        });
        cleanup = stop;
      })
      .catch((error: unknown) => {
        if (!cancelled) setStatus((error as Error).message);
      });
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [site, station, key, range.from, range.to, range.live, reload, timeZone, locale]);

  // New thresholds or alarms redraw the marks on the chart as it is.
  useEffect(() => {
    plot.current?.redraw(true, false);
  }, [marksKey]);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (plot.current) plot.current.setSize({ width: Math.max(240, element.clientWidth), height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  const exportCsv = () => {
    const csv = chartCsv(data.current, series, t('chart.csvTime', { zone: timeZone }), timeZone);
    // `20261206-1705`: the end of the range on the site's clock, sortable in a folder.
    const stamp = zonedStamp(range.to, timeZone).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
    download(csv, `${station}-${name}-${stamp}.csv`);
  };

  return (
    <figure
      class="chart"
      data-chart={name}
      data-status={status === 'loading' || status === 'ready' ? status : 'error'}
      data-alarm-markers={drawn.markers}
      data-threshold-lines={drawn.thresholds}
    >
      <figcaption>
        <span class="chart-title">
          {title}
          {status === 'loading' ? <span class="muted"> · {t('chart.loading')}</span> : null}
          {status !== 'loading' && status !== 'ready' ? (
            <span class="error"> · {t('chart.error', { error: status })}</span>
          ) : null}
        </span>
        <button
          type="button"
          class="small ghost"
          disabled={status !== 'ready'}
          aria-label={t('chart.csvLabel', { title })}
          onClick={exportCsv}
        >
          CSV
        </button>
      </figcaption>
      <div class="chart-plot" ref={holder} role="img" aria-label={title} />
      {drawn.thresholds + drawn.markers > 0 ? (
        <p class="chart-keys muted">
          {drawn.thresholds > 0 ? <span class="key-threshold">{t('chart.thresholdKey')}</span> : null}
          {drawn.markers > 0 ? (
            <span class="key-alarm">{t('chart.alarmKey', { n: drawn.markers })}</span>
          ) : null}
        </p>
      ) : null}
    </figure>
  );
}
