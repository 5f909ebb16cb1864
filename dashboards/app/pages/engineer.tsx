import { useEffect, useRef, useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { EdgeSpoolNote } from '../components/edge-spool-note.tsx';
import { FlowsLink } from '../components/flows-link.tsx';
import { SimulatorControl } from '../components/simulator-control.tsx';
import { useApp, useLoad } from '../context.ts';
import { counterName, counterValue } from '../i18n/counter-names.ts';
import { formatDuration, formatNumber, formatTime, siteTimeZone } from '../lib/format.ts';
import { type CounterRow, type CounterSample, counterRows, flattenStats } from '../lib/rates.ts';

interface SystemAnswer {
  at: number;
  counters: CounterSample[];
  broker: Record<string, number> | null;
  edge: Record<string, unknown> | null;
}

/** Simulator control, and edge / broker / server status with message rates, polled every 2 s. */
export function EngineerPage() {
  const { t } = useApp();
  return (
    <section aria-labelledby="engineer-title">
      <h1 id="engineer-title">{t('engineer.title')}</h1>
      <FlowsLink />
      <div class="engineer-grid">
        <SimulatorControl />
        <SystemStatus />
      </div>
    </section>
  );
}

function SystemStatus() {
  const { t, api, locale } = useApp();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 2000);
    return () => clearInterval(timer);
  }, []);
  const health = useLoad(() => api.call(contracts.health), [tick]);
  const previous = useRef<SystemAnswer | undefined>(undefined);
  const [rows, setRows] = useState<CounterRow[]>([]);
  const system = useLoad(() => api.get<SystemAnswer>('/system'), [tick]);
  useEffect(() => {
    if (!system.data || system.data === previous.current) return;
    setRows(counterRows(previous.current, system.data));
    previous.current = system.data;
  }, [system.data]);
  const h = health.data;
  return (
    <section class="panel" aria-labelledby="status-title">
      <h2 id="status-title">{t('engineer.status')}</h2>
      {h ? (
        <dl class="facts">
          <dt>{t('engineer.broker')}</dt>
          <dd data-connected={h.broker.connected}>
            {h.broker.url} · {h.broker.connected ? t('engineer.connected') : t('engineer.disconnected')}
          </dd>
          <dt>{t('engineer.store')}</dt>
          <dd>
            {h.store.kind} {h.store.writePath ?? ''} ·{' '}
            {h.store.ok ? counterValue(locale, 'ok') : (h.store.lastError ?? 'error')}
          </dd>
        </dl>
      ) : null}
      <h3>{t('engineer.edges')}</h3>
      <ul class="edges">
        {(h?.edges ?? []).map((edge) => (
          <li key={`${edge.site}/${edge.edge}`} data-online={edge.online}>
            <strong>{edge.edge}</strong> ({edge.site}) ·{' '}
            {edge.online ? t('engineer.online') : t('engineer.offline')} ·{' '}
            {Object.entries(edge.stations)
              .map(([id, state]) => `${id}: ${counterValue(locale, state)}`)
              .join(', ')}{' '}
            · <span class="num muted">{formatTime(edge.ts, siteTimeZone(edge.site), locale)}</span>
            {edge.clockAheadMs ? (
              <>
                {' '}
                ·{' '}
                <span class="clock-ahead" role="note">
                  {t('engineer.clockAhead', { ahead: formatDuration(edge.clockAheadMs, locale) })}
                </span>
              </>
            ) : null}
            <EdgeSpoolNote spool={edge.spool} />
          </li>
        ))}
      </ul>
      {system.data?.broker ? <StatsTable title={t('engineer.broker')} stats={system.data.broker} /> : null}
      {system.data?.edge ? (
        <>
          <StatsTable title={t('engineer.edges')} stats={{ ...system.data.edge, stations: undefined }} />
          <EdgeStations stats={system.data.edge} />
        </>
      ) : null}
      <h3>{t('engineer.counters')}</h3>
      <table class="counters server-counters">
        <thead>
          <tr>
            <th scope="col">{t('engineer.col.counter')}</th>
            <th scope="col" class="num">
              {t('engineer.col.value')}
            </th>
            <th scope="col" class="num">
              {t('engineer.col.rate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{counterName(locale, row.key.replace(/^aftercare_/, ''))}</th>
              <td class="num">{formatNumber(row.value, 0)}</td>
              <td class="num">{row.rate === null ? '—' : `${formatNumber(row.rate, 1)}/s`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const STATION_COLUMNS = ['cycles', 'reads', 'readErrors', 'timeouts', 'missedCycles', 'lastCycleMs'] as const;

/** The edge's per-station poll counters, a row per station: its state, then the counts. */
function EdgeStations({ stats }: { stats: Record<string, unknown> }) {
  const { t, locale } = useApp();
  const stations = (stats.stations ?? {}) as Record<string, Record<string, unknown>>;
  return (
    <div class="table-wrap">
      <h3>{t('engineer.polling')}</h3>
      <table class="counters edge-stations">
        <thead>
          <tr>
            <th scope="col">{t('engineer.station')}</th>
            <th scope="col">{t('engineer.col.state')}</th>
            {STATION_COLUMNS.map((column) => (
              <th key={column} scope="col" class="num" title={column}>
                {t(`engineer.col.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(stations).map(([id, row]) => (
            <tr key={id} data-station={id}>
              <th scope="row">{id}</th>
              <td data-state={String(row.state ?? '')}>{counterValue(locale, String(row.state ?? '—'))}</td>
              {STATION_COLUMNS.map((column) => (
                <td key={column} class="num">
                  {counterValue(locale, String(row[column] ?? '—'))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatsTable({ title, stats }: { title: string; stats: Record<string, unknown> }) {
  const { locale } = useApp();
  const flat = flattenStats(stats);
  return (
    <>
      <h3>{title}</h3>
      <table class="counters">
        <tbody>
          {flat.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{counterName(locale, k)}</th>
              <td class="num">{counterValue(locale, v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
