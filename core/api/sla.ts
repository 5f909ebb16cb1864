import { z } from 'zod';

/** SLA clocks of a ticket, as GET /api/tickets and the live stream show them. */
export const SLA_CLOCKS = ['respond', 'on_site', 'fix'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/** pending: running with time to spare; met / met_late: stopped; n_a: the contract or the triage has none. */
export const CLOCK_STATES = ['pending', 'at_risk', 'breached', 'met', 'met_late', 'n_a'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const clockViewSchema = z.object({
  clock: z.enum(SLA_CLOCKS),
  state: z.enum(CLOCK_STATES),
  deadline: z.number().nullable(),
  atRiskAt: z.number().nullable(),
  metAt: z.number().nullable(),
});
export type ClockView = z.infer<typeof clockViewSchema>;

export const escalationSchema = z.object({
  clock: z.enum(SLA_CLOCKS),
  level: z.enum(['at_risk', 'breached']),
  at: z.number().describe('The at-risk point or the deadline'),
  cycle: z.number().describe('Which open/reopen cycle of the ticket (0 = first)'),
});
export type Escalation = z.infer<typeof escalationSchema>;

export const slaViewSchema = z.object({
  state: z.enum(SLA_STATES),
  clocks: z.array(clockViewSchema),
  escalations: z.array(escalationSchema),
});
export type SlaView = z.infer<typeof slaViewSchema>;
