import type { ColumnType, Generated, Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

type Json<T> = ColumnType<T, string, string>;

/** Migration 20's tables (kept beside the retention code, reached with `withRetention(db)`). */
export type RetentionTables = {
  retention_classes: {
    class: string;
    period: string;
    updated_at: ColumnType<number, number | undefined, number>;
    updated_by: ColumnType<string, string | undefined, string>;
  };
  legal_holds: {
    id: Generated<number>;
    class: string;
    record_id: string;
    reason: ColumnType<string, string | undefined, string>;
    held_by: string;
    held_at: number;
  };
  retention_runs: {
    id: Generated<number>;
    at: number;
    dry_run: boolean;
    actor: string;
    outcome: Json<unknown>;
  };
  report_runs: {
    id: Generated<number>;
    kind: string;
    period_from: number;
    period_to: number;
    generated_at: number;
    report: Json<unknown>;
  };
};

export type RetentionDatabase = ServiceDatabase & RetentionTables;

export function withRetention(db: Kysely<ServiceDatabase>): Kysely<RetentionDatabase> {
  return db.withTables<RetentionTables>();
}
