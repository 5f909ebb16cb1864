/** Reads a CSV export of readings: a timestamp column and numeric (or boolean) columns. Pure. */

export interface CsvReadings {
  timeColumn: string;
  columns: string[];
  rows: { at: number; values: Record<string, number | boolean> }[];
  /** Rows without a usable timestamp, and cells that were neither numbers nor booleans. */
  droppedRows: number;
  droppedCells: number;
}

export class CsvError extends Error {
  override name = 'CsvError';
}

const TIME_NAMES = ['timestamp', 'time', 'ts', '_time', 'date', 'datetime'];
const BOOLEAN_FIELDS = /\.(running|fault|standby|duty)$|^grounding\.fault$/;

/** Splits one CSV line, honouring double quotes ("" inside quotes is a quote). */
export function splitCsvLine(line: string, separator = ','): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** ISO 8601 text (without a zone: UTC), or epoch seconds / milliseconds (numbers below 1e11 are seconds). */
export function parseTimestamp(text: string): number | undefined {
  if (text === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  // A time without a zone (most SCADA exports) is read as UTC, the same on every machine.
  const naive = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text);
  const ms = Date.parse(naive ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseCell(column: string, text: string): number | boolean | undefined {
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  return BOOLEAN_FIELDS.test(column) ? n !== 0 : n;
}

export function parseCsvReadings(text: string): CsvReadings {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
  if (lines.length < 2) throw new CsvError('the CSV needs a header line and at least one row of readings');
  const separator = lines[0]!.includes(';') && !lines[0]!.includes(',') ? ';' : ',';
  const header = splitCsvLine(lines[0]!, separator);
  const timeIndex = Math.max(
    0,
    header.findIndex((name) => TIME_NAMES.includes(name.toLowerCase())),
  );
  const timeColumn = header[timeIndex]!;
  const columns = header.filter((_, i) => i !== timeIndex);
  if (columns.length === 0)
    throw new CsvError(`the CSV has only the timestamp column "${timeColumn}": no readings`);
  const rows: CsvReadings['rows'] = [];
  let droppedRows = 0;
  let droppedCells = 0;
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line, separator);
    const at = parseTimestamp(cells[timeIndex] ?? '');
    if (at === undefined) {
      droppedRows += 1;
      continue;
    }
    const values: Record<string, number | boolean> = {};
    header.forEach((name, i) => {
      if (i === timeIndex) return;
      const cell = cells[i] ?? '';
      const value = parseCell(name, cell);
      if (value === undefined) {
        if (cell !== '') droppedCells += 1;
      } else values[name] = value;
    });
    rows.push({ at, values });
  }
  if (rows.length === 0) {
    throw new CsvError(`no row has a readable timestamp in column "${timeColumn}" (ISO 8601 or epoch s/ms)`);
  }
  rows.sort((a, b) => a.at - b.at);
  return { timeColumn, columns, rows, droppedRows, droppedCells };
}
