import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

const ROW_HEIGHT = 15;
const BAR_COLOUR = '#2f6fb0';
const GRID_COLOUR = '#c8ccd2';

/** Starts a new page when fewer than `needed` points are left above the bottom margin. */
export function ensureSpace(doc: Doc, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 50);
  doc.moveDown(0.6).fontSize(12).fillColor('black').text(text, doc.page.margins.left);
  doc.moveDown(0.3).fontSize(8.5);
}

/** A table with one line per row; cells never wrap (a long cell is cut with an ellipsis). */
export function table(doc: Doc, columns: readonly Column[], rows: readonly string[][]): void {
  const left = doc.page.margins.left;
  const line = (cells: readonly string[], bold: boolean) => {
    ensureSpace(doc, ROW_HEIGHT);
    const y = doc.y;
    let x = left;
    doc.fillColor(bold ? '#333333' : 'black');
    columns.forEach((column, index) => {
      doc.text(cells[index] ?? '', x + 2, y + 3, {
        width: column.width - 4,
        align: column.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
        height: ROW_HEIGHT,
      });
      x += column.width;
    });
    doc
      .moveTo(left, y + ROW_HEIGHT)
      .lineTo(x, y + ROW_HEIGHT)
      .lineWidth(0.5)
      .strokeColor(GRID_COLOUR)
      .stroke();
    doc.x = left;
    doc.y = y + ROW_HEIGHT;
  };
  line(
    columns.map((column) => column.header),
    true,
  );
  for (const row of rows) line(row, false);
}

/** Horizontal bars, one per label, the value written after each bar: vector paths, not an image. */
export function horizontalBars(doc: Doc, bars: readonly { label: string; value: number }[]): void {
  const left = doc.page.margins.left;
  const labelWidth = 130;
  const maxWidth = doc.page.width - doc.page.margins.right - left - labelWidth - 40;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  for (const bar of bars) {
    ensureSpace(doc, 16);
    const y = doc.y;
    doc.fillColor('black').text(bar.label, left, y + 2, {
      width: labelWidth - 6,
      lineBreak: false,
      ellipsis: true,
      height: 14,
    });
    const width = (bar.value / max) * maxWidth;
    doc
      .rect(left + labelWidth, y + 1, Math.max(width, 0.5), 11)
      .fillColor(BAR_COLOUR)
      .fill();
    doc
      .fillColor('black')
      .text(String(bar.value), left + labelWidth + width + 4, y + 2, { lineBreak: false });
    doc.x = left;
    doc.y = y + 15;
  }
}

/** Vertical bars over a baseline (one per month), the count above each bar and the label below. */
export function columnChart(doc: Doc, bars: readonly { label: string; value: number }[]): void {
  const chartHeight = 110;
  ensureSpace(doc, chartHeight + 40);
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.right - left;
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(32, slot * 0.6);
  const top = doc.y + 12;
  const base = top + chartHeight;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  doc
    .moveTo(left, base)
    .lineTo(left + width, base)
    .lineWidth(0.8)
    .strokeColor('#555555')
    .stroke();
  bars.forEach((bar, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    const height = (bar.value / max) * (chartHeight - 10);
    doc
      .rect(x, base - height, barWidth, Math.max(height, 0.5))
      .fillColor(BAR_COLOUR)
      .fill();
    doc.fillColor('black');
    doc.text(String(bar.value), x - 6, base - height - 11, {
      width: barWidth + 12,
      align: 'center',
      lineBreak: false,
    });
    doc.text(bar.label, left + index * slot, base + 3, { width: slot, align: 'center', lineBreak: false });
  });
  doc.x = left;
  doc.y = base + 18;
}
