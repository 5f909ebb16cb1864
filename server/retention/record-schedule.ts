import type { Logger } from '../../core/log.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { type ReportDeps, storeDueHalfYearReport } from '../reports/half-year-report.ts';
import { runRetention } from './retention-job.ts';
import { withRetention } from './retention-schema.ts';

const YEAR_MS = 365 * 86_400_000;
const SCHEDULE_ACTOR = { username: 'schedule', role: 'admin' } as const;

/**
 * The records' schedule on the injected clock: the half-year report once each half-year has ended,
 * and the retention job once a year (a year after its last real run). `step` is safe to call often
 * (the service layer's tick calls it about hourly); a failure is logged and tried again next step.
 */
export function recordSchedule(deps: ReportDeps & { audit: AuditLog; logger?: Logger }) {
  return {
    async step(): Promise<{ reportId: number | null; retentionRan: boolean }> {
      const reportId = await storeDueHalfYearReport(deps);
      const now = deps.clock();
      const last = await withRetention(deps.db)
        .selectFrom('retention_runs')
        .select((eb) => eb.fn.max('at').as('at'))
        .where('dry_run', '=', false)
        .executeTakeFirst();
      const lastAt = last?.at ?? null;
      let retentionRan = false;
      if (lastAt === null || now - lastAt >= YEAR_MS) {
        const outcome = await runRetention(deps.db, deps.audit, SCHEDULE_ACTOR, { now, dryRun: false });
        deps.logger?.info(
          { removed: Object.fromEntries(outcome.classes.map((entry) => [entry.class, entry.ids.length])) },
          'yearly retention ran',
        );
        retentionRan = true;
      }
      return { reportId, retentionRan };
    },
  };
}
