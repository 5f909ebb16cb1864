import { useState } from 'preact/hooks';
import { contracts, PAUSE_REASONS, type PauseReason } from '../../../core/api/index.ts';
import { useApp } from '../context.ts';
import { formatDuration, formatTime } from '../lib/format.ts';
import type { Ticket } from '../lib/types.ts';
import { Select } from './select-field.tsx';

const OPEN = ['new', 'triaged', 'dispatched', 'on_site'];

/** Pause the SLA clocks with a reason, or resume them (POST /api/tickets/:id/pause, /resume). */
export function SlaPausePanel({
  ticket,
  zone,
  mayAct,
  onDone,
}: {
  ticket: Ticket;
  zone: string;
  mayAct: boolean;
  onDone: () => void;
}) {
  const { t, api, locale } = useApp();
  const [reason, setReason] = useState<PauseReason>('customer_access');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const paused = ticket.sla?.paused ?? null;
  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const params = { id: ticket.id };
      if (paused) await api.call(contracts.resumeTicket, { params, body: { note } });
      else await api.call(contracts.pauseTicket, { params, body: { reason, note } });
      setNote('');
      onDone();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pausedMs = ticket.sla?.pausedMs ?? 0;
  return (
    <div class="sla-pause" data-paused={paused ? 'yes' : 'no'}>
      {paused ? (
        <p class="sla-paused-note" role="status">
          {t('sla.pausedSince', {
            time: formatTime(paused.since, zone, locale),
            reason: t(`pauseReason.${paused.reason}`),
          })}
        </p>
      ) : null}
      {pausedMs > 0 ? (
        <p class="muted">{t('sla.pausedTotal', { time: formatDuration(pausedMs, locale) })}</p>
      ) : null}
      {mayAct && ticket.sla && OPEN.includes(ticket.state) ? (
        <form class="transition-form" onSubmit={send} aria-label={paused ? t('sla.resume') : t('sla.pause')}>
          {paused ? null : (
            <>
              <label for={`pause-${ticket.id}-reason`}>{t('sla.pauseReason')}</label>
              <Select
                id={`pause-${ticket.id}-reason`}
                value={reason}
                choices={PAUSE_REASONS.map((r) => ({ value: r, label: t(`pauseReason.${r}`) }))}
                onChange={(value) => setReason(value as PauseReason)}
              />
            </>
          )}
          <label for={`pause-${ticket.id}-note`}>{t('sla.pauseNote')}</label>
          <input
            id={`pause-${ticket.id}-note`}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          {error ? (
            <p class="error" role="alert">
              {t('sla.pauseFailed', { error })}
            </p>
          ) : null}
          <button type="submit" disabled={busy} data-sla-action={paused ? 'resume' : 'pause'}>
            {paused ? t('sla.resume') : t('sla.pause')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
