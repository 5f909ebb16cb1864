import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { QualityActionReason } from '../../core/quality/vocabulary.ts';
import type { ServiceDatabase } from '../db/schema.ts';

type Ms = number;

export interface TicketQualityRecordTable {
  ticket_id: number;
  responsibility: string;
  corrective_action: string;
  preventive_action: string;
  recorded_by: string;
  recorded_at: Ms;
}

export interface QualityActionTable {
  id: Generated<number>;
  ticket_id: number | null;
  site: string;
  station: string;
  pump: number | null;
  failure_mode: string | null;
  severity: string;
  reasons: ColumnType<QualityActionReason[], string, string>;
  title: string;
  owner: string;
  due_at: Ms;
  status: string;
  opened_at: Ms;
  updated_at: Ms;
  closed_at: Ms | null;
}

export interface QualityActionEventTable {
  id: Generated<number>;
  action_id: number;
  at: Ms;
  actor: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  note: ColumnType<string, string | undefined, string>;
}

export interface NonconformingProductTable {
  id: Generated<number>;
  product: string;
  model: string | null;
  batch: string | null;
  serial: string | null;
  problem: string;
  disposition: string;
  ticket_id: number | null;
  quality_action_id: number | null;
  created_by: string;
  created_at: Ms;
  updated_at: Ms;
}

/** Migration 18's tables, beside the service database's own (Kysely's withTables). */
export type QualityTables = {
  ticket_quality_records: TicketQualityRecordTable;
  quality_actions: QualityActionTable;
  quality_action_events: QualityActionEventTable;
  nonconforming_products: NonconformingProductTable;
};

export type QualityDatabase = ServiceDatabase & QualityTables;

export function qualityDb(db: Kysely<ServiceDatabase>): Kysely<QualityDatabase> {
  return db.withTables<QualityTables>() as Kysely<QualityDatabase>;
}

export function qualityTx(tx: Transaction<ServiceDatabase>): Transaction<QualityDatabase> {
  return tx.withTables<QualityTables>() as Transaction<QualityDatabase>;
}
