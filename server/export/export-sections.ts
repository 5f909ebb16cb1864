import { type Kysely, sql } from 'kysely';
import { csvField } from '../../core/csv/history-csv.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import type { TelemetryStore } from '../telemetry/telemetry-store.ts';

/** What a section knows of the export it writes into. */
export interface ExportContext {
  db: Kysely<ServiceDatabase>;
  telemetry?: TelemetryStore;
  customer: string;
  sites: readonly string[];
  now: number;
  telemetryFrom: number;
  /** Adds one file to the archive; resolves once it is handed to the zip stream. */
  add(path: string, data: Uint8Array | string): void;
}

export interface ExportSectionResult {
  records: number;
  files: string[];
  note?: string;
}

/**
 * One kind of record in a customer's export. Sections are a list: another kind of record is one more
 * entry.
 */
export interface ExportSection {
  name: string;
  write(context: ExportContext): Promise<ExportSectionResult>;
}

const HOUR = 3_600_000;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** RFC 4180 CSV of plain rows, the columns those of the first row (objects written as JSON). */
export function rowsCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const header = columns ?? Object.keys(rows[0] ?? {});
  const cell = (value: unknown) =>
    value === null || value === undefined
      ? ''
      : csvField(typeof value === 'object' ? JSON.stringify(value) : String(value));
  return `${[header.join(','), ...rows.map((row) => header.map((key) => cell(row[key])).join(','))].join('\r\n')}\r\n`;
}

async function ticketIds(context: ExportContext): Promise<number[]> {
  if (context.sites.length === 0) return [];
  const rows = await sql<{ id: number }>`SELECT id FROM tickets
    WHERE site IN (${sql.join(context.sites)}) ORDER BY id`.execute(context.db);
  return rows.rows.map((row) => row.id);
}

const ticketsSection: ExportSection = {
  name: 'tickets',
  async write(context) {
    if (context.sites.length === 0) return { records: 0, files: [] };
    const rows = (
      await sql<Record<string, unknown>>`SELECT * FROM tickets
        WHERE site IN (${sql.join(context.sites)}) ORDER BY id`.execute(context.db)
    ).rows;
    context.add('tickets/tickets.json', json(rows));
    context.add('tickets/tickets.csv', rowsCsv(rows));
    return { records: rows.length, files: ['tickets/tickets.json', 'tickets/tickets.csv'] };
  },
};

const timelinesSection: ExportSection = {
  name: 'timelines',
  async write(context) {
    const ids = await ticketIds(context);
    const rows = ids.length
      ? (
          await sql<
            Record<string, unknown>
          >`SELECT ticket_id, at, actor, action, from_state, to_state, note, data
            FROM ticket_events WHERE ticket_id IN (${sql.join(ids)}) ORDER BY ticket_id, at, id`.execute(
            context.db,
          )
        ).rows
      : [];
    context.add('tickets/timelines.json', json(rows));
    return { records: rows.length, files: ['tickets/timelines.json'] };
  },
};

const portalSection: ExportSection = {
  name: 'portal-requests',
  async write(context) {
    const rows = context.sites.length
      ? (
          await sql<Record<string, unknown>>`SELECT t.id, t.site, t.station, t.title, t.description,
              t.reported_by, t.created_at, t.state, f.done_at AS feedback_at, f.done_by AS feedback_by,
              f.note AS feedback_note
            FROM tickets t LEFT JOIN result_feedback f ON f.ticket_id = t.id
            WHERE t.source = 'web' AND t.site IN (${sql.join(context.sites)}) ORDER BY t.id`.execute(
            context.db,
          )
        ).rows
      : [];
    context.add('portal/requests.json', json(rows));
    return { records: rows.length, files: ['portal/requests.json'] };
  },
};

const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

const photosSection: ExportSection = {
  name: 'photos',
  async write(context) {
    const ids = await ticketIds(context);
    const files: string[] = [];
    if (ids.length === 0) return { records: 0, files };
    const rows = await sql<{ id: number; ticket_id: number; content_type: string; bytes: Uint8Array }>`
      SELECT id, ticket_id, content_type, bytes FROM ticket_photos
      WHERE ticket_id IN (${sql.join(ids)}) ORDER BY id`.execute(context.db);
    for (const row of rows.rows) {
      const path = `photos/ticket-${row.ticket_id}-photo-${row.id}.${EXTENSION[row.content_type] ?? 'bin'}`;
      context.add(path, row.bytes);
      files.push(path);
    }
    return { records: files.length, files };
  },
};

const surveysSection: ExportSection = {
  name: 'surveys',
  async write(context) {
    const rows = context.sites.length
      ? (
          await sql<Record<string, unknown>>`SELECT id, ticket_id, customer_id, site, station, score, aspects,
              remarks, surveyed_by, at FROM surveys
            WHERE customer_id = ${context.customer} OR site IN (${sql.join(context.sites)}) ORDER BY id`.execute(
            context.db,
          )
        ).rows
      : [];
    context.add('surveys/surveys.json', json(rows));
    context.add('surveys/surveys.csv', rowsCsv(rows));
    return { records: rows.length, files: ['surveys/surveys.json', 'surveys/surveys.csv'] };
  },
};

/** Hourly mean, min and max of every reading of the customer's stations (the roll-up on InfluxDB 1.x). */
const telemetrySection: ExportSection = {
  name: 'telemetry-hourly',
  async write(context) {
    if (!context.telemetry) return { records: 0, files: [], note: 'no telemetry store on this server' };
    const stations = context.sites.length
      ? (
          await sql<{ site_id: string; id: string }>`SELECT site_id, id FROM stations
            WHERE site_id IN (${sql.join(context.sites)}) ORDER BY site_id, id`.execute(context.db)
        ).rows
      : [];
    const files: string[] = [];
    let records = 0;
    for (const station of stations) {
      const meanings = (await context.telemetry.latest(station.site_id, station.id)).map((v) => v.meaning);
      const rows: Record<string, unknown>[] = [];
      for (const meaning of meanings.sort()) {
        const range = await context.telemetry.range({
          site: station.site_id,
          station: station.id,
          meaning,
          from: context.telemetryFrom,
          to: context.now,
          step: HOUR,
          limit: 100_000,
        });
        for (const row of range)
          rows.push({
            meaning,
            hour: new Date(row.ts).toISOString(),
            mean: row.value,
            min: row.min,
            max: row.max,
          });
      }
      const path = `telemetry/${station.site_id}-${station.id}-hourly.csv`;
      context.add(path, rowsCsv(rows, ['meaning', 'hour', 'mean', 'min', 'max']));
      files.push(path);
      records += rows.length;
    }
    return { records, files };
  },
};

/** The sections every export writes, in order (the service record's in service-record-sections.ts). */
export const EXPORT_SECTIONS: readonly ExportSection[] = [
  ticketsSection,
  timelinesSection,
  portalSection,
  photosSection,
  surveysSection,
  telemetrySection,
];
