import type { Kysely } from 'kysely';
import type { SlaPolicy } from '../../core/sla/policies.ts';
import type { BusinessCalendar } from '../../core/sla/working-time.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { ServiceDatabase, TicketEventRow, TicketRow } from '../db/schema.ts';
import { CalendarStore } from './calendar-store.ts';
import { PauseStore } from './pause-store.ts';

/** What the SLA routes and the ticket views need: the calendar, pauses and the report's query. */
export class SlaServices {
  readonly calendar: CalendarStore;
  readonly pauses: PauseStore;

  constructor(
    private readonly db: Kysely<ServiceDatabase>,
    private readonly assets: AssetStore,
  ) {
    this.calendar = new CalendarStore(db);
    this.pauses = new PauseStore(db);
  }

  /** Everything a batch of ticket views reads besides the tickets: policies and the calendar. */
  async clockData(): Promise<{ policies: Map<string, SlaPolicy>; calendar: BusinessCalendar }> {
    const [policies, calendar] = await Promise.all([this.assets.policies(), this.calendar.calendar()]);
    return { policies: new Map(policies.map((p) => [p.id, p])), calendar };
  }

  async customerExists(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /** A customer's tickets reported in [from, to) on these sites (null: any), with their events. */
  async customerTickets(
    customer: string,
    from: number,
    to: number,
    sites: readonly string[] | null,
  ): Promise<{ rows: TicketRow[]; events: Map<number, TicketEventRow[]> }> {
    let query = this.db
      .selectFrom('tickets')
      .innerJoin('sites', 'sites.id', 'tickets.site')
      .selectAll('tickets')
      .where('sites.customer_id', '=', customer)
      .where('tickets.created_at', '>=', from)
      .where('tickets.created_at', '<', to);
    if (sites)
      query =
        sites.length === 0 ? query.where((eb) => eb.val(false)) : query.where('tickets.site', 'in', sites);
    const rows = await query.orderBy('tickets.id').limit(10_000).execute();
    const events = new Map<number, TicketEventRow[]>();
    if (rows.length === 0) return { rows, events };
    const all = await this.db
      .selectFrom('ticket_events')
      .selectAll()
      .where(
        'ticket_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    for (const event of all) events.set(event.ticket_id, [...(events.get(event.ticket_id) ?? []), event]);
    return { rows, events };
  }
}
