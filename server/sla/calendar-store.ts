import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/sla/cn-holidays.ts';
import type { BusinessCalendar, BusinessDayKind } from '../../core/sla/working-time.ts';
import type { ServiceDatabase } from '../db/schema.ts';

/** The business calendar's days that differ from the weekly rule, per year, as data an admin keeps. */
export class CalendarStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  /** Every override day, for the clocks. */
  async calendar(): Promise<BusinessCalendar> {
    const rows = await this.db.selectFrom('business_days').select(['day', 'kind']).execute();
    return new Map(rows.map((row) => [row.day, row.kind as BusinessDayKind]));
  }

  async year(year: number): Promise<BusinessDay[]> {
    const rows = await this.db
      .selectFrom('business_days')
      .selectAll()
      .where('day', '>=', `${year}-01-01`)
      .where('day', '<=', `${year}-12-31`)
      .orderBy('day')
      .execute();
    return rows.map((row) => ({ day: row.day, kind: row.kind as BusinessDayKind, name: row.name }));
  }

  /** Years that have any day. */
  async years(): Promise<number[]> {
    const rows = await this.db.selectFrom('business_days').select('day').execute();
    return [...new Set(rows.map((row) => Number(row.day.slice(0, 4))))].sort((a, b) => a - b);
  }

  /** Replaces a year's days with these (all inside the year, checked by the caller's schema). */
  async putYear(year: number, days: BusinessDay[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('business_days')
        .where('day', '>=', `${year}-01-01`)
        .where('day', '<=', `${year}-12-31`)
        .execute();
      if (days.length === 0) return;
      await tx
        .insertInto('business_days')
        .values(days.map((d) => ({ day: d.day, kind: d.kind, name: d.name })))
        .execute();
    });
  }
}
