import { sql } from 'kysely';
import { type ExportSection, rowsCsv } from './export-sections.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The customer's tickets' ids (its sites'), for sections keyed by ticket. */
async function customerTicketIds(context: Parameters<ExportSection['write']>[0]): Promise<number[]> {
  if (context.sites.length === 0) return [];
  const rows = await sql<{ id: number }>`SELECT id FROM tickets
    WHERE site IN (${sql.join(context.sites)}) ORDER BY id`.execute(context.db);
  return rows.rows.map((row) => row.id);
}

/** The signed service records (售后服务单): each one's PDF as archived, its data and signature. */
export const serviceRecordsSection: ExportSection = {
  name: 'service-records',
  async write(context) {
    const ids = await customerTicketIds(context);
    if (ids.length === 0) return { records: 0, files: [] };
    const rows = (
      await sql<{
        ticket_id: number;
        record: unknown;
        signature: Uint8Array;
        pdf: Uint8Array;
        created_at: number;
        created_by: string;
      }>`SELECT ticket_id, record, signature, pdf, created_at, created_by FROM service_records
        WHERE ticket_id IN (${sql.join(ids)}) ORDER BY ticket_id`.execute(context.db)
    ).rows;
    const files: string[] = [];
    for (const row of rows) {
      const pdf = `service-records/ticket-${row.ticket_id}.pdf`;
      const signature = `service-records/ticket-${row.ticket_id}-signature.png`;
      context.add(pdf, new Uint8Array(row.pdf));
      context.add(signature, new Uint8Array(row.signature));
      files.push(pdf, signature);
    }
    const records = rows.map((row) => ({
      ticket_id: row.ticket_id,
      created_at: row.created_at,
      created_by: row.created_by,
      record: typeof row.record === 'string' ? JSON.parse(row.record) : row.record,
    }));
    context.add('service-records/records.json', json(records));
    files.push('service-records/records.json');
    return { records: rows.length, files };
  },
};

/** Parts fitted on the customer's tickets and the quotes (with the customer's fee confirmation). */
export const partsAndChargesSection: ExportSection = {
  name: 'parts-and-charges',
  async write(context) {
    const ids = await customerTicketIds(context);
    const parts = ids.length
      ? (
          await sql<
            Record<string, unknown>
          >`SELECT ticket_id, site, station, pump, part_code, depot_id, quantity,
              unit_cost_cents, used_on, used_by, at FROM ticket_parts
            WHERE ticket_id IN (${sql.join(ids)}) ORDER BY ticket_id, id`.execute(context.db)
        ).rows
      : [];
    const quotes = ids.length
      ? (
          await sql<Record<string, unknown>>`SELECT ticket_id, charge, created_at, created_by, confirmation,
              confirmed_at, confirmed_by, signer_name FROM ticket_quotes
            WHERE ticket_id IN (${sql.join(ids)}) ORDER BY ticket_id`.execute(context.db)
        ).rows
      : [];
    context.add(
      'parts/parts-used.csv',
      rowsCsv(parts, [
        'ticket_id',
        'site',
        'station',
        'pump',
        'part_code',
        'depot_id',
        'quantity',
        'unit_cost_cents',
        'used_on',
        'used_by',
        'at',
      ]),
    );
    context.add('parts/quotes.json', json(quotes));
    return { records: parts.length + quotes.length, files: ['parts/parts-used.csv', 'parts/quotes.json'] };
  },
};
