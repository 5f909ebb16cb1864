import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { complianceCsv } from '../../../core/sla/compliance.ts';
import { useApp, useLoad } from '../context.ts';
import { formatDuration } from '../lib/format.ts';
import { download } from './download.ts';
import { Select } from './select-field.tsx';

/** This month in China time, YYYY-MM. */
function thisMonth(now: number): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** A customer's SLA compliance for a month (GET /api/reports/sla): met and breached per clock. */
export function SlaReportPanel() {
  const { t, api, locale } = useApp();
  const customers = useLoad(() => api.call(contracts.listCustomers), []);
  const [chosen, setChosen] = useState('');
  const [month, setMonth] = useState(() => thisMonth(Date.now()));
  const customer = chosen || customers.data?.customers[0]?.id || '';
  const report = useLoad(
    () =>
      customer && /^\d{4}-\d{2}$/.test(month)
        ? api.call(contracts.slaReport, { query: { customer, month, format: 'json' } })
        : Promise.resolve(null),
    [customer, month],
  );
  const data = report.data;
  return (
    <section class="panel sla-report" aria-labelledby="sla-report-title">
      <h2 id="sla-report-title">{t('sla.report')}</h2>
      <div class="row">
        <label for="sla-report-customer">{t('sla.reportCustomer')}</label>
        <Select
          id="sla-report-customer"
          value={customer}
          choices={(customers.data?.customers ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={setChosen}
        />
        <label for="sla-report-month">{t('sla.reportMonth')}</label>
        <input
          id="sla-report-month"
          type="month"
          value={month}
          onInput={(e) => setMonth(e.currentTarget.value)}
        />
      </div>
      {report.error ? <p class="error">{t('common.error', { error: report.error })}</p> : null}
      {data ? (
        <>
          <p>
            {t('sla.reportTickets', { n: data.tickets })} ·{' '}
            {t('sla.reportPauses', {
              n: data.pauses.count,
              time: formatDuration(data.pauses.pausedMs, locale),
            })}
          </p>
          <table class="clocks sla-report-table">
            <thead>
              <tr>
                <th scope="col">{t('sla.col.clock')}</th>
                <th scope="col">{t('sla.col.met')}</th>
                <th scope="col">{t('sla.col.metLate')}</th>
                <th scope="col">{t('sla.col.breached')}</th>
                <th scope="col">{t('sla.col.running')}</th>
                <th scope="col">{t('sla.col.na')}</th>
              </tr>
            </thead>
            <tbody>
              {data.clocks.map((c) => (
                <tr key={c.clock} data-clock={c.clock}>
                  <th scope="row">{t(`clock.${c.clock}`)}</th>
                  <td class="num">{c.met}</td>
                  <td class="num">{c.metLate}</td>
                  <td class="num" data-breached={c.breached > 0 ? 'yes' : undefined}>
                    {c.breached}
                  </td>
                  <td class="num">{c.running}</td>
                  <td class="num">{c.notApplicable}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.breachedTickets.length > 0 ? (
            <p class="muted">
              {t('sla.breachedTickets', { list: data.breachedTickets.map((b) => `#${b.id}`).join(', ') })}
            </p>
          ) : null}
          <button
            type="button"
            class="ghost small"
            onClick={() => download(complianceCsv(data), `sla-${data.customer}-${data.month}.csv`)}
          >
            {t('sla.reportCsv')}
          </button>
        </>
      ) : null}
    </section>
  );
}
