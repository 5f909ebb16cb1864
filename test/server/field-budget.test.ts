import { describe, expect, test } from 'vitest';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { FieldBudget } from '../../server/ingest/field-budget.ts';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

function message(values: Record<string, number>, station = 'st1'): Telemetry {
  const held: Telemetry['values'] = {};
  for (const [meaning, v] of Object.entries(values)) held[meaning] = { v, q: 'good' };
  return { v: 1, site: 's', station, edge: 'e1', model: 'm', seq: 0, ts: T0, state: 'ok', values: held };
}

/** `n` invented custom readings, `custom.f<from>` on. */
const invented = (from: number, n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`custom.f${from + i}`, i]));

describe('fields an edge may make', () => {
  test('35 messages of 1,000 invented readings: refused whole past the per-message limit', () => {
    const budget = new FieldBudget({ perMessage: 512, newPerStationPerHour: 100 });
    const verdicts = Array.from({ length: 35 }, (_, i) =>
      budget.judge(message(invented(i * 1000, 1000)), T0),
    );
    expect(verdicts.every((v) => v.kind === 'too_many_fields')).toBe(true);
  });

  test('new custom readings pass up to the hourly budget per station; the rest are taken out', () => {
    const budget = new FieldBudget({ perMessage: 512, newPerStationPerHour: 100 });
    const added: string[] = [];
    let refused = 0;
    for (let i = 0; i < 35; i++) {
      const verdict = budget.judge(message({ 'pressure.outlet': 3.2, ...invented(i * 10, 10) }), T0 + i);
      expect(verdict.kind).not.toBe('too_many_fields');
      if (verdict.kind === 'too_many_fields') continue;
      added.push(...Object.keys(verdict.message.values).filter((m) => m.startsWith('custom.')));
      // The profile's readings always pass.
      expect(verdict.message.values['pressure.outlet']?.v).toBe(3.2);
      if (verdict.kind === 'trimmed') refused += verdict.refused.length;
    }
    expect(new Set(added).size).toBe(100);
    expect(refused).toBe(250);
    // Known ones keep passing; another station has a budget of its own; the next hour admits more.
    expect(budget.judge(message(invented(0, 10)), T0 + 100).kind).toBe('ok');
    expect(budget.judge(message(invented(900, 10), 'st2'), T0 + 100).kind).toBe('ok');
    expect(budget.judge(message(invented(900, 10)), T0 + 100).kind).toBe('trimmed');
    expect(budget.judge(message(invented(900, 10)), T0 + HOUR + 1).kind).toBe('ok');
  });

  test('a message of profile readings only is handed on as it is', () => {
    const budget = new FieldBudget();
    const m = message({ 'pressure.outlet': 3.2, 'pump[1].frequency': 48 });
    const verdict = budget.judge(m, T0);
    expect(verdict).toEqual({ kind: 'ok', message: m });
    if (verdict.kind === 'ok') expect(verdict.message).toBe(m);
  });
});
