import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashSecret } from '../../core/secrets.ts';
import { seedAccounts } from '../../server/auth/account-seed.ts';
import { DbAccountStore } from '../../server/auth/account-store.ts';
import { type Account, checkAccountsFilePasswords, loadAccountsFile } from '../../server/auth/accounts.ts';
import { openServiceDatabase, type ServiceDb } from '../../server/db/open-database.ts';

let database: ServiceDb;
let store: DbAccountStore;
const NOW = Date.now();

beforeAll(async () => {
  database = await openServiceDatabase({});
  store = new DbAccountStore(database.db);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const account = async (
  username: string,
  password: string,
  extra: Partial<Account> = {},
): Promise<Account> => ({
  username,
  passwordHash: await hashSecret(password),
  role: 'operator',
  ...extra,
});

describe('the accounts file seeds the accounts table', () => {
  test('accounts of the file are created when missing', async () => {
    const file = [await account('wang', 'first of the file'), await account('li', 'second of the file')];
    expect(await seedAccounts(store, file, 'file', NOW)).toEqual({
      created: ['wang', 'li'],
      kept: [],
      disabled: [],
    });
    expect((await store.get('wang'))?.source).toBe('file');
  });

  test('a changed file does not overwrite an account in the database, nor re-enable one an admin disabled', async () => {
    await store.update('wang', { disabledAt: NOW, revoke: true }, NOW);
    const hashBefore = (await store.get('li'))?.passwordHash;
    const file = [
      await account('wang', 'first of the file'),
      await account('li', 'a new password in the file', { role: 'admin' }),
    ];
    expect(await seedAccounts(store, file, 'file', NOW + 1)).toEqual({
      created: [],
      kept: ['wang', 'li'],
      disabled: [],
    });
    expect(await store.get('wang')).toMatchObject({ disabledAt: NOW });
    expect(await store.get('li')).toMatchObject({ role: 'operator', passwordHash: hashBefore });
  });

  test('an account taken out of the file is disabled and its sessions end; admin-made accounts stay', async () => {
    await store.create(
      {
        username: 'zhao',
        passwordHash: await hashSecret('made by an admin'),
        role: 'service',
        source: 'admin',
      },
      NOW,
    );
    const versionBefore = (await store.get('li'))!.tokenVersion;
    const report = await seedAccounts(store, [await account('wang', 'first of the file')], 'file', NOW + 2);
    expect(report).toEqual({ created: [], kept: ['wang'], disabled: ['li'] });
    expect(await store.get('li')).toMatchObject({ disabledAt: NOW + 2, tokenVersion: versionBefore + 1 });
    expect(await store.get('zhao')).toMatchObject({ disabledAt: null });
  });
});

describe('an accounts file whose passwords are first guesses is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accounts-file-'));
  const write = async (name: string, lines: [string, string, string][]) => {
    const path = join(dir, name);
    const rows = await Promise.all(
      lines.map(
        async ([user, password, role]) =>
          `  - {username: ${user}, passwordHash: "${await hashSecret(password)}", role: ${role}}`,
      ),
    );
    writeFileSync(path, `accounts:\n${rows.join('\n')}\n`);
    return path;
  };

  test('admin/admin names the file, the field and the guess', async () => {
    const path = await write('weak.yaml', [
      ['ops', 'a long and fine password', 'operator'],
      ['admin', 'admin', 'admin'],
    ]);
    await expect(checkAccountsFilePasswords(path, loadAccountsFile(path))).rejects.toThrow(
      /weak\.yaml: invalid accounts file\n.*accounts\.1\.passwordHash.*"admin" is "admin"/,
    );
  });

  test.each([
    ['the user name with 123', 'li', 'li123'],
    ['a common one', 'li', '12345678'],
  ])('%s is refused', async (_name, user, password) => {
    const path = await write(`${user}-${password}.yaml`, [[user, password, 'service']]);
    await expect(checkAccountsFilePasswords(path, loadAccountsFile(path))).rejects.toThrow(
      /among the first guesses/,
    );
  });

  test('a file of good passwords passes', async () => {
    const path = await write('good.yaml', [['ops', 'a long and fine password', 'operator']]);
    await expect(checkAccountsFilePasswords(path, loadAccountsFile(path))).resolves.toBeUndefined();
  });

  test('a customer account must name its customer', async () => {
    const path = join(dir, 'customer.yaml');
    writeFileSync(
      path,
      `accounts:\n  - {username: c, passwordHash: "${await hashSecret('x')}", role: customer}\n`,
    );
    expect(() => loadAccountsFile(path)).toThrow(/accounts\.0\.customer.*names its customer/);
  });
});
