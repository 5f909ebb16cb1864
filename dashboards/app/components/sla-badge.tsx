import { useApp } from '../context.ts';
import { formatDuration } from '../lib/format.ts';
import { slaCountdown } from '../lib/sla.ts';
import type { Ticket } from '../lib/types.ts';

const BADGE_TEXT = {
  ok: 'service.slaOk',
  at_risk: 'service.slaAtRisk',
  breached: 'service.slaBreached',
  paused: 'sla.paused',
  none: 'service.slaNone',
} as const;

/** SLA state with the clock that runs now and its time left; at-risk, breached and paused stand out. */
export function SlaBadge({ ticket, now }: { ticket: Ticket; now: number }) {
  const { t, locale } = useApp();
  const countdown = slaCountdown(ticket, now);
  const clock = countdown.clock ? t(`clock.${countdown.clock}`) : '';
  const remaining = countdown.remainingMs;
  const time = remaining === null ? '' : formatDuration(Math.abs(remaining), locale);
  return (
    <span class="sla" data-sla={countdown.badge} data-clock={countdown.clock ?? ''}>
      <span class="sla-state">{t(BADGE_TEXT[countdown.badge])}</span>
      {remaining !== null ? (
        <span class="sla-time num">
          {countdown.paused
            ? t('sla.leftWhilePaused', { clock, time })
            : remaining >= 0
              ? t('service.dueIn', { clock, time })
              : t('service.overdue', { clock, time })}
        </span>
      ) : null}
    </span>
  );
}
