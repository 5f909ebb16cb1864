/** One pump as the exposure sees it: when it entered service and when it left (ms, null: still in). */
export interface ExposedPump {
  site: string;
  station: string;
  customer: string;
  model: string;
  /** Install date, else sale date, else the station's acceptance; null: in service before any period. */
  inServiceFrom: number | null;
  retiredAt: number | null;
}

const HOUR = 3600_000;

/** Hours the pump was in service inside [from, to). Pure. */
export function pumpHours(pump: ExposedPump, from: number, to: number): number {
  const start = Math.max(from, pump.inServiceFrom ?? from);
  const end = Math.min(to, pump.retiredAt ?? to);
  return Math.max(0, end - start) / HOUR;
}

/** Pump-hours in [from, to) summed per key (`key` null: the pump is left out). */
export function exposureBy(
  pumps: readonly ExposedPump[],
  from: number,
  to: number,
  key: (pump: ExposedPump) => string | null,
): Map<string, number> {
  const hours = new Map<string, number>();
  for (const pump of pumps) {
    const name = key(pump);
    if (name === null) continue;
    hours.set(name, (hours.get(name) ?? 0) + pumpHours(pump, from, to));
  }
  return hours;
}

/** A `YYYY-MM-DD` date (UTC midnight) to ms; null for missing or unreadable dates. */
export function dateMs(date: string | null | undefined): number | null {
  if (!date) return null;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}
