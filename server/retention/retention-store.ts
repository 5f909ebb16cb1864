import type { Kysely } from 'kysely';
import type { RecordClass, RetentionPeriod } from '../../core/retention/periods.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { withRetention } from './retention-schema.ts';

export interface LegalHold {
  id: number;
  class: RecordClass;
  recordId: string;
  reason: string;
  heldBy: string;
  heldAt: number;
}

type HoldRow = {
  id: number;
  class: string;
  record_id: string;
  reason: string;
  held_by: string;
  held_at: number;
};
const hold = (row: HoldRow): LegalHold => ({
  id: row.id,
  class: row.class as RecordClass,
  recordId: row.record_id,
  reason: row.reason,
  heldBy: row.held_by,
  heldAt: row.held_at,
});

/** Retention periods per class and legal holds (migration 20). */
export class RetentionStore {
  private readonly db;
  constructor(db: Kysely<ServiceDatabase>) {
    this.db = withRetention(db);
  }

  async setPeriod(recordClass: RecordClass, period: RetentionPeriod, by: string, at: number): Promise<void> {
    await this.db
      .updateTable('retention_classes')
      .set({ period, updated_by: by, updated_at: at })
      .where('class', '=', recordClass)
      .execute();
  }

  async holds(): Promise<LegalHold[]> {
    return (await this.db.selectFrom('legal_holds').selectAll().orderBy('id').execute()).map(hold);
  }

  /** Holds a record (again: the existing hold, its reason updated). */
  async hold(
    recordClass: RecordClass,
    recordId: string,
    reason: string,
    by: string,
    at: number,
  ): Promise<LegalHold> {
    const row = await this.db
      .insertInto('legal_holds')
      .values({ class: recordClass, record_id: recordId, reason, held_by: by, held_at: at })
      .onConflict((oc) => oc.columns(['class', 'record_id']).doUpdateSet({ reason }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return hold(row);
  }

  /** The cleared hold, or undefined when there was none. */
  async clear(id: number): Promise<LegalHold | undefined> {
    const row = await this.db
      .deleteFrom('legal_holds')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? hold(row) : undefined;
  }
}
