import { isFaultSource } from '../../core/tickets/fault-sources.ts';

/** One failure as the reliability report sees it: a ticket opened by the equipment or a customer. */
export interface FailureRecord {
  station: string;
  /** The ticket's source; only fault sources count (core/tickets/fault-sources.ts). Absent: a fault. */
  source?: string;
  pumpModel: string | null;
  /** Root cause when resolved, else the fault class. */
  failureMode: string;
  openedAt: number;
  resolvedAt: number | null;
}

export type ReliabilityGrouping = 'station' | 'pump_model' | 'failure_mode';

export interface ReliabilityRow {
  key: string;
  failures: number;
  /** Mean time between failures in hours over the period and exposed units; null without failures. */
  mtbfHours: number | null;
  /** Mean time to repair (open to resolved) in hours over resolved failures; null if none resolved. */
  mttrHours: number | null;
  resolved: number;
}

const HOUR = 3600_000;

/**
 * MTBF and MTTR from tickets: MTBF = exposed unit-hours in the period / failures in it,
 * MTTR = mean open-to-resolved time. Follow-up, planned and predictive tickets are not failures.
 * `exposureHours(key)` gives the pump-hours in service inside the period (server/reports/exposure.ts);
 * without it (or for a key it does not know) `units` counts exposed units per key over the whole
 * period, one unit when not counted. Pure.
 */
export function reliability(
  failures: FailureRecord[],
  grouping: ReliabilityGrouping,
  period: { from: number; to: number },
  units: Record<string, number> = {},
  exposureHours?: (key: string) => number | undefined,
): ReliabilityRow[] {
  const groups = new Map<string, FailureRecord[]>();
  for (const failure of failures) {
    if (failure.openedAt < period.from || failure.openedAt >= period.to) continue;
    if (failure.source !== undefined && !isFaultSource(failure.source)) continue;
    const key =
      grouping === 'station'
        ? failure.station
        : grouping === 'pump_model'
          ? (failure.pumpModel ?? 'station')
          : failure.failureMode;
    groups.set(key, [...(groups.get(key) ?? []), failure]);
  }
  const hours = Math.max(0, period.to - period.from) / HOUR;
  return [...groups.entries()]
    .map(([key, records]) => {
      const repaired = records.filter((record) => record.resolvedAt !== null);
      const repairHours = repaired.reduce(
        (sum, record) => sum + ((record.resolvedAt ?? 0) - record.openedAt) / HOUR,
        0,
      );
      return {
        key,
        failures: records.length,
        mtbfHours: (exposureHours?.(key) ?? hours * (units[key] ?? 1)) / records.length,
        mttrHours: repaired.length > 0 ? repairHours / repaired.length : null,
        resolved: repaired.length,
      };
    })
    .sort((a, b) => b.failures - a.failures || a.key.localeCompare(b.key));
}
