const DAY = 86_400_000;

/** Planned work without a calendar date (run-hour plans) is due this long after its ticket opens. */
export const DEFAULT_PLANNED_WINDOW_MS = 14 * DAY;

/** How far ahead of a predicted crossing the work is due, at most: three days. */
export const PREDICTION_MARGIN_MS = 3 * DAY;

/** A plan's work is due at the end of its due day (the scheduler's days are UTC days). */
export function plannedDueAt(dueDay: string | null, openedAt: number): number {
  if (dueDay === null) return openedAt + DEFAULT_PLANNED_WINDOW_MS;
  return Date.parse(`${dueDay}T00:00:00Z`) + DAY;
}

/**
 * A prediction's work is due a margin before the predicted crossing: three days, or half the time
 * to the crossing when that is nearer, so a close crossing still leaves time to act.
 */
export function predictedDueAt(crossingAt: number | null, openedAt: number): number | null {
  if (crossingAt === null || !Number.isFinite(crossingAt)) return null;
  const ahead = Math.max(0, crossingAt - openedAt);
  return crossingAt - Math.min(PREDICTION_MARGIN_MS, ahead / 2);
}
