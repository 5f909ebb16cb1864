import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ConfigFileError, loadConfigFile, loadConfigFileSync } from '../../core/config/config-file.ts';
import { hashSecret } from '../../core/secrets.ts';
import { loadAccountsFile } from '../../server/auth/accounts.ts';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = z
  .object({ port: z.number().int().max(65535), password: z.string().min(8), name: z.string().default('x') })
  .strict();
const kind = { what: 'test config' };

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('the one config file loader', () => {
  test.each([
    ['YAML', 'ok.yaml', 'port: 80\npassword: long-enough\n'],
    ['JSON', 'ok.json', '{"port": 80, "password": "long-enough"}'],
    ['YAML with another extension', 'ok.yml', 'port: 80\npassword: long-enough\n'],
  ])('reads %s and applies defaults', async (_what, name, text) => {
    const file = write(name, text);
    const expected = { port: 80, password: 'long-enough', name: 'x' };
    expect(loadConfigFileSync(file, schema, kind)).toEqual(expected);
    expect(await loadConfigFile(file, schema, kind)).toEqual(expected);
  });

  test.each([
    ['a missing file', ['', ''], /nope\.yaml: invalid test config\n {2}cannot read the file: ENOENT/],
    ['broken YAML', ['bad.yaml', 'port: [\n'], /bad\.yaml: invalid test config\n {2}not valid YAML: /],
    ['broken JSON', ['bad.json', '{"port": '], /bad\.json: invalid test config\n {2}not valid JSON: /],
    ['a bad value', ['big.yaml', 'port: 70000\npassword: long-enough\n'], /field "port": .*\(got 70000\)/],
    [
      'an unknown key',
      ['extra.yaml', 'port: 1\npassword: long-enough\nprot: 2\n'],
      /field "\(root\)": .*prot/,
    ],
  ])('%s is named with the file, the field and the value', (_what, file, message) => {
    const [name, text] = file as [string, string];
    const path = name ? write(name, text) : join(dir, 'nope.yaml');
    const error = (() => {
      try {
        loadConfigFileSync(path, schema, kind);
      } catch (e) {
        return e as ConfigFileError;
      }
      throw new Error('loaded');
    })();
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(message);
  });

  test('a secret value is never shown', () => {
    const file = write('short.yaml', 'port: 1\npassword: short\n');
    expect(() => loadConfigFileSync(file, schema, kind)).toThrow(/field "password": [^\n]*$/m);
    expect(() => loadConfigFileSync(file, schema, kind)).not.toThrow(/short"/);
  });
});

describe('accounts file', () => {
  test('an account may be bound to sites; none means every site', async () => {
    const hash = await hashSecret('pw');
    const file = write(
      'accounts.yaml',
      `accounts:\n  - {username: east, passwordHash: "${hash}", role: operator, sites: [east, north]}\n  - {username: all, passwordHash: "${hash}", role: admin}\n`,
    );
    const accounts = loadAccountsFile(file);
    expect(accounts.map((a) => [a.username, a.sites])).toEqual([
      ['east', ['east', 'north']],
      ['all', undefined],
    ]);
  });

  test.each([
    ['a bad site id', 'sites: ["a/b"]', /field "accounts\.0\.sites\.0": a site id .*\(got "a\/b"\)/],
    ['an empty site list', 'sites: []', /field "accounts\.0\.sites"/],
  ])('%s is refused with the field', async (_what, extra, message) => {
    const hash = await hashSecret('pw');
    const file = write(
      'bad-accounts.yaml',
      `accounts:\n  - {username: u, passwordHash: "${hash}", role: operator, ${extra}}\n`,
    );
    expect(() => loadAccountsFile(file)).toThrow(message);
  });

  test('a name given twice is refused', async () => {
    const hash = await hashSecret('pw');
    const line = `  - {username: twice, passwordHash: "${hash}", role: operator}\n`;
    const file = write('twice.yaml', `accounts:\n${line}${line}`);
    expect(() => loadAccountsFile(file)).toThrow(
      /field "accounts\.1\.username": account "twice" appears twice/,
    );
  });
});
