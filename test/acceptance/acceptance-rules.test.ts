import { describe, expect, test } from 'vitest';
import {
  acceptanceIssues,
  acceptancePassed,
  dielectricRequirement,
} from '../../core/acceptance/acceptance-rules.ts';
import { warrantyFromAcceptance } from '../../server/assets/warranty.ts';
import { followUpVisits } from '../../server/maintenance/schedule.ts';

describe('the dielectric test a nominal voltage requires', () => {
  test.each([
    // The source documents' two points.
    { nominal: 220, testVoltage: 2000 },
    { nominal: 380, testVoltage: 2500 },
    // The bands they are rows of (IEC 60439-1 table 10), edges included.
    { nominal: 24, testVoltage: 1000 },
    { nominal: 60, testVoltage: 1000 },
    { nominal: 60.5, testVoltage: 2000 },
    { nominal: 230, testVoltage: 2000 },
    { nominal: 300, testVoltage: 2000 },
    { nominal: 400, testVoltage: 2500 },
    { nominal: 690, testVoltage: 2500 },
    { nominal: 720, testVoltage: 3000 },
    { nominal: 1000, testVoltage: 3500 },
  ])('$nominal V: $testVoltage V for 60 s', ({ nominal, testVoltage }) => {
    expect(dielectricRequirement(nominal)).toEqual({ testVoltage, seconds: 60 });
  });

  test.each([1001, 10_000, 0, -220, Number.NaN])('%s V: no rule', (nominal) => {
    expect(dielectricRequirement(nominal)).toBeUndefined();
  });
});

const record = (
  nominalVoltage: number,
  testVoltage: number,
  seconds: number,
  passed = true,
  earth = true,
) => ({
  nominalVoltage,
  dielectric: { testVoltage, seconds, passed },
  earth: { resistanceOhms: 0.1, passed: earth },
});

describe('a record is refused when its test falls short, passed or not', () => {
  test.each([
    { what: '220 V at 2000 V for 1 min', r: record(220, 2000, 60), paths: [] },
    { what: '380 V at 2500 V for 1 min', r: record(380, 2500, 60), paths: [] },
    { what: '380 V at 3000 V for 2 min (more is fine)', r: record(380, 3000, 120), paths: [] },
    {
      what: '380 V at 2000 V (the 220 V figure)',
      r: record(380, 2000, 60),
      paths: ['dielectric.testVoltage'],
    },
    { what: '220 V at 1999 V', r: record(220, 1999, 60), paths: ['dielectric.testVoltage'] },
    { what: '220 V for 59 s', r: record(220, 2000, 59), paths: ['dielectric.seconds'] },
    {
      what: '380 V at 2400 V for 30 s, marked failed',
      r: record(380, 2400, 30, false),
      paths: ['dielectric.testVoltage', 'dielectric.seconds'],
    },
    { what: '10 kV equipment', r: record(10_000, 30_000, 60), paths: ['nominalVoltage'] },
    { what: 'NaN test voltage', r: record(220, Number.NaN, 60), paths: ['dielectric.testVoltage'] },
  ])('$what: $paths', ({ r, paths }) => {
    expect(acceptanceIssues(r).map((i) => i.path)).toEqual(paths);
  });

  test('the refusal names the figures, for a reader of either language', () => {
    expect(acceptanceIssues(record(380, 2000, 60))[0]).toMatchObject({
      code: 'error.acceptanceVoltageLow',
      params: { voltage: 2000, required: 2500, nominal: 380 },
    });
  });

  test.each([
    { dielectric: true, earth: true, passed: true },
    { dielectric: false, earth: true, passed: false },
    { dielectric: true, earth: false, passed: false },
    { dielectric: false, earth: false, passed: false },
  ])('dielectric $dielectric, earth $earth: accepted $passed', ({ dielectric, earth, passed }) => {
    expect(acceptancePassed(record(220, 2000, 60, dielectric, earth))).toBe(passed);
  });
});

describe('warranty from the contract terms, counted from acceptance', () => {
  const pumps = [
    { pump: 1, model: 'CDLF 32-4' },
    { pump: 2, model: 'CR 10-6' },
  ];
  test.each([
    {
      what: 'five years for everything',
      terms: { equipmentYears: 5 },
      equipment: '2031-03-15',
      pumpEnds: ['2031-03-15', '2031-03-15'],
    },
    {
      what: 'pumps for 36 months by name',
      terms: { equipmentYears: 2, parts: [{ part: '水泵', months: 36 }] },
      equipment: '2028-03-15',
      pumpEnds: ['2029-03-15', '2029-03-15'],
    },
    {
      what: 'one pump model for 18 months',
      terms: { equipmentYears: 1, parts: [{ part: 'cr 10-6', months: 18 }] },
      equipment: '2027-03-15',
      pumpEnds: ['2027-03-15', '2027-09-15'],
    },
    {
      what: 'no terms stored: one year',
      terms: {},
      equipment: '2027-03-15',
      pumpEnds: ['2027-03-15', '2027-03-15'],
    },
  ])('$what', ({ terms, equipment, pumpEnds }) => {
    const dates = warrantyFromAcceptance(terms, '2026-03-15', pumps);
    expect(dates.equipmentEnd).toBe(equipment);
    expect(dates.pumps.map((p) => p.warrantyEnd)).toEqual(pumpEnds);
  });

  test('a 29 February acceptance ends on 28 February', () => {
    expect(warrantyFromAcceptance({ equipmentYears: 1 }, '2024-02-29', []).equipmentEnd).toBe('2025-02-28');
  });
});

test('follow-up visits: the first a week after acceptance, then the 3rd and 6th month, then yearly', () => {
  expect(followUpVisits('2026-01-31', '2026-01-31', '2027-12-31')).toEqual([
    { months: 0, kind: 'first', due: '2026-02-07' },
    { months: 3, kind: 'quarterly', due: '2026-04-30' },
    { months: 6, kind: 'half_year', due: '2026-07-31' },
    { months: 12, kind: 'yearly', due: '2027-01-31' },
  ]);
});
