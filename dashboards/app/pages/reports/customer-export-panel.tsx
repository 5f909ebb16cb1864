import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { downloadFile } from '../../lib/fetch-file.ts';

/** One customer's records as one zip (GET /api/customers/:id/export.zip). */
export function CustomerExportPanel() {
  const { t, api, session, locale } = useApp();
  const customers = useLoad(() => api.call(contracts.listCustomers), []);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const customer = chosen || customers.data?.customers[0]?.id || '';
  const run = () => {
    setBusy(true);
    setFailure(undefined);
    downloadFile(
      session.token,
      `/customers/${encodeURIComponent(customer)}/export.zip`,
      `customer-${customer}.zip`,
      locale,
    )
      .catch((error: Error) => setFailure(error.message))
      .finally(() => setBusy(false));
  };
  return (
    <section class="panel" aria-labelledby="export-title">
      <h2 id="export-title">{t('reports.exportTitle')}</h2>
      <p class="muted">{t('reports.exportHint')}</p>
      <div class="report-downloads">
        <Select
          id="export-customer"
          value={customer}
          choices={(customers.data?.customers ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={setChosen}
        />
        <button type="button" onClick={run} disabled={!customer || busy}>
          {t('reports.exportButton')}
        </button>
      </div>
      {failure ? <p class="error">{t('common.error', { error: failure })}</p> : null}
    </section>
  );
}
