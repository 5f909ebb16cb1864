import { describe, expect, test } from 'vitest';
import { AFTER_SUCCESS, afterFailure, DEFAULT_LOCKOUT, lockedFor } from '../../core/auth/lockout.ts';
import { passwordProblem } from '../../core/auth/password-rules.ts';

describe('password rule: 10+ characters, not common, not the user name', () => {
  test.each([
    ['short', 'bob', 'error.passwordTooShort'],
    ['123456789', 'bob', 'error.passwordTooShort'],
    // Counted in characters, not bytes or UTF-16 units: nine Chinese characters are too few.
    ['水泵站售后服务平台九', 'bob', undefined],
    ['水泵站售后服务平台', 'bob', 'error.passwordTooShort'],
    ['1234567890', 'bob', 'error.passwordCommon'],
    ['Password123', 'bob', 'error.passwordCommon'],
    ['QWERTYUIOP', 'bob', 'error.passwordCommon'],
    ['zhangwei-pumps-2026', 'zhangwei', 'error.passwordIsUsername'],
    ['my-ZHANGWEI-secret', 'zhangwei', 'error.passwordIsUsername'],
    ['tank level 3.2 m', 'zhangwei', undefined],
    ['correct horse battery', 'admin', undefined],
  ])('%s for %s: %s', (password, username, problem) => {
    expect(passwordProblem(password, username)).toBe(problem);
  });
});

describe('per-account lockout: 5 failures lock 1 min, doubling, at most 1 h', () => {
  const MIN = 60_000;
  /** The lock after n failures in a row at t=0. */
  const after = (n: number) => {
    let state = AFTER_SUCCESS;
    for (let i = 0; i < n; i++) state = afterFailure(state, 0);
    return state;
  };
  test.each([
    [1, null],
    [4, null],
    [5, 1 * MIN],
    [6, 2 * MIN],
    [7, 4 * MIN],
    [11, 60 * MIN],
    [12, 60 * MIN],
    [200, 60 * MIN],
  ])('after %i failures the account waits %s ms', (n, wait) => {
    const state = after(n);
    expect(state.failedAttempts).toBe(n);
    expect(state.lockedUntil).toBe(wait);
    expect(lockedFor(state, 0)).toBe(wait ?? 0);
  });

  test('a lock runs out on the clock; a clock that jumps back does not shorten it', () => {
    const locked = afterFailure({ failedAttempts: 4, lockedUntil: null }, 1_000_000);
    expect(lockedFor(locked, 1_000_000 + 59_999)).toBe(1);
    expect(lockedFor(locked, 1_000_000 + MIN)).toBe(0);
    expect(lockedFor(locked, 0)).toBe(1_000_000 + MIN);
  });

  test('the policy is an option', () => {
    const strict = { ...DEFAULT_LOCKOUT, freeFailures: 2, firstLockMs: 10 };
    expect(afterFailure({ failedAttempts: 1, lockedUntil: null }, 5, strict).lockedUntil).toBe(15);
  });
});
