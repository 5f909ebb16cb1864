import type { Kysely, Transaction } from 'kysely';
import { RefusedError } from '../db/errors.ts';
import { containsPattern, siteIn } from '../db/list-filters.ts';
import type { AlarmEventTable, AlarmRow, ServiceDatabase } from '../db/schema.ts';
import type { AlarmTransition } from './engine.ts';
import { type AlarmStatus, clearStep, LIVE_STATUSES, nextAlarmStatus, raiseStep } from './lifecycle.ts';
import type { Severity } from './severity.ts';

export type RaiseOutcome = 'new' | 'reraised' | 'standing';

export interface AlarmFilter {
  statuses?: AlarmStatus[];
  site?: string;
  /** Only these sites (a user's scope). */
  sites?: readonly string[];
  station?: string;
  severity?: Severity;
  text?: string;
  limit?: number;
}

export interface Shelf {
  id: number;
  site: string;
  station: string;
  faultClass: string;
  subject: string;
  until: number;
  shelvedBy: string;
  reason: string;
}

const ACTIVE: AlarmStatus[] = ['active_unack', 'active_ack'];

/** Alarms with their lifecycle and history; one live alarm per station, fault class and subject. */
export class AlarmStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  /**
   * Records a raise as the status machine (lifecycle.ts) steps it: a cleared, unacknowledged alarm
   * becomes active again (occurrences + 1); no live alarm: a new one; an active one already stands
   * (raised by another instance): 'standing'. Runs in the caller's transaction `tx` when given.
   */
  async raise(
    site: string,
    station: string,
    t: AlarmTransition,
    tx?: Transaction<ServiceDatabase>,
  ): Promise<{ alarm: AlarmRow; outcome: RaiseOutcome }> {
    if (tx) return await this.raiseIn(tx, site, station, t);
    return await this.db.transaction().execute((inner) => this.raiseIn(inner, site, station, t));
  }

  private async raiseIn(
    tx: Transaction<ServiceDatabase>,
    site: string,
    station: string,
    t: AlarmTransition,
  ): Promise<{ alarm: AlarmRow; outcome: RaiseOutcome }> {
    const value = JSON.stringify(t.value);
    const live = await this.live(tx, site, station, t.faultClass, t.subject);
    const step = raiseStep(live?.status as AlarmStatus | undefined);
    if (step.kind === 'standing') return { alarm: live!, outcome: 'standing' };
    if (step.kind === 'reraise') {
      const again = await tx
        .updateTable('alarms')
        .set({
          status: step.status,
          occurrences: live!.occurrences + 1,
          last_raised_at: t.at,
          cleared_at: null,
          value,
          // A vendor code alarm raised again may carry another code, its severity and its text.
          severity: t.severity,
          title: t.title,
          ...titleColumns(t),
        })
        .where('id', '=', live!.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('alarm_events')
        .values(event(again.id, t.at, 'raised', 'system', 'raised again'))
        .execute();
      return { alarm: again, outcome: 'reraised' };
    }
    const created = await tx
      .insertInto('alarms')
      .values({
        site,
        station,
        fault_class: t.faultClass,
        subject: t.subject,
        severity: t.severity,
        title: t.title,
        ...titleColumns(t),
        status: step.status,
        raised_at: t.at,
        last_raised_at: t.at,
        occurrences: 1,
        value,
      })
      // Another instance created it since the read: its alarm stands (and its ticket with it).
      // The predicate is the unique index's own (alarms_one_live), so PostgreSQL infers the index.
      .onConflict((oc) =>
        oc
          .columns(['site', 'station', 'fault_class', 'subject'])
          .where('status', '<>', 'cleared_ack')
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (created) {
      await tx
        .insertInto('alarm_events')
        .values(event(created.id, t.at, 'raised', 'system', ''))
        .execute();
      return { alarm: created, outcome: 'new' };
    }
    const standing = await this.live(tx, site, station, t.faultClass, t.subject);
    if (!standing)
      throw new Error(`alarm ${t.faultClass} ${t.subject} at ${site}/${station} vanished while raised`);
    return { alarm: standing, outcome: 'standing' };
  }

  /** Clears the live alarm as the status machine steps it (another instance may have cleared it). */
  async clear(site: string, station: string, t: AlarmTransition): Promise<AlarmRow | undefined> {
    return await this.db.transaction().execute(async (tx) => {
      const live = await this.live(tx, site, station, t.faultClass, t.subject);
      const status = clearStep(live?.status as AlarmStatus | undefined);
      if (!live || !status) return undefined;
      const cleared = await tx
        .updateTable('alarms')
        .set({ status, cleared_at: t.at })
        .where('id', '=', live.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('alarm_events')
        .values(event(cleared.id, t.at, 'cleared', 'system', ''))
        .execute();
      return cleared;
    });
  }

  async acknowledge(id: number, actor: string, at: number, note = ''): Promise<AlarmRow> {
    return await this.db.transaction().execute(async (tx) => {
      const alarm = await tx
        .selectFrom('alarms')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!alarm) throw new RefusedError(`no alarm ${id}`, 404, 'error.noAlarm', { id });
      const next = nextAlarmStatus(alarm.status as AlarmStatus, 'acknowledge');
      if (typeof next !== 'string')
        throw new RefusedError(`cannot acknowledge alarm ${id}: ${next.refused}`, 409, 'error.alarmAcked', {
          id,
        });
      const updated = await tx
        .updateTable('alarms')
        .set({ status: next, acknowledged_at: at, acknowledged_by: actor })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('alarm_events')
        .values(event(id, at, 'acknowledged', actor, note))
        .execute();
      return updated;
    });
  }

  async setTicket(alarmId: number, ticketId: number, db: Kysely<ServiceDatabase> = this.db): Promise<void> {
    await db.updateTable('alarms').set({ ticket_id: ticketId }).where('id', '=', alarmId).execute();
  }

  async get(id: number): Promise<AlarmRow | undefined> {
    return await this.db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async history(id: number) {
    return await this.db
      .selectFrom('alarm_events')
      .selectAll()
      .where('alarm_id', '=', id)
      .orderBy('id')
      .execute();
  }

  async list(filter: AlarmFilter = {}): Promise<AlarmRow[]> {
    let query = this.db.selectFrom('alarms').selectAll();
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    if (filter.site) query = query.where('site', '=', filter.site);
    if (filter.sites) query = query.where(siteIn(filter.sites));
    if (filter.station) query = query.where('station', '=', filter.station);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.text) {
      const pattern = containsPattern(filter.text);
      query = query.where((eb) =>
        eb.or([
          eb('title', 'ilike', pattern),
          eb('fault_class', 'ilike', pattern),
          eb('subject', 'ilike', pattern),
        ]),
      );
    }
    return await query
      .orderBy('last_raised_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 200)
      .execute();
  }

  /** Active alarms, to seed the rule engine's memory at start-up. */
  async active(): Promise<AlarmRow[]> {
    return await this.db.selectFrom('alarms').selectAll().where('status', 'in', ACTIVE).execute();
  }

  /** The fault's live alarm, locked until the transaction ends (at most one: a unique partial index). */
  private async live(
    tx: Transaction<ServiceDatabase>,
    site: string,
    station: string,
    faultClass: string,
    subject: string,
  ): Promise<AlarmRow | undefined> {
    return await tx
      .selectFrom('alarms')
      .selectAll()
      .where('site', '=', site)
      .where('station', '=', station)
      .where('fault_class', '=', faultClass)
      .where('subject', '=', subject)
      .where('status', 'in', LIVE_STATUSES)
      .forUpdate()
      .executeTakeFirst();
  }

  async shelve(shelf: Omit<Shelf, 'id'>, at: number): Promise<Shelf> {
    const values = {
      site: shelf.site,
      station: shelf.station,
      fault_class: shelf.faultClass,
      subject: shelf.subject,
      until: shelf.until,
      shelved_by: shelf.shelvedBy,
      reason: shelf.reason,
      created_at: at,
    };
    const row = await this.db
      .insertInto('shelves')
      .values(values)
      .onConflict((oc) => oc.columns(['site', 'station', 'fault_class', 'subject']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return shelfOf(row);
  }

  async unshelve(id: number): Promise<boolean> {
    const rows = await this.db.deleteFrom('shelves').where('id', '=', id).returning('id').execute();
    return rows.length > 0;
  }

  /** Shelves still in force at `now`. */
  async shelves(now: number): Promise<Shelf[]> {
    const rows = await this.db
      .selectFrom('shelves')
      .selectAll()
      .where('until', '>', now)
      .orderBy('id')
      .execute();
    return rows.map(shelfOf);
  }
}

function event(
  alarmId: number,
  at: number,
  action: string,
  actor: string,
  note: string,
): Omit<AlarmEventTable, 'id'> {
  return { alarm_id: alarmId, at, action, actor, note };
}

function shelfOf(row: {
  id: number;
  site: string;
  station: string;
  fault_class: string;
  subject: string;
  until: number;
  shelved_by: string;
  reason: string;
}): Shelf {
  return {
    id: row.id,
    site: row.site,
    station: row.station,
    faultClass: row.fault_class,
    subject: row.subject,
    until: row.until,
    shelvedBy: row.shelved_by,
    reason: row.reason,
  };
}

/** A vendor code's title as a code and params; a rule's title is named by its fault class. */
function titleColumns(t: AlarmTransition): { title_code: string | null; title_params: string | null } {
  return t.titleCode
    ? { title_code: t.titleCode, title_params: JSON.stringify(t.titleParams ?? {}) }
    : { title_code: null, title_params: null };
}
