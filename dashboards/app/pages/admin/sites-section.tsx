import { useState } from 'preact/hooks';
import type { SiteView } from '../../../../core/api/fleet.ts';
import { contracts } from '../../../../core/api/index.ts';
import { Field, InputField, numberOf, useFormErrors } from '../../components/form-kit.tsx';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { FleetForm, SectionHead, useSave, useSection } from './fleet-parts.tsx';

/** Time zones offered first; any IANA zone may be typed. */
const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Singapore', 'UTC'];

/** Sites of customers: address, time zone and location; create, edit, retire. */
export function SitesSection() {
  const { t, api } = useApp();
  const section = useSection();
  const list = useLoad(() => api.call(contracts.listFleetSites, { query: {} }), []);
  const customers = useLoad(() => api.call(contracts.listFleetCustomers, { query: {} }), []);
  const sites = list.data?.sites ?? [];
  const { editing, setEditing } = section;
  const retire = async (id: string) => {
    section.setNotice(undefined);
    section.setError(undefined);
    try {
      await api.call(contracts.retireSite, { params: { id } });
      section.setNotice(t('fleet.retired'));
      list.reload();
    } catch (failure) {
      section.setError((failure as Error).message);
    }
  };
  if (editing.kind !== 'list') {
    return (
      <div class="fleet-section">
        <SiteForm
          site={editing.kind === 'edit' ? sites.find((s) => s.id === editing.id) : undefined}
          customers={(customers.data?.customers ?? []).map((c) => ({
            value: c.id,
            label: `${c.id} · ${c.name}`,
          }))}
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
        newLabel={t('fleet.site.new')}
        onNew={() => {
          section.setNotice(undefined);
          setEditing({ kind: 'new' });
        }}
      />
      {list.data && sites.length === 0 ? <p class="muted">{t('fleet.empty')}</p> : null}
      {sites.length > 0 ? (
        <div class="table-wrap">
          <table class="fleet-table sites-table">
            <thead>
              <tr>
                <th>{t('fleet.id')}</th>
                <th>{t('fleet.name')}</th>
                <th>{t('fleet.customer')}</th>
                <th>{t('fleet.site.timeZone')}</th>
                <th>{t('fleet.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.id} data-id={s.id}>
                  <td translate={false}>
                    <code>{s.id}</code>
                  </td>
                  <td translate={false}>{s.name}</td>
                  <td translate={false}>
                    <code>{s.customerId}</code>
                  </td>
                  <td translate={false} class="nowrap">
                    {s.timeZone}
                  </td>
                  <td class="nowrap">
                    <button
                      type="button"
                      class="small ghost"
                      onClick={() => setEditing({ kind: 'edit', id: s.id })}
                    >
                      {t('fleet.edit')}
                    </button>{' '}
                    <button type="button" class="small ghost" onClick={() => retire(s.id)}>
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

const FIELDS = ['id', 'customerId', 'name', 'address', 'timeZone', 'latitude', 'longitude'];

function SiteForm({
  site,
  customers,
  onDone,
}: {
  site: SiteView | undefined;
  customers: { value: string; label: string }[];
  onDone: (saved: boolean) => void;
}) {
  const { t, api } = useApp();
  const [id, setId] = useState(site?.id ?? '');
  const [customerId, setCustomerId] = useState(site?.customerId ?? customers[0]?.value ?? '');
  const [name, setName] = useState(site?.name ?? '');
  const [address, setAddress] = useState(site?.address ?? '');
  const [timeZone, setTimeZone] = useState(site?.timeZone ?? 'Asia/Shanghai');
  const [latitude, setLatitude] = useState(site?.latitude?.toString() ?? '');
  const [longitude, setLongitude] = useState(site?.longitude?.toString() ?? '');
  const { errors, fail, clear } = useFormErrors(FIELDS);
  const { busy, run } = useSave(fail, clear);
  const submit = () =>
    run(async () => {
      const body = {
        customerId: customerId || (customers[0]?.value ?? ''),
        name,
        address,
        timeZone: timeZone.trim(),
        latitude: numberOf(latitude) ?? null,
        longitude: numberOf(longitude) ?? null,
      };
      if (site) await api.call(contracts.updateSite, { params: { id: site.id }, body });
      else await api.call(contracts.createSite, { body: { id: id.trim(), ...body } });
      onDone(true);
    });
  return (
    <FleetForm
      id="site-form"
      title={site ? t('fleet.site.edit', { id: site.id }) : t('fleet.site.new')}
      formError={errors.form}
      busy={busy}
      onSubmit={submit}
      onCancel={() => onDone(false)}
    >
      <div class="form-grid">
        <InputField
          id="site-id"
          label={t('fleet.id')}
          value={id}
          onInput={setId}
          error={errors.fields.id}
          disabled={site !== undefined}
        />
        <Field id="site-customer" label={t('fleet.customer')} error={errors.fields.customerId} wide>
          <Select id="site-customer" value={customerId} choices={customers} onChange={setCustomerId} />
        </Field>
        <InputField
          id="site-name"
          label={t('fleet.name')}
          value={name}
          onInput={setName}
          error={errors.fields.name}
          wide
        />
        <InputField
          id="site-address"
          label={t('fleet.address')}
          value={address}
          onInput={setAddress}
          error={errors.fields.address}
          full
        />
        <Field id="site-zone" label={t('fleet.site.timeZone')} error={errors.fields.timeZone}>
          <input
            id="site-zone"
            list="site-zones"
            value={timeZone}
            onInput={(e) => setTimeZone(e.currentTarget.value)}
          />
          <datalist id="site-zones">
            {ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </Field>
        <InputField
          id="site-latitude"
          type="number"
          step="any"
          label={t('fleet.site.latitude')}
          value={latitude}
          onInput={setLatitude}
          error={errors.fields.latitude}
        />
        <InputField
          id="site-longitude"
          type="number"
          step="any"
          label={t('fleet.site.longitude')}
          value={longitude}
          onInput={setLongitude}
          error={errors.fields.longitude}
        />
      </div>
    </FleetForm>
  );
}
