import { z } from 'zod';
import { ConfigFileError, loadConfigFileSync } from '../../core/config/config-file.ts';
import { hashSecret, parseSecretHash, verifySecret } from '../../core/secrets.ts';
import { ROLES } from './roles.ts';

const siteIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a site id of 1-64 letters, digits, _ or -');

/** A dashboard/API account as the accounts file (or a program) gives it. Passwords only as scrypt hashes. */
export const accountSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -'),
    passwordHash: z.string().superRefine((hash, ctx) => {
      const parsed = parseSecretHash(hash);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    role: z.enum(ROLES),
    /** The sites this account may see (stations, alarms, tickets, live events). Default: every site. */
    sites: z.array(siteIdSchema).min(1).optional(),
    /** For role `customer`: the customer whose sites it sees (derived from sites.customer_id). */
    customer: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a customer id of 1-64 letters, digits, _ or -')
      .optional(),
    displayName: z.string().max(100).optional(),
  })
  .strict()
  .superRefine((account, ctx) => {
    if (account.role === 'customer' && !account.customer)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'a customer account names its customer' });
    if (account.role !== 'customer' && account.customer)
      ctx.addIssue({
        code: 'custom',
        path: ['customer'],
        message: 'only a customer account names a customer',
      });
    if (account.role === 'customer' && account.sites)
      ctx.addIssue({ code: 'custom', path: ['sites'], message: "a customer's sites come from its customer" });
  });
export type Account = z.infer<typeof accountSchema>;

const accountsFileSchema = z.object({ accounts: z.array(accountSchema).min(1) }).strict();
const ACCOUNTS_FILE = { what: 'accounts file' };

/** Reads the accounts file (`AFTERCARE_ACCOUNTS`): `accounts: [{username, passwordHash, role, sites?, customer?}]`. */
export function loadAccountsFile(file: string): Account[] {
  const { accounts } = loadConfigFileSync(file, accountsFileSchema, ACCOUNTS_FILE);
  accounts.forEach((account, i) => {
    if (accounts.findIndex((a) => a.username === account.username) < i)
      throw new ConfigFileError(file, ACCOUNTS_FILE.what, [
        `field "accounts.${i}.username": account "${account.username}" appears twice`,
      ]);
  });
  return accounts;
}

/**
 * Passwords a hash is tried against when an accounts file is loaded: the user name and the first
 * guesses of every tool. A file only holds hashes, so this is how `admin`/`admin` is caught.
 */
const FIRST_GUESSES = ['admin', 'password', '123456', '12345678', '123456789', 'changeme', 'aftercare'];

/**
 * Refuses an accounts file whose passwords are among the first guesses (issue 17: `admin`/`admin`
 * was accepted silently). Tries a handful of candidates per account, in parallel on libuv's pool.
 */
export async function checkAccountsFilePasswords(file: string, accounts: readonly Account[]): Promise<void> {
  const problems = await Promise.all(
    accounts.map(async (account, i) => {
      const candidates = [account.username, `${account.username}123`, ...FIRST_GUESSES];
      for (const guess of candidates) {
        if (await verifySecret(guess, account.passwordHash))
          return `field "accounts.${i}.passwordHash": the password of "${account.username}" is "${guess}", among the first guesses: set another (aftercare accounts hash-password)`;
      }
      return undefined;
    }),
  );
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new ConfigFileError(file, ACCOUNTS_FILE.what, found);
}

/** The demo customer of server/assets/demo-seed.ts, whose account `customer` sees site `demo`. */
export const DEMO_CUSTOMER = 'demo-water';

/** DESIGN.md's demo accounts: one per role, each with its name as password (the demo only). */
export async function demoAccounts(): Promise<Account[]> {
  return await Promise.all(
    ROLES.map(async (role) => ({
      username: role,
      passwordHash: await hashSecret(role),
      role,
      ...(role === 'customer' ? { customer: DEMO_CUSTOMER } : {}),
    })),
  );
}
