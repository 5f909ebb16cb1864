import type { ColumnType, Generated, Kysely } from 'kysely';
import { isUniqueViolation, RefusedError } from '../db/errors.ts';
import type { ServiceDatabase, SurveyTable } from '../db/schema.ts';

type Ms = number;

/** Migration 15's tables, beside the service database's. */
interface TicketPhotoTable {
  id: Generated<number>;
  ticket_id: number | null;
  uploaded_by: string;
  content_type: string;
  size: number;
  bytes: Uint8Array;
  at: Ms;
}
interface ResultFeedbackTable {
  ticket_id: number;
  done_at: Ms;
  done_by: string;
  note: string;
}
type PortalDatabase = Omit<ServiceDatabase, 'surveys'> & {
  surveys: SurveyTable & { aspects: ColumnType<Record<string, number>, string | undefined, string> };
  ticket_photos: TicketPhotoTable;
  result_feedback: ResultFeedbackTable;
};

export interface PhotoMeta {
  id: number;
  ticketId: number | null;
  contentType: string;
  size: number;
  uploadedBy: string;
  at: number;
}

export interface StoredSurvey {
  ticketId: number;
  customerId: string | null;
  score: number;
  aspects: Record<string, number>;
  comment: string;
  by: string;
  at: number;
}

export interface FeedbackRecord {
  ticketId: number;
  doneAt: number;
  doneBy: string;
  note: string;
}

export interface SatisfactionCounts {
  customer: string;
  name: string;
  surveys: number;
  scoreSum: number;
  aspectSums: Record<string, { sum: number; n: number }>;
  closed: number;
  closedSurveyed: number;
}

const META = ['id', 'ticket_id', 'content_type', 'size', 'uploaded_by', 'at'] as const;
const metaOf = (row: {
  id: number;
  ticket_id: number | null;
  content_type: string;
  size: number;
  uploaded_by: string;
  at: number;
}): PhotoMeta => ({
  id: row.id,
  ticketId: row.ticket_id,
  contentType: row.content_type,
  size: row.size,
  uploadedBy: row.uploaded_by,
  at: row.at,
});

/** Photos of service requests, the portal's surveys and the result feedback of resolved tickets. */
export class PortalStore {
  private readonly db: Kysely<PortalDatabase>;

  constructor(db: Kysely<ServiceDatabase>) {
    this.db = db as unknown as Kysely<PortalDatabase>;
  }

  async addPhoto(input: {
    by: string;
    contentType: string;
    bytes: Uint8Array;
    at: number;
  }): Promise<PhotoMeta> {
    const row = await this.db
      .insertInto('ticket_photos')
      .values({
        ticket_id: null,
        uploaded_by: input.by,
        content_type: input.contentType,
        size: input.bytes.byteLength,
        bytes: input.bytes,
        at: input.at,
      })
      .returning(META)
      .executeTakeFirstOrThrow();
    return metaOf(row);
  }

  /** The photos among `ids` that `by` uploaded and has not sent with a request yet. */
  async pendingPhotos(by: string, ids: readonly number[]): Promise<PhotoMeta[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('ticket_photos')
      .select(META)
      .where('uploaded_by', '=', by)
      .where('ticket_id', 'is', null)
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(metaOf);
  }

  async attachPhotos(ticketId: number, by: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('ticket_photos')
      .set({ ticket_id: ticketId })
      .where('uploaded_by', '=', by)
      .where('ticket_id', 'is', null)
      .where('id', 'in', [...ids])
      .execute();
  }

  async photosOf(ticketId: number): Promise<PhotoMeta[]> {
    const rows = await this.db
      .selectFrom('ticket_photos')
      .select(META)
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
    return rows.map(metaOf);
  }

  async photo(ticketId: number, id: number): Promise<{ contentType: string; bytes: Uint8Array } | undefined> {
    const row = await this.db
      .selectFrom('ticket_photos')
      .select(['content_type', 'bytes'])
      .where('ticket_id', '=', ticketId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { contentType: row.content_type, bytes: row.bytes } : undefined;
  }

  async survey(ticketId: number): Promise<StoredSurvey | undefined> {
    const row = await this.db
      .selectFrom('surveys')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ticketId: row.ticket_id,
      customerId: row.customer_id,
      score: row.score,
      aspects: row.aspects ?? {},
      comment: row.remarks,
      by: row.surveyed_by,
      at: row.at,
    };
  }

