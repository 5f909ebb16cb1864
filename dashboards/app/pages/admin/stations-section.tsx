import { useState } from 'preact/hooks';
import type { z } from 'zod';
import type { assetStationSchema } from '../../../../core/api/assets.ts';
import type { StationEndpointInput } from '../../../../core/api/fleet.ts';
import { contracts } from '../../../../core/api/index.ts';
import { Field, InputField, numberOf, useFormErrors } from '../../components/form-kit.tsx';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { FleetForm, optional, SectionHead, useSave, useSection } from './fleet-parts.tsx';

type Station = z.infer<typeof assetStationSchema>;
type PumpDraft = { number: string; model: string; serial: string; saleDate: string; installDate: string };

/** Stations of sites: profile, Modbus TCP or RTU link, edge, contract and pumps; create, edit, retire. */
export function StationsSection() {
  const { t, api } = useApp();
  const section = useSection();
  const list = useLoad(() => api.call(contracts.listAssetStations, { query: {} }), []);
  const sites = useLoad(() => api.call(contracts.listFleetSites, { query: {} }), []);
  const deals = useLoad(() => api.call(contracts.listContracts, { query: {} }), []);
  const stations = list.data?.stations ?? [];
  const { editing, setEditing } = section;
  const retire = async (station: Station) => {
    section.setNotice(undefined);
    section.setError(undefined);
    try {
      await api.call(contracts.retireAssetStation, {
        params: { site: station.site_id, station: station.id },
      });
      section.setNotice(t('fleet.retired'));
      list.reload();
    } catch (failure) {
      section.setError((failure as Error).message);
    }
  };
  if (editing.kind !== 'list') {
    return (
      <div class="fleet-section">
        <StationForm
          station={
            editing.kind === 'edit' ? stations.find((s) => `${s.site_id}/${s.id}` === editing.id) : undefined
          }
          sites={(sites.data?.sites ?? []).map((s) => ({ value: s.id, label: `${s.id} · ${s.name}` }))}
          deals={[
            { value: '', label: t('fleet.none') },
            ...(deals.data?.contracts ?? []).map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` })),
          ]}
          onDone={(saved) => {
            setEditing({ kind: 'list' });
            if (saved) {
              section.setNotice(t('fleet.saved'));
              list.reload();
            }
          }}
        />
      </div>
    );
  }
  return (
    <div class="fleet-section">
      <SectionHead
        notice={section.notice}
        error={section.error ?? list.error}
        newLabel={t('fleet.station.new')}
        onNew={() => {
          section.setNotice(undefined);
          setEditing({ kind: 'new' });
        }}
      />
      {list.data && stations.length === 0 ? <p class="muted">{t('fleet.empty')}</p> : null}
      {stations.length > 0 ? (
        <div class="table-wrap">
          <table class="fleet-table stations-table">
            <thead>
              <tr>
                <th>{t('fleet.site')}</th>
                <th>{t('fleet.id')}</th>
                <th>{t('fleet.name')}</th>
                <th>{t('fleet.station.profile')}</th>
                <th>{t('fleet.station.endpoint')}</th>
                <th>{t('fleet.contract')}</th>
                <th>{t('fleet.station.pumps')}</th>
                <th>{t('fleet.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {stations.map((s) => (
                <tr key={`${s.site_id}/${s.id}`} data-id={`${s.site_id}/${s.id}`}>
                  <td translate={false}>
                    <code>{s.site_id}</code>
                  </td>
                  <td translate={false}>
                    <code>{s.id}</code>
                  </td>
                  <td translate={false}>{s.name}</td>
                  <td translate={false}>
                    <code>{s.profile}</code>
                  </td>
                  <td class="nowrap">
                    <code>{endpointText(s.endpoint)}</code>
                  </td>
                  <td translate={false}>
                    <code>{s.contract_id ?? ''}</code>
                  </td>
                  <td class="nowrap">{t('fleet.station.pumpCount', { n: s.pumps.length })}</td>
                  <td class="nowrap">
                    <button
                      type="button"
                      class="small ghost"
                      onClick={() => setEditing({ kind: 'edit', id: `${s.site_id}/${s.id}` })}
                    >
                      {t('fleet.edit')}
                    </button>{' '}
                    <button type="button" class="small ghost" onClick={() => retire(s)}>
                      {t('fleet.retire')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function endpointText(endpoint: Station['endpoint']): string {
  if (!endpoint) return '';
  if ('tcp' in endpoint) return `${endpoint.tcp.host}:${endpoint.tcp.port} #${endpoint.tcp.unitId}`;
  return `${endpoint.rtu.path} ${endpoint.rtu.baudRate} #${endpoint.rtu.unitId}`;
}

const FIELDS = [
  'id',
  'siteId',
  'name',
  'model',
  'serialNumber',
  'contractId',
  'profile',
  'endpoint',
  'edgeId',
];
const BAUD_RATES = [2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200] as const;

function StationForm({
  station,
  sites,
  deals,
  onDone,
}: {
  station: Station | undefined;
  sites: { value: string; label: string }[];
  deals: { value: string; label: string }[];
  onDone: (saved: boolean) => void;
}) {
  const { t, api } = useApp();
  const tcp = station?.endpoint && 'tcp' in station.endpoint ? station.endpoint.tcp : undefined;
  const rtu = station?.endpoint && 'rtu' in station.endpoint ? station.endpoint.rtu : undefined;
  const [siteId, setSiteId] = useState(station?.site_id ?? sites[0]?.value ?? '');
  const [id, setId] = useState(station?.id ?? '');
  const [name, setName] = useState(station?.name ?? '');
  const [model, setModel] = useState(station?.model ?? '');
  const [serial, setSerial] = useState(station?.serial_number ?? '');
  const [contractId, setContractId] = useState(station?.contract_id ?? '');
  const [profile, setProfile] = useState(station?.profile ?? '');
  const [edgeId, setEdgeId] = useState(station?.edge_id ?? '');
  const [link, setLink] = useState<'none' | 'tcp' | 'rtu'>(tcp ? 'tcp' : rtu ? 'rtu' : 'none');
  const [host, setHost] = useState(tcp?.host ?? '');
  const [port, setPort] = useState(String(tcp?.port ?? 502));
  const [unitId, setUnitId] = useState(String(tcp?.unitId ?? rtu?.unitId ?? 1));
  const [path, setPath] = useState(rtu?.path ?? '/dev/ttyUSB0');
  const [baudRate, setBaudRate] = useState(String(rtu?.baudRate ?? 9600));
  const [parity, setParity] = useState<'none' | 'even' | 'odd'>(rtu?.parity ?? 'none');
  const [pumps, setPumps] = useState<PumpDraft[]>(
    station?.pumps.map((p) => ({
      number: String(p.pump_no),
      model: p.model,
      serial: p.serial_number,
      saleDate: p.sale_date ?? '',
      installDate: p.install_date ?? '',
    })) ?? [],
  );
  const pumpPaths = pumps.flatMap((_, i) =>
    ['model', 'serialNumber', 'saleDate', 'installDate'].map((f) => `pumps.${i}.${f}`),
  );
  const { errors, fail, clear } = useFormErrors([...pumpPaths, ...FIELDS]);
  const { busy, run } = useSave(fail, clear);
  const endpoint = (): StationEndpointInput | null => {
    if (link === 'tcp')
      return {
        tcp: { host: host.trim(), port: numberOf(port) as number, unitId: numberOf(unitId) as number },
      };
    if (link === 'rtu')
      return {
        rtu: {
          path: path.trim(),
          baudRate: Number(baudRate) as (typeof BAUD_RATES)[number],
          parity,
          unitId: numberOf(unitId) as number,
        },
      };
    return null;
  };
  const setPump = (index: number, field: keyof PumpDraft, value: string) =>
    setPumps(pumps.map((p, i) => (i === index ? { ...p, [field]: value } : p)));
  const submit = () =>
    run(async () => {
      const site = siteId || (sites[0]?.value ?? '');
      const stationId = station?.id ?? id.trim();
      await api.call(contracts.putAssetStation, {
        params: { site, station: stationId },
        body: {
          name,
          model,
          serialNumber: serial,
          contractId: contractId || null,
          profile: profile.trim(),
          endpoint: endpoint(),
          edgeId: optional(edgeId) ?? null,
        },
      });
      for (const [index, pump] of pumps.entries()) {
        try {
          await api.call(contracts.putAssetPump, {
            params: { site, station: stationId, pump: pump.number },
            body: {
              model: pump.model,
              serialNumber: pump.serial,
              saleDate: optional(pump.saleDate) ?? null,
              installDate: optional(pump.installDate) ?? null,
            },
          });
        } catch (failure) {
          // Name the pump's row, so its field shows the refusal.
          const issues = (failure as { issues?: { path: string }[] }).issues ?? [];
          for (const issue of issues) issue.path = `pumps.${index}.${issue.path}`;
          throw failure;
        }
      }
      onDone(true);
    });
  const choices = (values: readonly string[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}${v}` as Parameters<typeof t>[0]) }));
  return (
    <FleetForm
      id="station-form"
      title={
        station ? t('fleet.station.edit', { id: `${station.site_id}/${station.id}` }) : t('fleet.station.new')
      }
      formError={errors.form}
      busy={busy}
      onSubmit={submit}
      onCancel={() => onDone(false)}
    >
      <div class="form-grid">
        <Field id="station-site" label={t('fleet.site')} error={errors.fields.siteId}>
          <Select
            id="station-site"
            value={siteId}
            choices={sites}
            onChange={setSiteId}
            disabled={station !== undefined}
          />
        </Field>
        <InputField
          id="station-id"
          label={t('fleet.id')}
          value={id}
          onInput={setId}
          error={errors.fields.id}
          disabled={station !== undefined}
        />
        <InputField
          id="station-name"
          label={t('fleet.name')}
          value={name}
          onInput={setName}
          error={errors.fields.name}
          wide
        />
        <InputField
          id="station-model"
          label={t('fleet.station.model')}
          value={model}
          onInput={setModel}
          error={errors.fields.model}
        />
        <InputField
          id="station-serial"
          label={t('fleet.station.serial')}
          value={serial}
          onInput={setSerial}
          error={errors.fields.serialNumber}
        />
        <Field id="station-contract" label={t('fleet.contract')} error={errors.fields.contractId} wide>
          <Select id="station-contract" value={contractId} choices={deals} onChange={setContractId} />
        </Field>
        <InputField
          id="station-profile"
          label={t('fleet.station.profile')}
          value={profile}
          onInput={setProfile}
          error={errors.fields.profile}
        />
        <InputField
          id="station-edge"
          label={t('fleet.station.edge')}
          value={edgeId}
          onInput={setEdgeId}
          error={errors.fields.edgeId}
        />
        <Field id="station-link" label={t('fleet.station.endpoint')} error={errors.fields.endpoint}>
          <Select
            id="station-link"
            value={link}
            onChange={(v) => setLink(v as 'none' | 'tcp' | 'rtu')}
            choices={[
              { value: 'none', label: t('fleet.station.endpointNone') },
              { value: 'tcp', label: t('fleet.station.tcp') },
              { value: 'rtu', label: t('fleet.station.rtu') },
            ]}
          />
        </Field>
        {link === 'tcp' ? (
          <>
            <InputField id="station-host" label={t('fleet.station.host')} value={host} onInput={setHost} />
            <InputField
              id="station-port"
              type="number"
              label={t('fleet.station.port')}
              value={port}
              onInput={setPort}
            />
          </>
        ) : null}
        {link === 'rtu' ? (
          <>
            <InputField id="station-path" label={t('fleet.station.path')} value={path} onInput={setPath} />
            <Field id="station-baud" label={t('fleet.station.baudRate')}>
              <Select
                id="station-baud"
                value={baudRate}
                onChange={setBaudRate}
                choices={BAUD_RATES.map((b) => ({ value: String(b), label: String(b) }))}
              />
            </Field>
            <Field id="station-parity" label={t('fleet.station.parity')}>
              <Select
                id="station-parity"
                value={parity}
                onChange={(v) => setParity(v as 'none' | 'even' | 'odd')}
                choices={choices(['none', 'even', 'odd'], 'fleet.station.parity.')}
              />
            </Field>
          </>
        ) : null}
        {link !== 'none' ? (
          <InputField
            id="station-unit"
            type="number"
            label={t('fleet.station.unitId')}
            value={unitId}
            onInput={setUnitId}
          />
        ) : null}
      </div>
      <h3>{t('fleet.station.pumps')}</h3>
      {pumps.map((pump, index) => (
        <fieldset key={index} class="pump">
          <legend>{t('fleet.station.pump', { n: pump.number })}</legend>
          <div class="form-grid">
            <InputField
              id={`pump-${index}-model`}
              label={t('fleet.station.model')}
              value={pump.model}
              onInput={(v) => setPump(index, 'model', v)}
              error={errors.fields[`pumps.${index}.model`]}
            />
            <InputField
              id={`pump-${index}-serial`}
              label={t('fleet.station.serial')}
              value={pump.serial}
              onInput={(v) => setPump(index, 'serial', v)}
              error={errors.fields[`pumps.${index}.serialNumber`]}
            />
            <InputField
              id={`pump-${index}-sale`}
              type="date"
              label={t('fleet.station.saleDate')}
              value={pump.saleDate}
              onInput={(v) => setPump(index, 'saleDate', v)}
              error={errors.fields[`pumps.${index}.saleDate`]}
            />
            <InputField
              id={`pump-${index}-install`}
              type="date"
              label={t('fleet.station.installDate')}
              value={pump.installDate}
              onInput={(v) => setPump(index, 'installDate', v)}
              error={errors.fields[`pumps.${index}.installDate`]}
            />
          </div>
        </fieldset>
      ))}
      {pumps.length < 9 ? (
        <button
          type="button"
          class="small"
          onClick={() =>
            setPumps([
              ...pumps,
              { number: String(pumps.length + 1), model: '', serial: '', saleDate: '', installDate: '' },
            ])
          }
        >
          {t('fleet.add')}
        </button>
      ) : null}
    </FleetForm>
  );
}
