import { describe, expect, test } from 'vitest';
import {
  addMonthsToDay,
  type ChargeInput,
  decideCharge,
  partWarrantyEnd,
} from '../../core/service-record/charges.ts';

// Who pays for a repair, by the service contracts' rules (DOMAIN.md "Warranty"): a table of cases.
const seal = { part: 'SEAL-25', quantity: 2, unitCostCents: 12_000, partWarrantyEnd: null };
const bearing = { part: 'BRG-6205', quantity: 1, unitCostCents: 4_550, partWarrantyEnd: null };
const base: ChargeInput = {
  day: '2026-06-01',
  equipmentWarrantyEnd: '2027-05-31',
  customerCaused: false,
  lines: [seal, bearing],
  labourCents: null,
};

const cases: [string, ChargeInput, { total: number; reasons: string[]; inWarranty: boolean | null }][] = [
  [
    'in warranty, quality fault: free',
    base,
    { total: 0, reasons: ['inWarranty', 'inWarranty'], inWarranty: true },
  ],
  [
    'the last day of warranty still counts',
    { ...base, day: '2027-05-31' },
    { total: 0, reasons: ['inWarranty', 'inWarranty'], inWarranty: true },
  ],
  [
    'out of warranty: parts at cost',
    { ...base, day: '2027-06-01' },
    { total: 28_550, reasons: ['outOfWarranty', 'outOfWarranty'], inWarranty: false },
  ],
  [
    'customer damage is charged inside warranty',
    { ...base, customerCaused: true },
    { total: 28_550, reasons: ['customerCaused', 'customerCaused'], inWarranty: true },
  ],
  [
    "a part's own warranty keeps it free out of warranty",
    { ...base, day: '2027-06-01', lines: [{ ...seal, partWarrantyEnd: '2027-12-01' }, bearing] },
    { total: 4_550, reasons: ['partWarranty', 'outOfWarranty'], inWarranty: false },
  ],
  [
    'an expired part warranty does not',
    { ...base, day: '2027-06-01', lines: [{ ...seal, partWarrantyEnd: '2027-05-01' }] },
    { total: 24_000, reasons: ['outOfWarranty'], inWarranty: false },
  ],
  [
    "customer damage overrides a part's own warranty",
    { ...base, customerCaused: true, lines: [{ ...seal, partWarrantyEnd: '2027-12-01' }] },
    { total: 24_000, reasons: ['customerCaused'], inWarranty: true },
  ],
  [
    'unknown warranty is charged and says so',
    { ...base, equipmentWarrantyEnd: null },
    { total: 28_550, reasons: ['warrantyUnknown', 'warrantyUnknown'], inWarranty: null },
  ],
  [
    'labour per contract follows the equipment decision (out of warranty)',
    { ...base, day: '2027-06-01', lines: [], labourCents: 30_000 },
    { total: 30_000, reasons: ['outOfWarranty'], inWarranty: false },
  ],
  [
    'labour is free in warranty',
    { ...base, lines: [], labourCents: 30_000 },
    { total: 0, reasons: ['inWarranty'], inWarranty: true },
  ],
  [
    'no parts, no labour term: nothing to pay',
    { ...base, lines: [] },
    { total: 0, reasons: [], inWarranty: true },
  ],
];

describe('decideCharge', () => {
  test.each(cases)('%s', (_name, input, expected) => {
    const charge = decideCharge(input);
    expect(charge.totalCents).toBe(expected.total);
    expect(charge.lines.map((line) => line.reason)).toEqual(expected.reasons);
    expect(charge.inWarranty).toBe(expected.inWarranty);
    for (const line of charge.lines)
      expect(line.amountCents).toBe(line.charged ? line.quantity * line.unitCostCents : 0);
  });
});

describe('part warranty days', () => {
  test.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-05-15', 24, '2028-05-15'],
  ])('%s + %i months = %s', (day, months, expected) => {
    expect(addMonthsToDay(day, months)).toBe(expected);
  });

  test('the latest earlier fitting counts; none or no months: no own warranty', () => {
    expect(partWarrantyEnd(['2025-01-10', '2026-03-01'], 12)).toBe('2027-03-01');
    expect(partWarrantyEnd([], 12)).toBeNull();
    expect(partWarrantyEnd(['2026-03-01'], 0)).toBeNull();
  });
});
