// The workflow rules the server runs (core/tickets/workflow.ts, a pure module): the board and the
// ticket page offer exactly what the server accepts.
import {
  applyAction,
  DEPARTMENTS,
  SERVICE_MODES,
  type ServiceMode,
  TICKET_ACTIONS,
  type TicketAction,
  WORKFLOW_STATES,
  type WorkflowState,
} from '../../../core/tickets/workflow.ts';

export { DEPARTMENTS, SERVICE_MODES, TICKET_ACTIONS, type TicketAction, WORKFLOW_STATES, type WorkflowState };

/** The steps a ticket offers in its state and triage mode. Pure. */
export function nextActions(state: WorkflowState, mode: string | null): TicketAction[] {
  const serviceMode = SERVICE_MODES.find((m) => m === mode) ?? null;
  return TICKET_ACTIONS.filter(
    (action) => applyAction({ state, mode: serviceMode as ServiceMode | null }, action).ok,
  );
}
