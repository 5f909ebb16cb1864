import type { SatisfactionRow } from '../../core/api/portal.ts';
import type { SatisfactionCounts } from './portal-store.ts';

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The satisfaction report's rows from the store's counts: averages to 2 places, the response rate 0..1. Pure. */
export function satisfactionRows(counts: readonly SatisfactionCounts[]): SatisfactionRow[] {
  return counts.map((c) => ({
    customer: c.customer,
    name: c.name,
    surveys: c.surveys,
    average: c.surveys === 0 ? null : round2(c.scoreSum / c.surveys),
    aspects: Object.fromEntries(
      Object.entries(c.aspectSums).map(([aspect, { sum, n }]) => [aspect, round2(sum / n)]),
    ),
    closed: c.closed,
    responseRate: c.closed === 0 ? null : round2(c.closedSurveyed / c.closed),
  }));
}
