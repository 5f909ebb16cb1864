import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { serviceRecordSchema } from '../../core/api/service-record.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { jsonOf, type PartsDatabase, partsDb } from '../parts/parts-tables.ts';

export type StoredRecord = Omit<z.input<typeof serviceRecordSchema>, 'pdfBytes'>;

/** Service records (售后服务单) with their signature and archived PDF, one per ticket. */
export class ServiceRecordStore {
  private readonly db: Kysely<PartsDatabase>;

  constructor(db: Kysely<ServiceDatabase>) {
    this.db = partsDb(db);
  }

  async exists(ticketId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('service_records')
      .select('ticket_id')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async record(ticketId: number): Promise<(StoredRecord & { pdfBytes: number }) | null> {
    const row = await this.db
      .selectFrom('service_records')
      .select(['record', (eb) => eb.fn<number>('octet_length', ['pdf']).as('pdf_bytes')])
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row
      ? { ...jsonOf<StoredRecord>(row.record as string | StoredRecord), pdfBytes: Number(row.pdf_bytes) }
      : null;
  }

  async pdf(ticketId: number): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom('service_records')
      .select('pdf')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row?.pdf ?? null;
  }

  async add(
    db: Kysely<PartsDatabase>,
    record: StoredRecord,
    signature: Uint8Array,
    pdf: Uint8Array,
    by: string,
    at: number,
  ): Promise<void> {
    await db
      .insertInto('service_records')
      .values({
        ticket_id: record.ticketId,
        record: JSON.stringify(record),
        signature,
        pdf,
        created_at: at,
        created_by: by,
      })
      .execute();
  }

  async setMailedTo(ticketId: number, record: StoredRecord, mailedTo: string[]): Promise<void> {
    await this.db
      .updateTable('service_records')
      .set({ record: JSON.stringify({ ...record, mailedTo }) })
      .where('ticket_id', '=', ticketId)
      .execute();
  }
}
