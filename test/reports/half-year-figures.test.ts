import { describe, expect, test } from 'vitest';
import { halfYearFigures, type TicketFact } from '../../server/reports/half-year.ts';

const HOUR = 3_600_000;
const fault = (id: number, model: string): TicketFact => ({
  id,
  site: 's',
  station: 'a',
  customer: 'c',
  pump: 1,
  model,
  source: 'alarm',
  severity: 'general',
  faultClass: 'overcurrent',
  rootCause: 'bearing',
  createdAt: id * HOUR,
  resolvedAt: id * HOUR + 2 * HOUR,
  reopenCount: 0,
  visits: 1,
  parts: [],
  workDone: 'replaced',
});

describe('half-year figures', () => {
  test('a model with faults but no pump-hours known has no MTBF (not 0)', () => {
    const figures = halfYearFigures([fault(1, 'unknown'), fault(2, 'unknown')], [], {
      from: 0,
      to: 100 * HOUR,
    });
    const row = figures.byModel.find((r) => r.key === 'unknown');
    expect(row?.faults).toBe(2);
    expect(row?.exposureHours).toBe(0);
    expect(row?.mtbfHours).toBeNull();
    expect(row?.mttrHours).toBe(2);
  });
});
