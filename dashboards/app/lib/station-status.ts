import type { Alarm, Severity, Shelf, StationView } from './types.ts';

export type TileState = 'normal' | 'warning' | 'alarm' | 'offline';
export type PumpState = 'running' | 'standby' | 'fault' | 'stopped' | 'unknown';

/** Data older than this is stale: the edge publishes every second. */
export const STALE_AFTER_MS = 10_000;

const ACTIVE = new Set(['active_unack', 'active_ack']);

/**
 * A station's active alarms that ask for attention: a shelved one (an operator has said it is known)
 * is left out, so it neither colours the tile nor counts. Pure.
 */
export function activeAlarmsOf(
  alarms: readonly Alarm[],
  station: string,
  shelves: readonly Shelf[] = [],
  now = Number.NEGATIVE_INFINITY,
): Alarm[] {
  return alarms.filter(
    (alarm) => alarm.station === station && ACTIVE.has(alarm.status) && !shelfOf(alarm, shelves, now),
  );
}

/** The shelf in force at `now` that holds this alarm (same site, station, fault and subject), if any. Pure. */
export function shelfOf(alarm: Alarm, shelves: readonly Shelf[], now: number): Shelf | undefined {
  return shelves.find(
    (shelf) =>
      shelf.site === alarm.site &&
      shelf.station === alarm.station &&
      shelf.faultClass === alarm.faultClass &&
      shelf.subject === alarm.subject &&
      shelf.until > now,
  );
}

const RANK: Record<Severity, number> = { major: 3, general: 2, minor: 1 };

/** The alarm a tile names: the most severe, then the one raised last, unacknowledged before acknowledged. Pure. */
export function topAlarm(alarms: readonly Alarm[]): Alarm | undefined {
  return [...alarms].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      Number(b.status === 'active_unack') - Number(a.status === 'active_unack') ||
      b.lastRaisedAt - a.lastRaisedAt,
  )[0];
}

/**
 * A station tile's colour: offline when the station is silent or its data stale, alarm with an
 * active general or major alarm, warning with a minor alarm or a degraded link. Doubtful values
 * (frozen, out of range) count through the alarms the server raises for them. Pure.
 */
export function tileState(
  view: StationView | undefined,
  activeAlarms: readonly Alarm[],
  now: number,
): TileState {
  if (!view || view.state === 'comms_failed' || now - view.ts > STALE_AFTER_MS) return 'offline';
  if (activeAlarms.some((alarm) => alarm.severity !== 'minor')) return 'alarm';
  return activeAlarms.length > 0 || view.state === 'degraded' ? 'warning' : 'normal';
}

export interface PumpStatus {
  pump: number;
  state: PumpState;
  duty: boolean;
  standby: boolean;
}

const bool = (view: StationView, meaning: string): boolean | undefined => {
  const v = view.values[meaning]?.v;
  return typeof v === 'boolean' ? v : undefined;
};

export function numberOf(view: StationView | undefined, meaning: string): number | undefined {
  const v = view?.values[meaning]?.v;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The pumps a view has values for (pump[N].*), in order. */
export function pumpNumbers(view: StationView): number[] {
  const found = new Set<number>();
  for (const meaning of Object.keys(view.values)) {
    const match = /^pump\[(\d)\]\./.exec(meaning);
    if (match) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Each pump's state (fault wins over running, running over standby) and role. Pure. */
export function pumpStatuses(view: StationView): PumpStatus[] {
  return pumpNumbers(view).map((pump) => {
    const fault = bool(view, `pump[${pump}].fault`);
    const running = bool(view, `pump[${pump}].running`);
    const standby = bool(view, `pump[${pump}].standby`) ?? false;
    // Profiles without a duty bit: a pump running outside the standby role carries the duty.
    const duty = bool(view, `pump[${pump}].duty`) ?? (running === true && !standby && !fault);
    let state: PumpState = 'unknown';
    if (fault) state = 'fault';
    else if (running) state = 'running';
    else if (standby) state = 'standby';
    else if (running === false) state = 'stopped';
    return { pump, state, duty, standby };
  });
}

/**
 * Failover: a pump has faulted and another pump carries the load, so water flows but the station
 * has lost its redundancy. Pure.
 */
export function failoverActive(pumps: readonly PumpStatus[]): boolean {
  return pumps.some((p) => p.state === 'fault') && pumps.some((p) => p.state === 'running');
}
