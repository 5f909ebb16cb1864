import { columnHeader, historyCsv } from '../../../core/csv/history-csv.ts';
import { zonedStamp } from './chart-view.ts';
import type { SeriesData } from './history-step.ts';

/**
 * A chart's data as the CSV the history API writes (core/csv), with the reader's headers: the time
 * column names the site's zone, each series its label and unit. Pure.
 */
export function chartCsv(
  data: SeriesData,
  series: readonly { label: string; unit?: string | undefined }[],
  timeHeader: string,
  timeZone: string,
): string {
  const [xs, ...ys] = data;
  return historyCsv(
    timeHeader,
    series.map((s, i) => ({
      header: columnHeader(s.label, s.unit),
      points: xs.flatMap((x, row) => {
        const value = ys[i]?.[row];
        return value === null || value === undefined ? [] : [{ ts: Math.round(x * 1000), value }];
      }),
    })),
    (ms) => zonedStamp(ms, timeZone),
  );
}
