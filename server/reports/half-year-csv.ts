import type { HalfYearReport } from '../../core/api/reports.ts';
import { writeCsv } from '../../core/fleet/csv-table.ts';

const number = (value: number | null, digits = 1) => (value === null ? '' : value.toFixed(digits));

/**
 * The half-year report as one CSV table: a `section` column names the grouping (total, customer,
 * site, model, failure_mode, part, root_cause, fault), codes rather than sentences so any language reads it.
 */
export function halfYearCsv(report: HalfYearReport): string {
  const rows: string[][] = [
    [
      'section',
      'key',
      'faults',
      'resolved',
      'exposure_hours',
      'mtbf_hours',
      'mttr_hours',
      'repeats',
      'first_time_fix_rate',
    ],
  ];
  const figureRows: [string, HalfYearReport['byCustomer']][] = [
    ['total', [report.totals]],
    ['customer', report.byCustomer],
    ['site', report.bySite],
    ['model', report.byModel],
    ['failure_mode', report.byFailureMode],
  ];
  for (const [section, list] of figureRows) {
    for (const row of list) {
      rows.push([
        section,
        row.key,
        String(row.faults),
        String(row.resolved),
        number(row.exposureHours),
        number(row.mtbfHours),
        number(row.mttrHours),
        String(row.repeats),
        number(row.firstTimeFixRate, 3),
      ]);
    }
  }
  for (const part of report.parts)
    rows.push(['part', part.part, String(part.quantity), '', '', '', '', '', number(part.cost, 2)]);
  for (const cause of report.topRootCauses) {
    rows.push([
      'root_cause',
      cause.code,
      String(cause.faults),
      '',
      '',
      '',
      '',
      '',
      cause.actions.join(' | '),
    ]);
  }
  const sla = report.slaCompliance.available
    ? number(report.slaCompliance.value.rate, 3)
    : 'not_available_yet';
  const satisfaction = report.satisfaction.available
    ? number(report.satisfaction.value.meanScore, 2)
    : 'not_available_yet';
  rows.push(['sla_compliance', 'all', '', '', '', '', '', '', sla]);
  rows.push(['satisfaction', 'all', '', '', '', '', '', '', satisfaction]);
  return writeCsv(rows);
}
