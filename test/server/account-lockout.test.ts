import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { hashSecret } from '../../core/secrets.ts';
import { DbAccountStore } from '../../server/auth/account-store.ts';
import { authRoutes, bearerAuth } from '../../server/auth/auth-routes.ts';
import { SessionGate } from '../../server/auth/session-gate.ts';
import { TokenIssuer } from '../../server/auth/tokens.ts';
import { openServiceDatabase, type ServiceDb } from '../../server/db/open-database.ts';
import { errorHandler } from '../../server/http/errors.ts';

/**
 * Issue 17: "5 addresses made 50 guesses at admin in a minute". The per-address limiter keys on a
 * header here (the injected key) so one test process can be several addresses; the lockout runs
 * on the injected clock against the real accounts table (PGlite).
 */
let database: ServiceDb;
let store: DbAccountStore;
let url: string;
let close: () => void;
// Near the wall clock: the JWT itself is checked by jose against the real time.
let now = Date.now();
const outcomes: string[] = [];

beforeAll(async () => {
  database = await openServiceDatabase({});
  store = new DbAccountStore(database.db);
  await store.create(
    {
      username: 'admin',
      passwordHash: await hashSecret('right horse battery'),
      role: 'admin',
      source: 'file',
    },
    now,
  );
  const tokens = new TokenIssuer({ secret: 'a-test-secret-of-at-least-32-bytes!!' });
  const gate = new SessionGate({ store, tokens, clock: () => now });
  const app = express();
  app.use('/api', bearerAuth(gate));
  app.use(
    '/api',
    authRoutes({
      store,
      tokens,
      gate,
      clock: () => now,
      loginLimit: 10,
      loginKey: (req) => req.header('x-test-address') ?? 'none',
      onLogin: (outcome) => outcomes.push(outcome),
    }),
  );
  app.use(errorHandler(silentLogger()));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  close = () => server.close();
}, 60_000);

afterAll(async () => {
  close?.();
  await database?.close();
});

const signIn = async (password: string, address: string) => {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-address': address },
    body: JSON.stringify({ username: 'admin', password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('per-account lockout on top of the per-address limit', () => {
  test('30 guesses from 6 addresses: 5 are checked, the other 25 wait without a password check', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await signIn(`guess-${i}`, `10.0.0.${i % 6}`)).status);
    // Each address stays under its own limit (5 of 10), so only the account's lock slows them.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(25);
    expect(outcomes).not.toContain('limited');
    const held = await store.get('admin');
    expect(held?.failedAttempts).toBe(5);
    expect(held?.lockedUntil).toBe(now + 60_000);
  });

  test('while locked even the right password waits, with the seconds left in the answer', async () => {
    now += 30_000;
    const locked = await signIn('right horse battery', '10.0.1.1');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'error.accountLocked', params: { seconds: 30 } });
  });

  test('the next wrong password after the lock runs out locks for twice as long', async () => {
    now += 30_001;
    expect((await signIn('guess-again', '10.0.1.2')).status).toBe(401);
    expect((await store.get('admin'))?.lockedUntil).toBe(now + 120_000);
    now += 119_000;
    expect((await signIn('right horse battery', '10.0.1.3')).body).toMatchObject({ params: { seconds: 1 } });
  });

  test('a successful sign-in resets the counters', async () => {
    now += 1_000;
    const ok = await signIn('right horse battery', '10.0.1.4');
    expect(ok.status).toBe(200);
    const held = await store.get('admin');
    expect(held).toMatchObject({ failedAttempts: 0, lockedUntil: null, lastSignInAt: now });
    expect((await signIn('one-slip', '10.0.1.5')).status).toBe(401);
    expect((await signIn('right horse battery', '10.0.1.5')).status).toBe(200);
  });

  test('the per-address limit still holds for one address guessing many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-address': '10.9.9.9' },
        body: JSON.stringify({ username: `ghost${i}`, password: 'whatever-it-is' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
