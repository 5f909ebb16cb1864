import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsServer, BOSS, startAccountsServer } from '../support/accounts-server.ts';

let running: AccountsServer;
let boss: string;
const api = (...args: Parameters<AccountsServer['api']>) => running.api(...args);

beforeAll(async () => {
  running = await startAccountsServer();
  boss = await running.signIn(BOSS.username, BOSS.password);
}, 120_000);

afterAll(async () => {
  await running?.stop();
});

const GOOD = 'pressure set point 4.5';

describe('the admin API of accounts', () => {
  test('the accounts file seeded its admin; the list never shows a password hash', async () => {
    const { status, body } = await api('GET', '/accounts', boss);
    expect(status).toBe(200);
    expect(body.accounts).toEqual([
      expect.objectContaining({
        username: 'boss',
        role: 'admin',
        source: 'file',
        disabled: false,
        sites: null,
      }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/scrypt/);
  });

  test.each([
    [
      'a short password',
      { username: 'ling', password: 'short-one', role: 'operator' },
      'error.passwordTooShort',
    ],
    [
      'a common password',
      { username: 'ling', password: 'Password123', role: 'operator' },
      'error.passwordCommon',
    ],
    [
      'the user name in it',
      { username: 'ling', password: 'ling-at-the-pumps', role: 'operator' },
      'error.passwordIsUsername',
    ],
    [
      'a customer without its customer',
      { username: 'ling', password: GOOD, role: 'customer' },
      'error.customerNeedsCustomer',
    ],
    [
      'an unknown customer',
      { username: 'ling', password: GOOD, role: 'customer', customer: 'nobody' },
      'error.noCustomer',
    ],
    [
      'a staff role with a customer',
      { username: 'ling', password: GOOD, role: 'operator', customer: 'demo-water' },
      'error.onlyCustomerHasCustomer',
    ],
  ])(
    'creating an account with %s is a 400 with its code, and is audited as refused',
    async (_name, body, code) => {
      const answer = await api('POST', '/accounts', boss, body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(code);
      const audit = await api('GET', '/audit?action=account.create&limit=1', boss);
      expect(audit.body.entries[0]).toMatchObject({
        actor: 'boss',
        target: 'account/ling',
        result: 'refused',
      });
      expect(JSON.stringify(audit.body.entries[0].detail)).not.toContain(body.password);
    },
  );

  test('a bad field is a 400 naming it', async () => {
    const answer = await api('POST', '/accounts', boss, {
      username: 'has space',
      password: GOOD,
      role: 'operator',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([expect.objectContaining({ path: 'username' })]);
  });

  test('an admin creates an account that signs in; a second one of the same name is a 409', async () => {
    const created = await api('POST', '/accounts', boss, {
      username: 'ling',
      password: GOOD,
      role: 'operator',
      sites: ['demo'],
      displayName: '凌工',
    });
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({
      username: 'ling',
      role: 'operator',
      sites: ['demo'],
      source: 'admin',
    });
    const token = await running.signIn('ling', GOOD);
    expect((await api('GET', '/auth/me', token)).body).toEqual({
      username: 'ling',
      role: 'operator',
      sites: ['demo'],
    });
    const again = await api('POST', '/accounts', boss, {
      username: 'ling',
      password: GOOD,
      role: 'operator',
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'error.accountExists' } });
  });

  test('a role change applies to the open session without a new sign-in', async () => {
    const token = await running.signIn('ling', GOOD);
    const before = await fetch(`${running.server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(before.status).toBe(403);
    const changed = await api('PUT', '/accounts/ling', boss, { role: 'engineer', sites: null });
    expect(changed.body.account).toMatchObject({ role: 'engineer', sites: null });
    expect((await api('GET', '/auth/me', token)).body).toEqual({ username: 'ling', role: 'engineer' });
    // /metrics (engineers and admins) sits at the server's root, not under /api.
    const metrics = await fetch(`${running.server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(metrics.status).toBe(200);
  });

  test('sign-out revokes that token only', async () => {
    const first = await running.signIn('ling', GOOD);
    const second = await running.signIn('ling', GOOD);
    expect((await api('POST', '/auth/logout', first)).status).toBe(204);
    expect(await api('GET', '/auth/me', first)).toMatchObject({
      status: 401,
      body: { code: 'error.sessionRevoked' },
    });
    expect((await api('GET', '/auth/me', second)).status).toBe(200);
  });

  test('disabling revokes every token at once, closes the live socket, and refuses sign-in', async () => {
    const token = await running.signIn('ling', GOOD);
    const socket = connectSocket(running.server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const disabled = await api('POST', '/accounts/ling/disable', boss);
      expect(disabled.body.account).toMatchObject({ disabled: true });
      expect(await dropped).toBe('io server disconnect');
      expect(await api('GET', '/auth/me', token)).toMatchObject({
        status: 401,
        body: { code: 'error.sessionRevoked' },
      });
      const refused = await api('POST', '/auth/login', undefined, { username: 'ling', password: GOOD });
      expect(refused).toMatchObject({ status: 401, body: { code: 'error.wrongPassword' } });
      // A token kept from before cannot open a new socket either.
      const again = connectSocket(running.server.url, {
        transports: ['websocket'],
        reconnection: false,
        auth: { token },
      });
      const error = await new Promise<Error>((resolve) => again.once('connect_error', resolve));
      again.close();
      expect(error.message).toMatch(/session ended/);
    } finally {
      socket.close();
    }
    expect((await api('POST', '/accounts/ling/enable', boss)).body.account).toMatchObject({
      disabled: false,
    });
    expect((await api('GET', '/auth/me', await running.signIn('ling', GOOD))).status).toBe(200);
  });

  test('a password reset revokes the old tokens and the old password', async () => {
    const token = await running.signIn('ling', GOOD);
    const reset = await api('POST', '/accounts/ling/password', boss, {
      password: 'a new one for the pump room',
    });
    expect(reset.status).toBe(200);
    expect((await api('GET', '/auth/me', token)).status).toBe(401);
    expect((await api('POST', '/auth/login', undefined, { username: 'ling', password: GOOD })).status).toBe(
      401,
    );
    await running.signIn('ling', 'a new one for the pump room');
    const weak = await api('POST', '/accounts/ling/password', boss, { password: '1234567890' });
    expect(weak).toMatchObject({ status: 400, body: { code: 'error.passwordCommon' } });
  });

  test('an admin may not disable or demote themselves', async () => {
    expect(await api('POST', '/accounts/boss/disable', boss)).toMatchObject({
      status: 409,
      body: { code: 'error.notYourself' },
    });
    expect(await api('PUT', '/accounts/boss', boss, { role: 'operator' })).toMatchObject({ status: 409 });
    expect(await api('POST', '/accounts/nobody/disable', boss)).toMatchObject({
      status: 404,
      body: { code: 'error.noAccount' },
    });
  });

  test('every admin action is in the audit log, with who, what and the result', async () => {
    const { body } = await api('GET', '/audit?target=account/ling&limit=100', boss);
    const done = body.entries
      .filter((e: { result: string }) => e.result === 'ok')
      .map((e: { action: string }) => e.action);
    expect(done.sort()).toEqual(
      ['account.change', 'account.create', 'account.disable', 'account.enable', 'account.password'].sort(),
    );
    expect(body.entries.every((e: { actor: string }) => e.actor === 'boss')).toBe(true);
  });
});
