import { z } from 'zod';
import { ConfigFileError, loadConfigFileSync } from '../../core/config/config-file.ts';
import { hashSecret, parseSecretHash } from '../../core/secrets.ts';
import { ROLES } from './roles.ts';

/** A dashboard/API account. Passwords are only ever stored as scrypt hashes. */
export const accountSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -'),
    passwordHash: z.string().superRefine((hash, ctx) => {
      const parsed = parseSecretHash(hash);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    role: z.enum(ROLES),
    /** The sites this account may see (stations, alarms, tickets, live events). Default: every site. */
    sites: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a site id of 1-64 letters, digits, _ or -'))
      .min(1)
      .optional(),
  })
  .strict();
export type Account = z.infer<typeof accountSchema>;

const accountsFileSchema = z.object({ accounts: z.array(accountSchema).min(1) }).strict();
const ACCOUNTS_FILE = { what: 'accounts file' };

/** Reads the accounts file (`AFTERCARE_ACCOUNTS`): `accounts: [{username, passwordHash, role, sites?}]`. */
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

/** DESIGN.md's demo accounts: operator, service, engineer and admin, each with its name as password. */
export async function demoAccounts(): Promise<Account[]> {
  return await Promise.all(
    ROLES.map(async (role) => ({ username: role, passwordHash: await hashSecret(role), role })),
  );
}
