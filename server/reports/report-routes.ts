import { Router } from 'express';
import {
  getStoredReport,
  halfYearReport,
  halfYearReportSchema,
  listStoredReports,
} from '../../core/api/reports.ts';
import { siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { withRetention } from '../retention/retention-schema.ts';
import { halfYearCsv } from './half-year-csv.ts';
import { halfYearReport as buildReport, HALF_YEAR_KIND, type ReportDeps } from './half-year-report.ts';

/** The half-year fault report on demand (json, csv) and the reports the schedule stored. */
export function reportRoutes(deps: ReportDeps): Router {
  const router = Router();

  contractRoute(router, halfYearReport, async ({ query }, req, res) => {
    const to = query.to ?? deps.clock();
    const fromDate = new Date(to);
    fromDate.setUTCMonth(fromDate.getUTCMonth() - 6);
    const from = query.from ?? fromDate.getTime();
    if (from >= to) throw new RefusedError('from must be before to', 400, 'error.fromBeforeTo');
    if (query.format === 'pdf') {
      // No PDF library is installed (pdfkit would be the choice); json and csv are complete.
      throw new HttpError(
        501,
        'PDF reports need a PDF library that is not installed yet',
        undefined,
        'error.reportPdfUnavailable',
      );
    }
    const scope = siteScope(req);
    const report = await buildReport(deps, {
      from,
      to,
      ...(query.customer ? { customer: query.customer } : {}),
      ...(scope.all ? {} : { sites: new Set(scope.sites) }),
    });
    if (query.format === 'csv') {
      res
        .status(200)
        .set('content-type', 'text/csv; charset=utf-8')
        .set(
          'content-disposition',
          `attachment; filename="half-year-${new Date(from).toISOString().slice(0, 10)}.csv"`,
        )
        .send(halfYearCsv(report));
      return ANSWERED;
    }
    return report;
  });

  contractRoute(router, listStoredReports, async () => {
    const rows = await withRetention(deps.db)
      .selectFrom('report_runs')
      .select(['id', 'kind', 'period_from', 'period_to', 'generated_at'])
      .where('kind', '=', HALF_YEAR_KIND)
      .orderBy('period_from', 'desc')
      .execute();
    return {
      reports: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        from: row.period_from,
        to: row.period_to,
        generatedAt: row.generated_at,
      })),
    };
  });

  contractRoute(router, getStoredReport, async ({ params }) => {
    const row = await withRetention(deps.db)
      .selectFrom('report_runs')
      .select('report')
      .where('id', '=', params.id)
      .executeTakeFirst();
    if (!row) throw new RefusedError(`no stored report ${params.id}`, 404);
    return halfYearReportSchema.parse(row.report);
  });

  return router;
}
