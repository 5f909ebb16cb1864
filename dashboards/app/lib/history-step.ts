/** Most points one chart series loads: the server downsamples to fit. */
export const MAX_POINTS = 1000;

/** Bucket widths the chart asks for, in seconds: round numbers a person reads on an axis. */
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * The smallest round step that keeps a span within `maxPoints` buckets, as the history API's
 * duration text (`5s`, `5m`, `1h`, `1d`) and in ms. Pure.
 */
export function chooseStep(spanMs: number, maxPoints = MAX_POINTS): { text: string; ms: number } {
  const needed = Math.max(1, spanMs / 1000 / maxPoints);
  const seconds = STEPS_S.find((s) => s >= needed) ?? Math.ceil(needed / 86400) * 86400;
  return { text: durationText(seconds), ms: seconds * 1000 };
}

function durationText(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Chart data: x in seconds (uPlot's unit), then one array per series; null is a gap. */
export type SeriesData = [number[], ...(number | null)[][]];

/**
 * Appends a live sample to chart data. Within the last bucket it replaces that bucket's value (a
 * live step-wide chart never grows past its bucket count); points older than `fromS` drop off the
 * front. Returns new arrays. Pure.
 */
export function appendLive(
  data: SeriesData,
  tsS: number,
  values: (number | null)[],
  stepS: number,
  fromS: number,
): SeriesData {
  const [xs, ...ys] = data;
  const bucket = Math.floor(tsS / stepS) * stepS;
  const last = xs[xs.length - 1];
  if (last !== undefined && bucket < last) return data;
  const sameBucket = last !== undefined && stepS > 1 && bucket === last;
  const nextX = sameBucket ? xs.slice() : [...xs, stepS > 1 ? bucket : tsS];
  const nextYs = ys.map((series, i) => {
    const copy = series.slice();
    const value = values[i] ?? null;
    if (sameBucket) copy[copy.length - 1] = value;
    else copy.push(value);
    return copy;
  });
  let drop = 0;
  while (drop < nextX.length - 1 && (nextX[drop] ?? 0) < fromS) drop += 1;
  return [nextX.slice(drop), ...nextYs.map((series) => series.slice(drop))];
}

/**
 * Merges several series' history (each its own list of [ts ms, value]) into one chart table on the
 * union of their timestamps; with `stepMs`, a missing bucket becomes a gap (null). Pure.
 */
export function mergeSeries(series: { ts: number; value: number | null }[][], stepMs?: number): SeriesData {
  const stamps = [...new Set(series.flatMap((points) => points.map((p) => p.ts)))].sort((a, b) => a - b);
  if (stepMs !== undefined) {
    // Buckets without a value (nothing read, or only "not available") leave a gap: a null row
    // one step after the last value keeps uPlot from drawing a line across them.
    for (let i = stamps.length - 1; i > 0; i--) {
      const before = stamps[i - 1] as number;
      if ((stamps[i] as number) - before > stepMs * 1.5) stamps.splice(i, 0, before + stepMs);
    }
  }
  const index = new Map(stamps.map((ts, i) => [ts, i]));
  const ys = series.map((points) => {
    const column: (number | null)[] = new Array(stamps.length).fill(null);
    for (const p of points) column[index.get(p.ts)!] = p.value;
    return column;
  });
  return [stamps.map((ts) => ts / 1000), ...ys];
}
