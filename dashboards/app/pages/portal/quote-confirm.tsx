import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { ChargeTable } from '../../components/charge-table.tsx';
import { useApp, useLoad } from '../../context.ts';
import { formatTime } from '../../lib/format.ts';

/** The technician's quote on the customer's request: its lines, and the written fee confirmation. */
export function QuoteConfirm({
  ticket,
  zone,
  onConfirmed,
}: {
  ticket: number;
  zone: string;
  /** The confirmation is no ticket step the live feed announces: the page reloads its timeline. */
  onConfirmed?: () => void;
}) {
  const { api, t, locale } = useApp();
  const loaded = useLoad(() => api.call(contracts.getQuote, { params: { id: ticket } }), [ticket]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const quote = loaded.data?.quote;
  if (!quote) return null;
  const confirm = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.call(contracts.confirmQuoteInPortal, { params: { id: ticket }, body: { signerName: name } });
      loaded.reload();
      onConfirmed?.();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section class="portal-card quote-confirm" data-quote={ticket}>
      <h2>{t('record.quote')}</h2>
      <ChargeTable
        charge={quote.charge}
        names={
          new Map(
            Object.entries(loaded.data?.partNames ?? {}).map(([code, name]) => [
              code,
              locale === 'en' ? name.en : name.zh,
            ]),
          )
        }
      />
      {quote.confirmedAt !== null ? (
        <p role="status">
          {t('record.quoteConfirmed', {
            name: quote.signerName ?? '',
            how: t(`record.how.${quote.confirmation ?? 'portal'}`),
            at: formatTime(quote.confirmedAt, zone, locale),
          })}
        </p>
      ) : (
        <form onSubmit={confirm}>
          <label>
            {t('record.confirmName')}
            <input
              required
              value={name}
              onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">{t('record.confirmFee')}</button>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}
