import type { AccountStore } from '../auth/account-store.ts';
import type { SessionGate } from '../auth/session-gate.ts';
import type { SignInResult } from '../auth/sign-in.ts';
import { FLOW_ROLES } from './flow-owner.ts';

/** A Node-RED user: every engineer and admin may do everything in the editor. */
export interface FlowUser {
  username: string;
  permissions: '*';
  role: string;
  /** The platform token the editor keeps and sends (see `authenticate`). */
  token?: string;
}

export interface FlowAuthDeps {
  accounts: AccountStore;
  gate: SessionGate;
  signIn: (username: string, password: string) => Promise<SignInResult>;
  /** Refused sign-ins and tokens, for the log. */
  onRefused?: (why: { username?: string; reason: string }) => void;
}

/**
 * Node-RED's `adminAuth`: the editor signs in with a platform account (the same lockout and
 * sessions as POST /api/auth/login) and receives the platform token itself, so the editor's
 * session is an ordinary platform session (sign-out and account changes end it); the admin API
 * takes any platform bearer token. Only engineers and admins pass; Node-RED keeps no users of its own.
 */
export function flowAdminAuth(deps: FlowAuthDeps) {
  const allowed = (role: string) => (FLOW_ROLES as readonly string[]).includes(role);
  return {
    type: 'credentials' as const,
    // Node-RED's own session tokens are never issued (authenticate hands out the platform's).
    sessionExpiryTime: 12 * 3600,
    users: async (username: string): Promise<FlowUser | null> => {
      const account = await deps.accounts.get(username);
      if (!account || account.disabledAt !== null || !allowed(account.role)) return null;
      return { username: account.username, permissions: '*', role: account.role };
    },
    authenticate: async (username: unknown, password: unknown): Promise<FlowUser | null> => {
      if (typeof username !== 'string' || typeof password !== 'string') return null;
      const result = await deps.signIn(username, password);
      if (!result.ok) {
        deps.onRefused?.({ username, reason: result.outcome });
        return null;
      }
      if (!allowed(result.user.role)) {
        // The session just opened is of no use here: ended at once.
        if (result.user.session) await deps.accounts.revokeSession(result.user.session, Date.now());
        deps.onRefused?.({ username, reason: `role ${result.user.role}` });
        return null;
      }
      return {
        username: result.user.username,
        permissions: '*',
        role: result.user.role,
        token: result.token,
      };
    },
    tokens: async (token: string): Promise<FlowUser | null> => {
      const verdict = await deps.gate.resolve(token);
      if ('refused' in verdict) return null;
      if (!allowed(verdict.role)) {
        deps.onRefused?.({ username: verdict.username, reason: `role ${verdict.role}` });
        return null;
      }
      return { username: verdict.username, permissions: '*', role: verdict.role };
    },
  };
}
