import { useApp } from '../context.ts';
import { formatDuration } from '../lib/format.ts';
import { slaCountdown } from '../lib/sla.ts';
import type { Ticket } from '../lib/types.ts';

const BADGE_TEXT = {
  ok: 'service.slaOk',
  at_risk: 'service.slaAtRisk',
  breached: 'service.slaBreached',
  none: 'service.slaNone',
} as const;

/** SLA state with a countdown to the nearest running deadline; at-risk and breached stand out. */
export function SlaBadge({ ticket, now }: { ticket: Ticket; now: number }) {
  const { t, locale } = useApp();
  const countdown = slaCountdown(ticket, now);
  const clock = countdown.clock ? t(`clock.${countdown.clock}`) : '';
  const remaining = countdown.remainingMs;
  return (
    <span class="sla" data-sla={countdown.badge}>
      <span class="sla-state">{t(BADGE_TEXT[countdown.badge])}</span>
      {remaining !== null ? (
        <span class="sla-time num">
          {remaining >= 0
            ? t('service.dueIn', { clock, time: formatDuration(remaining, locale) })
            : t('service.overdue', { clock, time: formatDuration(-remaining, locale) })}
        </span>
      ) : null}
    </span>
  );
}
