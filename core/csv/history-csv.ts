/**
 * History as CSV for spreadsheets: the server's `history.csv` and the dashboards' export button
 * write it the same way.
 */

/** Excel reads a UTF-8 file as the system's ANSI code page unless it starts with this mark. */
export const UTF8_BOM = '\uFEFF';

/** One column of readings: its header (name and unit) and its points. */
export interface CsvSeries {
  header: string;
  points: readonly { ts: number; value: number | boolean | null }[];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. Pure. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header of a reading with its unit: `pressure.outlet (bar)`, or the name alone without one. Pure. */
export function columnHeader(name: string, unit: string | undefined): string {
  return unit ? `${name} (${unit})` : name;
}

/**
 * A CSV document: the BOM, a header row (the time column's, then each series'), then one row per
 * timestamp of any series in time order, an empty field where a series has no point. CRLF line
 * ends (RFC 4180). Booleans are written 1 and 0 so a spreadsheet can sum them. Pure.
 */
export function historyCsv(
  timeHeader: string,
  series: readonly CsvSeries[],
  formatTime: (ms: number) => string,
): string {
  const stamps = [...new Set(series.flatMap((s) => s.points.map((p) => p.ts)))].sort((a, b) => a - b);
  const index = new Map(stamps.map((ts, i) => [ts, i]));
  const cells: string[][] = stamps.map((ts) => [formatTime(ts), ...series.map(() => '')]);
  series.forEach((s, column) => {
    for (const point of s.points) {
      const row = cells[index.get(point.ts)!]!;
      row[column + 1] = valueText(point.value);
    }
  });
  const lines = [[timeHeader, ...series.map((s) => s.header)], ...cells];
  return `${UTF8_BOM}${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function valueText(value: number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return Number.isFinite(value) ? String(value) : '';
}
