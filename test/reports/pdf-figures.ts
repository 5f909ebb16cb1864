import { expect } from 'vitest';
import type { HalfYearReport } from '../../core/api/reports.ts';
import { type PdfLang, pdfNumber, pdfTexts } from '../../server/reports/pdf/half-year-pdf-text.ts';

const words = (line: string) => line.trim().split(/\s+/);

/** The summary, the per-mode/customer/site/model tables and the fault list of the PDF's text against the JSON. */
export function expectPdfMatchesReport(text: string, report: HalfYearReport, lang: PdfLang): void {
  const t = pdfTexts(lang);
  const lines = text.split('\n');
  expect(text).toContain(t.title);
  const summary = (label: string) => lines.find((line) => line.trim().startsWith(label)) ?? '';
  expect(words(summary(t.faults)).at(-1)).toBe(pdfNumber.count(report.totals.faults));
  expect(words(summary(t.mtbf)).at(-1)).toBe(pdfNumber.hours(report.totals.mtbfHours));
  expect(words(summary(t.mttr)).at(-1)).toBe(pdfNumber.hours(report.totals.mttrHours));
  expect(words(summary(t.exposure)).at(-1)).toBe(pdfNumber.hours(report.totals.exposureHours));
  expect(words(summary(t.repeats)).at(-1)).toBe(pdfNumber.count(report.totals.repeats));
  expect(words(summary(t.firstTimeFix)).at(-1)).toBe(pdfNumber.rate(report.totals.firstTimeFixRate));
  if (!report.satisfaction.available) expect(summary(t.satisfaction)).toContain(t.notAvailable);
  else expect(summary(t.satisfaction)).toContain(pdfNumber.score(report.satisfaction.value.meanScore));
  for (const rows of [report.byFailureMode, report.byCustomer, report.bySite, report.byModel]) {
    for (const row of rows) {
      const line = lines.find((l) => words(l)[0] === row.key && words(l).length === 7);
      expect(line, `a table row for ${row.key}`).toBeDefined();
      expect(words(line ?? '')).toEqual([
        row.key,
        pdfNumber.count(row.faults),
        pdfNumber.hours(row.exposureHours),
        pdfNumber.hours(row.mtbfHours),
        pdfNumber.hours(row.mttrHours),
        pdfNumber.count(row.repeats),
        pdfNumber.rate(row.firstTimeFixRate),
      ]);
    }
  }
  // Every fault listed once, the repeats marked.
  for (const fault of report.faults) {
    const line = lines.find((l) => words(l)[0] === String(fault.id) && l.includes(fault.failureMode));
    expect(line, `fault ${fault.id}`).toBeDefined();
    expect(words(line ?? '').at(-1) === t.yes).toBe(fault.repeat);
  }
  for (const cause of report.topRootCauses) {
    const charge = cause.chargeable === null ? t.unknown : cause.chargeable ? t.yes : t.no;
    const line = lines.find((l) => words(l)[0] === cause.code && words(l)[2] === charge);
    expect(words(line ?? '')[1]).toBe(pdfNumber.count(cause.faults));
    expect(line).toContain((cause.actions[0] ?? '').slice(0, 6));
  }
  expect(text).toContain(t.chartModes);
  expect(text).toContain(t.chartMonths);
}
