import { existsSync } from 'node:fs';
import type { ChargeLine } from '../../core/service-record/charges.ts';
import {
  CHARGE_REASON_LABELS,
  RECORD_LABELS,
  type RecordLanguage,
  yuan,
} from '../../core/service-record/record-labels.ts';
import { HttpError } from '../http/errors.ts';
import { loadPdfKit } from '../reports/pdf/load-pdfkit.ts';

/** The CJK font the PDF needs (Debian fonts-wqy-zenhei): family WenQuanYi Zen Hei, face WenQuanYiZenHei. */
export const CJK_FONT = {
  path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  family: 'WenQuanYi Zen Hei',
  postscriptName: 'WenQuanYiZenHei',
};

/** Everything the printed record shows, already in words (names, times in the site's zone). */
export interface RecordDocument {
  language: RecordLanguage;
  provider: string;
  customer: string;
  site: string;
  station: string;
  ticketId: number;
  equipment: string;
  warrantyEnd: string | null;
  fault: string;
  reportedAt: string;
  technician: string;
  arrivedAt: string | null;
  finishedAt: string;
  workDone: string;
  parts: (ChargeLine & { name: string })[];
  totalCents: number;
  readings: { key: string; before: string; after: string }[];
  rootCause: string;
  quote: string | null;
  signature: Uint8Array;
  signerName: string;
  signedOn: string;
}

/** Refuses (503 with a code, not a crash) when the machine has no CJK font. */
export function requireCjkFont(path = CJK_FONT.path): void {
  if (!existsSync(path))
    throw new HttpError(
      503,
      `no CJK font at ${path}: install fonts-wqy-zenhei`,
      undefined,
      'error.pdfFontMissing',
      {
        font: path,
      },
    );
}

/** Builds the 售后服务单 as PDF bytes (A4, the layout of the paper form). */
export async function buildRecordPdf(record: RecordDocument, fontPath = CJK_FONT.path): Promise<Buffer> {
  requireCjkFont(fontPath);
  const PDFDocument = await loadPdfKit();
  const label = RECORD_LABELS[record.language];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `${label.title} #${record.ticketId}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // Inside a .ttc collection, pdfkit (fontkit) picks a face by its PostScript name, not its family.
  doc.registerFont('cjk', fontPath, CJK_FONT.postscriptName);
  doc.font('cjk');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.fontSize(18).text(label.title, { align: 'center' });
  doc.fontSize(9).text(`${label.ticket}: ${record.ticketId}`, { align: 'right' });
  doc.moveDown(0.5);
  const field = (name: string, value: string) => {
    doc
      .fontSize(10)
      .text(`${name}：`, { continued: true })
      .text(value || '—');
  };
  const section = (name: string) => {
    doc.moveDown(0.6);
    const y = doc.y;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .stroke();
    doc.moveDown(0.3).fontSize(12).text(name);
    doc.moveDown(0.2);
  };

  field(label.provider, record.provider);
  field(label.customer, record.customer);
  field(label.site, record.site);
  field(label.station, record.station);
  field(label.equipment, record.equipment);
  field(label.warranty, record.warrantyEnd ?? label.unknown);

  section(label.fault);
  doc.fontSize(10).text(record.fault);
  field(label.reported, record.reportedAt);
  field(label.technician, record.technician);
  field(label.arrived, record.arrivedAt ?? label.unknown);
  field(label.finished, record.finishedAt);

  section(label.workDone);
  doc.fontSize(10).text(record.workDone);
  field(label.rootCause, record.rootCause);

  section(label.parts);
  const columns = [0.3, 0.08, 0.14, 0.14, 0.34].map((share) => share * width);
  const row = (cells: string[]) => {
    const y = doc.y;
    let x = left;
    let bottom = y;
    cells.forEach((cell, i) => {
      doc.fontSize(9).text(cell, x, y, { width: (columns[i] ?? 0) - 4 });
      bottom = Math.max(bottom, doc.y);
      x += columns[i] ?? 0;
    });
    doc.x = left;
    doc.y = bottom + 2;
  };
  if (record.parts.length === 0) doc.fontSize(10).text(label.noParts);
  else {
    row([label.part, label.quantity, label.unitCost, label.amount, label.reason]);
    for (const line of record.parts)
      row([
        `${line.name} (${line.part})`,
        String(line.quantity),
        yuan(line.unitCostCents),
        yuan(line.amountCents),
        CHARGE_REASON_LABELS[record.language][line.reason],
      ]);
  }
  field(label.total, yuan(record.totalCents));
  field(label.quote, record.quote ?? label.quoteNone);

  section(label.readings);
  if (record.readings.length > 0) {
    const saved = columns.splice(0, columns.length, 0.4 * width, 0.3 * width, 0.3 * width);
    row([label.reading, label.before, label.after]);
    for (const reading of record.readings) row([reading.key, reading.before, reading.after]);
    columns.splice(0, columns.length, ...saved);
  } else doc.fontSize(10).text('—');

  section(label.signOff);
  if (doc.y > doc.page.height - 200) doc.addPage();
  try {
    doc.image(Buffer.from(record.signature), left, doc.y, { fit: [220, 90] });
  } catch (error) {
    doc.end();
    throw new HttpError(
      400,
      `the signature is no readable PNG: ${(error as Error).message}`,
      undefined,
      'error.signatureNotPng',
    );
  }
  doc.y += 95;
  doc.x = left;
  field(label.signature, record.signerName);
  field(label.signedAt, record.signedOn);
  doc.end();
  return await done;
}
