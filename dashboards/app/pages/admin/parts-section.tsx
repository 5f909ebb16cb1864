import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';

const value = (event: Event) => (event.currentTarget as HTMLInputElement).value;

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
                      <input
                        type="number"
                        min={0}
                        class="stock-input"
                        aria-label={`${t('parts.setStock')} ${d.name} ${p.code}`}
                        value={p.stock[d.id] ?? 0}
                        onChange={(event) => setStock(d.id, p.code, value(event))}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="inline-form" onSubmit={savePart} aria-label={t('parts.save')}>
        <input
          required
          placeholder={t('parts.code')}
          value={part.code}
          onInput={(e) => setPart({ ...part, code: value(e) })}
        />
        <input
          required
          placeholder={t('parts.nameZh')}
          value={part.nameZh}
          onInput={(e) => setPart({ ...part, nameZh: value(e) })}
        />
        <input
          required
          placeholder={t('parts.nameEn')}
          value={part.nameEn}
          onInput={(e) => setPart({ ...part, nameEn: value(e) })}
        />
        <input
          required
          type="number"
          min={0}
          step="0.01"
          placeholder={t('parts.unitCost')}
          value={part.cost}
          onInput={(e) => setPart({ ...part, cost: value(e) })}
        />
        <input
          type="number"
          min={0}
          placeholder={t('parts.warrantyMonths')}
          value={part.months}
          onInput={(e) => setPart({ ...part, months: value(e) })}
        />
        <button type="submit">{t('parts.save')}</button>
      </form>
      <h3>{t('parts.depots')}</h3>
      <form class="inline-form" onSubmit={saveDepot} aria-label={t('parts.saveDepot')}>
        <input
          required
          placeholder={t('parts.depotId')}
          value={depot.id}
          onInput={(e) => setDepot({ ...depot, id: value(e) })}
        />
        <input
          required
          placeholder={t('parts.depotName')}
          value={depot.name}
          onInput={(e) => setDepot({ ...depot, name: value(e) })}
        />
        <button type="submit">{t('parts.saveDepot')}</button>
      </form>
    </div>
  );
}
