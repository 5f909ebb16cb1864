import type { QualityActionStatus } from './vocabulary.ts';

const NEXT: Record<QualityActionStatus, readonly QualityActionStatus[]> = {
  open: ['in_progress'],
  in_progress: ['verified_closed', 'open'],
  verified_closed: ['in_progress'],
};

/** Whether a quality action may move from `from` to `to` (one step, or back one to rework). Pure. */
export function mayMoveQualityAction(from: QualityActionStatus, to: QualityActionStatus): boolean {
  return NEXT[from].includes(to);
}

/** Overdue: not verified closed and past its due date at `now`. */
export function isOverdue(action: { status: QualityActionStatus; dueAt: number }, now: number): boolean {
  return action.status !== 'verified_closed' && now > action.dueAt;
}
