import type { MessageCode, MessageParams } from '../i18n/render.ts';

/**
 * The service workflow of DOMAIN.md: intake -> assessment (triage) -> dispatch -> on-site service ->
 * resolution -> customer sign-off (the service record) -> closed, with reopen from resolved or closed.
 */
export const WORKFLOW_STATES = [
  'new',
  'triaged',
  'dispatched',
  'on_site',
  'resolved',
  'signed_off',
  'closed',
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** States in which a ticket is open: the database keeps one such ticket per station and fault. */
export const OPEN_STATES: readonly WorkflowState[] = ['new', 'triaged', 'dispatched', 'on_site'];

export const TICKET_ACTIONS = [
  'triage',
  'dispatch',
  'arrive',
  'resolve',
  'sign_off',
  'close',
  'reopen',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export const SERVICE_MODES = ['remote', 'on_site', 'return_to_factory'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** Responsible departments named by the after-sales department flow. */
export const DEPARTMENTS = [
  'after_sales',
  'production',
  'data_engineering',
  'r_and_d',
  'system_integration',
  'quality',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

interface ActionRule {
  from: readonly WorkflowState[];
  to: WorkflowState;
  hint: string;
}

const ACTIONS: Record<TicketAction, ActionRule> = {
  triage: { from: ['new'], to: 'triaged', hint: 'only a new ticket is triaged' },
  dispatch: { from: ['triaged'], to: 'dispatched', hint: 'triage the ticket first' },
  arrive: { from: ['dispatched'], to: 'on_site', hint: 'dispatch a technician first' },
  resolve: {
    from: ['triaged', 'on_site'],
    to: 'resolved',
    hint: 'resolve remotely after triage, or on site',
  },
  sign_off: { from: ['resolved'], to: 'signed_off', hint: 'the customer signs off a resolved ticket' },
  close: { from: ['signed_off'], to: 'closed', hint: 'the customer must sign off first' },
  reopen: { from: ['resolved', 'closed'], to: 'new', hint: 'only a resolved or closed ticket is reopened' },
};

/** What the guards need to know of the ticket besides its state. */
export interface WorkflowContext {
  state: WorkflowState;
  /** The triage decision, once triaged. */
  mode: ServiceMode | null;
}

/** A refusal carries its English reason and its core/i18n code with parameters. */
export type TransitionResult =
  | { ok: true; to: WorkflowState }
  | { ok: false; reason: string; code: MessageCode; params: MessageParams };

/** Where `action` takes a ticket, or why it may not. Pure. */
export function applyAction(context: WorkflowContext, action: TicketAction): TransitionResult {
  const rule = ACTIONS[action];
  if (!rule.from.includes(context.state)) {
    return {
      ok: false,
      reason: `cannot ${action.replace('_', ' ')} a ticket that is ${context.state}: ${rule.hint} (allowed from ${rule.from.join(', ')})`,
      code: 'error.cannotAct',
      params: { action, state: context.state, hint: action },
    };
  }
  if (action === 'resolve' && context.state === 'triaged' && context.mode === 'on_site') {
    return {
      ok: false,
      reason: 'cannot resolve an on-site ticket before a technician is on site: dispatch and arrive first',
      code: 'error.resolveBeforeOnSite',
      params: {},
    };
  }
  if (action === 'dispatch' && context.mode !== 'on_site') {
    return {
      ok: false,
      reason: `cannot dispatch a ticket triaged for ${context.mode ?? 'no'} service: triage it for on-site service`,
      code: 'error.dispatchNotOnSite',
      params: { mode: context.mode ?? 'none' },
    };
  }
  return { ok: true, to: rule.to };
}

export function isOpenState(state: WorkflowState): boolean {
  return OPEN_STATES.includes(state);
}
