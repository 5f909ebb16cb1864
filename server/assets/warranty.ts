/** Calendar day (UTC) of a time, as stored in asset dates: `YYYY-MM-DD`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Whether equipment is in warranty on the day of `at`; null when its warranty end is unknown. */
export function inWarranty(warrantyEnd: string | null, at: number): boolean | null {
  if (!warrantyEnd) return null;
  return dayOf(at) <= warrantyEnd;
}
