import { existsSync } from 'node:fs';
import type { HalfYearReport } from '../../../core/api/reports.ts';
import { faultsPerMonth } from '../../../core/reports/half-year-calendar.ts';
import { wallClock } from '../../../core/time/wall-clock.ts';
import { type PdfLang, pdfNumber, pdfTexts } from './half-year-pdf-text.ts';
import { loadPdfKit } from './load-pdfkit.ts';
import { columnChart, heading, horizontalBars, table } from './pdf-draw.ts';

export const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';
// The collection's member (family 'WenQuanYi Zen Hei'): pdfkit picks a TTC member by its PostScript name.
export const CJK_FONT_FAMILY = 'WenQuanYiZenHei';

export interface PdfOptions {
  lang: PdfLang;
  /** Months and dates are read in this zone (the company's). */
  timeZone: string;
  /** A font with Chinese glyphs (TrueType collection or file). Default CJK_FONT_PATH. */
  fontPath?: string;
}

/** The machine has no font that can write the report's Chinese: retrying does not help, installing one does. */
export class ReportFontMissingError extends Error {
  readonly code = 'error.reportFontMissing';
  constructor(readonly fontPath: string) {
    super(`the PDF report needs a CJK font at ${fontPath} (Debian: apt-get install fonts-wqy-zenhei)`);
  }
}

const date = (ms: number, zone: string) => {
  const p = wallClock(ms, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/** The half-year report as a PDF in one language, charts drawn as vector paths. */
export async function halfYearPdf(report: HalfYearReport, options: PdfOptions): Promise<Buffer> {
  const fontPath = options.fontPath ?? CJK_FONT_PATH;
  if (!existsSync(fontPath)) throw new ReportFontMissingError(fontPath);
  const PDFDocument = await loadPdfKit();
  const t = pdfTexts(options.lang);
  const zone = options.timeZone;
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: t.title } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath, CJK_FONT_FAMILY);
  doc.font('cjk');

  doc.fontSize(16).text(t.title);
  doc.moveDown(0.3).fontSize(9);
  doc.text(`${t.period}: ${date(report.from, zone)} – ${date(report.to - 1, zone)}`);
  doc.text(`${t.customer}: ${report.customer ?? t.allCustomers}`);
  doc.text(`${t.generated}: ${date(report.generatedAt, zone)}`);

  heading(doc, t.summary);
  const total = report.totals;
  const sla = report.slaCompliance.available
    ? `${pdfNumber.rate(report.slaCompliance.value.rate)} (${report.slaCompliance.value.met}/${report.slaCompliance.value.total})`
    : t.notAvailable;
  const satisfaction = report.satisfaction.available
    ? `${pdfNumber.score(report.satisfaction.value.meanScore)} (${report.satisfaction.value.responses} ${t.responses})`
    : t.notAvailable;
  table(
    doc,
    [
      { header: t.key, width: 200 },
      { header: '', width: 200, align: 'right' },
    ],
    [
      [t.faults, pdfNumber.count(total.faults)],
      [t.resolved, pdfNumber.count(total.resolved)],
      [t.exposure, pdfNumber.hours(total.exposureHours)],
      [t.mtbf, pdfNumber.hours(total.mtbfHours)],
      [t.mttr, pdfNumber.hours(total.mttrHours)],
      [t.repeats, pdfNumber.count(total.repeats)],
      [t.firstTimeFix, pdfNumber.rate(total.firstTimeFixRate)],
      [t.sla, sla],
      [t.satisfaction, satisfaction],
      [t.partsCost, report.partsCost === null ? t.notAvailable : report.partsCost.toFixed(2)],
    ],
  );

  heading(doc, t.chartModes);
  horizontalBars(
    doc,
    report.byFailureMode.map((row) => ({ label: row.key, value: row.faults })),
  );
  heading(doc, t.chartMonths);
  const months = faultsPerMonth(
    report.faults.map((fault) => fault.openedAt),
    report,
    zone,
  );
  columnChart(
    doc,
    months.map((month) => ({ label: month.month.slice(2), value: month.faults })),
  );

  const figureColumns = [
    { header: t.key, width: 125 },
    { header: t.faults, width: 45, align: 'right' as const },
    { header: t.colExposure, width: 80, align: 'right' as const },
    { header: t.colMtbf, width: 75, align: 'right' as const },
    { header: t.colMttr, width: 75, align: 'right' as const },
    { header: t.colRepeats, width: 55, align: 'right' as const },
    { header: t.colFirstFix, width: 60, align: 'right' as const },
  ];
  const figureRows = (rows: HalfYearReport['byFailureMode']) =>
    rows.map((row) => [
      row.key,
      pdfNumber.count(row.faults),
      pdfNumber.hours(row.exposureHours),
      pdfNumber.hours(row.mtbfHours),
      pdfNumber.hours(row.mttrHours),
      pdfNumber.count(row.repeats),
      pdfNumber.rate(row.firstTimeFixRate),
    ]);
  for (const [title, rows] of [
    [t.byFailureMode, report.byFailureMode],
    [t.byCustomer, report.byCustomer],
    [t.bySite, report.bySite],
    [t.byModel, report.byModel],
  ] as const) {
    heading(doc, title);
    table(doc, figureColumns, figureRows(rows));
  }

  heading(doc, t.rootCauses);
  table(
    doc,
    [
      { header: t.mode, width: 120 },
      { header: t.faults, width: 45, align: 'right' },
      { header: t.chargeable, width: 60 },
      { header: t.actions, width: 290 },
    ],
    report.topRootCauses.map((cause) => [
      cause.code,
      pdfNumber.count(cause.faults),
      cause.chargeable === null ? t.unknown : cause.chargeable ? t.yes : t.no,
      cause.actions.join('; '),
    ]),
  );

  heading(doc, t.notFaults);
  const notFaults = Object.entries(report.notFaults);
  doc.text(notFaults.length ? notFaults.map(([source, n]) => `${source}: ${n}`).join('   ') : t.none);

  heading(doc, t.faultList);
  const sorted = [...report.faults].sort(
    (a, b) => a.failureMode.localeCompare(b.failureMode) || a.openedAt - b.openedAt,
  );
  table(
    doc,
    [
      { header: '#', width: 40 },
      { header: t.opened, width: 70 },
      { header: t.station, width: 90 },
      { header: t.mode, width: 120 },
      { header: t.severity, width: 55 },
      { header: t.colRepair, width: 70, align: 'right' },
      { header: t.repeat, width: 50 },
    ],
    sorted.map((fault) => [
      String(fault.id),
      date(fault.openedAt, zone),
      `${fault.site}/${fault.station}${fault.pump === null ? '' : `#${fault.pump}`}`,
      fault.failureMode,
      fault.severity,
      pdfNumber.hours(fault.resolvedAt === null ? null : (fault.resolvedAt - fault.openedAt) / 3_600_000),
      fault.repeat ? t.yes : '',
    ]),
  );
  doc.end();
  return done;
}
