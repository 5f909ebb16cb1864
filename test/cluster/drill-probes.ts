import { readFile } from 'node:fs/promises';
import { DRILL_SITE } from './drill-load.ts';

/** The servers' /metrics token in the drill. */
export const METRICS_TOKEN = 'scaleout-metrics-token';

/** User plus system CPU of a process so far, ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Telemetry messages the instance has taken in (its /metrics counter). */
export async function telemetryIn(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith('aftercare_mqtt_messages_total{kind="telemetry"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Stored telemetry messages per station: points of pressure.outlet, one per message. */
export async function storedPerStation(influxUrl: string): Promise<Map<string, number>> {
  const query = `SELECT count("pressure_outlet") FROM "station" WHERE "site"='${DRILL_SITE}' GROUP BY "station"`;
  const response = await fetch(`${influxUrl}/query?db=aftercare&q=${encodeURIComponent(query)}`);
  const body = (await response.json()) as {
    results: Array<{ series?: Array<{ tags: { station: string }; values: Array<[string, number]> }> }>;
  };
  const counts = new Map<string, number>();
  for (const series of body.results[0]?.series ?? []) counts.set(series.tags.station, series.values[0]![1]);
  return counts;
}
