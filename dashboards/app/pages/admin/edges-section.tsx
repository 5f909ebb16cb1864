import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EdgeSecretAnswer, EdgeView } from '../../../../core/api/edges.ts';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import { formatTime } from '../../lib/format.ts';

const TIME_ZONE = 'Asia/Shanghai';

/**
 * Edge gateways: each with its state, last seen and version; create one (its password and config
 * shown once, with a download), give it a new password, revoke it.
 */
export function EdgesSection() {
  const { t, api, locale } = useApp();
  const [round, setRound] = useState(0);
  const [secret, setSecret] = useState<EdgeSecretAnswer | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const list = useLoad(() => api.call(contracts.listEdges, {}), [round]);
  const edges = list.data?.edges ?? [];

  const act = async (run: () => Promise<EdgeSecretAnswer | undefined>) => {
    setError(undefined);
    try {
      const answer = await run();
      if (answer) setSecret(answer);
      setRound((r) => r + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const rotate = (edge: EdgeView) =>
    window.confirm(t('edges.confirmRotate', { id: edge.id })) &&
    act(() => api.call(contracts.rotateEdge, { params: { id: edge.id } }));
  const revoke = (edge: EdgeView) =>
    window.confirm(t('edges.confirmRevoke', { id: edge.id })) &&
    act(async () => {
      await api.call(contracts.revokeEdge, { params: { id: edge.id } });
      return undefined;
    });

  return (
    <div class="edges-section">
      {secret ? <SecretPanel answer={secret} onDone={() => setSecret(undefined)} /> : null}
      {list.error ? <p class="error">{t('common.error', { error: list.error })}</p> : null}
      {error ? <p class="error">{error}</p> : null}
      {list.data && edges.length === 0 ? <p class="muted edges-empty">{t('edges.empty')}</p> : null}
      {edges.length ? (
        <div class="table-wrap">
          <table class="edges-table">
            <thead>
              <tr>
                <th>{t('edges.id')}</th>
                <th>{t('edges.name')}</th>
                <th>{t('edges.site')}</th>
                <th>{t('edges.stations')}</th>
                <th>{t('edges.state')}</th>
                <th>{t('edges.lastSeen')}</th>
                <th>{t('edges.version')}</th>
                <th>{t('edges.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {edges.map((edge) => (
                <tr key={edge.id} data-edge={edge.id} data-state={edge.state}>
                  <td>
                    <code>{edge.id}</code>
                  </td>
                  <td>{edge.name}</td>
                  <td>{edge.siteId}</td>
                  <td>{edge.stations.join(', ')}</td>
                  <td>
                    <span class="edge-state" data-state={edge.state}>
                      {t(`edges.state.${edge.state}`)}
                    </span>
                  </td>
                  <td>
                    {edge.lastSeenAt === null
                      ? t('edges.never')
                      : formatTime(edge.lastSeenAt, TIME_ZONE, locale)}
                  </td>
                  <td>{edge.version ?? ''}</td>
                  <td class="edge-actions">
                    <button type="button" class="small" onClick={() => rotate(edge)}>
                      {t('edges.rotate')}
                    </button>
                    {edge.state === 'revoked' ? null : (
                      <button type="button" class="small ghost" onClick={() => revoke(edge)}>
                        {t('edges.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateEdgeForm onCreated={(answer) => act(async () => answer)} />
    </div>
  );
}

function CreateEdgeForm({ onCreated }: { onCreated: (answer: EdgeSecretAnswer) => void }) {
  const { t, api } = useApp();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [site, setSite] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const sites = useLoad(() => api.call(contracts.listSites), []);
  const stations = useLoad(
    () =>
      site
        ? api.call(contracts.listAssetStations, { query: { site } })
        : Promise.resolve({ stations: [] as { id: string }[] }),
    [site],
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const answer = await api.call(contracts.createEdge, {
        body: { id: id.trim(), siteId: site, name: name.trim(), stations: chosen },
      });
      setId('');
      setName('');
      setChosen([]);
      onCreated(answer);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const toggle = (station: string, on: boolean) =>
    setChosen((list) => (on ? [...list, station] : list.filter((s) => s !== station)));
  return (
    <form class="edge-create" onSubmit={submit}>
      <h2>{t('edges.create')}</h2>
      <div class="form-grid">
        <label>
          {t('edges.id')}
          <input
            id="edge-id"
            value={id}
            required
            pattern="[A-Za-z0-9_-]{1,64}"
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('edges.name')}
          <input id="edge-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('edges.site')}
          <select
            id="edge-site"
            value={site}
            required
            onChange={(e) => {
              setSite((e.target as HTMLSelectElement).value);
              setChosen([]);
            }}
          >
            <option value="" />
            {(sites.data?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {site ? (
          <fieldset class="choices full">
            <legend>{t('edges.stations')}</legend>
            {(stations.data?.stations ?? []).length === 0 ? (
              <span class="muted">{t('edges.create.stationsNone')}</span>
            ) : null}
            {(stations.data?.stations ?? []).map((station) => (
              <label key={station.id} class="choice">
                <input
                  type="checkbox"
                  checked={chosen.includes(station.id)}
                  onChange={(e) => toggle(station.id, (e.target as HTMLInputElement).checked)}
                />
                {station.id}
              </label>
            ))}
          </fieldset>
        ) : null}
      </div>
      {error ? <p class="error">{error}</p> : null}
      <button type="submit">{t('edges.create.submit')}</button>
    </form>
  );
}

function SecretPanel({ answer, onDone }: { answer: EdgeSecretAnswer; onDone: () => void }) {
  const { t } = useApp();
  const { credentials, config, edge } = answer;
  const download = useMemo(
    () => URL.createObjectURL(new Blob([config.text], { type: 'application/yaml' })),
    [config.text],
  );
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  return (
    <section class="edge-secret" aria-labelledby="edge-secret-title">
      <h2 id="edge-secret-title">{t('edges.secret.title', { id: edge.id })}</h2>
      <p>{t('edges.secret.note')}</p>
      <dl>
        <dt>{t('edges.secret.username')}</dt>
        <dd>
          <code>{credentials.username}</code>
        </dd>
        <dt>{t('edges.secret.password')}</dt>
        <dd>
          <code class="edge-password">{credentials.password}</code>
        </dd>
        <dt>{t('edges.secret.run')}</dt>
        <dd>
          <code>{`MQTT_PASSWORD='${credentials.password}' aftercare edge --config ${config.fileName}`}</code>
        </dd>
      </dl>
      {config.ready ? null : <p class="error">{t('edges.secret.notReady')}</p>}
      {config.skipped.map((s) => (
        <p key={s.station} class="muted">
          {t(`edges.skipped.${s.reason}`, { station: s.station })}
        </p>
      ))}
      <h3>{t('edges.secret.config')}</h3>
      <pre class="edge-config">{config.text}</pre>
      <div class="edge-secret-actions">
        <a class="button" href={download} download={config.fileName}>
          {t('edges.secret.download')}
        </a>
        <button type="button" onClick={onDone}>
          {t('edges.secret.done')}
        </button>
      </div>
    </section>
  );
}
