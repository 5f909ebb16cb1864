import type { Kysely } from 'kysely';
import type { HalfYearReport } from '../../core/api/reports.ts';
import { lastHalfYear } from '../../core/reports/half-year-calendar.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { withRetention } from '../retention/retention-schema.ts';
import { halfYearFigures } from './half-year.ts';
import { loadReportFacts } from './report-loader.ts';
import type { ReportScope, ServiceQualitySource } from './service-quality.ts';

export interface ReportDeps {
  db: Kysely<ServiceDatabase>;
  assets: AssetStore;
  quality: ServiceQualitySource;
  clock: () => number;
  /** The company's time zone: half-years start at its midnight of 1 Jan and 1 Jul. Default Asia/Shanghai. */
  timeZone?: string;
  /** The CJK font the PDF uses. Default /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc. */
  pdfFontPath?: string;
}

export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Shanghai';

/** The half-year fault report over any range and scope, as the API answers it. */
export async function halfYearReport(deps: ReportDeps, scope: ReportScope): Promise<HalfYearReport> {
  const { tickets, pumps } = await loadReportFacts(deps.db, deps.assets, scope);
  const [slaCompliance, satisfaction] = await Promise.all([
    deps.quality.slaCompliance(scope),
    deps.quality.satisfaction(scope),
  ]);
  return {
    ...halfYearFigures(tickets, pumps, scope),
    customer: scope.customer ?? null,
    generatedAt: deps.clock(),
    slaCompliance,
    satisfaction,
  };
}

export const HALF_YEAR_KIND = 'half-year';

/**
 * The schedule's step: stores the report of the last whole half-year unless it is stored already.
 * Returns the stored run's id, or null when there was nothing to do. Safe to call often and from
 * several instances (the unique period keeps one).
 */
export async function storeDueHalfYearReport(deps: ReportDeps): Promise<number | null> {
  const period = lastHalfYear(deps.clock(), deps.timeZone ?? DEFAULT_REPORT_TIME_ZONE);
  const db = withRetention(deps.db);
  const stored = await db
    .selectFrom('report_runs')
    .select('id')
    .where('kind', '=', HALF_YEAR_KIND)
    .where('period_from', '=', period.from)
    .where('period_to', '=', period.to)
    .executeTakeFirst();
  if (stored) return null;
  const report = await halfYearReport(deps, period);
  const row = await db
    .insertInto('report_runs')
    .values({
      kind: HALF_YEAR_KIND,
      period_from: period.from,
      period_to: period.to,
      generated_at: deps.clock(),
      report: JSON.stringify(report),
    })
    .onConflict((oc) => oc.columns(['kind', 'period_from', 'period_to']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
