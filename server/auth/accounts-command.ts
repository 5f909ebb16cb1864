import { join } from 'node:path';
import type { Command } from 'commander';
import { readPassword } from '../../broker/read-password.ts';
import { ROLES, type Role } from '../../core/auth/roles.ts';
import { hashSecret } from '../../core/secrets.ts';
import { openServiceDatabase } from '../db/open-database.ts';
import { checkPassword } from './account-routes.ts';
import { DbAccountStore } from './account-store.ts';
import { accountSchema } from './accounts.ts';

/** A well-formed hash, so the account's other fields are checked by the file's schema. */
const SHAPE_ONLY_HASH = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

interface AddFlags {
  role: string;
  customer?: string;
  sites?: string;
  name?: string;
  dataDir?: string;
}

/** The service database `aftercare server` would open: DATABASE_URL, else PGlite under the data dir. */
async function openStore(dataDir: string | undefined) {
  const databaseUrl = process.env.DATABASE_URL;
  const database = await openServiceDatabase(
    databaseUrl
      ? { databaseUrl }
      : { pgliteDir: join(dataDir ?? process.env.DATA_DIR ?? './data', 'service') },
  );
  return { store: new DbAccountStore(database.db), close: () => database.close() };
}

/**
 * `aftercare accounts add|list|hash-password`: how the first admin of a real server is made (or a
 * locked-out admin gets back in) without an accounts file. With PGlite, run it while the server is
 * stopped (one process holds the data directory); with PostgreSQL, any time.
 */
export function registerAccountsCommand(program: Command): void {
  const accounts = program.command('accounts').description('Accounts of the server (who may sign in)');
  accounts
    .command('add <username>')
    .description('Create an account in the service database; the password comes from stdin')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--customer <id>', 'for --role customer: the customer whose sites it sees')
    .option('--sites <ids>', 'comma-separated sites a staff account may see (default: every site)')
    .option('--name <text>', 'display name')
    .option('-d, --data-dir <dir>', 'the server data directory [env: DATA_DIR] (default: ./data)')
    .addHelpText(
      'after',
      `
DATABASE_URL selects PostgreSQL, as for the server. The password: 10+ characters, not a common
one, not containing the user name. Example:
  printf '%s' "$ADMIN_PASSWORD" | aftercare accounts add admin --role admin --data-dir /var/lib/aftercare`,
    )
    .action(async (username: string, flags: AddFlags) => {
      const parsed = accountSchema.safeParse({
        username,
        passwordHash: SHAPE_ONLY_HASH,
        role: flags.role,
        ...(flags.customer ? { customer: flags.customer } : {}),
        ...(flags.sites ? { sites: flags.sites.split(',').map((s) => s.trim()) } : {}),
        ...(flags.name ? { displayName: flags.name } : {}),
      });
      if (!parsed.success)
        program.error(
          `aftercare accounts add: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'account'}: ${i.message}`).join('; ')}`,
        );
      const password = await readPassword('password: ');
      try {
        checkPassword(password, username);
      } catch (error) {
        program.error(`aftercare accounts add: ${(error as Error).message}`);
      }
      const { store, close } = await openStore(flags.dataDir);
      try {
        const account = parsed.data;
        const created = await store.create(
          {
            username,
            passwordHash: await hashSecret(password),
            role: account.role as Role,
            source: 'cli',
            sites: account.sites ?? null,
            customerId: account.customer ?? null,
            displayName: account.displayName ?? '',
          },
          Date.now(),
        );
        if (!created) program.error(`aftercare accounts add: account ${username} exists already`);
        console.log(`account ${username} (${account.role}) created`);
      } finally {
        await close();
      }
    });
  accounts
    .command('list')
    .description('List the accounts of the service database (no password hashes)')
    .option('-d, --data-dir <dir>', 'the server data directory [env: DATA_DIR] (default: ./data)')
    .action(async (flags: { dataDir?: string }) => {
      const { store, close } = await openStore(flags.dataDir);
      try {
        for (const a of await store.list())
          console.log(
            [
              a.username,
              a.role,
              a.customerId ?? (a.sites ?? ['*']).join(','),
              a.disabledAt ? 'disabled' : 'enabled',
            ].join('\t'),
          );
      } finally {
        await close();
      }
    });
  accounts
    .command('hash-password')
    .description('Print a passwordHash (scrypt) for the accounts file; the password comes from stdin')
    .action(async () => {
      const password = await readPassword('password: ');
      if (!password) program.error('aftercare accounts hash-password: the password is empty');
      console.log(await hashSecret(password));
    });
}
