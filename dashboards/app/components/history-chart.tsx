import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { useApp } from '../context.ts';
import { formatAxisTick, formatTime } from '../lib/format.ts';
import { appendLive, chooseStep, mergeSeries, type SeriesData } from '../lib/history-step.ts';
import type { StationView } from '../lib/types.ts';

export interface ChartSeries {
  meaning: string;
  label: string;
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
  title: string;
  series: ChartSeries[];
  range: ChartRange;
  timeZone: string;
  /** A drag across the chart asks for this range. */
  onZoom: (from: number, to: number) => void;
}

const COLOURS = ['#4fc3f7', '#ffb74d', '#ba68c8', '#81c784', '#e57373', '#fff176'];

type Point = { ts: number; value: number | boolean; min?: number; max?: number };

/**
 * A uPlot chart of some meanings' history at a step that keeps it under ~1000 points (the server
 * downsamples), with live points appended while the range ends now.
 */
export function HistoryChart({ site, station, title, series, range, timeZone, onZoom }: HistoryChartProps) {
  const { api, live, t, locale } = useApp();
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | string>('loading');
  const key = series.map((s) => s.meaning).join(',');
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;

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
        let data: SeriesData = mergeSeries(
          answers.map((a) =>
            a.points.map((p) => ({ ts: p.ts, value: typeof p.value === 'number' ? p.value : null })),
          ),
        );
        plot.current?.destroy();
        const width = Math.max(280, holder.current.clientWidth);
        const options: uPlot.Options = {
          width,
          height: 180,
          scales: { x: { time: true, range: [range.from / 1000, range.to / 1000] } },
          legend: { live: false },
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
            { stroke: '#9fb0c3', grid: { stroke: '#26323f' }, ticks: { stroke: '#26323f' }, size: 50 },
          ],
          series: [
            { value: (_u, v) => (v == null ? '—' : formatTime(v * 1000, timeZone, locale)) },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: COLOURS[i % COLOURS.length],
              width: 1.5,
              spanGaps: false,
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
          },
        };
        plot.current = new uPlot(options, data, holder.current);
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
          data = appendLive(data, view.ts / 1000, values, stepS, nowS - spanS);
          plot.current.setScale('x', { min: nowS - spanS, max: nowS });
          plot.current.setData(data, false);
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
  }, [site, station, key, range.from, range.to, range.live, timeZone, locale]);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (plot.current) plot.current.setSize({ width: Math.max(280, element.clientWidth), height: 180 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <figure class="chart" data-status={status === 'loading' || status === 'ready' ? status : 'error'}>
      <figcaption>
        {title}
        {status === 'loading' ? <span class="muted"> · {t('chart.loading')}</span> : null}
        {status !== 'loading' && status !== 'ready' ? (
          <span class="error"> · {t('chart.error', { error: status })}</span>
        ) : null}
      </figcaption>
      <div class="chart-plot" ref={holder} role="img" aria-label={title} />
    </figure>
  );
}
