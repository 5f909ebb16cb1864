import type { HalfYearReport } from '../../../../core/api/reports.ts';
import { faultsPerMonth } from '../../../../core/reports/half-year-calendar.ts';
import { useApp } from '../../context.ts';
import { HorizontalBars, MonthColumns } from './report-charts.tsx';

const hours = (value: number | null) => (value === null ? '–' : value.toFixed(1));
const rate = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

/** The report's summary, charts and tables, as the PDF has them. */
export function ReportFigures({ report, timeZone }: { report: HalfYearReport; timeZone: string }) {
  const { t } = useApp();
  const total = report.totals;
  const months = faultsPerMonth(
    report.faults.map((fault) => fault.openedAt),
    report,
    timeZone,
  );
  const sla = report.slaCompliance.available
    ? `${rate(report.slaCompliance.value.rate)} (${report.slaCompliance.value.met}/${report.slaCompliance.value.total})`
    : t('reports.notAvailable');
  const satisfaction = report.satisfaction.available
    ? t('reports.satisfactionValue', {
        score: report.satisfaction.value.meanScore.toFixed(2),
        n: report.satisfaction.value.responses,
      })
    : t('reports.notAvailable');
  const notFaults = Object.entries(report.notFaults);
  return (
    <>
      <dl class="report-figures" data-testid="report-totals">
        <Figure label={t('reports.faults')} value={String(total.faults)} id="faults" />
        <Figure label={t('reports.resolved')} value={String(total.resolved)} id="resolved" />
        <Figure
          label={t('reports.mtbf')}
          value={total.mtbfHours === null ? '–' : t('reports.hours', { n: hours(total.mtbfHours) })}
          id="mtbf"
        />
        <Figure
          label={t('reports.mttr')}
          value={total.mttrHours === null ? '–' : t('reports.hours', { n: hours(total.mttrHours) })}
          id="mttr"
        />
        <Figure label={t('reports.repeats')} value={String(total.repeats)} id="repeats" />
        <Figure label={t('reports.firstTimeFix')} value={rate(total.firstTimeFixRate)} id="ftf" />
        <Figure label={t('reports.exposure')} value={hours(total.exposureHours)} id="exposure" />
        <Figure label={t('reports.sla')} value={sla} id="sla" />
        <Figure label={t('reports.satisfaction')} value={satisfaction} id="satisfaction" />
      </dl>
      {total.faults === 0 ? <p class="muted">{t('reports.noFaults')}</p> : null}
      <div class="report-charts">
        <HorizontalBars
          title={t('reports.chartModes')}
          bars={report.byFailureMode.map((row) => ({ label: row.key, value: row.faults }))}
        />
        <MonthColumns
          title={t('reports.chartMonths')}
          bars={months.map((month) => ({ label: month.month.slice(5), value: month.faults }))}
        />
      </div>
      <FigureTable title={t('reports.byFailureMode')} rows={report.byFailureMode} id="modes" />
      <FigureTable title={t('reports.byCustomer')} rows={report.byCustomer} id="customers" />
      <FigureTable title={t('reports.bySite')} rows={report.bySite} id="sites" />
      <FigureTable title={t('reports.byModel')} rows={report.byModel} id="models" />
      <h3>{t('reports.rootCauses')}</h3>
      {report.topRootCauses.length === 0 ? <p class="muted">–</p> : null}
      <div class="table-wrap" hidden={report.topRootCauses.length === 0}>
        <table>
          <thead>
            <tr>
              <th>{t('reports.key')}</th>
              <th class="num">{t('reports.faults')}</th>
              <th>{t('reports.chargeable')}</th>
              <th>{t('reports.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {report.topRootCauses.map((cause) => (
              <tr key={cause.code}>
                <td>{cause.code}</td>
                <td class="num">{cause.faults}</td>
                <td>
                  {cause.chargeable === null ? '–' : t(cause.chargeable ? 'reports.yes' : 'reports.no')}
                </td>
                <td>{cause.actions.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {notFaults.length ? (
        <p class="muted">
          {t('reports.notFaults', { list: notFaults.map(([k, n]) => `${k} ${n}`).join(', ') })}
        </p>
      ) : null}
    </>
  );
}

function Figure({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div class="report-figure" data-figure={id}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function FigureTable({ title, rows, id }: { title: string; rows: HalfYearReport['byModel']; id: string }) {
  const { t } = useApp();
  return (
    <>
      <h3>{title}</h3>
      <div class="table-wrap">
        <table data-table={id}>
          <thead>
            <tr>
              <th>{t('reports.key')}</th>
              <th class="num">{t('reports.faults')}</th>
              <th class="num">{t('reports.mtbf')}</th>
              <th class="num">{t('reports.mttr')}</th>
              <th class="num">{t('reports.repeats')}</th>
              <th class="num">{t('reports.firstTimeFix')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>{row.key}</td>
                <td class="num">{row.faults}</td>
                <td class="num">{hours(row.mtbfHours)}</td>
                <td class="num">{hours(row.mttrHours)}</td>
                <td class="num">{row.repeats}</td>
                <td class="num">{rate(row.firstTimeFixRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
