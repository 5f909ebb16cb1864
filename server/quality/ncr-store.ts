import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { ncrBodySchema, ncrSchema } from '../../core/api/quality.ts';
import { RefusedError } from '../db/errors.ts';
import type { NonconformingProductTable, QualityDatabase } from './quality-schema.ts';

type NcrInput = z.output<typeof ncrBodySchema>;
type Ncr = z.input<typeof ncrSchema>;

/** Non-conforming product records (不合格品记录). */
export class NcrStore {
  constructor(private readonly db: Kysely<QualityDatabase>) {}

  async list(filter: { ticketId?: number }): Promise<Ncr[]> {
    let query = this.db.selectFrom('nonconforming_products').selectAll();
    if (filter.ticketId !== undefined) query = query.where('ticket_id', '=', filter.ticketId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
    return rows.map(view);
  }

  async get(id: number): Promise<Ncr> {
    const row = await this.db
      .selectFrom('nonconforming_products')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
    return view(row);
  }

  async create(input: NcrInput, actor: string, at: number): Promise<Ncr> {
    await this.checkLinks(input);
    const row = await this.db
      .insertInto('nonconforming_products')
      .values({ ...columns(input), created_by: actor, created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  }

  async update(id: number, input: NcrInput, at: number): Promise<Ncr> {
    await this.checkLinks(input);
    const row = await this.db
      .updateTable('nonconforming_products')
      .set({ ...columns(input), updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
    return view(row);
  }

  async remove(id: number): Promise<void> {
    const gone = await this.db.deleteFrom('nonconforming_products').where('id', '=', id).executeTakeFirst();
    if (gone.numDeletedRows === 0n)
      throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
  }

  /** A link to a ticket or quality action that does not exist is the caller's mistake: 400. */
  private async checkLinks(input: NcrInput): Promise<void> {
    if (input.ticketId !== null) {
      const found = await this.db
        .selectFrom('tickets')
        .select('id')
        .where('id', '=', input.ticketId)
        .executeTakeFirst();
      if (!found)
        throw new RefusedError(`no ticket ${input.ticketId} to link`, 400, 'error.ncrNoTicket', {
          id: input.ticketId,
        });
    }
    if (input.qualityActionId !== null) {
      const found = await this.db
        .selectFrom('quality_actions')
        .select('id')
        .where('id', '=', input.qualityActionId)
        .executeTakeFirst();
      if (!found)
        throw new RefusedError(
          `no quality action ${input.qualityActionId} to link`,
          400,
          'error.ncrNoAction',
          {
            id: input.qualityActionId,
          },
        );
    }
  }
}

function columns(input: NcrInput) {
  return {
    product: input.product,
    model: input.model || null,
    batch: input.batch || null,
    serial: input.serial || null,
    problem: input.problem,
    disposition: input.disposition,
    ticket_id: input.ticketId,
    quality_action_id: input.qualityActionId,
  };
}

function view(row: Selectable<NonconformingProductTable>): Ncr {
  return {
    id: row.id,
    product: row.product,
    model: row.model,
    batch: row.batch,
    serial: row.serial,
    problem: row.problem,
    disposition: row.disposition as Ncr['disposition'],
    ticketId: row.ticket_id,
    qualityActionId: row.quality_action_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
