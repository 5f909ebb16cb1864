import type { z } from 'zod';
import type { transitionBodySchema } from '../../core/api/tickets.ts';
import { RefusedError } from '../db/errors.ts';
import type { TicketRow } from '../db/schema.ts';
import type { RouteContext } from '../http/route-context.ts';

/**
 * Service goes on until the equipment runs normally (直至…运行正常为止): resolving a ticket whose
 * alarm is still active is refused (409) unless the request overrides with a reason. Returns the
 * reason to record, or null when no override was needed.
 */
export async function resolveGuard(
  context: Pick<RouteContext, 'sla'>,
  ticket: TicketRow,
  body: z.output<typeof transitionBodySchema>,
): Promise<string | null> {
  if (body.action !== 'resolve') return null;
  if (!(await context.sla.pauses.alarmActive(ticket))) return null;
  if (!body.overrideActiveAlarm)
    throw new RefusedError(
      `ticket ${ticket.id}'s alarm is still active: resolve with overrideActiveAlarm and a reason`,
      409,
      'error.alarmStillActive',
      { id: ticket.id },
    );
  return body.overrideActiveAlarm;
}
