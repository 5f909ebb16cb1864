import { type Kysely, sql } from 'kysely';
import {
  type NotifyProfile,
  type NotifySettings,
  notifyProfileSchema,
  notifySettingsSchema,
} from '../../core/notify/settings.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import {
  type ChainRow,
  type DeliveryRow,
  type NotifyDatabase,
  type NotifyLogRow,
  type NotifyTables,
  notifyDb,
} from './notify-tables.ts';

export type NewLogEntry = Omit<NotifyTables['notify_log'], 'id' | 'params' | 'hold_until'> & {
  params: Record<string, string | number>;
  hold_until?: number | null;
};

export interface LogFilter {
  recipient?: string;
  status?: string;
  since?: number;
  limit: number;
}

/** The notification tables (migration 14): settings, profiles, chains, the message log, webhook deliveries. */
export class NotifyStore {
  private readonly db: Kysely<NotifyDatabase>;

  constructor(db: Kysely<ServiceDatabase>) {
    this.db = notifyDb(db);
  }

  async settings(): Promise<NotifySettings> {
    const row = await this.db.selectFrom('notify_settings').select('settings').executeTakeFirst();
    // Stored settings passed the schema when written; parsing again fills defaults added since.
    return notifySettingsSchema.parse(row?.settings ?? {});
  }

  async saveSettings(settings: NotifySettings, at: number): Promise<void> {
    const text = JSON.stringify(settings);
    await this.db
      .insertInto('notify_settings')
      .values({ id: 1, settings: text, changed_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings: text, changed_at: at }))
      .execute();
  }

  async profile(username: string): Promise<NotifyProfile> {
    const row = await this.db
      .selectFrom('notify_profiles')
      .select('profile')
      .where('username', '=', username)
      .executeTakeFirst();
    return notifyProfileSchema.parse(row?.profile ?? {});
  }

  async profiles(): Promise<{ username: string; profile: NotifyProfile }[]> {
    const rows = await this.db.selectFrom('notify_profiles').selectAll().orderBy('username').execute();
    return rows.map((row) => ({ username: row.username, profile: notifyProfileSchema.parse(row.profile) }));
  }

  async saveProfile(username: string, profile: NotifyProfile, at: number): Promise<void> {
    const text = JSON.stringify(profile);
    await this.db
      .insertInto('notify_profiles')
      .values({ username, profile: text, changed_at: at })
      .onConflict((oc) => oc.column('username').doUpdateSet({ profile: text, changed_at: at }))
      .execute();
  }

  /** Starts a fault's chain; false when it already has one (a flap, or another instance was first). */
  async startChain(chain: Omit<ChainRow, 'sent_steps' | 'stopped_at' | 'stopped_by'>): Promise<boolean> {
    const inserted = await this.db
      .insertInto('notify_chains')
      .values({ ...chain, params: JSON.stringify(chain.params) })
      .onConflict((oc) => oc.column('fault_key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async chain(faultKey: string): Promise<ChainRow | undefined> {
    return await this.db
      .selectFrom('notify_chains')
      .selectAll()
      .where('fault_key', '=', faultKey)
      .executeTakeFirst();
  }

  async runningChains(): Promise<ChainRow[]> {
    return await this.db
      .selectFrom('notify_chains')
      .selectAll()
      .where('stopped_at', 'is', null)
      .orderBy('raised_at')
      .limit(5000)
      .execute();
  }

  async chainsOfTicket(ticketId: number): Promise<ChainRow[]> {
    return await this.db.selectFrom('notify_chains').selectAll().where('ticket_id', '=', ticketId).execute();
  }

  async markStepSent(faultKey: string, step: number): Promise<void> {
    await sql`UPDATE notify_chains SET sent_steps = sent_steps || ${JSON.stringify([step])}::jsonb
      WHERE fault_key = ${faultKey} AND NOT sent_steps @> ${JSON.stringify([step])}::jsonb`.execute(this.db);
  }

  /** Stops the running chains of an alarm or a ticket; returns how many. */
  async stopChains(by: { alarmId?: number; ticketId?: number }, at: number, who: string): Promise<number> {
    let query = this.db
      .updateTable('notify_chains')
      .set({ stopped_at: at, stopped_by: who })
      .where('stopped_at', 'is', null);
    if (by.alarmId !== undefined) query = query.where('alarm_id', '=', by.alarmId);
    else if (by.ticketId !== undefined) query = query.where('ticket_id', '=', by.ticketId);
    else return 0;
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Takes up a fault's chain that was stopped for `reason` (a clear), now for `alarmId`; true when it
   * did. A chain stopped otherwise (acknowledged, a person acted on the ticket) stays stopped.
   */
  async resumeChain(faultKey: string, reason: string, alarmId: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_chains')
      .set({ stopped_at: null, stopped_by: null, alarm_id: alarmId })
      .where('fault_key', '=', faultKey)
      .where('stopped_by', '=', reason)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Claims a message: the row is written once per (dedupe key, recipient, channel); false if it exists. */
  async claim(entry: NewLogEntry): Promise<number | undefined> {
    const row = await this.db
      .insertInto('notify_log')
      .values({ ...entry, params: JSON.stringify(entry.params) })
      .onConflict((oc) => oc.columns(['dedupe_key', 'recipient', 'channel']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  async settle(id: number, status: string, detail = ''): Promise<void> {
    await this.db.updateTable('notify_log').set({ status, detail }).where('id', '=', id).execute();
  }

  /** Messages held through quiet hours whose hold has ended, oldest first. */
  async heldDue(now: number): Promise<NotifyLogRow[]> {
    return await this.db
      .selectFrom('notify_log')
      .selectAll()
      .where('status', '=', 'held')
      .where('hold_until', '<=', now)
      .orderBy('hold_until')
      .orderBy('id')
      .limit(500)
      .execute();
  }

  /** Messages sent (or being sent) to a recipient since `since`: the rate limit's count. */
  async sentSince(recipient: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('notify_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('recipient', '=', recipient)
      .where('at', '>=', since)
      .where('status', 'in', ['sent', 'pending', 'failed'])
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async log(filter: LogFilter): Promise<NotifyLogRow[]> {
    let query = this.db.selectFrom('notify_log').selectAll();
    if (filter.recipient) query = query.where('recipient', '=', filter.recipient);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    return await query.orderBy('id', 'desc').limit(filter.limit).execute();
  }

  async enqueueDelivery(webhookId: string, dedupeKey: string, body: string, at: number): Promise<void> {
    await this.db
      .insertInto('notify_webhook_deliveries')
      .values({
        webhook_id: webhookId,
        dedupe_key: dedupeKey,
        body,
        created_at: at,
        next_at: at,
        status: 'pending',
      })
      .onConflict((oc) => oc.columns(['webhook_id', 'dedupe_key']).doNothing())
      .execute();
  }

  async dueDeliveries(now: number): Promise<DeliveryRow[]> {
    return await this.db
      .selectFrom('notify_webhook_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_at', '<=', now)
      .orderBy('next_at')
      .limit(100)
      .execute();
  }

  async updateDelivery(
    id: number,
    change: { status: string; attempts: number; next_at: number; last_error: string },
  ): Promise<void> {
    await this.db.updateTable('notify_webhook_deliveries').set(change).where('id', '=', id).execute();
  }

  async deadLetters(): Promise<DeliveryRow[]> {
    return await this.db
      .selectFrom('notify_webhook_deliveries')
      .selectAll()
      .where('status', '=', 'dead')
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  }

  /** Puts a dead letter back in the queue, due at once; false when there is no such dead letter. */
  async replay(id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_at: now })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
