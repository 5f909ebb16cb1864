import type { Severity } from '../alarms/severity.ts';
import {
  type ClockState,
  type ClockView,
  type CurrentClock,
  type Escalation,
  type PauseReason,
  RUNNING_CLOCK_STATES,
  type SlaClockName,
  type SlaState,
  type SlaView,
} from '../api/sla.ts';
import type { ServiceMode, WorkflowState } from '../tickets/workflow.ts';
import type { SlaPolicy } from './policies.ts';
import {
  AROUND_THE_CLOCK,
  addCountingTime,
  type BusinessCalendar,
  countingTimeBetween,
  EMPTY_CALENDAR,
  type Interval,
  type WorkingHours,
} from './working-time.ts';

/** The ticket events the clocks read. */
export type SlaEvent =
  | { at: number; kind: 'opened' | 'reopened' }
  | { at: number; kind: 'state'; to: WorkflowState; mode?: ServiceMode }
  | { at: number; kind: 'pause'; reason: PauseReason }
  | { at: number; kind: 'resume' };

/** What the clocks need of the ticket besides its events. */
export interface SlaSubject {
  severity: Severity;
  /** Where it came from: planned, follow-up and predictive work have a due date, not a fault's clocks. */
  source: string;
  /** The due date of such work (ms), null for a fault. */
  dueAt: number | null;
}

/** Sources of work with a due date instead of a fault's clocks. */
export const DUE_DATE_SOURCES: readonly string[] = ['plan', 'follow_up', 'predictive'];

const MINUTE = 60_000;

/** Fix allowance for a severity; a severity the contract leaves out takes the next more severe figure. */
export function fixMinutesFor(policy: SlaPolicy, severity: Severity): number | null {
  const order: Severity[] =
    severity === 'minor'
      ? ['minor', 'general', 'major']
      : severity === 'general'
        ? ['general', 'major']
        : ['major'];
  for (const candidate of order) {
    const minutes = policy.fixMinutes[candidate];
    if (minutes !== undefined && minutes !== null) return minutes;
  }
  return null;
}

interface ClockInput {
  clock: SlaClockName;
  /** null: not started yet. */
  start: number | null;
  allowanceMs: number | null;
  metAt: number | null;
  applicable: boolean;
  hours: WorkingHours;
}

interface Counted {
  view: ClockView;
  /** Counting time left at `now` (negative once breached), null when not running. */
  leftMs: number | null;
}

interface Frame {
  calendar: BusinessCalendar;
  pauses: Interval[];
  openPause: boolean;
  atRiskFraction: number;
  now: number;
}

function countClock(input: ClockInput, frame: Frame): Counted & { atRiskAt: number | null } {
  const { clock, start, allowanceMs, metAt, applicable, hours } = input;
  const blank = { clock, startedAt: start, deadline: null, atRiskAt: null, metAt };
  if (allowanceMs === null || !applicable)
    return { view: { ...blank, state: 'n_a' }, leftMs: null, atRiskAt: null };
  if (start === null) return { view: { ...blank, state: 'not_started' }, leftMs: null, atRiskAt: null };
  const { calendar, pauses, now } = frame;
  const atRiskAt = addCountingTime(start, allowanceMs * (1 - frame.atRiskFraction), hours, calendar, pauses);
  if (metAt !== null) {
    const used = countingTimeBetween(start, metAt, hours, calendar, pauses);
    const state: ClockState = used <= allowanceMs ? 'met' : 'met_late';
    const deadline = addCountingTime(
      start,
      allowanceMs,
      hours,
      calendar,
      pauses.filter(([a]) => a < metAt),
    );
    return { view: { ...blank, state, deadline, atRiskAt }, leftMs: null, atRiskAt };
  }
  const leftMs = allowanceMs - countingTimeBetween(start, now, hours, calendar, pauses);
  const deadline = addCountingTime(start, allowanceMs, hours, calendar, pauses);
  let state: ClockState;
  if (leftMs <= 0) state = 'breached';
  else if (frame.openPause) state = 'paused';
  else if (leftMs <= allowanceMs * frame.atRiskFraction) state = 'at_risk';
  else state = 'pending';
  return { view: { ...blank, state, deadline, atRiskAt }, leftMs, atRiskAt };
}

/** The pauses of a cycle as intervals, the one in force open-ended; and that one's reason. */
function pausesOf(events: SlaEvent[], stopAt: number | null) {
  const pauses: Interval[] = [];
  let since: { at: number; reason: PauseReason } | null = null;
  for (const event of events) {
    if (event.kind === 'pause' && since === null) since = { at: event.at, reason: event.reason };
    else if (event.kind === 'resume' && since !== null) {
      pauses.push([since.at, event.at]);
      since = null;
    }
  }
  // A resolution ends a pause; the clocks it stopped are met by then anyway.
  if (since !== null) pauses.push([since.at, stopAt ?? Number.POSITIVE_INFINITY]);
  const open = since !== null && stopAt === null ? since : null;
  return { pauses, open };
}

/**
 * The SLA clocks of a ticket: a pure function of the contract's policy, the ticket, its events (any
 * order), the business calendar and the time. Respond and on site run from the report (the opening
 * or reopening), fix from arrival on site unless the policy says from the report; planned,
 * follow-up and predictive work has only its due date. Paused time does not count; working-hours
 * policies count only working time on the calendar's working days.
 */
