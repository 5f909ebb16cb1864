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

/** When the technician arrived: the last `arrive` of the history, or null. Pure. */
export function arrivedAt(timeline: readonly { action: string; at: number }[]): number | null {
  return timeline.filter((event) => event.action === 'arrive').at(-1)?.at ?? null;
}
