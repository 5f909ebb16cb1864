import type { Kysely } from 'kysely';
import {
  type CaseQuery,
  type CaseRecord,
  type RankedCase,
  rankCases,
} from '../../core/quality/case-ranking.ts';
import { NON_FAULT_SOURCES } from '../../core/quality/vocabulary.ts';
import { siteIn } from '../db/list-filters.ts';
import type { TicketRow } from '../db/schema.ts';
import type { QualityDatabase } from './quality-schema.ts';

/** How many of the newest cases a search ranks: enough for years of one service company's faults. */
const CASE_WINDOW = 5000;

/** The case library (案例库): resolved fault tickets with what fixed them, ranked by core/quality. */
export class CaseLibrary {
  constructor(private readonly db: Kysely<QualityDatabase>) {}

  /** Resolved fault tickets, newest first; `sites`: only these (a user's scope). */
  async cases(sites?: readonly string[]): Promise<CaseRecord[]> {
    let query = this.db
      .selectFrom('tickets')
      .leftJoin('ticket_quality_records as q', 'q.ticket_id', 'tickets.id')
      .select([
        'tickets.id',
        'tickets.fault_class',
        'tickets.root_cause',
        'tickets.equipment_model',
        'tickets.title',
        'tickets.description',
        'tickets.work_done',
        'tickets.resolved_at',
        'q.corrective_action',
      ])
      .where('tickets.resolved_at', 'is not', null)
      .where('tickets.source', 'not in', [...NON_FAULT_SOURCES]);
    if (sites) query = query.where(siteIn(sites));
    const rows = await query.orderBy('tickets.resolved_at', 'desc').limit(CASE_WINDOW).execute();
    return rows.map((row) => ({
      ticketId: row.id,
      faultClass: row.fault_class,
      rootCause: row.root_cause,
      model: row.equipment_model,
      symptoms: [row.title, row.description].filter(Boolean).join('\n'),
      fix: [...new Set([row.corrective_action, row.work_done].filter(Boolean))].join('\n'),
      resolvedAt: row.resolved_at as number,
    }));
  }

  async similarTo(
    ticket: TicketRow,
    sites: readonly string[] | undefined,
    limit = 10,
  ): Promise<RankedCase[]> {
    const query: CaseQuery = {
      ticketId: ticket.id,
      faultClass: ticket.fault_class,
      rootCause: ticket.root_cause,
      model: ticket.equipment_model,
      text: `${ticket.title}\n${ticket.description}`,
    };
    return rankCases(query, await this.cases(sites), limit);
  }

  async search(
    text: string,
    filter: { faultClass?: string; model?: string; sites?: readonly string[]; limit?: number },
  ): Promise<RankedCase[]> {
    const all = await this.cases(filter.sites);
    const query: CaseQuery = {
      ticketId: null,
      faultClass: filter.faultClass ?? null,
      rootCause: filter.faultClass ?? null,
      model: filter.model ?? null,
      text,
    };
    const limit = filter.limit ?? 50;
    // No text and no class: the newest cases, as the library's first page.
    if (!text.trim() && !filter.faultClass)
      return all
        .filter((c) => !filter.model || c.model === filter.model)
        .slice(0, limit)
        .map((c) => ({ case: c, sameClass: false, sameModel: c.model === query.model, text: 0 }));
    return rankCases(query, all, limit);
  }
}