export function computeSla(
  policy: SlaPolicy,
  subject: SlaSubject,
  events: SlaEvent[],
  now: number,
  calendar: BusinessCalendar = EMPTY_CALENDAR,
): SlaView {
  const sorted = [...events].filter((event) => event.at <= now).sort((a, b) => a.at - b.at);
  let cycle = -1;
  let start = Number.NaN;
  for (const event of sorted) {
    if (event.kind === 'opened' || event.kind === 'reopened') {
      cycle += 1;
      start = event.at;
    }
  }
  if (cycle < 0)
    return { state: 'ok', clocks: [], escalations: [], current: null, paused: null, pausedMs: 0 };
  const inCycle = sorted.filter((event) => event.at >= start);
  const states = inCycle.filter((event) => event.kind === 'state');
  const firstTo = (to: WorkflowState[]) => states.find((event) => to.includes(event.to))?.at ?? null;
  const resolvedAt = firstTo(['resolved']);
  const { pauses, open } = pausesOf(inCycle, resolvedAt);
  const frame: Frame = {
    calendar,
    pauses,
    openPause: open !== null,
    atRiskFraction: policy.atRiskFraction,
    now,
  };
  const hours = policy.hours ?? AROUND_THE_CLOCK;
  const inputs: ClockInput[] = DUE_DATE_SOURCES.includes(subject.source)
    ? [dueClock(subject, start, resolvedAt)]
    : faultClocks(policy, subject.severity, start, states, resolvedAt, hours);
  const counted = inputs.map((input) => countClock(input, frame));
  const clocks = counted.map((c) => c.view);
  const escalations: Escalation[] = [];
  for (const { view } of counted) {
    if (view.state === 'not_started' || view.state === 'n_a') continue;
    const deadline = view.deadline ?? Number.POSITIVE_INFINITY;
    const stoppedAt = view.metAt ?? Number.POSITIVE_INFINITY;
    if (
      view.atRiskAt !== null &&
      view.atRiskAt < deadline &&
      now >= view.atRiskAt &&
      stoppedAt > view.atRiskAt
    ) {
      escalations.push({ clock: view.clock, level: 'at_risk', at: view.atRiskAt, cycle });
    }
    if (view.deadline !== null && now >= view.deadline && stoppedAt > view.deadline) {
      escalations.push({ clock: view.clock, level: 'breached', at: view.deadline, cycle });
    }
  }
  const live = clocks.filter((view) => view.state !== 'n_a' && view.state !== 'not_started');
  const state: SlaState = live.some((view) => view.state === 'breached' || view.state === 'met_late')
    ? 'breached'
    : live.some((view) => view.state === 'at_risk')
      ? 'at_risk'
      : 'ok';
  const pausedMs = pauses.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, now) - a), 0);
  return {
    state,
    clocks,
    escalations,
    current: currentClock(counted, now),
    paused: open ? { since: open.at, reason: open.reason } : null,
    pausedMs,
  };
}

function faultClocks(
  policy: SlaPolicy,
  severity: Severity,
  start: number,
  states: Extract<SlaEvent, { kind: 'state' }>[],
  resolvedAt: number | null,
  hours: WorkingHours,
): ClockInput[] {
  const firstTo = (to: WorkflowState[]) => states.find((event) => to.includes(event.to))?.at ?? null;
  const onSiteAt = firstTo(['on_site']);
  const triage = [...states].reverse().find((event) => event.to === 'triaged');
  const mode = triage?.mode;
  const respondedAt =
    policy.respondMinutes === 0 ? start : firstTo(['triaged', 'dispatched', 'on_site', 'resolved']);
  // On-site applies unless triage chose a remote fix or return to factory, or it was fixed without a visit.
  const onSiteApplies =
    onSiteAt !== null || (mode !== 'remote' && mode !== 'return_to_factory' && resolvedAt === null);
  // From arrival: a remote fix starts when triage decides it; a return to factory has no contract figure.
  const fixStart =
    policy.fixFrom === 'report' ? start : (onSiteAt ?? (mode === 'remote' ? (triage?.at ?? null) : null));
  const minutes = (value: number | null) => (value === null ? null : value * MINUTE);
  return [
    {
      clock: 'respond',
      start,
      allowanceMs: minutes(policy.respondMinutes),
      metAt: respondedAt,
      applicable: true,
      hours,
    },
    {
      clock: 'on_site',
      start,
      allowanceMs: minutes(policy.onSiteMinutes),
      metAt: onSiteAt,
      applicable: onSiteApplies,
      hours,
    },
    {
      clock: 'fix',
      start: fixStart,
      allowanceMs: minutes(fixMinutesFor(policy, severity)),
      metAt: resolvedAt,
      applicable: !(policy.fixFrom === 'arrival' && mode === 'return_to_factory' && onSiteAt === null),
      hours,
    },
  ];
}

/** Planned work's due date counts on the wall clock (pauses still move it on). */
function dueClock(subject: SlaSubject, start: number, resolvedAt: number | null): ClockInput {
  // Work ticketed after its due date (the scheduler's grace days) is overdue since that date.
  const allowanceMs = subject.dueAt === null ? null : subject.dueAt - start;
  return { clock: 'due', start, allowanceMs, metAt: resolvedAt, applicable: true, hours: AROUND_THE_CLOCK };
}

function currentClock(counted: Counted[], now: number): CurrentClock | null {
  let best: CurrentClock | null = null;
  for (const { view, leftMs } of counted) {
    if (!RUNNING_CLOCK_STATES.includes(view.state) || leftMs === null) continue;
    // Time left on the wall clock to the deadline; while paused, the allowance left.
    const remainingMs = view.deadline !== null && view.state !== 'paused' ? view.deadline - now : leftMs;
    if (best === null || remainingMs < best.remainingMs)
      best = { clock: view.clock, state: view.state, deadline: view.deadline, remainingMs };
  }
  return best;
}
