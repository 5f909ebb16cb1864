import type { WorkflowState } from './types.ts';

export const WORKFLOW_STATES: WorkflowState[] = [
  'new',
  'triaged',
  'dispatched',
  'on_site',
  'resolved',
  'signed_off',
  'closed',
];

export type TicketAction = 'triage' | 'dispatch' | 'arrive' | 'resolve' | 'sign_off' | 'close' | 'reopen';

/**
 * The steps a ticket offers in its state, mirroring the server's workflow rules
 * (server/service/tickets/workflow.ts): dispatch only for on-site triage, a remote resolve straight
 * after triage. Pure.
 */
export function nextActions(state: WorkflowState, mode: string | null): TicketAction[] {
  switch (state) {
    case 'new':
      return ['triage'];
    case 'triaged':
      return mode === 'on_site' ? ['dispatch'] : ['resolve'];
    case 'dispatched':
      return ['arrive'];
    case 'on_site':
      return ['resolve'];
    case 'resolved':
      return ['sign_off', 'reopen'];
    case 'signed_off':
      return ['close'];
    case 'closed':
      return ['reopen'];
  }
}
