import type { Severity } from '../../core/alarms/severity.ts';
import {
  type ClockState,
  type ClockView,
  type Escalation,
  SLA_CLOCKS,
  type SlaClockName,
  type SlaState,
  type SlaView,
} from '../../core/api/sla.ts';
import type { WorkflowState } from '../tickets/workflow.ts';
import type { SlaPolicy } from './policies.ts';

// The view types are the API's (core/api/sla.ts); re-exported for the server's imports.
export {
  type ClockState,
  type ClockView,
  type Escalation,
  SLA_CLOCKS,
  type SlaClockName,
  type SlaState,
  type SlaView,
};

/** The ticket events the clocks read. */
export type SlaEvent =
  | { at: number; kind: 'opened' | 'reopened' }
  | { at: number; kind: 'state'; to: WorkflowState; mode?: 'remote' | 'on_site' | 'return_to_factory' };

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

function clockView(
  clock: SlaClockName,
  start: number,
  minutes: number | null,
  metAt: number | null,
  applicable: boolean,
  atRiskFraction: number,
  now: number,
): ClockView {
  if (minutes === null || !applicable) return { clock, state: 'n_a', deadline: null, atRiskAt: null, metAt };
  const deadline = start + minutes * MINUTE;
  const atRiskAt = deadline - minutes * MINUTE * atRiskFraction;
  let state: ClockState;
  if (metAt !== null) state = metAt <= deadline ? 'met' : 'met_late';
  else if (now >= deadline) state = 'breached';
  else if (now >= atRiskAt) state = 'at_risk';
  else state = 'pending';
  return { clock, state, deadline, atRiskAt, metAt };
}

/**
 * The SLA clocks of a ticket: a pure function of the contract's policy, the ticket's severity,
 * its events (any order) and the time. Clocks restart when the ticket is reopened.
 */
export function computeSla(policy: SlaPolicy, severity: Severity, events: SlaEvent[], now: number): SlaView {
  const sorted = [...events].filter((event) => event.at <= now).sort((a, b) => a.at - b.at);
  let cycle = -1;
  let start = Number.NaN;
  sorted.forEach((event) => {
    if (event.kind === 'opened' || event.kind === 'reopened') {
      cycle += 1;
      start = event.at;
    }
  });
  if (cycle < 0) return { state: 'ok', clocks: [], escalations: [] };
  const inCycle = sorted.filter((event) => event.at >= start && event.kind === 'state') as Extract<
    SlaEvent,
    { kind: 'state' }
  >[];
  const firstTo = (states: WorkflowState[]) => inCycle.find((event) => states.includes(event.to))?.at ?? null;
  const resolvedAt = firstTo(['resolved']);
  const onSiteAt = firstTo(['on_site']);
  const respondedAt =
    policy.respondMinutes === 0 ? start : firstTo(['triaged', 'dispatched', 'on_site', 'resolved']);
  const mode = [...inCycle].reverse().find((event) => event.to === 'triaged')?.mode;
  // On-site applies unless triage chose a remote fix or return to factory, or it was fixed without a visit.
  const onSiteApplies =
    onSiteAt !== null || (mode !== 'remote' && mode !== 'return_to_factory' && resolvedAt === null);
  const clocks = [
    clockView('respond', start, policy.respondMinutes, respondedAt, true, policy.atRiskFraction, now),
    clockView('on_site', start, policy.onSiteMinutes, onSiteAt, onSiteApplies, policy.atRiskFraction, now),
    clockView('fix', start, fixMinutesFor(policy, severity), resolvedAt, true, policy.atRiskFraction, now),
  ];
  const escalations: Escalation[] = [];
  for (const view of clocks) {
    if (view.deadline === null || view.atRiskAt === null) continue;
    const stoppedAt = view.metAt ?? Number.POSITIVE_INFINITY;
    if (view.atRiskAt < view.deadline && now >= view.atRiskAt && stoppedAt > view.atRiskAt) {
      escalations.push({ clock: view.clock, level: 'at_risk', at: view.atRiskAt, cycle });
    }
    if (now >= view.deadline && stoppedAt > view.deadline) {
      escalations.push({ clock: view.clock, level: 'breached', at: view.deadline, cycle });
    }
  }
  const running = clocks.filter((view) => view.state !== 'n_a');
  const state: SlaState = running.some((view) => view.state === 'breached' || view.state === 'met_late')
    ? 'breached'
    : running.some((view) => view.state === 'at_risk')
      ? 'at_risk'
      : 'ok';
  return { state, clocks, escalations };
}
