import { Router } from 'express';
import {
  downloadStoredReport,
  getStoredReport,
  halfYearReport,
  halfYearReportSchema,
  listStoredReports,
} from '../../core/api/reports.ts';
import { siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { ANSWERED, contractRoute } from '../http/contract-route.ts';
import { withRetention } from '../retention/retention-schema.ts';
import {
  halfYearReport as buildReport,
  DEFAULT_REPORT_TIME_ZONE,
  HALF_YEAR_KIND,
  type ReportDeps,
} from './half-year-report.ts';
import { sendReportFile } from './report-file.ts';

/** The half-year fault report on demand (json, csv, pdf) and the reports the schedule stored. */
export function reportRoutes(deps: ReportDeps): Router {
  const router = Router();

  contractRoute(router, halfYearReport, async ({ query }, req, res) => {
    const to = query.to ?? deps.clock();
    const fromDate = new Date(to);
    fromDate.setUTCMonth(fromDate.getUTCMonth() - 6);
    const from = query.from ?? fromDate.getTime();
    if (from >= to) throw new RefusedError('from must be before to', 400, 'error.fromBeforeTo');
    const scope = siteScope(req);
    const sites = scope.all ? undefined : new Set(scope.sites);
    if (query.site) {
      if (sites && !sites.has(query.site)) throw new RefusedError(`no site ${query.site} in your scope`, 404);
    }
    const wantedSites = query.site ? new Set([query.site]) : sites;
    const report = await buildReport(deps, {
      from,
      to,
      ...(query.customer ? { customer: query.customer } : {}),
      ...(wantedSites ? { sites: wantedSites } : {}),
      ...(query.model ? { model: query.model } : {}),
    });
    if (query.format !== 'json') {
      await sendReportFile(res, report, { format: query.format, lang: query.lang, ...fileOptions(deps) });
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

  contractRoute(
    router,
    downloadStoredReport,
    async ({ params, query }, _req, res): Promise<typeof ANSWERED> => {
      const row = await withRetention(deps.db)
        .selectFrom('report_runs')
        .select('report')
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!row) throw new RefusedError(`no stored report ${params.id}`, 404);
      const report = halfYearReportSchema.parse(row.report);
      await sendReportFile(res, report, { format: query.format, lang: query.lang, ...fileOptions(deps) });
      return ANSWERED;
    },
  );

  return router;
}

const fileOptions = (deps: ReportDeps) => ({
  timeZone: deps.timeZone ?? DEFAULT_REPORT_TIME_ZONE,
  ...(deps.pdfFontPath ? { fontPath: deps.pdfFontPath } : {}),
});
