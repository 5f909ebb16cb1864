import { useState } from 'preact/hooks';
import { FLEET_FILE_KINDS, type FleetImportResult } from '../../../../core/api/fleet.ts';
import { contracts } from '../../../../core/api/index.ts';
import { renderOr } from '../../../../core/i18n/render.ts';
import { Field } from '../../components/form-kit.tsx';
import { Select } from '../../components/select-field.tsx';
import { useApp } from '../../context.ts';
import type { MessageKey } from '../../i18n/translate.ts';

type FileKind = (typeof FLEET_FILE_KINDS)[number];

/**
 * Bulk import of a YAML or CSV fleet file: a dry run lists every mistake with its file, row and
 * field; the import itself is all or nothing.
 */
export function ImportSection() {
  const { t, api, locale } = useApp();
  const [file, setFile] = useState<{ name: string; text: string } | undefined>();
  const [kind, setKind] = useState<'' | FileKind>('');
  const [result, setResult] = useState<FleetImportResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const format = file && /\.csv$/i.test(file.name) ? 'csv' : 'yaml';

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await api.call(contracts.importFleet, {
          body: {
            file: file.name,
            format,
            text: file.text,
            dryRun,
            ...(format === 'csv' && kind ? { kind } : {}),
          },
        }),
      );
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const summary = (counts: Record<string, number>, key: 'fleet.import.created' | 'fleet.import.updated') =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => t(key, { n, kind: kindName(k) }));
  const kindName = (k: string) => renderOr(locale, `kind.${k.replace(/s$/, '')}`, {}, k);

  return (
    <div class="fleet-section import-section">
      <p class="muted">{t('fleet.import.hint')}</p>
      <div class="form-grid">
        <Field id="import-file" label={t('fleet.import.file')} wide>
          <input
            id="import-file"
            type="file"
            accept=".yaml,.yml,.csv,text/csv"
            onChange={async (event) => {
              const picked = event.currentTarget.files?.[0];
              setResult(undefined);
              setFile(picked ? { name: picked.name, text: await picked.text() } : undefined);
            }}
          />
        </Field>
        {format === 'csv' ? (
          <Field id="import-kind" label={t('fleet.import.kind')}>
            <Select
              id="import-kind"
              value={kind}
              onChange={(v) => setKind(v as '' | FileKind)}
              choices={[
                { value: '', label: t('fleet.import.kindAuto') },
                ...FLEET_FILE_KINDS.map((k) => ({
                  value: k,
                  label: t(`fleet.import.kind.${k}` as MessageKey),
                })),
              ]}
            />
          </Field>
        ) : null}
      </div>
      <div class="actions">
        <button type="button" disabled={!file || busy} onClick={() => send(true)}>
          {t('fleet.import.dryRun')}
        </button>
        <button type="button" class="ghost" disabled={!file || busy} onClick={() => send(false)}>
          {t('fleet.import.apply')}
        </button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        result.issues.length > 0 ? (
          <>
            <p class="error import-outcome" role="alert">
              {t('fleet.import.issues', { n: result.issues.length })}
            </p>
            <div class="table-wrap">
              <table class="import-issues">
                <thead>
                  <tr>
                    <th>{t('fleet.import.fileCol')}</th>
                    <th>{t('fleet.import.row')}</th>
                    <th>{t('fleet.import.field')}</th>
                    <th>{t('fleet.import.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.issues.map((issue, index) => (
                    <tr key={index}>
                      <td class="nowrap">{issue.file}</td>
                      <td class="nowrap num">{issue.row ?? ''}</td>
                      <td class="nowrap">
                        <code>{issue.field}</code>
                      </td>
                      <td class="issue-text">
                        {locale === 'en'
                          ? issue.message
                          : renderOr(locale, issue.code, issue.params, issue.message)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p class="ok import-outcome" role="status">
            {t(result.applied ? 'fleet.import.applied' : 'fleet.import.clean', {
              summary:
                [
                  ...summary(result.created, 'fleet.import.created'),
                  ...summary(result.updated, 'fleet.import.updated'),
                ].join(locale === 'en' ? ', ' : '，') || t('fleet.import.nothing'),
            })}
          </p>
        )
      ) : null}
    </div>
  );
}
