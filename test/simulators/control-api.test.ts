import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { registerInjectCommand } from '../../simulators/command.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    profile: loadProfile('profiles/booster-3p-380.yaml'),
    stations: [
      { id: 'st1', port: 0 },
      { id: 'st2', port: 0 },
    ],
    controlPort: 0,
    speed: 0,
    startTime: Date.UTC(2024, 0, 1, 12),
    logger: silentLogger(),
  });
});
afterAll(async () => {
  await sim?.stop();
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('control API', () => {
  test('GET /stations lists ids, ports, faults and speed', async () => {
    const { status, body } = await call('GET', '/stations');
    expect(status).toBe(200);
    expect(body.speed).toBe(0);
    expect(body.stations).toEqual([
      expect.objectContaining({ id: 'st1', port: sim.ports.st1, unitId: 1, faults: [] }),
      expect.objectContaining({ id: 'st2', port: sim.ports.st2, unitId: 1, faults: [] }),
    ]);
  });

  test('GET /stations/:id gives readings by meaning', async () => {
    const { status, body } = await call('GET', '/stations/st1');
    expect(status).toBe(200);
    expect(body.readings).toEqual(sim.readings('st1'));
  });

  test('POST then DELETE a fault changes the station', async () => {
    const injected = await call('POST', '/stations/st2/faults', { fault: 'pump_trip', pump: 1 });
    expect(injected.status).toBe(201);
    expect(injected.body.injected).toMatchObject({ fault: 'pump_trip', pump: 1 });
    expect(sim.readings('st2')['pump[1].fault']).toBe(true);
    expect(sim.readings('st2')['station.failover_count']).toBe(1);
    const withParams = await call('POST', '/stations/st2/faults', {
      fault: 'bearing_wear',
      pump: 2,
      params: { weeks: '2' },
    });
    expect(withParams.body.injected).toMatchObject({ params: { weeks: 2, progress: 0 } });
    const cleared = await call('DELETE', '/stations/st2/faults/pump_trip?pump=1');
    expect(cleared.status).toBe(200);
    expect(sim.readings('st2')['pump[1].fault']).toBe(false);
    expect(sim.faults('st2').map((f) => f.fault)).toEqual(['bearing_wear']);
    expect((await call('DELETE', '/stations/st2/faults/bearing_wear')).status).toBe(200);
  });

  test.each([
    ['POST', '/stations/st1/faults', { fault: 'meteor' }, undefined, 400, /unknown fault "meteor"/],
    ['POST', '/stations/st1/faults', { fault: 'pump_trip', pump: 'one' }, undefined, 400, /pump/],
    ['POST', '/stations/st1/faults', { fault: 'pump_trip', extra: 1 }, undefined, 400, /bad request body/],
    ['POST', '/stations/st1/faults', undefined, '{not json', 400, /not valid JSON/],
    [
      'POST',
      '/stations/st1/faults',
      { fault: 'under_voltage', params: { percent: 300 } },
      undefined,
      400,
      /percent/,
    ],
    ['POST', '/stations/nope/faults', { fault: 'pump_trip' }, undefined, 404, /unknown station "nope"/],
    ['DELETE', '/stations/st1/faults/pump_trip', undefined, undefined, 404, /no active pump_trip/],
    ['DELETE', '/stations/st1/faults/meteor', undefined, undefined, 404, /unknown fault/],
    ['DELETE', '/stations/st1/faults/pump_trip?pump=x', undefined, undefined, 400, /bad pump/],
    ['PUT', '/speed', { speed: -1 }, undefined, 400, /speed/],
    ['GET', '/nowhere', undefined, undefined, 404, /no route/],
  ])('%s %s -> %d', async (method, path, body, raw, status, message) => {
    const response = await call(method, path, body, raw);
    expect(response.status).toBe(status);
    expect(String(response.body.error)).toMatch(message);
  });

  test('PUT /speed changes simulated time and time moves', async () => {
    const before = Number((await call('GET', '/stations/st1')).body.simulatedSeconds);
    expect((await call('PUT', '/speed', { speed: 600 })).body.speed).toBe(600);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await call('PUT', '/speed', { speed: 0 })).body.speed).toBe(0);
    const after = Number((await call('GET', '/stations/st1')).body.simulatedSeconds);
    expect(after - before).toBeGreaterThanOrEqual(60); // at least one 100 ms tick of 60 s
  });
});

describe('aftercare inject', () => {
  async function inject(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const program = new Command('aftercare')
      .exitOverride()
      .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    registerInjectCommand(program);
    const log = console.log;
    console.log = (...parts: unknown[]) => out.push(parts.join(' '));
    let code = 0;
    try {
      await program.parseAsync(['node', 'aftercare', 'inject', ...args, '--control', sim.controlUrl]);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      code = error.exitCode;
    } finally {
      console.log = log;
    }
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('injects and clears with params', async () => {
    const injected = await inject(['st1', 'insulation_decay', '--param', 'tauDays=2']);
    expect(injected.code).toBe(0);
    expect(injected.out).toMatch(/injected insulation_decay at st1/);
    expect(sim.faults('st1')).toEqual([
      expect.objectContaining({ fault: 'insulation_decay', params: { tauDays: 2, floorMohm: 0.1 } }),
    ]);
    const cleared = await inject(['st1', 'insulation_decay', '--clear']);
    expect(cleared.code).toBe(0);
    expect(sim.faults('st1')).toEqual([]);
  });

  test.each([
    [['st1', 'meteor'], /unknown fault "meteor"/],
    [['st1', 'pump_trip', '--pump', '9'], /pump 9 does not exist/],
    [['st1', 'pump_trip', '--clear'], /no active pump_trip/],
    [['zz', 'pump_trip'], /unknown station "zz"/],
  ])('%j exits non-zero with the API message', async (args, message) => {
    const result = await inject(args);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(message);
  });
});