  /** Records a ticket's survey (once: 409 error.surveyDone for a second). */
  async addSurvey(input: StoredSurvey & { site: string; station: string }): Promise<void> {
    try {
      await this.db
        .insertInto('surveys')
        .values({
          ticket_id: input.ticketId,
          customer_id: input.customerId,
          site: input.site,
          station: input.station,
          score: input.score,
          aspects: JSON.stringify(input.aspects),
          remarks: input.comment,
          surveyed_by: input.by,
          at: input.at,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new RefusedError(`ticket ${input.ticketId} already has its survey`, 409, 'error.surveyDone', {
          id: input.ticketId,
        });
      throw error;
    }
  }

  /** Closed tickets of these sites (all: undefined) that have no survey yet, newest first. */
  async closedWithoutSurvey(sites: readonly string[]): Promise<number[]> {
    if (sites.length === 0) return [];
    const rows = await this.db
      .selectFrom('tickets')
      .leftJoin('surveys', 'surveys.ticket_id', 'tickets.id')
      .select('tickets.id')
      .where('tickets.state', '=', 'closed')
      .where('tickets.site', 'in', [...sites])
      .where('surveys.id', 'is', null)
      .orderBy('tickets.closed_at', 'desc')
      .limit(100)
      .execute();
    return rows.map((row) => row.id);
  }

  async feedback(ticketId: number): Promise<FeedbackRecord | undefined> {
    const row = await this.db
      .selectFrom('result_feedback')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row
      ? { ticketId: row.ticket_id, doneAt: row.done_at, doneBy: row.done_by, note: row.note }
      : undefined;
  }

  async feedbackOf(ticketIds: readonly number[]): Promise<Map<number, FeedbackRecord>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('result_feedback')
      .selectAll()
      .where('ticket_id', 'in', [...ticketIds])
      .execute();
    return new Map(
      rows.map((row) => [
        row.ticket_id,
        { ticketId: row.ticket_id, doneAt: row.done_at, doneBy: row.done_by, note: row.note },
      ]),
    );
  }

  /** Records the result feedback of a ticket (once: 409 error.feedbackDone for a second). */
  async addFeedback(record: FeedbackRecord): Promise<void> {
    try {
      await this.db
        .insertInto('result_feedback')
        .values({
          ticket_id: record.ticketId,
          done_at: record.doneAt,
          done_by: record.doneBy,
          note: record.note,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new RefusedError(
          `ticket ${record.ticketId} already has its result feedback`,
          409,
          'error.feedbackDone',
          { id: record.ticketId },
        );
      throw error;
    }
  }

  /** Per customer of `sites` (undefined: every site): surveys and their scores, closed tickets. */
  async satisfaction(sites?: readonly string[]): Promise<SatisfactionCounts[]> {
    if (sites && sites.length === 0) return [];
    let siteQuery = this.db
      .selectFrom('sites')
      .innerJoin('customers', 'customers.id', 'sites.customer_id')
      .select(['sites.id as site', 'customers.id as customer', 'customers.name as name']);
    if (sites) siteQuery = siteQuery.where('sites.id', 'in', [...sites]);
    const siteRows = await siteQuery.execute();
    const customerOf = new Map(siteRows.map((row) => [row.site, row.customer]));
    const counts = new Map<string, SatisfactionCounts>();
    for (const row of siteRows)
      if (!counts.has(row.customer))
        counts.set(row.customer, {
          customer: row.customer,
          name: row.name,
          surveys: 0,
          scoreSum: 0,
          aspectSums: {},
          closed: 0,
          closedSurveyed: 0,
        });
    const siteIds = [...customerOf.keys()];
    if (siteIds.length === 0) return [];
    const closed = await this.db
      .selectFrom('tickets')
      .leftJoin('surveys', 'surveys.ticket_id', 'tickets.id')
      .select(['tickets.site', 'surveys.id as survey'])
      .where('tickets.state', '=', 'closed')
      .where('tickets.site', 'in', siteIds)
      .execute();
    for (const row of closed) {
      const held = counts.get(customerOf.get(row.site) ?? '');
      if (!held) continue;
      held.closed += 1;
      if (row.survey !== null) held.closedSurveyed += 1;
    }
    const surveys = await this.db
      .selectFrom('surveys')
      .select(['site', 'score', 'aspects'])
      .where('site', 'in', siteIds)
      .execute();
    for (const survey of surveys) {
      const held = counts.get(customerOf.get(survey.site) ?? '');
      if (!held) continue;
      held.surveys += 1;
      held.scoreSum += survey.score;
      for (const [aspect, value] of Object.entries(survey.aspects ?? {})) {
        const sum = held.aspectSums[aspect] ?? { sum: 0, n: 0 };
        sum.sum += value;
        sum.n += 1;
        held.aspectSums[aspect] = sum;
      }
    }
    return [...counts.values()].sort((a, b) => a.customer.localeCompare(b.customer));
  }
}
