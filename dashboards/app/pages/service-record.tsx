import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { contracts } from '../../../core/api/index.ts';
import type { quoteSchema } from '../../../core/api/parts.ts';
import type { serviceRecordSchema } from '../../../core/api/service-record.ts';
import { renderOr } from '../../../core/i18n/render.ts';
import { ROOT_CAUSES } from '../../../core/tickets/root-causes.ts';
import { ChargeTable } from '../components/charge-table.tsx';
import { SignatureField } from '../components/signature-field.tsx';
import { useApp, useLoad } from '../context.ts';
import { downloadFile } from '../lib/fetch-file.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { routeHref } from '../lib/router.ts';
import { dataUrl, shrinkPhoto, uploadPhoto } from './portal/photo-upload.ts';
import './service-record.css';

type Quote = z.output<typeof quoteSchema>;
type Record = z.output<typeof serviceRecordSchema>;
interface PartLine {
  part: string;
  depot: string;
  quantity: number;
}
interface Reading {
  key: string;
  before: string;
  after: string;
}

/** The technician's service record on the phone: work, parts, readings, photos, quote, signature. */
export function ServiceRecordPage({ id }: { id: number }) {
  const { t, api, locale, session } = useApp();
  const ticket = useLoad(() => api.call(contracts.getTicket, { params: { id } }), [id]);
  const catalogue = useLoad(() => api.call(contracts.listParts), []);
  const [quote, setQuote] = useState<Quote | null | undefined>(undefined);
  useLoad(() => api.call(contracts.getQuote, { params: { id } }).then((a) => setQuote(a.quote)), [id]);
  const [language, setLanguage] = useState<'zh-CN' | 'en'>(locale);
  const [workDone, setWorkDone] = useState('');
  const [rootCause, setRootCause] = useState(ROOT_CAUSES[0]?.code ?? 'other');
  const [lines, setLines] = useState<PartLine[]>([]);
  const [readings, setReadings] = useState<Reading[]>(
    (['pressure', 'currentL1', 'currentL2', 'currentL3'] as const).map((key) => ({
      key: t(`record.reading.${key}`),
      before: '',
      after: '',
    })),
  );
  const [photos, setPhotos] = useState<{ id: number; url: string }[]>([]);
  const [signature, setSignature] = useState<string | null>(null);
  const [signerName, setSignerName] = useState('');
  const [paperName, setPaperName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<Record | undefined>();

  const current = ticket.data?.ticket;
  if (ticket.error) return <p class="error">{t('common.error', { error: ticket.error })}</p>;
  if (!current || !catalogue.data) return <p>{t('common.loading')}</p>;
  const parts = catalogue.data.parts;
  const depots = catalogue.data.depots;
  const names = new Map(parts.map((p) => [p.code, locale === 'en' ? p.nameEn : p.nameZh]));
  const zone = siteTimeZone(current.site);
  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const usedParts = lines.filter((line) => line.part && line.depot);
  const issueQuote = () =>
    attempt(async () => {
      const answer = await api.call(contracts.issueQuote, {
        params: { id },
        body: { rootCause, parts: usedParts.map(({ part, quantity }) => ({ part, quantity })) },
      });
      setQuote(answer.quote);
    });
  const confirmPaper = () =>
    attempt(async () => {
      const answer = await api.call(contracts.confirmQuoteOnPaper, {
        params: { id },
        body: { signerName: paperName },
      });
      setQuote(answer.quote);
    });
  const addPhoto = (event: Event) =>
    attempt(async () => {
      const input = event.currentTarget as HTMLInputElement;
      for (const file of Array.from(input.files ?? [])) {
        const small = await shrinkPhoto(file);
        if (!small) throw new Error(t('record.photoFailed'));
        const photoId = await uploadPhoto(session.token, small);
        const url = await dataUrl(small);
        setPhotos((list) => [...list, { id: photoId, url }]);
      }
      input.value = '';
    });
  const submit = (event: Event) => {
    event.preventDefault();
    if (!signature) {
      setError(t('record.needSignature'));
      return;
    }
    void attempt(async () => {
      const answer = await api.call(contracts.submitServiceRecord, {
        params: { id },
        body: {
          language,
          workDone,
          rootCause,
          parts: usedParts,
          readings: readings.filter((r) => r.key.trim() && (r.before.trim() || r.after.trim())),
          photos: photos.map((p) => p.id),
          signature,
          signerName,
        },
      });
      setDone(answer.record);
    });
  };
  const pdf = () =>
    attempt(() =>
      downloadFile(session.token, `/tickets/${id}/service-record.pdf`, `service-record-${id}.pdf`, locale),
    );
  const setLine = (i: number, patch: Partial<PartLine>) =>
    setLines((all) => all.map((line, j) => (j === i ? { ...line, ...patch } : line)));
  const setReading = (i: number, patch: Partial<Reading>) =>
    setReadings((all) => all.map((reading, j) => (j === i ? { ...reading, ...patch } : reading)));

  return (
    <section class="service-record" aria-labelledby="record-title">
      <header class="page-head">
        <a href={routeHref({ page: 'ticket', id })} class="back">
          ← {t('record.back')}
        </a>
        <h1 id="record-title">{t('record.title', { id })}</h1>
        <p class="muted">
          {current.station} · {renderOr(locale, current.titleCode, current.titleParams, current.title)}
        </p>
      </header>
      {done ? (
        <section class="panel record-done" role="status" data-total={done.charge.totalCents}>
          <p>{t('record.done', { total: (done.charge.totalCents / 100).toFixed(2) })}</p>
          <p>
            {done.mailedTo.length > 0
              ? t('record.mailed', { to: done.mailedTo.join(', ') })
              : t('record.notMailed')}
          </p>
          <button type="button" onClick={pdf} disabled={busy}>
            {t('record.pdf')}
          </button>
        </section>
      ) : current.state !== 'on_site' ? (
        <p class="panel muted">{t('record.notOnSite')}</p>
      ) : (
        <form class="panel record-form" onSubmit={submit}>
          <label>
            {t('record.language')}
            <select
              value={language}
              onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as 'zh-CN' | 'en')}
            >
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            {t('record.workDone')}
            <textarea
              name="workDone"
              required
              rows={4}
              value={workDone}
              onInput={(e) => setWorkDone((e.currentTarget as HTMLTextAreaElement).value)}
            />
          </label>
          <label>
            {t('record.rootCause')}
            <select
              name="rootCause"
              value={rootCause}
              onChange={(e) => setRootCause((e.currentTarget as HTMLSelectElement).value)}
            >
              {ROOT_CAUSES.map((cause) => (
                <option key={cause.code} value={cause.code}>
                  {renderOr(locale, `cause.${cause.code}`, {}, cause.label)}
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>{t('record.parts')}</legend>
            {lines.map((line, i) => (
              <div class="record-row" key={i} data-part-line={i}>
                <select
                  aria-label={t('record.part')}
                  value={line.part}
                  onChange={(e) => setLine(i, { part: (e.currentTarget as HTMLSelectElement).value })}
                >
                  <option value="">—</option>
                  {parts.map((p) => (
                    <option key={p.code} value={p.code}>
                      {names.get(p.code)} ({p.code})
                    </option>
                  ))}
                </select>
                <select
                  aria-label={t('record.depot')}
                  value={line.depot}
                  onChange={(e) => setLine(i, { depot: (e.currentTarget as HTMLSelectElement).value })}
                >
                  {depots.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} ·{' '}
                      {t('record.inStock', { n: parts.find((p) => p.code === line.part)?.stock[d.id] ?? 0 })}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={t('record.quantity')}
                  type="number"
                  min={1}
                  value={line.quantity}
                  onInput={(e) =>
                    setLine(i, { quantity: Number((e.currentTarget as HTMLInputElement).value) || 1 })
                  }
                />
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setLines((all) => all.filter((_l, j) => j !== i))}
                >
                  {t('record.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                setLines((all) => [...all, { part: '', depot: depots[0]?.id ?? '', quantity: 1 }])
              }
            >
              {t('record.addPart')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('record.readings')}</legend>
            {readings.map((reading, i) => (
              <div class="record-row readings-row" key={i}>
                <input
                  aria-label={t('record.readingKey')}
                  value={reading.key}
                  onInput={(e) => setReading(i, { key: (e.currentTarget as HTMLInputElement).value })}
                />
                <input
                  aria-label={t('record.before')}
                  placeholder={t('record.before')}
                  inputMode="decimal"
                  value={reading.before}
                  onInput={(e) => setReading(i, { before: (e.currentTarget as HTMLInputElement).value })}
                />
                <input
                  aria-label={t('record.after')}
                  placeholder={t('record.after')}
                  inputMode="decimal"
                  value={reading.after}
                  onInput={(e) => setReading(i, { after: (e.currentTarget as HTMLInputElement).value })}
                />
              </div>
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() => setReadings((all) => [...all, { key: '', before: '', after: '' }])}
            >
              {t('record.addReading')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('record.photos')}</legend>
            <div class="record-photos">
              {photos.map((photo) => (
                <img key={photo.id} src={photo.url} alt="" data-photo={photo.id} />
              ))}
            </div>
            <label class="file-button">
              {t('record.addPhoto')}
              <input type="file" accept="image/*" capture="environment" onChange={addPhoto} />
            </label>
          </fieldset>
          <fieldset class="record-quote">
            <legend>{t('record.quote')}</legend>
            {quote ? <ChargeTable charge={quote.charge} names={names} /> : null}
            {quote?.confirmedAt ? (
              <p data-confirmed={quote.confirmation}>
                {t('record.quoteConfirmed', {
                  name: quote.signerName ?? '',
                  how: t(`record.how.${quote.confirmation ?? 'paper'}`),
                  at: formatTime(quote.confirmedAt, zone, locale),
                })}
              </p>
            ) : quote ? (
              <>
                <p class="muted">{t('record.quoteWaiting')}</p>
                <label>
                  {t('record.paperSigner')}
                  <input
                    value={paperName}
                    onInput={(e) => setPaperName((e.currentTarget as HTMLInputElement).value)}
                  />
                </label>
                <button
                  type="button"
                  class="secondary"
                  disabled={busy || !paperName.trim()}
                  onClick={confirmPaper}
                >
                  {t('record.paperConfirm')}
                </button>
              </>
            ) : null}
            <button type="button" class="secondary" disabled={busy} onClick={issueQuote}>
              {t('record.issueQuote')}
            </button>
          </fieldset>
          <SignatureField onChange={setSignature} />
          <label>
            {t('record.signer')}
            <input
              name="signerName"
              required
              value={signerName}
              onInput={(e) => setSignerName((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('record.submitting') : t('record.submit')}
          </button>
        </form>
      )}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
