import type { Response } from 'express';
import type { HalfYearReport } from '../../core/api/reports.ts';
import { HttpError } from '../http/errors.ts';
import { halfYearCsv } from './half-year-csv.ts';
import { halfYearPdf, ReportFontMissingError } from './pdf/half-year-pdf.ts';
import type { PdfLang } from './pdf/half-year-pdf-text.ts';

export interface ReportFileOptions {
  format: 'csv' | 'pdf';
  lang: PdfLang;
  timeZone: string;
  fontPath?: string;
}

/** Sends the report as a CSV or PDF attachment; a missing CJK font is a 503 with a code, not a crash. */
export async function sendReportFile(res: Response, report: HalfYearReport, options: ReportFileOptions) {
  const name = `half-year-${new Date(report.from).toISOString().slice(0, 10)}`;
  if (options.format === 'csv') {
    res
      .status(200)
      .set('content-type', 'text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="${name}.csv"`)
      .send(halfYearCsv(report));
    return;
  }
  let pdf: Buffer;
  try {
    pdf = await halfYearPdf(report, {
      lang: options.lang,
      timeZone: options.timeZone,
      ...(options.fontPath ? { fontPath: options.fontPath } : {}),
    });
  } catch (error) {
    if (error instanceof ReportFontMissingError)
      throw new HttpError(503, error.message, undefined, 'error.reportFontMissing', { font: error.fontPath });
    throw error;
  }
  res
    .status(200)
    .set('content-type', 'application/pdf')
    .set('content-disposition', `attachment; filename="${name}-${options.lang}.pdf"`)
    .send(pdf);
}
