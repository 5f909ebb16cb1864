import { WORKFLOW_STATES, type WorkflowState } from './workflow.ts';

export type StepState = 'done' | 'current' | 'skipped' | 'todo';

/**
 * The workflow's steps as a ticket went through them: done when its history reached the state,
 * skipped when the ticket went past it without (a remote repair is never dispatched), current for
 * the state it is in. A reopened ticket starts over from new. Pure.
 */
export function ticketSteps(
  state: WorkflowState,
  timeline: readonly { to: string | null }[],
): { state: WorkflowState; step: StepState }[] {
  const lastReopen = timeline.map((event) => event.to).lastIndexOf('new');
  const reached = new Set(timeline.slice(Math.max(0, lastReopen)).map((event) => event.to));
  const current = WORKFLOW_STATES.indexOf(state);
  return WORKFLOW_STATES.map((step, i) => {
    if (i === current) return { state: step, step: 'current' };
    if (i > current) return { state: step, step: 'todo' };
    return { state: step, step: step === 'new' || reached.has(step) ? 'done' : 'skipped' };
  });
}

/** When the technician arrived: the last move to on site in the history, or null. Pure. */
export function arrivedAt(timeline: readonly { to: string | null; at: number }[]): number | null {
  return timeline.filter((event) => event.to === 'on_site').at(-1)?.at ?? null;
}

/**
 * What a history entry did: a transition names its workflow action in its data (`{"action":
 * "dispatch", ...}`, stored as JSON), other entries are their own action (open, occurrence, reopen). Pure.
 */
export function eventAction(event: { action: string; data: unknown }): string {
  if (event.action !== 'transition') return event.action;
  let data = event.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return event.action;
    }
  }
  const action = (data as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? action : event.action;
}
