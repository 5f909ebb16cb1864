import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import type { AssetStation, Severity, Ticket } from '../lib/types.ts';
import { SelectField } from './select-field.tsx';

/** How a manual ticket reached the service team: the API's `source` values (manualTicketBody). */
const SOURCES = ['phone', 'email', 'web', 'visit'] as const;
const SEVERITIES: Severity[] = ['minor', 'general', 'major'];

interface NewTicketFormProps {
  onCreated: (ticket: Ticket) => void;
  onCancel: () => void;
}

/** A ticket from a customer's call or email (POST /api/tickets); the server's refusal is shown as it says it. */
export function NewTicketForm({ onCreated, onCancel }: NewTicketFormProps) {
  const { t, api } = useApp();
  const stations = useLoad(() => api.call(contracts.listAssetStations), []);
  const [stationKey, setStationKey] = useState('');
  const [pump, setPump] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>('general');
  const [source, setSource] = useState<(typeof SOURCES)[number]>('phone');
  const [reportedBy, setReportedBy] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const list = stations.data?.stations ?? [];
  const keyOf = (station: AssetStation) => `${station.site_id}/${station.id}`;
  const station = list.find((s) => keyOf(s) === stationKey) ?? list[0];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!station) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.call(contracts.createTicket, {
        body: {
          site: station.site_id,
          station: station.id,
          pump: pump ? Number(pump) : null,
          title: title.trim(),
          description: description.trim(),
          severity,
          source,
          reportedBy: reportedBy.trim(),
        },
      });
      onCreated(answer.ticket);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id="new-ticket" class="panel new-ticket" onSubmit={submit} aria-labelledby="new-ticket-heading">
      <h2 id="new-ticket-heading">{t('newTicket.heading')}</h2>
      {stations.error ? (
        <p class="error" role="alert">
          {t('common.error', { error: stations.error })}
        </p>
      ) : null}
      {stations.data && list.length === 0 ? <p class="muted">{t('newTicket.noStations')}</p> : null}
      <div class="form-grid">
        <SelectField
          id="nt-station"
          wide
          required
          label={t('newTicket.station')}
          value={station ? keyOf(station) : ''}
          choices={list.map((s) => ({
            value: keyOf(s),
            label: s.name && s.name !== s.id ? `${s.id} · ${s.name}` : s.id,
          }))}
          onChange={(value) => {
            setStationKey(value);
            setPump('');
          }}
        />
        <SelectField
          id="nt-pump"
          label={t('newTicket.pump')}
          value={pump}
          choices={[
            { value: '', label: t('newTicket.wholeStation') },
            ...(station?.pumps ?? []).map((p) => ({
              value: String(p.pump_no),
              label: t('pump.label', { n: p.pump_no }),
            })),
          ]}
          onChange={setPump}
        />
        <SelectField
          id="nt-severity"
          label={t('newTicket.severity')}
          value={severity}
          choices={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))}
          onChange={(value) => setSeverity(value as Severity)}
        />
        <SelectField
          id="nt-source"
          label={t('newTicket.source')}
          value={source}
          choices={SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
          onChange={(value) => setSource(value as typeof source)}
        />
        <span class="field wide">
          <label for="nt-reported-by">{t('newTicket.reportedBy')}</label>
          <input
            id="nt-reported-by"
            required
            maxLength={200}
            autoComplete="off"
            value={reportedBy}
            onInput={(e) => setReportedBy(e.currentTarget.value)}
          />
        </span>
        <span class="field full">
          <label for="nt-title">{t('newTicket.title')}</label>
          <input
            id="nt-title"
            required
            maxLength={200}
            value={title}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </span>
        <span class="field full">
          <label for="nt-description">{t('newTicket.description')}</label>
          <textarea
            id="nt-description"
            rows={4}
            maxLength={5000}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </span>
      </div>
      {error ? (
        <p class="error" role="alert">
          {t('newTicket.failed', { error })}
        </p>
      ) : null}
      <div class="row">
        <button type="submit" disabled={busy || !station}>
          {t('newTicket.submit')}
        </button>
        <button type="button" class="ghost" onClick={onCancel}>
          {t('newTicket.cancel')}
        </button>
      </div>
    </form>
  );
}
