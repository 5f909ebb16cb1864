import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import { downloadFile } from '../../lib/fetch-file.ts';
import { formatTime } from '../../lib/format.ts';
import { dayOf } from '../../lib/report-range.ts';

/** The half-year reports the schedule stored (1 Jan and 1 Jul), each downloadable as CSV or PDF. */
export function StoredReports({ timeZone }: { timeZone: string }) {
  const { t, api, session, locale } = useApp();
  const stored = useLoad(() => api.call(contracts.listStoredReports), []);
  const [failure, setFailure] = useState<string | undefined>();
  const reports = stored.data?.reports ?? [];
  const get = (id: number, from: number, format: 'csv' | 'pdf') => {
    const name = `half-year-${dayOf(from, timeZone)}${format === 'pdf' ? `-${locale}` : ''}.${format}`;
    downloadFile(
      session.token,
      `/reports/runs/${id}/download?format=${format}&lang=${locale}`,
      name,
      locale,
    ).catch((error: Error) => setFailure(error.message));
  };
  return (
    <section class="panel" aria-labelledby="stored-reports-title">
      <h2 id="stored-reports-title">{t('reports.stored')}</h2>
      {stored.data && reports.length === 0 ? <p class="muted">{t('reports.storedEmpty')}</p> : null}
      {failure ? <p class="error">{t('common.error', { error: failure })}</p> : null}
      {reports.length ? (
        <ul class="stored-reports">
          {reports.map((report) => (
            <li key={report.id}>
              <span>
                {t('reports.period')} {dayOf(report.from, timeZone)} – {dayOf(report.to - 1, timeZone)}
              </span>
              <span class="muted">
                {t('reports.generatedAt')} {formatTime(report.generatedAt, timeZone, locale)}
              </span>
              <span class="stored-actions">
                <button type="button" class="ghost" onClick={() => get(report.id, report.from, 'csv')}>
                  CSV
                </button>
                <button type="button" class="ghost" onClick={() => get(report.id, report.from, 'pdf')}>
                  PDF
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Satisfaction per customer as the portal reports it (GET /api/reports/satisfaction). */
export function SatisfactionTable() {
  const { t, api } = useApp();
  const answer = useLoad(() => api.call(contracts.satisfactionReport), []);
  const rows = answer.data?.rows ?? [];
  return (
    <section class="panel" aria-labelledby="satisfaction-title">
      <h2 id="satisfaction-title">{t('reports.satisfactionByCustomer')}</h2>
      <div class="table-wrap">
        <table data-table="satisfaction">
          <thead>
            <tr>
              <th>{t('reports.customer')}</th>
              <th class="num">{t('reports.average')}</th>
              <th class="num">{t('reports.surveys')}</th>
              <th class="num">{t('reports.responseRate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.customer}>
                <td>{row.name}</td>
                <td class="num">{row.average === null ? '–' : row.average.toFixed(2)}</td>
                <td class="num">{row.surveys}</td>
                <td class="num">
                  {row.responseRate === null ? '–' : `${Math.round(row.responseRate * 100)}%`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
