import { PAUSE_REASONS, type PauseReason } from '../../core/api/sla.ts';
import type { TicketEventRow } from '../db/schema.ts';
import type { ServiceMode, WorkflowState } from '../tickets/workflow.ts';
import type { SlaEvent } from './sla-clock.ts';

/** The SLA clocks' view of a ticket's audit trail. */
export function slaEventsOf(events: TicketEventRow[]): SlaEvent[] {
  const result: SlaEvent[] = [];
  for (const event of events) {
    if (event.action === 'open') result.push({ at: event.at, kind: 'opened' });
    else if (event.action === 'reopen') result.push({ at: event.at, kind: 'reopened' });
    else if (event.action === 'sla_pause') {
      const reason = (event.data as { reason?: string }).reason;
      const known = PAUSE_REASONS.find((r) => r === reason);
      result.push({ at: event.at, kind: 'pause', reason: known ?? ('other' satisfies PauseReason) });
    } else if (event.action === 'sla_resume') result.push({ at: event.at, kind: 'resume' });
    else if (event.action === 'transition' && event.to_state) {
      const mode = (event.data as { mode?: ServiceMode }).mode;
      result.push({
        at: event.at,
        kind: 'state',
        to: event.to_state as WorkflowState,
        ...(mode ? { mode } : {}),
      });
    }
  }
  return result;
}
