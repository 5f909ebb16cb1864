import { useState } from 'preact/hooks';
import type { ContactInput, CustomerView } from '../../../../core/api/fleet.ts';
import { contracts } from '../../../../core/api/index.ts';
import { InputField, useFormErrors } from '../../components/form-kit.tsx';
import { useApp, useLoad } from '../../context.ts';
import { FleetForm, optional, SectionHead, useSave, useSection } from './fleet-parts.tsx';

/** Customers and their contacts (name, role, phone, email, WeChat id): create, edit, retire. */
export function CustomersSection() {
  const { t, api } = useApp();
  const section = useSection();
  const list = useLoad(() => api.call(contracts.listFleetCustomers, { query: {} }), []);
  const customers = list.data?.customers ?? [];
  const { editing, setEditing } = section;
  const retire = async (id: string) => {
    section.setNotice(undefined);
    section.setError(undefined);
    try {
      await api.call(contracts.retireCustomer, { params: { id } });
      section.setNotice(t('fleet.retired'));
      list.reload();
    } catch (failure) {
      section.setError((failure as Error).message);
    }
  };
  if (editing.kind !== 'list') {
    return (
      <div class="fleet-section">
        <CustomerForm
          customer={editing.kind === 'edit' ? customers.find((c) => c.id === editing.id) : undefined}
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
        newLabel={t('fleet.customer.new')}
        onNew={() => {
          section.setNotice(undefined);
          setEditing({ kind: 'new' });
        }}
      />
      {list.data && customers.length === 0 ? <p class="muted">{t('fleet.empty')}</p> : null}
      {customers.length > 0 ? (
        <div class="table-wrap">
          <table class="fleet-table customers-table">
            <thead>
              <tr>
                <th>{t('fleet.id')}</th>
                <th>{t('fleet.name')}</th>
                <th>{t('fleet.phone')}</th>
                <th>{t('fleet.contacts')}</th>
                <th>{t('fleet.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c.id} data-id={c.id}>
                  <td translate={false}>
                    <code>{c.id}</code>
                  </td>
                  <td translate={false}>{c.name}</td>
                  <td translate={false} class="nowrap">
                    {c.phone}
                  </td>
                  <td translate={false}>{c.contacts.map((p) => p.name).join('、')}</td>
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

const FIELDS = ['id', 'name', 'address', 'phone', 'contacts'];
const CONTACT_FIELDS = ['name', 'role', 'phone', 'email', 'wechat'] as const;
type ContactDraft = Record<(typeof CONTACT_FIELDS)[number], string>;
const EMPTY_CONTACT: ContactDraft = { name: '', role: '', phone: '', email: '', wechat: '' };

function CustomerForm({
  customer,
  onDone,
}: {
  customer: CustomerView | undefined;
  onDone: (saved: boolean) => void;
}) {
  const { t, api } = useApp();
  const [id, setId] = useState(customer?.id ?? '');
  const [name, setName] = useState(customer?.name ?? '');
  const [address, setAddress] = useState(customer?.address ?? '');
  const [phone, setPhone] = useState(customer?.phone ?? '');
  const [people, setPeople] = useState<ContactDraft[]>(
    customer?.contacts.map((c) => ({ ...EMPTY_CONTACT, ...c })) ?? [],
  );
  const contactPaths = people.flatMap((_, i) => CONTACT_FIELDS.map((f) => `contacts.${i}.${f}`));
  const { errors, fail, clear } = useFormErrors([...contactPaths, ...FIELDS]);
  const { busy, run } = useSave(fail, clear);
  const setPerson = (index: number, field: keyof ContactDraft, value: string) =>
    setPeople(people.map((p, i) => (i === index ? { ...p, [field]: value } : p)));
  const submit = () =>
    run(async () => {
      const contacts = people.map(
        (p) =>
          Object.fromEntries(
            Object.entries(p).flatMap(([k, v]) => (optional(v) === undefined ? [] : [[k, v.trim()]])),
          ) as ContactInput,
      );
      const body = { name, address, phone: phone.trim(), contacts };
      if (customer) await api.call(contracts.updateCustomer, { params: { id: customer.id }, body });
      else await api.call(contracts.createCustomer, { body: { id: id.trim(), ...body } });
      onDone(true);
    });
  return (
    <FleetForm
      id="customer-form"
      title={customer ? t('fleet.customer.edit', { id: customer.id }) : t('fleet.customer.new')}
      formError={errors.form}
      busy={busy}
      onSubmit={submit}
      onCancel={() => onDone(false)}
    >
      <div class="form-grid">
        <InputField
          id="customer-id"
          label={t('fleet.id')}
          value={id}
          onInput={setId}
          error={errors.fields.id}
          disabled={customer !== undefined}
        />
        <InputField
          id="customer-name"
          label={t('fleet.name')}
          value={name}
          onInput={setName}
          error={errors.fields.name}
          wide
        />
        <InputField
          id="customer-phone"
          type="tel"
          label={t('fleet.phone')}
          value={phone}
          onInput={setPhone}
          error={errors.fields.phone}
        />
        <InputField
          id="customer-address"
          label={t('fleet.address')}
          value={address}
          onInput={setAddress}
          error={errors.fields.address}
          full
        />
      </div>
      <h3>{t('fleet.contacts')}</h3>
      {people.map((person, index) => (
        <fieldset key={index} class="contact">
          <legend>{t('fleet.contact', { n: index + 1 })}</legend>
          <div class="form-grid">
            {CONTACT_FIELDS.map((field) => (
              <InputField
                key={field}
                id={`contact-${index}-${field}`}
                type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
                label={t(
                  field === 'name'
                    ? 'fleet.name'
                    : field === 'phone'
                      ? 'fleet.phone'
                      : `fleet.contact.${field}`,
                )}
                value={person[field]}
                onInput={(value) => setPerson(index, field, value)}
                error={errors.fields[`contacts.${index}.${field}`]}
              />
            ))}
          </div>
          <button
            type="button"
            class="small ghost"
            onClick={() => setPeople(people.filter((_, i) => i !== index))}
          >
            {t('fleet.remove')}
          </button>
        </fieldset>
      ))}
      <button type="button" class="small" onClick={() => setPeople([...people, { ...EMPTY_CONTACT }])}>
        {t('fleet.add')}
      </button>
    </FleetForm>
  );
}
