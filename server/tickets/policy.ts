import { z } from 'zod';
import { FAULT_CLASSES } from '../alarms/catalogue.ts';
import { SEVERITIES } from '../alarms/severity.ts';

/** Which alarms open a service ticket, and when a returning fault reopens the resolved one. */
export const ticketPolicySchema = z
  .object({
    /** Every alarm of these severities opens a ticket. Default general and major. */
    severities: z.array(z.enum(SEVERITIES)).default(['general', 'major']),
    /** These fault classes open a ticket whatever their severity. Default: a failover (supply goes on). */
    faultClasses: z.array(z.enum(FAULT_CLASSES)).default(['redundancy_lost']),
    /** These never open a ticket. Default none. */
    exclude: z.array(z.enum(FAULT_CLASSES)).default([]),
    /** A fault that returns this soon after its ticket was resolved reopens it. Default 72 h. */
    reopenWindowMs: z
      .number()
      .int()
      .min(0)
      .default(72 * 3600_000),
  })
  .strict();
export type TicketPolicy = z.infer<typeof ticketPolicySchema>;
export type TicketPolicyInput = z.input<typeof ticketPolicySchema>;

export const DEFAULT_TICKET_POLICY: TicketPolicy = ticketPolicySchema.parse({});

export function opensTicket(policy: TicketPolicy, alarm: { faultClass: string; severity: string }): boolean {
  const faultClass = alarm.faultClass as (typeof FAULT_CLASSES)[number];
  if (policy.exclude.includes(faultClass)) return false;
  return policy.faultClasses.includes(faultClass) || policy.severities.includes(alarm.severity as never);
}
