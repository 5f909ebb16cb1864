import type { Kysely } from 'kysely';
import {
  expiryCutoff,
  RECORD_CLASSES,
  RETENTION_ACTION,
  RETENTION_PERIODS,
  type RecordClass,
  type RetentionPeriod,
} from '../../core/retention/periods.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActingUser } from '../auth/roles.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { type RetentionDatabase, withRetention } from './retention-schema.ts';

export interface ClassOutcome {
  class: RecordClass;
  period: RetentionPeriod;
  action: 'delete' | 'anonymise';
  /** Records older than this expired; null: the class is kept for ever. */
  cutoff: number | null;
  /** Expired records removed (or, in a dry run, that would be). */
  ids: string[];
  /** Expired records kept because a legal hold is on them. */
  held: string[];
}

export interface RetentionOutcome {
  at: number;
  dryRun: boolean;
  classes: ClassOutcome[];
}

type Db = Kysely<RetentionDatabase>;

/** Ids of the expired records of one class (only finished records: open tickets, live alarms never). */
async function expiredIds(db: Db, recordClass: RecordClass, cutoff: number): Promise<string[]> {
  const ids = (rows: { id: number }[]) => rows.map((row) => String(row.id));
  switch (recordClass) {
    case 'tickets':
      return ids(
        await db
          .selectFrom('tickets')
          .select('id')
          .where('state', 'in', ['signed_off', 'closed'])
          .where('updated_at', '<', cutoff)
          .execute(),
      );
    case 'alarms':
      return ids(
        await db
          .selectFrom('alarms')
          .select('id')
          .where('status', '=', 'cleared_ack')
          .where((eb) => eb(eb.fn.coalesce('cleared_at', 'last_raised_at'), '<', cutoff))
          .execute(),
      );
    case 'surveys':
      return ids(
        await db
          .selectFrom('surveys')
          .select('id')
          .where('at', '<', cutoff)
          .where('surveyed_by', '<>', ANONYMISED)
          .execute(),
      );
    case 'commands':
      return (
        await db
          .selectFrom('commands')
          .select('id')
          .where('status', '<>', 'pending')
          .where('issued_at', '<', cutoff)
          .execute()
      ).map((row) => row.id);
    case 'audit':
      return ids(await db.selectFrom('audit_log').select('id').where('at', '<', cutoff).execute());
    case 'reports':
      return ids(
        await db.selectFrom('report_runs').select('id').where('generated_at', '<', cutoff).execute(),
      );
  }
}

export const ANONYMISED = 'anonymised';

async function remove(db: Db, recordClass: RecordClass, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const numbers = ids.map(Number);
  switch (recordClass) {
    case 'tickets':
      await db.deleteFrom('ticket_events').where('ticket_id', 'in', numbers).execute();
      await db.deleteFrom('tickets').where('id', 'in', numbers).execute();
      return;
    case 'alarms':
      await db.deleteFrom('alarm_events').where('alarm_id', 'in', numbers).execute();
      await db.deleteFrom('alarms').where('id', 'in', numbers).execute();
      return;
    case 'surveys':
      // The score stays for the statistics; who said what goes.
      await db
        .updateTable('surveys')
        .set({ remarks: '', surveyed_by: ANONYMISED })
        .where('id', 'in', numbers)
        .execute();
      return;
    case 'commands':
      await db.deleteFrom('commands').where('id', 'in', ids).execute();
      return;
    case 'audit':
      await db.deleteFrom('audit_log').where('id', 'in', numbers).execute();
      return;
    case 'reports':
      await db.deleteFrom('report_runs').where('id', 'in', numbers).execute();
      return;
  }
}

/** Each class with its period as the admin set it. */
export async function retentionClasses(
  db: Kysely<ServiceDatabase>,
): Promise<{ class: RecordClass; period: RetentionPeriod; updatedAt: number; updatedBy: string }[]> {
  const rows = await withRetention(db).selectFrom('retention_classes').selectAll().orderBy('class').execute();
  return rows
    .filter((row) => (RECORD_CLASSES as readonly string[]).includes(row.class))
    .map((row) => ({
      class: row.class as RecordClass,
      period: (RETENTION_PERIODS as readonly string[]).includes(row.period)
        ? (row.period as RetentionPeriod)
        : 'permanent',
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    }));
}

/**
 * Removes (deletes or anonymises) every record past its class's period, except those under a legal
 * hold, in one transaction; a dry run only lists them. A real run is logged in the audit log and in
 * retention_runs (the yearly schedule reads the latter).
 */
export async function runRetention(
  serviceDb: Kysely<ServiceDatabase>,
  audit: AuditLog,
  who: Pick<ActingUser, 'username' | 'role'>,
  options: { now: number; dryRun: boolean },
): Promise<RetentionOutcome> {
  const classes = await retentionClasses(serviceDb);
  return await withRetention(serviceDb)
    .transaction()
    .execute(async (db) => {
      const outcome: RetentionOutcome = { at: options.now, dryRun: options.dryRun, classes: [] };
      for (const { class: recordClass, period } of classes) {
        const cutoff = expiryCutoff(period, options.now);
        const action = RETENTION_ACTION[recordClass];
        if (cutoff === null) {
          outcome.classes.push({ class: recordClass, period, action, cutoff, ids: [], held: [] });
          continue;
        }
        const holds = await db
          .selectFrom('legal_holds')
          .select('record_id')
          .where('class', '=', recordClass)
          .execute();
        const heldIds = new Set(holds.map((hold) => hold.record_id));
        const expired = await expiredIds(db, recordClass, cutoff);
        const ids = expired.filter((id) => !heldIds.has(id));
        const held = expired.filter((id) => heldIds.has(id));
        if (!options.dryRun) await remove(db, recordClass, ids);
        outcome.classes.push({ class: recordClass, period, action, cutoff, ids, held });
      }
      if (!options.dryRun) {
        await db
          .insertInto('retention_runs')
          .values({ at: options.now, dry_run: false, actor: who.username, outcome: JSON.stringify(outcome) })
          .execute();
        const removed = Object.fromEntries(outcome.classes.map((entry) => [entry.class, entry.ids]));
        const held = Object.fromEntries(outcome.classes.map((entry) => [entry.class, entry.held.length]));
        await audit.record(
          who,
          { action: 'retention.run', target: 'records', result: 'ok', detail: { removed, held } },
          db as unknown as Kysely<ServiceDatabase>,
        );
      }
      return outcome;
    });
}
