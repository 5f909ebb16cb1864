import { describe, expect, test } from 'vitest';
import { halfYearReportSchema } from '../../core/api/reports.ts';
import { halfYearPdf, ReportFontMissingError } from '../../server/reports/pdf/half-year-pdf.ts';

const empty = halfYearReportSchema.parse({
  from: 0,
  to: 86_400_000,
  customer: null,
  generatedAt: 0,
  totals: {
    key: 'all',
    faults: 0,
    resolved: 0,
    exposureHours: 0,
    mtbfHours: null,
    mttrHours: null,
    repeats: 0,
    firstTimeFixRate: null,
  },
  byCustomer: [],
  bySite: [],
  byModel: [],
  byFailureMode: [],
  faults: [],
  notFaults: {},
  parts: [],
  partsCost: null,
  topRootCauses: [],
  slaCompliance: { available: false, reason: 'not_available_yet' },
  satisfaction: { available: false, reason: 'not_available_yet' },
});

describe('the PDF without a CJK font', () => {
  test('is refused with a code that says what to install, not a crash', async () => {
    const answer = halfYearPdf(empty, { lang: 'zh-CN', timeZone: 'UTC', fontPath: '/nonexistent/font.ttc' });
    await expect(answer).rejects.toBeInstanceOf(ReportFontMissingError);
    await expect(answer).rejects.toMatchObject({ code: 'error.reportFontMissing' });
  });

  test('an empty range still gives a PDF', async () => {
    const pdf = await halfYearPdf(empty, { lang: 'en', timeZone: 'UTC' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
