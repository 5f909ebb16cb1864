/**
 * What resolving a fault ticket must record besides the root cause (server/quality/close-step.ts),
 * for tests whose subject is another step of the workflow.
 */
export const QUALITY_RECORD = {
  responsibility: 'wear',
  correctiveAction: 'replaced the worn part',
  preventiveAction: 'check it at the half-yearly maintenance',
} as const;
