import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadBrokerFile, loadUsersFile } from '../../broker/users-file.ts';
import { hashSecret, parseSecretHash, verifySecret } from '../../core/secrets.ts';
import { TEST_COST } from './support.ts';

describe('secrets', () => {
  test('hash and verify round trip; a wrong password fails', async () => {
    const hash = await hashSecret('correct horse', TEST_COST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifySecret('correct horse', hash)).toBe(true);
    expect(await verifySecret('correct horsE', hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
  });

  test('default cost, fresh salt per hash', async () => {
    const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(a).not.toBe(b);
    expect(await verifySecret('same', b)).toBe(true);
  });

  test('refuses to hash an empty password', async () => {
    await expect(hashSecret('')).rejects.toThrow(/empty/);
  });

  test.each([
    ['plain text', 'hunter2'],
    ['bcrypt', '$2b$10$abcdefghijklmnopqrstuv'],
    ['missing part', 'scrypt$1024$8$1$c2FsdHNhbHQ='],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['N*r too large', 'scrypt$4194304$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['zero p', 'scrypt$1024$8$0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='],
    ['short salt', 'scrypt$1024$8$1$c2E=$aGFzaGhhc2hoYXNoaGFzaA=='],
  ])('malformed hash (%s) is refused, never matches', async (_name, hash) => {
    expect('error' in parseSecretHash(hash)).toBe(true);
    expect(await verifySecret('hunter2', hash)).toBe(false);
  });
});

describe('users file', () => {
  let dir: string;
  let hash: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-users-'));
    hash = await hashSecret('pw', TEST_COST);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  test('a plain list and a map with settings both load', async () => {
    const list = await write('list.yaml', `- {username: v, role: viewer, passwordHash: "${hash}"}\n`);
    expect(await loadUsersFile(list)).toEqual([{ username: 'v', role: 'viewer', passwordHash: hash }]);
    const map = await write(
      'map.yaml',
      `port: 0\nmaxPacketSize: 1024\nusers:\n  - {username: e, role: edge, site: north, passwordHash: "${hash}"}\n`,
    );
    expect(await loadBrokerFile(map)).toEqual({
      users: [{ username: 'e', role: 'edge', site: 'north', passwordHash: hash }],
      settings: { port: 0, maxPacketSize: 1024 },
    });
  });

  test.each([
    [
      'edge without site',
      (h: string) => `- {username: e, role: edge, passwordHash: "${h}"}`,
      /\[0\]\.site: required/,
    ],
    [
      'site on a viewer',
      (h: string) => `- {username: v, role: viewer, site: x, passwordHash: "${h}"}`,
      /\[0\]\.site/,
    ],
    ['bad role', (h: string) => `- {username: v, role: root, passwordHash: "${h}"}`, /\[0\]\.role/],
    [
      'plain password',
      () => '- {username: v, role: viewer, passwordHash: secret}',
      /\[0\]\.passwordHash: expected/,
    ],
    [
      'password key',
      (h: string) => `- {username: v, role: viewer, password: x, passwordHash: "${h}"}`,
      /\[0\]/,
    ],
    [
      'bad site id',
      (h: string) => `- {username: e, role: edge, site: "a/b", passwordHash: "${h}"}`,
      /\[0\]\.site/,
    ],
    [
      'duplicate user',
      (h: string) =>
        `- {username: v, role: viewer, passwordHash: "${h}"}\n- {username: v, role: admin, passwordHash: "${h}"}`,
      /\[1\]\.username: duplicate/,
    ],
    [
      'unknown setting',
      (h: string) => `prot: 1\nusers:\n  - {username: v, role: viewer, passwordHash: "${h}"}`,
      /prot/,
    ],
    [
      'wrapped list field',
      (h: string) => `users:\n  - {username: e, role: edge, passwordHash: "${h}"}`,
      /users\[0\]\.site/,
    ],
  ])('%s: the error names the file and the field', async (name, text, field) => {
    const file = await write(`${name.replaceAll(' ', '-')}.yaml`, text(hash));
    const error: Error = await loadUsersFile(file).then(
      () => new Error('loaded'),
      (e: Error) => e,
    );
    expect(error.name).toBe('UsersFileError');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(field);
  });

  test('a missing file names the path', async () => {
    await expect(loadUsersFile(join(dir, 'nope.yaml'))).rejects.toThrow(/nope\.yaml/);
  });
});

describe('aftercare broker hash-password', () => {
  const cli = ['bin/run-ts.js', 'broker/main.ts', 'broker', 'hash-password'];
  const cwd = join(import.meta.dirname, '..', '..');

  test('reads the password from stdin; the printed hash verifies', async () => {
    const run = spawnSync(process.execPath, cli, {
      cwd,
      input: 's3cret pass\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    const hash = run.stdout.trim();
    expect(await verifySecret('s3cret pass', hash)).toBe(true);
    expect(run.stdout).not.toContain('s3cret');
  });

  test('takes --password too', async () => {
    const run = spawnSync(process.execPath, [...cli, '--password', 'p@ss'], {
      cwd,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    expect(await verifySecret('p@ss', run.stdout.trim())).toBe(true);
  });

  test('an empty password is an error', () => {
    const run = spawnSync(process.execPath, cli, { cwd, input: '\n', encoding: 'utf8', timeout: 20_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/empty/);
  });
});
