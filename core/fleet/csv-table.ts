import { csvField } from '../csv/history-csv.ts';

/** A CSV record and its number in the file: the header is record 1. */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/**
 * RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line
 * ends; a leading BOM (Excel's UTF-8 mark) is dropped; blank lines are skipped but counted. Throws
 * on a quote left open, naming its record. Pure.
 */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let started = false;
  let row = 1;
  const endRecord = () => {
    if (started || cell !== '' || cells.length > 0) records.push({ row, cells: [...cells, cell] });
    cells = [];
    cell = '';
    started = false;
    row += 1;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      started = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
    } else cell += char;
  }
  if (quoted) throw new Error(`record ${row}: a quoted field is not closed`);
  if (started || cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** Rows of cells as CSV text with CRLF line ends (RFC 4180). Pure. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}
