import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { downloadFile } from '../../lib/fetch-file.ts';
import { dayOf, presetRange, RANGE_PRESETS, type RangePreset } from '../../lib/report-range.ts';
import { can } from '../../lib/roles.ts';
import { CustomerExportPanel } from './customer-export-panel.tsx';
import { ReportFigures } from './report-figures.tsx';
import { SatisfactionTable, StoredReports } from './stored-reports.tsx';
import './reports.css';

// The company's zone: half-years and months start at its midnight, as the server's schedule does.
const TIME_ZONE = 'Asia/Shanghai';

/** The half-year fault report for any range and scope: figures, charts, tables, CSV and PDF. */
export function ReportsPage() {
  const { t, api, session, locale } = useApp();
  const [preset, setPreset] = useState<RangePreset>('lastHalf');
  const [now] = useState(() => Date.now());
  const [custom, setCustom] = useState(() => ({
    from: dayOf(now - 90 * 86_400_000, TIME_ZONE),
    to: dayOf(now, TIME_ZONE),
  }));
  const [customer, setCustomer] = useState('');
  const [site, setSite] = useState('');
  const [model, setModel] = useState('');
  const [failure, setFailure] = useState<string | undefined>();
  const customers = useLoad(() => api.call(contracts.listCustomers), []);
  const sites = useLoad(() => api.call(contracts.listSites), []);
  const range = presetRange(preset, now, TIME_ZONE, custom);
  const query = range
    ? {
        from: range.from,
        to: range.to,
        ...(customer ? { customer } : {}),
        ...(site ? { site } : {}),
        ...(model ? { model } : {}),
      }
    : undefined;
  const key = JSON.stringify(query);
  const report = useLoad(
    () =>
      query
        ? api.call(contracts.halfYearReport, { query: { ...query, format: 'json' } })
        : Promise.resolve(null),
    [key],
  );
  const models = [
    ...new Set([...(report.data?.byModel.map((row) => row.key) ?? []), ...(model ? [model] : [])]),
  ];
  const siteChoices = (sites.data?.sites ?? []).filter((s) => !customer || s.customer_id === customer);
  const fileQuery = (format: 'csv' | 'pdf', lang: string) =>
    `/reports/half-year?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query ?? {}).map(([k, v]) => [k, String(v)])), format, lang })}`;
  const download = (format: 'csv' | 'pdf') => {
    if (!range) return;
    setFailure(undefined);
    const name = `half-year-${dayOf(range.from, TIME_ZONE)}${format === 'pdf' ? `-${locale}` : ''}.${format}`;
    downloadFile(session.token, fileQuery(format, locale), name, locale).catch((error: Error) =>
      setFailure(error.message),
    );
  };
  const all = { value: '', label: t('reports.all') };
  return (
    <div class="reports-page">
      <h1>{t('reports.title')}</h1>
      <div class="report-filters">
        <fieldset class="report-presets">
          <legend>{t('reports.range')}</legend>
          {RANGE_PRESETS.map((name) => (
            <button
              key={name}
              type="button"
              class="chip"
              aria-pressed={preset === name}
              onClick={() => setPreset(name)}
            >
              {t(`reports.preset.${name}`)}
            </button>
          ))}
        </fieldset>
        {preset === 'custom' ? (
          <div class="report-days">
            <label>
              {t('reports.from')}
              <input
                type="date"
                id="report-from"
                value={custom.from}
                onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })}
              />
            </label>
            <label>
              {t('reports.to')}
              <input
                type="date"
                id="report-to"
                value={custom.to}
                onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })}
              />
            </label>
          </div>
        ) : null}
        <div class="report-field">
          <label for="report-customer">{t('reports.customer')}</label>
          <Select
            id="report-customer"
            value={customer}
            choices={[all, ...(customers.data?.customers ?? []).map((c) => ({ value: c.id, label: c.name }))]}
            onChange={(value) => {
              setCustomer(value);
              setSite('');
            }}
          />
        </div>
        <div class="report-field">
          <label for="report-site">{t('reports.site')}</label>
          <Select
            id="report-site"
            value={site}
            choices={[all, ...siteChoices.map((s) => ({ value: s.id, label: s.name }))]}
            onChange={setSite}
          />
        </div>
        <div class="report-field">
          <label for="report-model">{t('reports.model')}</label>
          <Select
            id="report-model"
            value={model}
            choices={[all, ...models.map((m) => ({ value: m, label: m }))]}
            onChange={setModel}
          />
        </div>
      </div>
      {range ? (
        <p class="muted" data-testid="report-range">
          {dayOf(range.from, TIME_ZONE)} – {dayOf(range.to - 1, TIME_ZONE)}
        </p>
      ) : null}
      <div class="report-downloads">
        <button type="button" onClick={() => download('csv')} disabled={!range}>
          {t('reports.downloadCsv')}
        </button>
        <button type="button" onClick={() => download('pdf')} disabled={!range}>
          {t('reports.downloadPdf')}
        </button>
      </div>
      {failure ? <p class="error">{t('common.error', { error: failure })}</p> : null}
      {report.error ? <p class="error">{t('common.error', { error: report.error })}</p> : null}
      {!report.data && !report.error ? <p class="muted">{t('reports.loading')}</p> : null}
      {report.data ? <ReportFigures report={report.data} timeZone={TIME_ZONE} /> : null}
      <SatisfactionTable />
      <StoredReports timeZone={TIME_ZONE} />
      {can.exportCustomer(session.role) ? <CustomerExportPanel /> : null}
    </div>
  );
}
