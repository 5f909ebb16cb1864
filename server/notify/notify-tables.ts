import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

/** jsonb: read as the parsed value, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The tables of migration 14 (and 21), kept beside the service that owns them. */
export type NotifyTables = {
  notify_settings: { id: number; settings: Json<unknown>; changed_at: number };
  notify_profiles: { username: string; profile: Json<unknown>; changed_at: number };
  notify_chains: {
    fault_key: string;
    site: string;
    station: string;
    alarm_id: number | null;
    ticket_id: number | null;
    severity: string;
    params: Json<Record<string, string | number>>;
    raised_at: number;
    sent_steps: ColumnType<number[], string | undefined, string>;
    stopped_at: Defaulted<number | null>;
    stopped_by: Defaulted<string | null>;
  };
  notify_log: {
    id: Generated<number>;
    at: number;
    dedupe_key: string;
    kind: string;
    recipient: string;
    channel: string;
    address: string;
    language: string;
    subject: string;
    body: string;
    params: Json<Record<string, string | number>>;
    site: string | null;
    station: string | null;
    status: string;
    detail: string;
    /** When a message held through quiet hours is due (migration 21); null otherwise. */
    hold_until: Defaulted<number | null>;
  };
  notify_webhook_deliveries: {
    id: Generated<number>;
    webhook_id: string;
    dedupe_key: string;
    body: string;
    created_at: number;
    attempts: Defaulted<number>;
    next_at: number;
    status: string;
    last_error: Defaulted<string>;
  };
};

export type NotifyDatabase = ServiceDatabase & NotifyTables;
export type NotifyLogRow = Selectable<NotifyTables['notify_log']>;
export type ChainRow = Selectable<NotifyTables['notify_chains']>;
export type DeliveryRow = Selectable<NotifyTables['notify_webhook_deliveries']>;

/** The service database seen with the notification tables. */
export function notifyDb(db: Kysely<ServiceDatabase>): Kysely<NotifyDatabase> {
  return db.withTables<NotifyTables>();
}
