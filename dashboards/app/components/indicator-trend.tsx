import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { useApp } from '../context.ts';
import { chartCsv } from '../lib/chart-export.ts';
import { zonedStamp, zoneLabel } from '../lib/chart-view.ts';
import { formatAxisTick, formatTime } from '../lib/format.ts';
import { healthSeriesOf, type IndicatorView, trendColumns } from '../lib/health.ts';
import type { SeriesData } from '../lib/history-step.ts';
import { download } from './download.ts';

const DAY = 86_400_000;
const SHOWN_DAYS = 30;

interface IndicatorTrendProps {
  site: string;
  station: string;
  view: IndicatorView;
  title: string;
  timeZone: string;
}

/**
 * An indicator's stored hourly series over 30 days with its alarm threshold and the predicted path
 * to the crossing (dashed), the band's ends marked on the threshold.
 */
export function IndicatorTrend({ site, station, view, title, timeZone }: IndicatorTrendProps) {
  const { api, t, locale } = useApp();
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<SeriesData>([[]]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'empty' | string>('loading');
  const prediction = view.prediction;

  useEffect(() => {
    let cancelled = false;
    const now = view.at ?? Date.now();
    const from = now - SHOWN_DAYS * DAY;
    setStatus('loading');
    api
      .get<{ points: Array<{ ts: number; value: number | boolean }> }>(
        `/stations/${encodeURIComponent(station)}/history?site=${encodeURIComponent(site)}` +
          `&tag=${encodeURIComponent(healthSeriesOf(view.key))}&from=${Math.round(from)}&to=${Math.round(now)}&step=1h`,
      )
      .then((answer) => {
        if (cancelled || !holder.current) return;
        const hourly = answer.points.flatMap((p) =>
          typeof p.value === 'number' ? [{ ts: p.ts, value: p.value }] : [],
        );
        const { columns, to } = trendColumns(hourly, prediction, now);
        plot.current?.destroy();
        plot.current = null;
        if (columns[0].length === 0) {
          setStatus('empty');
          return;
        }
        data.current = columns as SeriesData;
        const withUnit = (_u: uPlot, v: number | null) =>
          v == null ? '—' : `${v.toFixed(Math.abs(v) >= 100 ? 1 : 2)} ${view.unit}`;
        const options: uPlot.Options = {
          width: Math.max(240, holder.current.clientWidth),
          height: 200,
          scales: { x: { time: true, range: [from / 1000, to / 1000] } },
          legend: { live: true },
          axes: [
            {
              stroke: '#9fb0c3',
              grid: { stroke: '#26323f' },
              ticks: { stroke: '#26323f' },
              values: (_u, ticks) => ticks.map((s) => formatAxisTick(s * 1000, to - from, timeZone, locale)),
            },
            { stroke: '#9fb0c3', grid: { stroke: '#26323f' }, ticks: { stroke: '#26323f' }, size: 50 },
          ],
          series: [
            {
              label: t('chart.time'),
              value: (_u, v) => (v == null ? '—' : formatTime(v * 1000, timeZone, locale)),
            },
            { label: t('health.hourly'), stroke: '#4fc3f7', width: 1.5, spanGaps: false, value: withUnit },
            { label: t('health.threshold'), stroke: '#e57373', width: 1, dash: [6, 4], value: withUnit },
            {
              label: t('health.projection'),
              stroke: '#ffb74d',
              width: 2,
              dash: [3, 3],
              spanGaps: true,
              value: withUnit,
            },
            {
              label: t('health.band'),
              stroke: '#ffb74d',
              width: 0,
              points: { show: true, size: 9, stroke: '#ffb74d', fill: '#ffb74d' },
              value: withUnit,
            },
          ],
        };
        plot.current = new uPlot(options, columns as uPlot.AlignedData, holder.current);
        setStatus('ready');
      })
      .catch((error: unknown) => {
        if (!cancelled) setStatus((error as Error).message);
      });
    return () => {
      cancelled = true;
    };
  }, [site, station, view.key, view.at, prediction?.crossingAt, prediction?.threshold, timeZone, locale]);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(240, element.clientWidth), height: 200 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  const known = status === 'loading' || status === 'ready' || status === 'empty';
  const exportCsv = () => {
    const csv = chartCsv(
      data.current,
      [
        { label: t('health.hourly'), unit: view.unit },
        { label: t('health.threshold'), unit: view.unit },
        { label: t('health.projection'), unit: view.unit },
        { label: t('health.band'), unit: view.unit },
      ],
      t('chart.csvTime', { zone: timeZone }),
      timeZone,
    );
    const stamp = zonedStamp(view.at ?? Date.now(), timeZone)
      .slice(0, 10)
      .replace(/-/g, '');
    download(csv, `${station}-${view.key.replace(/[^A-Za-z0-9_-]+/g, '-')}-${stamp}.csv`);
  };
  return (
    <figure class="chart indicator-trend" data-status={known ? status : 'error'}>
      <figcaption>
        <span class="chart-title">
          {title}
          {status === 'loading' ? <span class="muted"> · {t('chart.loading')}</span> : null}
          {status === 'empty' ? <span class="muted"> · {t('health.noSeries')}</span> : null}
          {!known ? <span class="error"> · {t('chart.error', { error: status })}</span> : null}
        </span>
        <span class="muted small-text">{zoneLabel(timeZone, view.at ?? Date.now(), locale)}</span>
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
    </figure>
  );
}
