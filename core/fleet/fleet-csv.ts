import type { ImportIssue } from '../api/fleet.ts';
import { parseCsv, writeCsv } from './csv-table.ts';
import type { FleetDocument, FleetEntry, Place } from './fleet-document.ts';
import { FILE_KIND_OF, type FileKind, type FleetData } from './fleet-records.ts';

/**
 * Fleet CSV files, one kind a file. The header row names the fields as the API's bodies do; nested
 * fields are dotted (`endpoint.tcp.port`); a station's pumps are `pump1.model`, `pump2.saleDate`...,
 * a customer's contacts `contact1.name`...; a contract's parts `warranty.parts` as `motor:36; seal:12`
 * (part and months). An empty cell leaves the field out (its default applies). Without a kind, the
 * header tells: `siteId` = stations, `slaPolicyId` = contracts, `customerId` = sites, else customers.
 */

const NUMBER_FIELDS = new Set([
  'latitude',
  'longitude',
  'endpoint.tcp.port',
  'endpoint.tcp.unitId',
  'endpoint.rtu.baudRate',
  'endpoint.rtu.dataBits',
  'endpoint.rtu.stopBits',
  'endpoint.rtu.unitId',
  'warranty.equipmentYears',
]);
const BOOLEAN_FIELDS = new Set(['warranty.softwareLifetime']);

const CONTACT_FIELDS = ['name', 'role', 'phone', 'email', 'wechat'] as const;
const PUMP_FIELDS = [
  'model',
  'serialNumber',
  'acceptanceDate',
  'warrantyEnd',
  'saleDate',
  'installDate',
] as const;

/** The plain columns of each kind, in the order export writes them. */
export const CSV_COLUMNS: Record<FileKind, readonly string[]> = {
  customers: ['id', 'name', 'address', 'phone'],
  sites: ['id', 'customerId', 'name', 'address', 'timeZone', 'latitude', 'longitude'],
  contracts: [
    'id',
    'customerId',
    'name',
    'slaPolicyId',
    'startsOn',
    'endsOn',
    'warranty.equipmentYears',
    'warranty.parts',
    'warranty.softwareLifetime',
    'warrantyTerms',
  ],
  stations: [
    'siteId',
    'id',
    'name',
    'profile',
    'endpoint.tcp.host',
    'endpoint.tcp.port',
    'endpoint.tcp.unitId',
    'endpoint.rtu.path',
    'endpoint.rtu.baudRate',
    'endpoint.rtu.parity',
    'endpoint.rtu.dataBits',
    'endpoint.rtu.stopBits',
    'endpoint.rtu.unitId',
    'contractId',
    'edgeId',
    'model',
    'serialNumber',
    'acceptanceDate',
    'warrantyEnd',
  ],
};

const CONTACT_COLUMN = /^contact([1-9]|1[0-9]|20)\.(name|role|phone|email|wechat)$/;
const PUMP_COLUMN = /^pump([1-9])\.(model|serialNumber|acceptanceDate|warrantyEnd|saleDate|installDate)$/;

export function kindOfHeader(header: readonly string[]): FileKind {
  if (header.includes('siteId')) return 'stations';
  if (header.includes('slaPolicyId')) return 'contracts';
  if (header.includes('customerId')) return 'sites';
  return 'customers';
}

function cellValue(column: string, text: string): unknown {
  const field = column.replace(/^(pump|contact)\d+\./, '');
  if (NUMBER_FIELDS.has(field) && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (BOOLEAN_FIELDS.has(field)) {
    const word = text.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(word)) return true;
    if (['false', 'no', '0'].includes(word)) return false;
  }
  if (column === 'warranty.parts') {
    // `motor:36; seal:12`: months that are not a number stay text, for the schema to name.
    return text
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, months] = part.split(':').map((piece) => piece.trim());
        return { part: name ?? '', months: /^\d+$/.test(months ?? '') ? Number(months) : (months ?? '') };
      });
  }
  return text;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

