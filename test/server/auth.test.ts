import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { hashSecret } from '../../core/secrets.ts';
import { authRoutes, bearerAuth } from '../../server/auth/auth-routes.ts';
import { MemoryAccountStore } from '../../server/auth/memory-account-store.ts';
import { SessionGate } from '../../server/auth/session-gate.ts';
import { TokenIssuer } from '../../server/auth/tokens.ts';
import { errorHandler } from '../../server/http/errors.ts';

const issuer = new TokenIssuer({ secret: 'a-test-secret-of-at-least-32-bytes!!', ttlSeconds: 60 });

describe('TokenIssuer', () => {
  test('a fresh token names its user and role', async () => {
    const { token } = await issuer.issue({ username: 'service', role: 'service' });
    expect(await issuer.verify(token)).toEqual({ username: 'service', role: 'service' });
  });

  test.each([
    [
      'expired',
      async () => (await issuer.issue({ username: 'a', role: 'admin' }, Date.now() - 120_000)).token,
      /expired/,
    ],
    [
      'signed with another key',
      async () =>
        (
          await new TokenIssuer({ secret: 'another-secret-of-at-least-32-bytes!' }).issue({
            username: 'a',
            role: 'admin',
          })
        ).token,
      /invalid token/,
    ],
    ['malformed', async () => 'not.a.token', /invalid token/],
  ])('refuses a token that is %s', async (_name, make, reason) => {
    const verdict = await issuer.verify(await make());
    expect(verdict).toEqual({ refused: expect.stringMatching(reason) });
  });

  test('refuses a short secret', () => {
    expect(() => new TokenIssuer({ secret: 'short' })).toThrow(/at least 32 bytes/);
  });
});

describe('sign-in routes', () => {
  let url: string;
  let close: () => void;
  const outcomes: string[] = [];

  beforeAll(async () => {
    const store = new MemoryAccountStore();
    await store.create(
      { username: 'operator', passwordHash: await hashSecret('operator'), role: 'operator', source: 'file' },
      Date.now(),
    );
    const gate = new SessionGate({ store, tokens: issuer });
    const app = express();
    app.use('/api', bearerAuth(gate));
    app.use(
      '/api',
      authRoutes({
        store,
        gate,
        tokens: issuer,
        loginLimit: 4,
        onLogin: (outcome) => outcomes.push(outcome),
      }),
    );
    // The server's one error handler answers invalid input (a 400 naming the field).
    app.use(errorHandler(silentLogger()));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    close = () => server.close();
  });
  afterAll(() => close?.());

  const login = (body: unknown) =>
    fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  test('the right password returns a token that /auth/me accepts', async () => {
    const response = await login({ username: 'operator', password: 'operator' });
    expect(response.status).toBe(200);
    const { token, role } = (await response.json()) as { token: string; role: string };
    expect(role).toBe('operator');
    const me = await fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ username: 'operator', role: 'operator' });
  });

  test.each([
    ['a wrong password', { username: 'operator', password: 'nope' }, 401],
    ['an unknown user', { username: 'ghost', password: 'operator' }, 401],
    ['a body without password', { username: 'operator' }, 400],
  ])('%s is refused', async (_name, body, status) => {
    const response = await login(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBeTruthy();
  });

  test('successful sign-ins do not count against the limit: one office behind one address is not locked out', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login({ username: 'operator', password: 'operator' })).status).toBe(200);
  });

  test('sign-in is rate limited per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await login({ username: 'operator', password: 'x' })).status);
    expect(statuses).toContain(429);
    expect(outcomes).toContain('limited');
  });

  test('a bad bearer token is a 401, no token reaches the route without a user', async () => {
    const bad = await fetch(`${url}/auth/me`, { headers: { authorization: 'Bearer junk' } });
    expect(bad.status).toBe(401);
    const none = await fetch(`${url}/auth/me`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(/sign in/);
  });
});
