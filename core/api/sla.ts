import { z } from 'zod';

/** SLA clocks of a ticket, as GET /api/tickets and the live stream show them. */
/** `due`: the due date of planned, follow-up and predictive work, which have no fault's clocks. */
export const SLA_CLOCKS = ['respond', 'on_site', 'fix', 'due'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/**
 * pending: running with time to spare; paused: stopped by a pause with a reason; not_started: the fix
 * clock before the technician's arrival; met / met_late: stopped; n_a: the contract or the triage has none.
 */
export const CLOCK_STATES = [
  'pending',
  'at_risk',
  'breached',
  'paused',
  'not_started',
  'met',
  'met_late',
  'n_a',
] as const;
/** States of a clock that runs (or is paused) now. */
export const RUNNING_CLOCK_STATES: readonly ClockState[] = ['pending', 'at_risk', 'breached', 'paused'];
export type ClockState = (typeof CLOCK_STATES)[number];

export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const clockViewSchema = z.object({
  clock: z.enum(SLA_CLOCKS),
  state: z.enum(CLOCK_STATES),
  /** When the clock started (the report, the arrival), null before it starts. */
  startedAt: z.number().nullable().optional(),
  /** null while paused (the deadline moves on with the pause) and for clocks not running. */
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

export const PAUSE_REASONS = ['customer_access', 'parts', 'customer_request', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** The clock that runs now with the least time left (breached first): what the board sorts by. */
export const currentClockSchema = z.object({
  clock: z.enum(SLA_CLOCKS),
  state: z.enum(CLOCK_STATES),
  deadline: z.number().nullable(),
  remainingMs: z
    .number()
    .describe(
      'Time left at the answer: to the deadline, or the allowance left while paused; negative once breached',
    ),
});
export type CurrentClock = z.infer<typeof currentClockSchema>;

export const slaViewSchema = z.object({
  state: z.enum(SLA_STATES),
  clocks: z.array(clockViewSchema),
  escalations: z.array(escalationSchema),
  current: currentClockSchema.nullable().optional(),
  /** The pause in force, if any. */
  paused: z
    .object({ since: z.number(), reason: z.enum(PAUSE_REASONS) })
    .nullable()
    .optional(),
  /** Paused time in the current cycle so far, ms. */
  pausedMs: z.number().optional(),
});
export type SlaView = z.infer<typeof slaViewSchema>;
