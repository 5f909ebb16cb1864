import { useState } from 'preact/hooks';
import { useApp, useLoad } from '../context.ts';
import { type SimFault, simFaultName, simFaultText } from '../lib/sim-faults.ts';
import { SelectField } from './select-field.tsx';

interface SimStations {
  speed: number;
  stations: { id: string; faults: SimFault[] }[];
}

/** Inject and clear faults per station and pump, and set the simulated speed (through /api/sim). */
export function SimulatorControl() {
  const { t, api, locale } = useApp();
  const [round, setRound] = useState(0);
  const sims = useLoad(() => api.get<SimStations>('/sim/stations'), [round]);
  const faults = useLoad(
    () => api.get<{ faults: { name: string; description: string }[] }>('/sim/faults'),
    [],
  );
  const [station, setStation] = useState('');
  const [fault, setFault] = useState('pump_trip');
  const [pump, setPump] = useState('');
  const [speed, setSpeed] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const stations = sims.data?.stations ?? [];
  const target = station || stations[0]?.id || '';

  const run = async (what: string, action: () => Promise<unknown>) => {
    setMessage(undefined);
    try {
      await action();
      setMessage({ ok: true, text: t('engineer.done', { what }) });
    } catch (failure) {
      setMessage({ ok: false, text: t('engineer.unreachable', { error: (failure as Error).message }) });
    }
    setRound((n) => n + 1);
  };
  const inject = (event: Event) => {
    event.preventDefault();
    const body = { fault, ...(pump ? { pump: Number(pump) } : {}) };
    void run(`${simFaultName(t, fault)} @ ${target}`, () =>
      api.send('POST', `/sim/stations/${encodeURIComponent(target)}/faults`, body),
    );
  };
  const clear = (id: string, name: string, pumpNo?: number) =>
    void run(`${t('engineer.clear')} ${simFaultName(t, name)} @ ${id}`, () =>
      api.send(
        'DELETE',
        `/sim/stations/${encodeURIComponent(id)}/faults/${name}${pumpNo ? `?pump=${pumpNo}` : ''}`,
      ),
    );
  const applySpeed = (event: Event) => {
    event.preventDefault();
    void run(`speed ${speed}`, () => api.send('PUT', '/sim/speed', { speed: Number(speed) }));
  };

  return (
    <section class="panel" aria-labelledby="sim-title">
      <h2 id="sim-title">{t('engineer.simulator')}</h2>
      {sims.error ? (
        <p class="error" role="alert">
          {t('engineer.unreachable', { error: sims.error })}
        </p>
      ) : null}
      <form class="inline-form" onSubmit={inject}>
        <SelectField
          id="sim-station"
          label={t('engineer.station')}
          value={target}
          choices={stations.map((s) => ({ value: s.id, label: s.id }))}
          onChange={setStation}
        />
        <SelectField
          id="sim-fault"
          label={t('engineer.fault')}
          value={fault}
          choices={(faults.data?.faults ?? [{ name: 'pump_trip', description: '' }]).map((f) => ({
            value: f.name,
            label: simFaultName(t, f.name),
            title: f.description,
          }))}
          onChange={setFault}
        />
        <SelectField
          id="sim-pump"
          label={t('engineer.pump')}
          value={pump}
          choices={[
            { value: '', label: t('engineer.pumpDefault') },
            ...[1, 2, 3].map((n) => ({ value: String(n), label: String(n) })),
          ]}
          onChange={setPump}
        />
        <button type="submit" disabled={!target}>
          {t('engineer.inject')}
        </button>
      </form>
      {message ? (
        <p class={message.ok ? 'ok' : 'error'} role="status">
          {message.text}
        </p>
      ) : null}
      <h3>{t('engineer.activeFaults')}</h3>
      <ul class="sim-stations">
        {stations.map((s) => (
          <li key={s.id} data-station={s.id}>
            <strong>{s.id}</strong>:{' '}
            {s.faults.length === 0 ? <span class="muted">{t('engineer.noFaults')}</span> : null}
            {s.faults.map((f) => (
              <span key={`${f.fault}-${f.pump ?? ''}`} class="fault-chip" data-fault={f.fault}>
                {simFaultText(t, f, locale)}
                <button
                  type="button"
                  class="small"
                  aria-label={t('engineer.clearLabel', {
                    fault: simFaultText(t, f, locale),
                    station: s.id,
                  })}
                  onClick={() => clear(s.id, f.fault, f.pump)}
                >
                  {t('engineer.clear')}
                </button>
              </span>
            ))}
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={applySpeed}>
        <span class="field">
          <label for="sim-speed">
            {t('engineer.speed')} ({sims.data?.speed ?? '—'})
          </label>
          <input
            id="sim-speed"
            type="number"
            min={0}
            step="any"
            required
            value={speed}
            onInput={(e) => setSpeed(e.currentTarget.value)}
          />
        </span>
        <button type="submit">{t('engineer.setSpeed')}</button>
      </form>
    </section>
  );
}
