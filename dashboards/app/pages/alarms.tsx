import { useState } from 'preact/hooks';
import { AlarmShelves } from '../components/alarm-shelves.tsx';
import { AlarmTable } from '../components/alarm-table.tsx';
import { SelectField } from '../components/select-field.tsx';
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
        <SelectField
          id="alarm-filter-state"
          label={t('alarms.filterState')}
          value={state}
          choices={[
            { value: 'all', label: t('alarms.all') },
            { value: 'active', label: t('alarms.activeOnly') },
          ]}
          onChange={(value) => setState(value as keyof typeof STATES)}
        />
        <SelectField
          id="alarm-filter-station"
          label={t('alarms.filterStation')}
          value={station}
          choices={[
            { value: '', label: t('alarms.all') },
            ...stations.map((id) => ({ value: id, label: id })),
          ]}
          onChange={setStation}
        />
        <SelectField
          id="alarm-filter-severity"
          label={t('alarms.filterSeverity')}
          value={severity}
          choices={[
            { value: '', label: t('alarms.all') },
            ...(['minor', 'general', 'major'] as const).map((s) => ({ value: s, label: t(`severity.${s}`) })),
          ]}
          onChange={setSeverity}
        />
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
