import { type Kysely, type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import type { ncrBodySchema, ncrSchema } from '../../core/api/quality.ts';
import { RefusedError } from '../db/errors.ts';
import type { NonconformingProductTable, QualityDatabase } from './quality-schema.ts';

type NcrInput = z.output<typeof ncrBodySchema>;
type Ncr = z.input<typeof ncrSchema>;

/**
 * The sites a request may read, as the stores take them: `undefined` for every site (unscoped staff),
 * else a list.
 */
export type NcrSites = readonly string[] | undefined;

/**
 * Non-conforming product records (不合格品记录). An NCR has no site of its own: it belongs to the site of
 * its ticket or of its quality action. A site-scoped account sees an NCR when either link is of one of
 * its sites; an NCR linked to neither belongs to no site, so only unscoped staff see it (and a scoped
 * account may not create one: it must link the record to a ticket or quality action of its sites).
 */
export class NcrStore {
  constructor(private readonly db: Kysely<QualityDatabase>) {}

  async list(filter: { ticketId?: number; sites?: NcrSites }): Promise<Ncr[]> {
    let query = this.scoped(filter.sites);
    if (filter.ticketId !== undefined) query = query.where('n.ticket_id', '=', filter.ticketId);
    const rows = await query.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(500).execute();
    return rows.map(view);
  }

  /** Not found (404) when it does not exist or is not of `sites`. */
  async get(id: number, sites?: NcrSites): Promise<Ncr> {
    const row = await this.scoped(sites).where('n.id', '=', id).executeTakeFirst();
    if (!row) throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
    return view(row);
  }

  private scoped(sites: NcrSites) {
    const query = this.db.selectFrom('nonconforming_products as n').selectAll('n');
    if (sites === undefined) return query;
    if (sites.length === 0) return query.where(sql<boolean>`false`);
    return query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('tickets as t')
            .select('t.id')
            .whereRef('t.id', '=', 'n.ticket_id')
            .where('t.site', 'in', [...sites]),
        ),
        eb.exists(
          eb
            .selectFrom('quality_actions as qa')
            .select('qa.id')
            .whereRef('qa.id', '=', 'n.quality_action_id')
            .where('qa.site', 'in', [...sites]),
        ),
      ]),
    );
  }

  async create(input: NcrInput, actor: string, at: number, sites?: NcrSites): Promise<Ncr> {
    await this.checkLinks(input, sites);
    const row = await this.db
      .insertInto('nonconforming_products')
      .values({ ...columns(input), created_by: actor, created_at: at, updated_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  }

  async update(id: number, input: NcrInput, at: number, sites?: NcrSites): Promise<Ncr> {
    await this.get(id, sites);
    await this.checkLinks(input, sites);
    const row = await this.db
      .updateTable('nonconforming_products')
      .set({ ...columns(input), updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
    return view(row);
  }

  async remove(id: number, sites?: NcrSites): Promise<void> {
    await this.get(id, sites);
    const gone = await this.db.deleteFrom('nonconforming_products').where('id', '=', id).executeTakeFirst();
    if (gone.numDeletedRows === 0n)
      throw new RefusedError(`no non-conforming product record ${id}`, 404, 'error.noNcr', { id });
  }

  /**
   * A link to a ticket or quality action that does not exist (or is of a site out of `sites`) is the
   * caller's mistake: 400. A scoped account must link at least one, or it could not read its record.
   */
  private async checkLinks(input: NcrInput, sites: NcrSites): Promise<void> {
    const visible = (site: string | undefined) =>
      site !== undefined && (sites === undefined || sites.includes(site));
    if (sites !== undefined && input.ticketId === null && input.qualityActionId === null)
      throw new RefusedError(
        'a site-scoped account links the record to a ticket or quality action of its sites',
        400,
        'error.ncrNeedsLink',
      );
    if (input.ticketId !== null) {
      const found = await this.db
        .selectFrom('tickets')
        .select('site')
        .where('id', '=', input.ticketId)
        .executeTakeFirst();
      if (!visible(found?.site))
        throw new RefusedError(`no ticket ${input.ticketId} to link`, 400, 'error.ncrNoTicket', {
          id: input.ticketId,
        });
    }
    if (input.qualityActionId !== null) {
      const found = await this.db
        .selectFrom('quality_actions')
        .select('site')
        .where('id', '=', input.qualityActionId)
        .executeTakeFirst();
      if (!visible(found?.site))
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
