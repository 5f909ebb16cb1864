import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_LOCKOUT, type LockoutPolicy, lockedFor } from '../../core/auth/lockout.ts';
import { hashSecret, verifySecret } from '../../core/secrets.ts';
import type { AccountStore } from './account-store.ts';
import type { ResolvedUser, SessionGate } from './session-gate.ts';
import type { TokenIssuer } from './tokens.ts';

export interface SignInDeps {
  store: AccountStore;
  tokens: TokenIssuer;
  gate: SessionGate;
  /** Per-account lockout. Default: 5 failures lock 1 min, doubling per failure, at most 1 h. */
  lockout?: LockoutPolicy;
  clock?: () => number;
}

export type SignInResult =
  | { ok: true; token: string; user: ResolvedUser; expiresAt: number }
  | { ok: false; outcome: 'refused' }
  | { ok: false; outcome: 'locked'; waitMs: number };

/**
 * A password sign-in that opens a session: the one path of POST /api/auth/login and of the flow
 * editor's sign-in, so both keep the same lockout, timing and disabled-account rules.
 */
export function passwordSignIn(
  deps: SignInDeps,
): (username: string, password: string) => Promise<SignInResult> {
  const clock = deps.clock ?? Date.now;
  const lockout = deps.lockout ?? DEFAULT_LOCKOUT;
  // Unknown user names are checked against a real hash too, so timing does not tell which names exist.
  const decoyHash = hashSecret(randomBytes(16).toString('hex'));
  return async (username, password) => {
    const now = clock();
    const account = await deps.store.get(username);
    const waitMs = account ? lockedFor(account, now) : 0;
    // Refused before the password is tried: guesses from any number of addresses wait alike.
    if (waitMs > 0) return { ok: false, outcome: 'locked', waitMs };
    const ok = await verifySecret(password, account?.passwordHash ?? (await decoyHash));
    if (!account || !ok) {
      if (account) await deps.store.recordFailure(account.username, now, lockout);
      return { ok: false, outcome: 'refused' };
    }
    // A disabled account answers like a wrong password: no hint that the name exists.
    if (account.disabledAt !== null) return { ok: false, outcome: 'refused' };
    await deps.store.recordSuccess(account.username, now);
    const session = randomUUID();
    const { token, expiresAt } = await deps.tokens.issue(
      { username: account.username, role: account.role, session },
      now,
    );
    await deps.store.openSession({
      id: session,
      username: account.username,
      tokenVersion: account.tokenVersion,
      issuedAt: now,
      expiresAt,
    });
    const user = await deps.gate.resolve(token);
    if ('refused' in user) throw new Error(`a session just opened was refused: ${user.refused}`);
    return { ok: true, token, user, expiresAt };
  };
}
