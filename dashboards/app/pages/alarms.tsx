import { useState } from 'preact/hooks';
import { AlarmShelves } from '../components/alarm-shelves.tsx';
import { AlarmTable } from '../components/alarm-table.tsx';
import type { ShelfPrefill } from '../components/shelve-form.tsx';
import { useApp, useLive, useLoad } from '../context.ts';
import { can } from '../lib/roles.ts';
import type { Alarm } from '../lib/types.ts';

const STATES = {
  active: 'active_unack,active_ack',
  all: '',
} as const;

/**
 * Every active and recent alarm, filtered by state, station, severity and text, with acknowledge;
 * the shelved alarms above them, and shelving for operators and admins.
 */
export function AlarmsPage() {
  const { t, api, session } = useApp();
  const [prefill, setPrefill] = useState<ShelfPrefill | undefined>();
  const live = useLive();
  const [state, setState] = useState<keyof typeof STATES>('all');
  const [station, setStation] = useState('');
  const [severity, setSeverity] = useState('');
  const [text, setText] = useState('');
  const query = new URLSearchParams({ limit: '200' });
  if (STATES[state]) query.set('state', STATES[state]);
  if (station) query.set('station', station);
  if (severity) query.set('severity', severity);
  if (text.trim()) query.set('q', text.trim());
  const list = useLoad(
    () => api.get<{ alarms: Alarm[] }>(`/alarms?${query}`),
    [query.toString(), live.alarmVersion],
  );
  const stations = [...live.stations.keys()].sort();
  return (
    <section aria-labelledby="alarms-title">
      <h1 id="alarms-title">{t('alarms.title')}</h1>
      <AlarmShelves prefill={prefill} />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <span class="field">
          <label for="alarm-filter-state">{t('alarms.filterState')}</label>
          <select
            id="alarm-filter-state"
            value={state}
            onChange={(e) => setState(e.currentTarget.value as keyof typeof STATES)}
          >
            <option value="all">{t('alarms.all')}</option>
            <option value="active">{t('alarms.activeOnly')}</option>
          </select>
        </span>
        <span class="field">
          <label for="alarm-filter-station">{t('alarms.filterStation')}</label>
          <select
            id="alarm-filter-station"
            value={station}
            onChange={(e) => setStation(e.currentTarget.value)}
          >
            <option value="">{t('alarms.all')}</option>
            {stations.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="alarm-filter-severity">{t('alarms.filterSeverity')}</label>
          <select
            id="alarm-filter-severity"
            value={severity}
            onChange={(e) => setSeverity(e.currentTarget.value)}
          >
            <option value="">{t('alarms.all')}</option>
            {(['minor', 'general', 'major'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="alarm-filter-search">{t('alarms.search')}</label>
          <input
            id="alarm-filter-search"
            type="search"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </span>
      </form>
      {list.error ? <p class="error">{t('common.error', { error: list.error })}</p> : null}
      {list.data ? (
        <AlarmTable
          alarms={list.data.alarms}
          onChanged={list.reload}
          onShelve={
            can.shelveAlarms(session.role)
              ? ({ site, station, faultClass, subject }) =>
                  setPrefill({ site, station, faultClass, subject, nonce: Date.now() })
              : undefined
          }
        />
      ) : (
        <p>{t('common.loading')}</p>
      )}
    </section>
  );
}
