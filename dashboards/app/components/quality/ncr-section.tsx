import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { NCR_DISPOSITIONS, type NcrDisposition } from '../../../../core/quality/vocabulary.ts';
import { useApp, useLoad } from '../../context.ts';
import { formatTime, siteTimeZone } from '../../lib/format.ts';
import { routeHref } from '../../lib/router.ts';
import { Select } from '../select-field.tsx';

const EMPTY = { product: '', model: '', batch: '', serial: '', problem: '', ticket: '' };

/** Non-conforming product records (不合格品): the list and a form to add one. */
export function NcrSection() {
  const { t, api, locale } = useApp();
  const list = useLoad(() => api.call(contracts.listNcrs, { query: {} }), []);
  const [form, setForm] = useState(EMPTY);
  const [disposition, setDisposition] = useState<NcrDisposition>('rework');
  const [error, setError] = useState<string | undefined>();
  const field = (name: keyof typeof EMPTY) => ({
    id: `ncr-${name}`,
    value: form[name],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!form.batch.trim() && !form.serial.trim()) return setError(t('quality.ncr.batchOrSerial'));
    try {
      await api.call(contracts.createNcr, {
        body: {
          product: form.product,
          model: form.model || null,
          batch: form.batch || null,
          serial: form.serial || null,
          problem: form.problem,
          disposition,
          ticketId: form.ticket ? Number(form.ticket) : null,
        },
      });
      setForm(EMPTY);
      list.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const ncrs = list.data?.ncrs ?? [];
  return (
    <section class="panel" aria-labelledby="ncr-title">
      <h2 id="ncr-title">{t('quality.ncrs')}</h2>
      {ncrs.length === 0 ? <p class="muted">{t('quality.ncr.none')}</p> : null}
      <ul class="ncr-list">
        {ncrs.map((n) => (
          <li key={n.id} data-ncr={n.id} data-disposition={n.disposition}>
            <strong>{n.product}</strong>
            {n.model ? ` · ${n.model}` : ''} · {n.batch ?? n.serial} ·{' '}
            <span class="tag">{t(`quality.disposition.${n.disposition}`)}</span>
            {n.ticketId !== null ? (
              <a href={routeHref({ page: 'ticket', id: n.ticketId })}> #{n.ticketId}</a>
            ) : null}
            <p class="case-text">{n.problem}</p>
            <span class="num muted small-text">
              {formatTime(n.createdAt, siteTimeZone(undefined), locale)}
            </span>
          </li>
        ))}
      </ul>
      <form class="transition-form ncr-form" onSubmit={submit} aria-label={t('quality.ncr.add')}>
        <h3>{t('quality.ncr.add')}</h3>
        <label for="ncr-product">{t('quality.ncr.product')}</label>
        <input required {...field('product')} />
        <label for="ncr-model">{t('quality.ncr.model')}</label>
        <input {...field('model')} />
        <label for="ncr-batch">{t('quality.ncr.batch')}</label>
        <input {...field('batch')} />
        <label for="ncr-serial">{t('quality.ncr.serial')}</label>
        <input {...field('serial')} />
        <label for="ncr-problem">{t('quality.ncr.problem')}</label>
        <textarea required {...field('problem')} />
        <label for="ncr-disposition">{t('quality.ncr.disposition')}</label>
        <Select
          id="ncr-disposition"
          value={disposition}
          choices={NCR_DISPOSITIONS.map((d) => ({ value: d, label: t(`quality.disposition.${d}`) }))}
          onChange={(value) => setDisposition(value as NcrDisposition)}
        />
        <label for="ncr-ticket">{t('quality.ncr.ticket')}</label>
        <input inputMode="numeric" pattern="[0-9]*" {...field('ticket')} />
        {error ? <p class="error">{error}</p> : null}
        <button type="submit">{t('quality.ncr.save')}</button>
      </form>
    </section>
  );
}
