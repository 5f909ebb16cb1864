import { useState } from 'preact/hooks';
import type { z } from 'zod';
import type { contractSchema } from '../../../../core/api/assets.ts';
import { contracts } from '../../../../core/api/index.ts';
import { CheckField, Field, InputField, numberOf, useFormErrors } from '../../components/form-kit.tsx';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { FleetForm, SectionHead, useSave, useSection } from './fleet-parts.tsx';

type Contract = z.infer<typeof contractSchema>;

/** Contracts: customer, SLA policy, period and warranty terms; create, edit, retire. */
export function ContractsSection() {
  const { t, api } = useApp();
  const section = useSection();
  const list = useLoad(() => api.call(contracts.listContracts, { query: {} }), []);
  const customers = useLoad(() => api.call(contracts.listFleetCustomers, { query: {} }), []);
  const policies = useLoad(() => api.call(contracts.listSlaPolicies), []);
  const rows = list.data?.contracts ?? [];
  const { editing, setEditing } = section;
  const retire = async (id: string) => {
    section.setNotice(undefined);
    section.setError(undefined);
    try {
      await api.call(contracts.retireContract, { params: { id } });
      section.setNotice(t('fleet.retired'));
      list.reload();
    } catch (failure) {
      section.setError((failure as Error).message);
    }
  };
  if (editing.kind !== 'list') {
    return (
      <div class="fleet-section">
        <ContractForm
          contract={editing.kind === 'edit' ? rows.find((c) => c.id === editing.id) : undefined}
          customers={(customers.data?.customers ?? []).map((c) => ({
            value: c.id,
            label: `${c.id} · ${c.name}`,
          }))}
          policies={(policies.data?.policies ?? []).map((p) => ({
            value: String(p.id),
            label: String(p.id),
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
        newLabel={t('fleet.contract.new')}
        onNew={() => {
          section.setNotice(undefined);
          setEditing({ kind: 'new' });
        }}
      />
      {list.data && rows.length === 0 ? <p class="muted">{t('fleet.empty')}</p> : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="fleet-table contracts-table">
            <thead>
              <tr>
                <th>{t('fleet.id')}</th>
                <th>{t('fleet.customer')}</th>
                <th>{t('fleet.contract.sla')}</th>
                <th>{t('fleet.contract.period')}</th>
                <th>{t('fleet.contract.warranty')}</th>
                <th>{t('fleet.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-id={c.id}>
                  <td translate={false}>
                    <code>{c.id}</code> {c.name}
                  </td>
                  <td translate={false}>
                    <code>{c.customer_id}</code>
                  </td>
                  <td translate={false} class="nowrap">
                    {c.sla_policy_id}
                  </td>
                  <td translate={false} class="nowrap num">
                    {c.starts_on} – {c.ends_on ?? ''}
                  </td>
                  <td class="nowrap">
                    {t('fleet.contract.warrantyOf', { years: c.warranty.equipmentYears })}
                  </td>
                  <td class="nowrap">
                    <button
                      type="button"
                      class="small ghost"
                      onClick={() => setEditing({ kind: 'edit', id: c.id })}
                    >
                      {t('fleet.edit')}
                    </button>{' '}
                    <button type="button" class="small ghost" onClick={() => retire(c.id)}>
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

const FIELDS = [
  'id',
  'customerId',
  'name',
  'slaPolicyId',
  'startsOn',
  'endsOn',
  'warranty.equipmentYears',
  'warrantyTerms',
];

function ContractForm({
  contract,
  customers,
  policies,
  onDone,
}: {
  contract: Contract | undefined;
  customers: { value: string; label: string }[];
  policies: { value: string; label: string }[];
  onDone: (saved: boolean) => void;
}) {
  const { t, api } = useApp();
  const today = new Date().toISOString().slice(0, 10);
  const [id, setId] = useState(contract?.id ?? '');
  const [customerId, setCustomerId] = useState(contract?.customer_id ?? customers[0]?.value ?? '');
  const [name, setName] = useState(contract?.name ?? '');
  const [slaPolicyId, setSlaPolicyId] = useState(contract?.sla_policy_id ?? policies[0]?.value ?? '');
  const [startsOn, setStartsOn] = useState(contract?.starts_on ?? today);
  const [endsOn, setEndsOn] = useState(contract?.ends_on ?? '');
  const [years, setYears] = useState(String(contract?.warranty.equipmentYears ?? 1));
  const [parts, setParts] = useState(
    (contract?.warranty.parts ?? []).map((p) => ({ part: p.part, months: String(p.months) })),
  );
  const [software, setSoftware] = useState(contract?.warranty.softwareLifetime ?? false);
  const [terms, setTerms] = useState(contract?.warranty_terms ?? '');
  const partPaths = parts.flatMap((_, i) => [`warranty.parts.${i}.part`, `warranty.parts.${i}.months`]);
  const { errors, fail, clear } = useFormErrors([...partPaths, ...FIELDS]);
  const { busy, run } = useSave(fail, clear);
  const submit = () =>
    run(async () => {
      const body = {
        customerId: customerId || (customers[0]?.value ?? ''),
        name,
        slaPolicyId: slaPolicyId || (policies[0]?.value ?? ''),
        startsOn,
        endsOn: endsOn.trim() === '' ? null : endsOn,
        warranty: {
          equipmentYears: numberOf(years) as number,
          parts: parts.map((p) => ({ part: p.part, months: numberOf(p.months) as number })),
          softwareLifetime: software,
        },
        warrantyTerms: terms,
      };
      if (contract) await api.call(contracts.putContract, { params: { id: contract.id }, body });
      else await api.call(contracts.createContract, { body: { id: id.trim(), ...body } });
      onDone(true);
    });
  return (
    <FleetForm
      id="contract-form"
      title={contract ? t('fleet.contract.edit', { id: contract.id }) : t('fleet.contract.new')}
      formError={errors.form}
      busy={busy}
      onSubmit={submit}
      onCancel={() => onDone(false)}
    >
      <div class="form-grid">
        <InputField
          id="contract-id"
          label={t('fleet.id')}
          value={id}
          onInput={setId}
          error={errors.fields.id}
          disabled={contract !== undefined}
        />
        <InputField
          id="contract-name"
          label={t('fleet.name')}
          value={name}
          onInput={setName}
          error={errors.fields.name}
          wide
        />
        <Field id="contract-customer" label={t('fleet.customer')} error={errors.fields.customerId} wide>
          <Select id="contract-customer" value={customerId} choices={customers} onChange={setCustomerId} />
        </Field>
        <Field id="contract-sla" label={t('fleet.contract.sla')} error={errors.fields.slaPolicyId}>
          <Select id="contract-sla" value={slaPolicyId} choices={policies} onChange={setSlaPolicyId} />
        </Field>
        <InputField
          id="contract-starts"
          type="date"
          label={t('fleet.contract.startsOn')}
          value={startsOn}
          onInput={setStartsOn}
          error={errors.fields.startsOn}
        />
        <InputField
          id="contract-ends"
          type="date"
          label={t('fleet.contract.endsOn')}
          value={endsOn}
          onInput={setEndsOn}
          error={errors.fields.endsOn}
        />
        <InputField
          id="contract-years"
          type="number"
          label={t('fleet.contract.equipmentYears')}
          value={years}
          onInput={setYears}
          error={errors.fields['warranty.equipmentYears']}
        />
        <CheckField
          id="contract-software"
          label={t('fleet.contract.softwareLifetime')}
          checked={software}
          onChange={setSoftware}
        />
      </div>
      <fieldset>
        <legend>{t('fleet.contract.parts')}</legend>
        {parts.map((p, index) => (
          <div class="form-grid" key={index}>
            <InputField
              id={`part-${index}-name`}
              label={t('fleet.contract.part')}
              value={p.part}
              onInput={(value) => setParts(parts.map((x, i) => (i === index ? { ...x, part: value } : x)))}
              error={errors.fields[`warranty.parts.${index}.part`]}
            />
            <InputField
              id={`part-${index}-months`}
              type="number"
              label={t('fleet.contract.months')}
              value={p.months}
              onInput={(value) => setParts(parts.map((x, i) => (i === index ? { ...x, months: value } : x)))}
              error={errors.fields[`warranty.parts.${index}.months`]}
            />
            <button
              type="button"
              class="small ghost"
              onClick={() => setParts(parts.filter((_, i) => i !== index))}
            >
              {t('fleet.remove')}
            </button>
          </div>
        ))}
        <button type="button" class="small" onClick={() => setParts([...parts, { part: '', months: '24' }])}>
          {t('fleet.add')}
        </button>
      </fieldset>
      <div class="form-grid">
        <Field id="contract-terms" label={t('fleet.contract.terms')} error={errors.fields.warrantyTerms} full>
          <textarea
            id="contract-terms"
            rows={2}
            value={terms}
            onInput={(e) => setTerms(e.currentTarget.value)}
          />
        </Field>
      </div>
    </FleetForm>
  );
}
