import { type Kysely, sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { depotSchema, partSchema, quoteSchema } from '../../core/api/parts.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { jsonOf, type PartsDatabase, partsDb, type StoredCharge } from './parts-tables.ts';

export type PartView = z.input<typeof partSchema>;
export type DepotView = z.input<typeof depotSchema>;
export type QuoteView = z.input<typeof quoteSchema>;

export interface UsedPart {
  part: string;
  quantity: number;
  depot: string;
}

/** The parts catalogue, depots and their stock, parts fitted on tickets, and quotes. */
export class PartsStore {
  readonly db: Kysely<PartsDatabase>;

  constructor(db: Kysely<ServiceDatabase>) {
    this.db = partsDb(db);
  }

  async depots(): Promise<DepotView[]> {
    return await this.db.selectFrom('depots').select(['id', 'name']).orderBy('id').execute();
  }

  async parts(codes?: readonly string[]): Promise<PartView[]> {
    if (codes && codes.length === 0) return [];
    let query = this.db.selectFrom('parts').selectAll().orderBy('code');
    if (codes) query = query.where('code', 'in', [...codes]);
    const rows = await query.execute();
    const stock = await this.db
      .selectFrom('part_stock')
      .selectAll()
      .where('part_code', 'in', rows.map((row) => row.code).concat(['']))
      .execute();
    return rows.map((row) => ({
      code: row.code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      unitCostCents: Number(row.unit_cost_cents),
      warrantyMonths: row.warranty_months,
      stock: Object.fromEntries(
        stock.filter((s) => s.part_code === row.code).map((s) => [s.depot_id, s.quantity]),
      ),
    }));
  }

  async part(code: string): Promise<PartView | undefined> {
    return (await this.parts([code]))[0];
  }

  async upsertPart(code: string, part: Omit<PartView, 'code' | 'stock'>): Promise<void> {
    const values = {
      name_zh: part.nameZh,
      name_en: part.nameEn,
      unit_cost_cents: part.unitCostCents,
      warranty_months: part.warrantyMonths,
    };
    await this.db
      .insertInto('parts')
      .values({ code, ...values })
      .onConflict((oc) => oc.column('code').doUpdateSet(values))
      .execute();
  }

  async upsertDepot(depot: DepotView): Promise<void> {
    await this.db
      .insertInto('depots')
      .values(depot)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: depot.name }))
      .execute();
  }

  async setStock(depot: string, part: string, quantity: number): Promise<void> {
    if (!(await this.db.selectFrom('depots').select('id').where('id', '=', depot).executeTakeFirst()))
      throw new RefusedError(`no depot ${depot}`, 404, 'error.noDepot', { depot });
    if (!(await this.db.selectFrom('parts').select('code').where('code', '=', part).executeTakeFirst()))
      throw new RefusedError(`no part ${part} in the catalogue`, 404, 'error.noPart', { part });
    await this.db
      .insertInto('part_stock')
      .values({ depot_id: depot, part_code: part, quantity })
      .onConflict((oc) => oc.columns(['depot_id', 'part_code']).doUpdateSet({ quantity }))
      .execute();
  }

  /**
   * Takes parts out of their depots for a ticket, in the caller's transaction: a depot short of a
   * part refuses the whole use (409 error.stockShort), the stock never below zero.
   */
  async useParts(
    tx: Transaction<PartsDatabase>,
    ticket: { id: number; site: string; station: string; pump: number | null },
    used: readonly UsedPart[],
    by: string,
    at: number,
  ): Promise<void> {
    for (const line of used) {
      const part = await tx
        .selectFrom('parts')
        .select('unit_cost_cents')
        .where('code', '=', line.part)
        .executeTakeFirst();
      if (!part)
        throw new RefusedError(`no part ${line.part} in the catalogue`, 404, 'error.noPart', {
          part: line.part,
        });
      const taken = await tx
        .updateTable('part_stock')
        .set({ quantity: sql`quantity - ${line.quantity}` })
        .where('depot_id', '=', line.depot)
        .where('part_code', '=', line.part)
        .where('quantity', '>=', line.quantity)
        .returning('quantity')
        .executeTakeFirst();
      if (!taken) {
        const held = await tx
          .selectFrom('part_stock')
          .select('quantity')
          .where('depot_id', '=', line.depot)
          .where('part_code', '=', line.part)
          .executeTakeFirst();
        throw new RefusedError(
          `depot ${line.depot} holds ${held?.quantity ?? 0} of part ${line.part}, ${line.quantity} asked`,
          409,
          'error.stockShort',
          { depot: line.depot, part: line.part, held: held?.quantity ?? 0, asked: line.quantity },
        );
      }
      await tx
        .insertInto('ticket_parts')
        .values({
          ticket_id: ticket.id,
          site: ticket.site,
          station: ticket.station,
          pump: ticket.pump,
          part_code: line.part,
          depot_id: line.depot,
          quantity: line.quantity,
          unit_cost_cents: Number(part.unit_cost_cents),
          used_on: new Date(at).toISOString().slice(0, 10),
          used_by: by,
          at,
        })
        .execute();
    }
  }

  /** Days on which each part was fitted at this equipment on other tickets (for the part's own warranty). */
  async fittings(
    ticket: { id: number; site: string; station: string; pump: number | null },
    codes: readonly string[],
  ): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (codes.length === 0) return found;
    let query = this.db
      .selectFrom('ticket_parts')
      .select(['part_code', 'used_on'])
      .where('site', '=', ticket.site)
      .where('station', '=', ticket.station)
      .where('ticket_id', '!=', ticket.id)
      .where('part_code', 'in', [...codes]);
    query = ticket.pump === null ? query.where('pump', 'is', null) : query.where('pump', '=', ticket.pump);
    for (const row of await query.execute())
      found.set(row.part_code, [...(found.get(row.part_code) ?? []), row.used_on]);
    return found;
  }

  async quote(ticketId: number): Promise<QuoteView | null> {
    const row = await this.db
      .selectFrom('ticket_quotes')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      ticketId: row.ticket_id,
      charge: jsonOf<StoredCharge>(row.charge),
      createdAt: row.created_at,
      createdBy: row.created_by,
      confirmation: row.confirmation,
      confirmedAt: row.confirmed_at,
      confirmedBy: row.confirmed_by,
      signerName: row.signer_name,
    };
  }

  /** A new quote replaces the one before, and with it any confirmation (the fee changed). */
  async saveQuote(ticketId: number, charge: StoredCharge, by: string, at: number): Promise<void> {
    const values = {
      charge: JSON.stringify(charge),
      created_at: at,
      created_by: by,
      confirmation: null,
      confirmed_at: null,
      confirmed_by: null,
      signer_name: null,
    };
    await this.db
      .insertInto('ticket_quotes')
      .values({ ticket_id: ticketId, ...values })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet(values))
      .execute();
  }

  async confirmQuote(
    ticketId: number,
    how: 'portal' | 'paper',
    by: string,
    signerName: string,
    at: number,
  ): Promise<void> {
    await this.db
      .updateTable('ticket_quotes')
      .set({ confirmation: how, confirmed_at: at, confirmed_by: by, signer_name: signerName })
      .where('ticket_id', '=', ticketId)
      .execute();
  }
}
