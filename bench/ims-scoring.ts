import { readFileSync } from 'node:fs';
import { type CsvReadings, parseCsvReadings } from '../server/predictive/csv-readings.ts';
import { type Analysis, analyzeReadings } from '../server/predictive/offline-analysis.ts';

const DAY = 86_400_000;
const DATA = new URL('../../shared/data/ims_bearing/', import.meta.url);

/**
 * The NASA / IMS bearing run-to-failure tests, what failed, and when each failing bearing's real
 * degradation starts: read off the daily medians, the first day its level leaves the band of the two
 * weeks before for good (test 1: bearing 4 on 19 November, bearing 3 on 21 November). Healthy
 * bearings are held to "before the last day". Test 3's bearing 3 (outer race) has no agreed start.
 */
export const IMS_TESTS = {
  test1: {
    file: 'bearing_test1_10min.csv',
    failed: { 3: '2003-11-21T00:00:00Z', 4: '2003-11-19T00:00:00Z' } as Record<number, string>,
  },
  test3: { file: 'bearing_test3_10min.csv', failed: {} as Record<number, string>, hard: 3 },
} as const;

export interface BearingScore {
  bearing: number;
  failed: boolean;
  /** Episodes (channels of the bearing merged) that start before its degradation (healthy: the last day). */
  episodesBefore: number;
  /** First episode from the degradation start on (any episode for test 3's hard case), ms. */
  flaggedAt: number | null;
  leadDays: number | null;
  /** What the model saw at the flag: level over the learned reference, %. */
  shiftPct: number | null;
  /** At the end minus three days: the trend and time to threshold of its channels. */
  trendThreeDaysBefore: {
    channel: string;
    trend: string | null;
    status: string;
    daysToThreshold: number | null;
  }[];
}

export interface ImsScore {
  test: string;
  end: number;
  learnedUntil: number | null;
  episodesInLearning: number;
  bearings: BearingScore[];
  analysisMs: number;
}

/** Rows where every channel reads near zero: the rig stopped, not a healthy reading. */
function withoutStop(csv: CsvReadings): CsvReadings {
  const level = (row: CsvReadings['rows'][number]) =>
    Math.max(...Object.values(row.values).map((v) => (typeof v === 'number' ? v : 0)));
  const typical = level(csv.rows[Math.floor(csv.rows.length / 2)]!);
  return { ...csv, rows: csv.rows.filter((row) => level(row) > 0.1 * typical) };
}

const bearingOf = (column: string) => Number(/bearing\s*(\d)/i.exec(column)?.[1] ?? 0);

/** Union of overlapping intervals: a bearing's channels seeing one change is one episode. */
function mergeIntervals(episodes: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const e of [...episodes].sort((a, b) => a.start - b.start)) {
    const prev = out[out.length - 1];
    if (prev && e.start <= prev.end) prev.end = Math.max(prev.end, e.end);
    else out.push({ ...e });
  }
  return out;
}

export function scoreImsTest(name: keyof typeof IMS_TESTS): ImsScore {
  const spec = IMS_TESTS[name];
  const csv = withoutStop(parseCsvReadings(readFileSync(new URL(spec.file, DATA), 'utf8')));
  const end = csv.rows[csv.rows.length - 1]!.at;
  const t0 = performance.now();
  const analysis = analyzeReadings(csv);
  const analysisMs = performance.now() - t0;
  const cut = end - 3 * DAY;
  const before = analyzeReadings({ ...csv, rows: csv.rows.filter((r) => r.at <= cut) });
  const learnedUntil = Math.max(
    ...analysis.columns.map((c) => (c.learnedUntil ? Date.parse(c.learnedUntil) : Number.NEGATIVE_INFINITY)),
  );
  const learnedAt = new Map(
    analysis.columns.map((c) => [c.column, c.learnedUntil ? Date.parse(c.learnedUntil) : null]),
  );
  const episodesInLearning = analysis.episodes.filter((e) => {
    const until = learnedAt.get(e.indicator);
    return until !== null && until !== undefined && Date.parse(e.start) < until;
  }).length;
  const bearings = [...new Set(analysis.columns.map((c) => bearingOf(c.column)))].sort();
  const lastDay = Math.floor(end / DAY) * DAY;
  return {
    test: name,
    end,
    learnedUntil: Number.isFinite(learnedUntil) ? learnedUntil : null,
    episodesInLearning,
    analysisMs,
    bearings: bearings.map((bearing) => {
      const failedAt = spec.failed[bearing];
      const degradation = failedAt ? Date.parse(failedAt) : lastDay;
      const own = analysis.episodes.filter((e) => bearingOf(e.indicator) === bearing);
      const merged = mergeIntervals(own.map((e) => ({ start: Date.parse(e.start), end: Date.parse(e.end) })));
      const hard = 'hard' in spec && spec.hard === bearing;
      const flag = failedAt || hard ? merged.find((e) => hard || e.start >= degradation) : undefined;
      const channels = analysis.columns.filter((c) => bearingOf(c.column) === bearing).map((c) => c.column);
      return {
        bearing,
        failed: Boolean(failedAt) || hard,
        episodesBefore: merged.filter((e) => e.start < degradation).length,
        flaggedAt: flag?.start ?? null,
        leadDays: flag ? (end - flag.start) / DAY : null,
        shiftPct: flag ? shiftAt(csv, analysis, channels, flag.start) : null,
        trendThreeDaysBefore: channels.map((channel) => {
          const e = before.estimates.find((x) => x.indicator === channel);
          return {
            channel,
            trend: e?.trend ?? null,
            status: e?.status ?? 'none',
            daysToThreshold: e?.daysToThreshold ?? null,
          };
        }),
      };
    }),
  };
}

/** The median of the bearing's channels over the 6 h before `at`, against their learned references, %. */
function shiftAt(csv: CsvReadings, analysis: Analysis, channels: string[], at: number): number | null {
  const shifts = channels.map((channel) => {
    const values = csv.rows
      .filter((r) => r.at <= at && r.at > at - 6 * 3_600_000)
      .map((r) => r.values[channel])
      .filter((v): v is number => typeof v === 'number')
      .sort((a, b) => a - b);
    const reference = analysis.columns.find((c) => c.column === channel)?.reference;
    if (values.length === 0 || !reference) return Number.NaN;
    return (values[values.length >> 1]! / reference - 1) * 100;
  });
  const valid = shifts.filter(Number.isFinite);
  return valid.length ? Math.max(...valid) : null;
}
