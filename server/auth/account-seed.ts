import type { AccountSource, AccountStore } from './account-store.ts';
import type { Account } from './accounts.ts';

export interface SeedReport {
  created: string[];
  /** In the database already: left as the database has it (admins change it there). */
  kept: string[];
  /** Made from the file earlier and no longer in it: disabled, their tokens revoked. */
  disabled: string[];
}

/**
 * Seeds the accounts table from the accounts file (or the demo's accounts) at start. The file
 * creates what is missing and never overwrites: an account already in the database keeps its
 * password, role and sites as admins set them, and stays disabled if an admin disabled it. An
 * account that came from the file and has since been taken out of it is disabled, so removing a
 * line is how a file-managed deployment takes someone's access away.
 */
export async function seedAccounts(
  store: AccountStore,
  accounts: readonly Account[],
  source: Extract<AccountSource, 'file' | 'demo'>,
  now: number,
): Promise<SeedReport> {
  const report: SeedReport = { created: [], kept: [], disabled: [] };
  for (const account of accounts) {
    const created = await store.create(
      {
        username: account.username,
        passwordHash: account.passwordHash,
        role: account.role,
        source,
        sites: account.sites ?? null,
        customerId: account.customer ?? null,
        displayName: account.displayName ?? '',
      },
      now,
    );
    (created ? report.created : report.kept).push(account.username);
  }
  const listed = new Set(accounts.map((a) => a.username));
  for (const held of await store.list()) {
    if (held.source !== source || listed.has(held.username) || held.disabledAt !== null) continue;
    await store.update(held.username, { disabledAt: now, revoke: true }, now);
    report.disabled.push(held.username);
  }
  return report;
}
