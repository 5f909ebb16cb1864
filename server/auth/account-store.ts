import type { Kysely } from 'kysely';
import { afterFailure, type LockoutPolicy, type LockoutState } from '../../core/auth/lockout.ts';
import type { Role } from '../../core/auth/roles.ts';
import type { AccountRow, ServiceDatabase } from '../db/schema.ts';

/** Who made an account: the accounts file, the demo, the CLI or an admin. */
export type AccountSource = 'file' | 'demo' | 'cli' | 'admin';

export interface AccountRecord {
  username: string;
  passwordHash: string;
  role: Role;
  /** Sites a staff account may see; null: every site. */
  sites: string[] | null;
  /** For role `customer`: whose sites it sees. */
  customerId: string | null;
  displayName: string;
  disabledAt: number | null;
  failedAttempts: number;
  lockedUntil: number | null;
  lastSignInAt: number | null;
  /** Bumped on disable and password reset: sessions of an older version are refused. */
  tokenVersion: number;
  source: AccountSource;
  createdAt: number;
  changedAt: number;
}

export type NewAccount = Pick<AccountRecord, 'username' | 'passwordHash' | 'role' | 'source'> &
  Partial<Pick<AccountRecord, 'sites' | 'customerId' | 'displayName'>>;

/** What an admin may change; `tokenVersion` is bumped by the store when asked (`revoke`). */
export type AccountPatch = Partial<
  Pick<AccountRecord, 'passwordHash' | 'role' | 'sites' | 'customerId' | 'displayName' | 'disabledAt'>
> & {
  /** Bump the token version: every open session ends. */
  revoke?: boolean;
  /** Clear the failed-attempt counter and lock. */
  unlock?: boolean;
};

export interface SessionRecord {
  id: string;
  username: string;
  tokenVersion: number;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/**
 * Accounts and their sign-in sessions. Two implementations: the service database (accounts table,
 * migration 9) and memory (a server without the service layer; nothing is kept across restarts).
 */
export interface AccountStore {
  get(username: string): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
  /** False when the user name is taken. */
  create(account: NewAccount, now: number): Promise<boolean>;
  update(username: string, patch: AccountPatch, now: number): Promise<AccountRecord | undefined>;
  /** Counts a wrong password (atomically: parallel guesses each count) and returns the new state. */
  recordFailure(username: string, now: number, policy?: LockoutPolicy): Promise<LockoutState | undefined>;
  recordSuccess(username: string, now: number): Promise<void>;
  /** The live sites of a customer (sites.customer_id, not retired). */
  customerSites(customerId: string): Promise<string[]>;
  openSession(session: Omit<SessionRecord, 'revokedAt'>): Promise<void>;
  session(id: string): Promise<SessionRecord | undefined>;
  revokeSession(id: string, now: number): Promise<void>;
}

const fromRow = (row: AccountRow): AccountRecord => ({
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role as Role,
  sites: row.sites,
  customerId: row.customer_id,
  displayName: row.display_name,
  disabledAt: row.disabled_at,
  failedAttempts: row.failed_attempts,
  lockedUntil: row.locked_until,
  lastSignInAt: row.last_sign_in_at,
  tokenVersion: row.token_version,
  source: row.source as AccountSource,
  createdAt: row.created_at,
  changedAt: row.changed_at,
});

/** Accounts in the service database. */
export class DbAccountStore implements AccountStore {
  constructor(private readonly db: Kysely<ServiceDatabase>) {}

  async get(username: string): Promise<AccountRecord | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<AccountRecord[]> {
    return (await this.db.selectFrom('accounts').selectAll().orderBy('username').execute()).map(fromRow);
  }

  async create(account: NewAccount, now: number): Promise<boolean> {
    const inserted = await this.db
      .insertInto('accounts')
      .values({
        username: account.username,
        password_hash: account.passwordHash,
        role: account.role,
        sites: account.sites ? JSON.stringify(account.sites) : null,
        customer_id: account.customerId ?? null,
        display_name: account.displayName ?? '',
        source: account.source,
        created_at: now,
        changed_at: now,
      })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returning('username')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async update(username: string, patch: AccountPatch, now: number): Promise<AccountRecord | undefined> {
    const { revoke, unlock, passwordHash, role, sites, customerId, displayName, disabledAt } = patch;
    const row = await this.db
      .updateTable('accounts')
      .set((eb) => ({
        changed_at: now,
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        ...(unlock || passwordHash !== undefined ? { failed_attempts: 0, locked_until: null } : {}),
        ...(role !== undefined ? { role } : {}),
        ...(sites !== undefined ? { sites: sites ? JSON.stringify(sites) : null } : {}),
        ...(customerId !== undefined ? { customer_id: customerId } : {}),
        ...(displayName !== undefined ? { display_name: displayName } : {}),
        ...(disabledAt !== undefined ? { disabled_at: disabledAt } : {}),
        ...(revoke ? { token_version: eb('token_version', '+', 1) } : {}),
      }))
      .where('username', '=', username)
      .returningAll()
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async recordFailure(
    username: string,
    now: number,
    policy?: LockoutPolicy,
  ): Promise<LockoutState | undefined> {
    return await this.db.transaction().execute(async (tx) => {
      // FOR UPDATE: parallel guesses from many addresses queue here, so each one counts.
      const row = await tx
        .selectFrom('accounts')
        .select(['failed_attempts', 'locked_until'])
        .where('username', '=', username)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return undefined;
      const next = afterFailure(
        { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until },
        now,
        policy,
      );
      await tx
        .updateTable('accounts')
        .set({ failed_attempts: next.failedAttempts, locked_until: next.lockedUntil })
        .where('username', '=', username)
        .execute();
      return next;
    });
  }

  async recordSuccess(username: string, now: number): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: now })
      .where('username', '=', username)
      .execute();
  }

  async customerSites(customerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sites')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('retired_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map((row) => row.id);
  }

  async openSession(session: Omit<SessionRecord, 'revokedAt'>): Promise<void> {
    await this.db
      .insertInto('account_sessions')
      .values({
        id: session.id,
        username: session.username,
        token_version: session.tokenVersion,
        issued_at: session.issuedAt,
        expires_at: session.expiresAt,
      })
      .execute();
    // Expired sessions are of no use to anyone: they go as new ones come.
    await this.db.deleteFrom('account_sessions').where('expires_at', '<', session.issuedAt).execute();
  }

  async session(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('account_sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          username: row.username,
          tokenVersion: row.token_version,
          issuedAt: row.issued_at,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
        }
      : undefined;
  }

  async revokeSession(id: string, now: number): Promise<void> {
    await this.db.updateTable('account_sessions').set({ revoked_at: now }).where('id', '=', id).execute();
  }
}
