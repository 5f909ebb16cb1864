/**
 * Per-account sign-in lockout, on top of the per-address limit: guesses at one account from many
 * addresses wait longer and longer. Pure: the server stores the counters and passes its clock.
 */
export interface LockoutPolicy {
  /** Failures in a row before the first wait. Default 5. */
  freeFailures: number;
  /** The first wait, ms; each further failure doubles it. Default 60 000 (1 min). */
  firstLockMs: number;
  /** The longest wait, ms. Default 3 600 000 (1 h). */
  maxLockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { freeFailures: 5, firstLockMs: 60_000, maxLockMs: 3_600_000 };

export interface LockoutState {
  /** Failed sign-ins since the last success. */
  failedAttempts: number;
  /** Until when sign-in is refused without checking the password, ms; null when not locked. */
  lockedUntil: number | null;
}

/** Whether a sign-in may be tried now; a locked account is refused before its password is checked. */
export function lockedFor(state: LockoutState, now: number): number {
  return state.lockedUntil !== null && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** The state after a wrong password at `now`: failure 5 locks 1 min, 6 locks 2 min, ... up to 1 h. */
export function afterFailure(
  state: LockoutState,
  now: number,
  policy: LockoutPolicy = DEFAULT_LOCKOUT,
): LockoutState {
  const failedAttempts = state.failedAttempts + 1;
  const over = failedAttempts - policy.freeFailures;
  if (over < 0) return { failedAttempts, lockedUntil: state.lockedUntil };
  // 2^over overflows to Infinity long after the cap; min() keeps it finite.
  const wait = Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** Math.min(over, 40));
  return { failedAttempts, lockedUntil: now + wait };
}

/** The state after a successful sign-in: counters cleared. */
export const AFTER_SUCCESS: LockoutState = { failedAttempts: 0, lockedUntil: null };
