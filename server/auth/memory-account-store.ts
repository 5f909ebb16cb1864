import { afterFailure, type LockoutPolicy, type LockoutState } from '../../core/auth/lockout.ts';
import type {
  AccountPatch,
  AccountRecord,
  AccountStore,
  NewAccount,
  SessionRecord,
} from './account-store.ts';

/**
 * Accounts in memory, for a server without the service database (`service: false`): the accounts
 * given at start, sessions until the process ends. Customers see no site (there is no sites table).
 */
export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly sessions = new Map<string, SessionRecord>();

  async get(username: string): Promise<AccountRecord | undefined> {
    const held = this.accounts.get(username);
    return held ? { ...held } : undefined;
  }

  async list(): Promise<AccountRecord[]> {
    return [...this.accounts.values()]
      .sort((a, b) => a.username.localeCompare(b.username))
      .map((a) => ({ ...a }));
  }

  async create(account: NewAccount, now: number): Promise<boolean> {
    if (this.accounts.has(account.username)) return false;
    this.accounts.set(account.username, {
      sites: null,
      customerId: null,
      displayName: '',
      ...account,
      disabledAt: null,
      failedAttempts: 0,
      lockedUntil: null,
      lastSignInAt: null,
      tokenVersion: 0,
      createdAt: now,
      changedAt: now,
    });
    return true;
  }

  async update(username: string, patch: AccountPatch, now: number): Promise<AccountRecord | undefined> {
    const held = this.accounts.get(username);
    if (!held) return undefined;
    const { revoke, unlock, ...fields } = patch;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    Object.assign(held, defined, { changedAt: now });
    if (unlock || patch.passwordHash !== undefined)
      Object.assign(held, { failedAttempts: 0, lockedUntil: null });
    if (revoke) held.tokenVersion += 1;
    return { ...held };
  }

  async recordFailure(
    username: string,
    now: number,
    policy?: LockoutPolicy,
  ): Promise<LockoutState | undefined> {
    const held = this.accounts.get(username);
    if (!held) return undefined;
    const next = afterFailure(held, now, policy);
    Object.assign(held, next);
    return next;
  }

  async recordSuccess(username: string, now: number): Promise<void> {
    const held = this.accounts.get(username);
    if (held) Object.assign(held, { failedAttempts: 0, lockedUntil: null, lastSignInAt: now });
  }

  async customerSites(): Promise<string[]> {
    return [];
  }

  async openSession(session: Omit<SessionRecord, 'revokedAt'>): Promise<void> {
    this.sessions.set(session.id, { ...session, revokedAt: null });
    for (const [id, held] of this.sessions) if (held.expiresAt < session.issuedAt) this.sessions.delete(id);
  }

  async session(id: string): Promise<SessionRecord | undefined> {
    return this.sessions.get(id);
  }

  async revokeSession(id: string, now: number): Promise<void> {
    const held = this.sessions.get(id);
    if (held) held.revokedAt = now;
  }
}
