import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { freePort } from '../../core/net.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { simulatorProxy } from '../../server/http/simulator-proxy.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

// The engineer's route to the simulator's control API, against a real simulator; the user comes from
// an `x-role` header here (the server's bearer-token auth sets the same req.user).
let sim: RunningSimulator;
let proxy: Server;
let dead: Server;
let base: string;
let deadBase: string;

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function appFor(controlUrl: string): express.Express {
  const app = express();
  app.use((req, _res, next) => {
    const role = req.headers['x-role'];
    if (typeof role === 'string') (req as unknown as { user: object }).user = { username: role, role };
    next();
  });
  app.use('/api', simulatorProxy({ controlUrl, timeoutMs: 2000 }));
  app.use(errorHandler(silentLogger()));
  return app;
}

beforeAll(async () => {
  sim = await startSimulator({
    profile: loadProfile('profiles/booster-3p-380.yaml'),
    stations: [{ id: 'st1', port: 0 }],
    controlPort: 0,
    speed: 1,
    logger: silentLogger(),
  });
  proxy = await listen(appFor(sim.controlUrl));
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api`;
  dead = await listen(appFor(`http://127.0.0.1:${await freePort()}`));
  deadBase = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await new Promise((resolve) => dead?.close(resolve));
  await sim?.stop();
});

async function call(url: string, method: string, role: string | undefined, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(role ? { 'x-role': role } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('simulator proxy', () => {
  test.each([
    [undefined, 401],
    ['operator', 403],
    ['service', 403],
    ['engineer', 200],
    ['admin', 200],
  ])('GET /sim/stations as %s -> %i', async (role, status) => {
    expect((await call(`${base}/sim/stations`, 'GET', role)).status).toBe(status);
  });

  test('an engineer injects and clears a pump trip', async () => {
    const injected = await call(`${base}/sim/stations/st1/faults`, 'POST', 'engineer', {
      fault: 'pump_trip',
      pump: 2,
    });
    expect(injected.status).toBe(201);
    expect(sim.faults('st1')).toEqual([expect.objectContaining({ fault: 'pump_trip', pump: 2 })]);
    const cleared = await call(`${base}/sim/stations/st1/faults/pump_trip?pump=2`, 'DELETE', 'engineer');
    expect(cleared.status).toBe(200);
    expect(sim.faults('st1')).toEqual([]);
  });

  test('speed and the fault list pass through', async () => {
    expect((await call(`${base}/sim/speed`, 'PUT', 'admin', { speed: 2 })).json).toEqual({ speed: 2 });
    const faults = (await call(`${base}/sim/faults`, 'GET', 'engineer')).json.faults as { name: string }[];
    expect(faults.map((f) => f.name)).toContain('grounding_fault');
  });

  test.each([
    [
      'an unknown body field',
      'POST',
      '/sim/stations/st1/faults',
      { fault: 'pump_trip', extra: 1 },
      400,
      /fault/,
    ],
    [
      'a pump out of range',
      'POST',
      '/sim/stations/st1/faults',
      { fault: 'pump_trip', pump: 12 },
      400,
      /pump/,
    ],
    ['a bad station id', 'POST', '/sim/stations/st%201/faults', { fault: 'pump_trip' }, 400, /station id/],
    ['a negative speed', 'PUT', '/sim/speed', { speed: -1 }, 400, /speed/],
    [
      'an unknown station (the simulator answers)',
      'POST',
      '/sim/stations/st9/faults',
      { fault: 'pump_trip' },
      404,
      /st9/,
    ],
    [
      'an unknown fault (the simulator answers)',
      'POST',
      '/sim/stations/st1/faults',
      { fault: 'melt_down' },
      400,
      /melt_down/,
    ],
  ])('%s is refused', async (_name, method, path, body, status, message) => {
    const answer = await call(`${base}${path}`, method, 'engineer', body);
    expect(answer.status).toBe(status);
    expect(String(answer.json.error)).toMatch(message);
  });

  test('an unreachable simulator is a 502 that says so', async () => {
    const answer = await call(`${deadBase}/sim/stations`, 'GET', 'engineer');
    expect(answer.status).toBe(502);
    expect(String(answer.json.error)).toMatch(/unreachable.*is the simulator running/);
  });
});
