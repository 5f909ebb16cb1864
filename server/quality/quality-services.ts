import type { Kysely } from 'kysely';
import { DEFAULT_QUALITY_POLICY, type QualityPolicy } from '../../core/quality/quality-trigger.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { CaseLibrary } from './case-library.ts';
import { NcrStore } from './ncr-store.ts';
import { QualityActionStore } from './quality-action-store.ts';
import { qualityDb } from './quality-schema.ts';

export type { QualityPolicy } from '../../core/quality/quality-trigger.ts';

/** The quality loop's stores and policy, as the routes need them. */
export interface QualityServices {
  actions: QualityActionStore;
  ncrs: NcrStore;
  cases: CaseLibrary;
  policy: QualityPolicy;
  /** The quality record of a ticket (responsibility, corrective and preventive action). */
  record(ticketId: number): Promise<{
    ticketId: number;
    responsibility: string;
    correctiveAction: string;
    preventiveAction: string;
    recordedBy: string;
    recordedAt: number;
  } | null>;
}

export function qualityServices(
  db: Kysely<ServiceDatabase>,
  policy: Partial<QualityPolicy> = {},
): QualityServices {
  const quality = qualityDb(db);
  return {
    actions: new QualityActionStore(quality),
    ncrs: new NcrStore(quality),
    cases: new CaseLibrary(quality),
    policy: { ...DEFAULT_QUALITY_POLICY, ...policy },
    async record(ticketId) {
      const row = await quality
        .selectFrom('ticket_quality_records')
        .selectAll()
        .where('ticket_id', '=', ticketId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        ticketId: row.ticket_id,
        responsibility: row.responsibility,
        correctiveAction: row.corrective_action,
        preventiveAction: row.preventive_action,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
      };
    },
  };
}
