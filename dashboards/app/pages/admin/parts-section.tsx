import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import './parts-section.css';

const value = (event: Event) => (event.currentTarget as HTMLInputElement).value;

/** A form field with its name above it (a placeholder vanishes once the field is filled). */
function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label
    <label class="parts-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/**
 * A stock cell: what is typed stays until the stored figure changes, so the list reloading after
 * another cell's save does not wipe a number being typed (and save 0 on leaving the cell).
 */
function StockInput(props: { label: string; stock: number; onSet: (quantity: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => setDraft(null), [props.stock]);
  return (
    <input
      type="number"
      min={0}
      class="stock-input"
      aria-label={props.label}
      value={draft ?? String(props.stock)}
      onInput={(event) => setDraft(value(event))}
      onChange={(event) => props.onSet(value(event))}
    />
  );
}

/** Parts catalogue and depots: add or change a part, add a depot, set a part's stock per depot. */
export function PartsSection() {
  const { t, api, locale } = useApp();
  const list = useLoad(() => api.call(contracts.listParts), []);
  const [error, setError] = useState<string | undefined>();
  const [part, setPart] = useState({ code: '', nameZh: '', nameEn: '', cost: '', months: '0' });
  const [depot, setDepot] = useState({ id: '', name: '' });
  const attempt = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      list.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const parts = list.data?.parts ?? [];
  const depots = list.data?.depots ?? [];
  const savePart = (event: Event) => {
    event.preventDefault();
    void attempt(() =>
      api.call(contracts.putPart, {
        params: { code: part.code },
        body: {
          nameZh: part.nameZh,
          nameEn: part.nameEn,
          unitCostCents: Math.round(Number(part.cost) * 100),
          warrantyMonths: Number(part.months) || 0,
        },
      }),
    );
  };
  const saveDepot = (event: Event) => {
    event.preventDefault();
    void attempt(() =>
      api.call(contracts.putDepot, { params: { id: depot.id }, body: { name: depot.name } }),
    );
  };
  const setStock = (depotId: string, code: string, quantity: string) =>
    void attempt(() =>
      api.call(contracts.putStock, {
        params: { id: depotId },
        body: { part: code, quantity: Math.max(0, Math.round(Number(quantity) || 0)) },
      }),
    );
  return (
    <div class="fleet-section parts-section">
      {error || list.error ? (
        <p class="error" role="alert">
          {error ?? list.error}
        </p>
      ) : null}
      {list.data && parts.length === 0 ? <p class="muted">{t('parts.empty')}</p> : null}
      {parts.length > 0 ? (
        <div class="table-wrap">
          <table class="fleet-table parts-table">
            <thead>
              <tr>
                <th>{t('parts.code')}</th>
                <th>{locale === 'en' ? t('parts.nameEn') : t('parts.nameZh')}</th>
                <th>{t('parts.unitCost')}</th>
                <th>{t('parts.warrantyMonths')}</th>
                {depots.map((d) => (
                  <th key={d.id}>{d.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {parts.map((p) => (
                <tr key={p.code} data-part={p.code}>
                  <td>
                    <code>{p.code}</code>
                  </td>
                  <td>{locale === 'en' ? p.nameEn : p.nameZh}</td>
                  <td class="num">{(p.unitCostCents / 100).toFixed(2)}</td>
                  <td class="num">{p.warrantyMonths}</td>
                  {depots.map((d) => (
                    <td key={d.id}>
                      <StockInput
                        label={`${t('parts.setStock')} ${d.name} ${p.code}`}
                        stock={p.stock[d.id] ?? 0}
                        onSet={(quantity) => setStock(d.id, p.code, quantity)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="inline-form parts-form" onSubmit={savePart} aria-label={t('parts.save')}>
        <Field label={t('parts.code')}>
          <input required value={part.code} onInput={(e) => setPart({ ...part, code: value(e) })} />
        </Field>
        <Field label={t('parts.nameZh')}>
          <input required value={part.nameZh} onInput={(e) => setPart({ ...part, nameZh: value(e) })} />
        </Field>
        <Field label={t('parts.nameEn')}>
          <input required value={part.nameEn} onInput={(e) => setPart({ ...part, nameEn: value(e) })} />
        </Field>
        <Field label={t('parts.unitCost')}>
          <input
            required
            type="number"
            min={0}
            step="0.01"
            value={part.cost}
            onInput={(e) => setPart({ ...part, cost: value(e) })}
          />
        </Field>
        <Field label={t('parts.warrantyMonths')}>
          <input
            type="number"
            min={0}
            value={part.months}
            onInput={(e) => setPart({ ...part, months: value(e) })}
          />
        </Field>
        <button type="submit">{t('parts.save')}</button>
      </form>
      <h3>{t('parts.depots')}</h3>
      <form class="inline-form parts-form" onSubmit={saveDepot} aria-label={t('parts.saveDepot')}>
        <Field label={t('parts.depotId')}>
          <input required value={depot.id} onInput={(e) => setDepot({ ...depot, id: value(e) })} />
        </Field>
        <Field label={t('parts.depotName')}>
          <input required value={depot.name} onInput={(e) => setDepot({ ...depot, name: value(e) })} />
        </Field>
        <button type="submit">{t('parts.saveDepot')}</button>
      </form>
    </div>
  );
}