export function parseFleetCsv(file: string, text: string, kind?: FileKind): FleetDocument {
  const issues: ImportIssue[] = [];
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    const detail = (error as Error).message;
    return {
      entries: [],
      issues: [
        {
          file,
          row: null,
          field: '',
          message: `the file cannot be read: ${detail}`,
          code: 'error.fleet.unreadable',
          params: { detail },
        },
      ],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { entries: [], issues };
  const columns = header.cells.map((cell) => cell.trim());
  const fileKind = kind ?? kindOfHeader(columns);
  const known = new Set(CSV_COLUMNS[fileKind]);
  columns.forEach((column) => {
    const extra =
      fileKind === 'customers' ? CONTACT_COLUMN : fileKind === 'stations' ? PUMP_COLUMN : undefined;
    if (!known.has(column) && !extra?.test(column)) {
      issues.push({
        file,
        row: header.row,
        field: column,
        message: `unknown column ${column}`,
        code: 'error.fleet.unknownColumn',
        params: { column },
      });
    }
  });
  if (issues.length > 0) return { entries: [], issues };

  const entries: FleetEntry[] = [];
  for (const record of rows) {
    const value: Record<string, unknown> = {};
    const places: Record<string, Place> = {};
    const pumps = new Map<number, FleetEntry>();
    columns.forEach((column, index) => {
      const text = record.cells[index] ?? '';
      if (text.trim() === '') return;
      const place = { row: record.row, field: column };
      const pump = PUMP_COLUMN.exec(column);
      if (pump) {
        const number = Number(pump[1]);
        const entry = pumps.get(number) ?? {
          kind: 'pump' as const,
          file,
          row: record.row,
          value: { number },
          places: {},
        };
        entry.value[pump[2] as string] = text;
        entry.places[pump[2] as string] = place;
        pumps.set(number, entry);
        return;
      }
      const contact = CONTACT_COLUMN.exec(column);
      const path = contact
        ? ['contacts', String(Number(contact[1]) - 1), contact[2] as string]
        : column.split('.');
      setPath(value, path, cellValue(column, text));
      places[path.join('.')] = place;
    });
    // contact1..contactN became keys '0'..'N-1'; the list keeps their order.
    if (value.contacts) value.contacts = Object.values(value.contacts as object);
    entries.push({ kind: FILE_KIND_OF[fileKind], file, row: record.row, value, places });
    for (const pump of [...pumps.values()].sort((a, b) => Number(a.value.number) - Number(b.value.number))) {
      pump.value.siteId = value.siteId;
      pump.value.stationId = value.id;
      pump.places.siteId = places.siteId ?? { row: record.row, field: 'siteId' };
      pump.places.stationId = places.id ?? { row: record.row, field: 'id' };
      pump.places.number = { row: record.row, field: `pump${String(pump.value.number)}` };
      entries.push(pump);
    }
  }
  return { entries, issues };
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function get(record: object, column: string): unknown {
  return column
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | null | undefined)?.[key], record);
}

/** One kind of the fleet as CSV, with as many contact and pump columns as the rows need. */
export function writeFleetCsv(data: FleetData, kind: FileKind): string {
  const base = CSV_COLUMNS[kind];
  const rows: string[][] = [];
  if (kind === 'customers') {
    const most = Math.max(0, ...data.customers.map((c) => c.contacts.length));
    const extra = Array.from({ length: most }, (_, i) =>
      CONTACT_FIELDS.map((f) => `contact${i + 1}.${f}`),
    ).flat();
    rows.push([...base, ...extra]);
    for (const customer of data.customers) {
      rows.push([
        ...base.map((column) => text(get(customer, column))),
        ...customer.contacts.flatMap((contact) => CONTACT_FIELDS.map((f) => text(contact[f]))),
        ...Array.from({ length: (most - customer.contacts.length) * CONTACT_FIELDS.length }, () => ''),
      ]);
    }
  } else if (kind === 'stations') {
    const most = Math.max(0, ...data.stations.flatMap((s) => s.pumps.map((p) => p.number)));
    const extra = Array.from({ length: most }, (_, i) => PUMP_FIELDS.map((f) => `pump${i + 1}.${f}`)).flat();
    rows.push([...base, ...extra]);
    for (const station of data.stations) {
      const pumpCells = Array.from({ length: most }, (_, i) => {
        const pump = station.pumps.find((p) => p.number === i + 1);
        return PUMP_FIELDS.map((f) => (pump ? text(pump[f]) : ''));
      }).flat();
      rows.push([...base.map((column) => text(get(station, column))), ...pumpCells]);
    }
  } else {
    rows.push([...base]);
    const list: object[] = kind === 'sites' ? data.sites : data.contracts;
    for (const row of list) {
      rows.push(
        base.map((column) => {
          const value = get(row, column);
          if (column === 'warranty.parts') {
            return (value as { part: string; months: number }[])
              .map((p) => `${p.part}:${p.months}`)
              .join('; ');
          }
          return text(value);
        }),
      );
    }
  }
  return `\uFEFF${writeCsv(rows)}`;
}
